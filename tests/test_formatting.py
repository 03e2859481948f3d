"""The formatter: black output, cached by content, the same in parallel as in series."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import black_calls

from generator import formatting

UGLY = b"def f( a,b ):\n  return {'a':a,'b':b}\n"
PRETTY = b'def f(a, b):\n    return {"a": a, "b": b}\n'


def test_python_is_formatted_and_other_files_pass_through(tmp_path: Path) -> None:
    files = {"m.py": UGLY, "README.md": UGLY}
    result = formatting.format_all(files)
    assert result == {"m.py": PRETTY, "README.md": UGLY}


def test_same_text_is_never_formatted_twice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LMSGEN_CACHE", str(tmp_path))
    monkeypatch.setattr(formatting, "_MEMO", {})
    calls = black_calls(monkeypatch)
    assert formatting.format_all({"a.py": UGLY, "b.py": UGLY}) == {
        "a.py": PRETTY,
        "b.py": PRETTY,
    }
    assert len(calls) == 1  # two files, one text
    assert formatting.format_all({"c.py": UGLY}) == {"c.py": PRETTY}
    assert len(calls) == 1  # read back from the on-disk cache
    assert list(tmp_path.rglob("*"))


def test_parallel_and_serial_agree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    files = {f"m{n}.py": UGLY.replace(b"f(", f"f{n}(".encode()) for n in range(6)}
    monkeypatch.setenv("LMSGEN_CACHE", str(tmp_path / "serial"))
    serial = formatting.format_all(files)
    monkeypatch.setenv("LMSGEN_CACHE", str(tmp_path / "parallel"))
    monkeypatch.setattr(formatting, "PARALLEL_LINES", 1)
    assert formatting.format_all(files) == serial


def test_invalid_python_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(
        formatting.FormatError, match=r"broken\.py: rendered code is not valid"
    ):
        formatting.format_all({"broken.py": b"def (:\n"})
