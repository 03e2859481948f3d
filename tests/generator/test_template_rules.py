"""Templates hold layout: Python in generator/views/ computes what they print.

The rules DESIGN sets for templates, checked on every template: no accumulators built
in Jinja, no provider or parameter singled out by name, no line a reader must scroll,
and the three largest templates kept at no more than half the tag lines they once had.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO

TEMPLATES = REPO / "templates"
ALL = sorted(TEMPLATES.rglob("*.j2"))
LONGEST = 160
# Tag lines (lines holding `{%` or `{{`) when these templates computed their own views.
BEFORE = {
    "package/client.py.j2": 337,
    "package/fake_server.py.j2": 249,
    "tests/test_contract.py.j2": 262,
}
TAG = re.compile(r"{[%{](.*?)[%}]}")
ACCUMULATOR = re.compile(r"^-?\s*set\s+_\s*=|\.(append|extend|update)\(")
PROVIDERS = re.compile(r"litmos|ispring|peoplefluent", re.IGNORECASE)
SINGLED_OUT = re.compile(
    r"\.(name|wire|wire_name|python_name|operation_id)\s*[!=]=\s*['\"]"
)


def tags(path: Path) -> list[str]:
    return [
        line for line in path.read_text().splitlines() if "{%" in line or "{{" in line
    ]


def name(path: Path) -> str:
    return path.relative_to(TEMPLATES).as_posix()


@pytest.mark.parametrize("path", ALL, ids=name)
def test_no_accumulators_and_nothing_singled_out(path: Path) -> None:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        where = f"{name(path)}:{number}"
        for tag in TAG.findall(line):
            assert not ACCUMULATOR.search(tag), f"{where} builds a value: a view's job"
        assert not SINGLED_OUT.search(
            line
        ), f"{where} tests a name: move the rule to the IR"
        # The scaffold is a spec for a user to fill in, not a generic template.
        if not name(path).startswith("scaffold/"):
            assert not PROVIDERS.search(line), f"{where} names a provider"


@pytest.mark.parametrize("path", ALL, ids=name)
def test_no_line_over_the_limit(path: Path) -> None:
    long = [
        number
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if len(line) > LONGEST
    ]
    assert not long, f"{name(path)}: lines {long} are over {LONGEST} characters"


@pytest.mark.parametrize("template", sorted(BEFORE))
def test_the_big_templates_hold_half_their_former_logic(template: str) -> None:
    count = len(tags(TEMPLATES / template))
    assert count <= BEFORE[template] // 2, f"{template}: {count} tag lines"


@pytest.mark.parametrize("path", ALL, ids=name)
def test_no_runtime_module_hides_in_a_template(path: Path) -> None:
    """Code the same for every provider is plain Python in generator/runtime/, tested there.

    A template of some length with next to no tags is such code kept out of reach of the
    linters; a template's lines are mostly the data or layout that its tags fill in.
    """
    lines = path.read_text().splitlines()
    if len(lines) > 40 and not name(path).startswith("scaffold/"):
        assert len(tags(path)) >= len(lines) // 10, f"{name(path)} is mostly fixed text"
