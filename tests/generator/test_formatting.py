"""The formatter: black output, cached by content, the same in parallel as in series,
one pass over every provider."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import black_calls
from lmsgen import formatting, pipeline
from lmsgen.errors import SpecError

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


def test_every_provider_is_formatted_in_one_pass(
    monkeypatch: pytest.MonkeyPatch, repo: Path
) -> None:
    """One pool for all providers: a pool each left a core idle on each largest file."""
    passes: list[list[str]] = []
    original = pipeline.format_files

    def recording(files: Any, parallel: bool | None = None) -> dict[str, bytes]:
        passes.append(sorted(files))
        return original(files, parallel)

    monkeypatch.setattr(pipeline, "format_files", recording)
    trees = pipeline.build_all(repo / "specs", ["litmos", "ispring_learn"])
    assert len(passes) == 1
    assert {path.partition("/")[0] for path in passes[0]} == {"litmos", "ispring_learn"}
    for name, files in trees.items():
        assert (
            files["README.md"] == (repo / "generated" / name / "README.md").read_bytes()
        )


def test_a_broken_spec_stops_the_build_before_any_formatting(
    monkeypatch: pytest.MonkeyPatch, litmos_copy: Path, repo: Path
) -> None:
    specs = litmos_copy.parent
    shutil.copytree(repo / "specs" / "ispring_learn", specs / "ispring_learn")
    (litmos_copy / "openapi.yaml").write_text("openapi: 3.0.3\npaths: [\n")
    monkeypatch.setattr(pipeline, "format_files", pytest.fail)
    with pytest.raises(SpecError, match=r"litmos/openapi\.yaml:\d+"):
        pipeline.build_all(specs, [])
