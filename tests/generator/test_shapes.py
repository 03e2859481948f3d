"""Formatting by shape gives black's own bytes: on every file the generator renders, for
every provider, the OpenAPI corpus and a synthetic spec, and on constructs chosen to
trip it; and black sees each shape only once."""

from __future__ import annotations

import sys
from pathlib import Path

import black
import pytest
from helpers import black_calls
from lmsgen import formatting, pipeline, shapes
from lmsgen.errors import FormatError
from lmsgen.render import render

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))

import synthetic  # noqa: E402


def _specs(tmp: Path) -> list[Path]:
    corpus = sorted(
        p
        for p in (REPO / "tests" / "fixtures" / "openapi_corpus").iterdir()
        if p.is_dir()
    )
    providers = sorted(
        p for p in (REPO / "specs").iterdir() if (p / "openapi.yaml").is_file()
    )
    synthetic.write(tmp / "synthetic12", 12)
    return [
        *providers,
        *[p for p in corpus if not p.name.startswith("_")],
        tmp / "synthetic12",
    ]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every Python file the generator renders, before formatting, by a readable name."""
    found: dict[str, str] = {}
    for spec in _specs(tmp_path_factory.mktemp("specs")):
        for path, content in render(pipeline.load(spec)).items():
            if path.endswith(".py"):
                found[f"{spec.name}/{path}"] = content.decode("utf-8")
    return found


def test_every_rendered_file_formats_as_black_formats_it(
    rendered: dict[str, str],
) -> None:
    memo: dict[str, formatting.Layout] = {}
    differ = [
        name
        for name, text in rendered.items()
        if formatting.format_by_shape(name, text.encode(), memo)
        != formatting.format_one(name, text.encode())
    ]
    assert len(rendered) > 100
    assert not differ


UGLY = {
    "quotes and docstrings": """
class A  :
    \'\'\'Doc with "quotes" in it, and a summary line long enough to push the closing quotes over the edge.\'\'\'
    x : int=1
    y = 'it\\'s'
    z = 'say "hi"'
    def f(self)->None:
        \'\'\'   Indented.

            More.   \'\'\'
        return None
""",
    "overloads and decorators": """
from typing import overload
class C:
    @overload
    def f(self, a: int) -> int: ...
    @overload
    def f(self, a: str) -> str: ...
    def f(self, a):
        return a



    @property
    def g(self): return 1
    # a comment before a def
    def h(self): pass
""",
    "comments and blank lines": """
import os
x = 1
# about y


y = 2
def f(): pass
z = [1,2,
3]
if x:
    pass
else:
    pass
""",
    "tables": """
TABLE = {
    'a': (1, 2),
    'b': (3, 4),
    'c': (5, 6),
    'd': (7, 8),
    'e': (9, 10),
    'f': (11, 12),
    'g': (13, 14),
    'h': (15, 16),
    'a very long key that will not fit on the line with its value': ('and a long value too', 'more', 'still'),
}
'''About the table.'''
LIST = [
    f'{x}' for x in 'abc'
]
NAMES = [  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', ]
""",
    "unusual names and strings": """
café = "naïve"
x = rb'raw\\bytes'
y = u'unicode'
z = f"{café!r:>10}"
def  ﬁ(): return "\\N{BULLET}"
""",
}


@pytest.mark.parametrize("case", sorted(UGLY))
def test_unusual_constructs_format_as_black_formats_them(case: str) -> None:
    source = UGLY[case].lstrip("\n").encode()
    assert formatting.format_by_shape(case, source, {}) == formatting.format_one(
        case, source
    )


def test_black_sees_each_shape_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LMSGEN_CACHE", str(tmp_path))
    methods = "".join(
        f"    def get_item{n}(self, item_id: str) -> str:\n"
        f"        '''Read item {n}.'''\n        return self._get('/items{n}/', item_id)\n"
        for n in range(10, 60)
    )
    source = f"class Client:\n    '''A client.'''\n{methods}".encode()
    expected = black.format_str(source.decode(), mode=formatting.mode()).encode()
    calls = black_calls(monkeypatch)
    assert formatting.format_by_shape("client.py", source, {}) == expected
    assert len(calls) == 2  # the class with its docstring, then one method shape


def test_a_file_that_does_not_cut_is_formatted_whole() -> None:
    with pytest.raises(shapes.Unshaped):
        shapes.cut("x = (1,\n")
    with pytest.raises(FormatError, match=r"broken\.py: rendered code is not valid"):
        formatting.format_by_shape("broken.py", b"x = (1,\n", {})
