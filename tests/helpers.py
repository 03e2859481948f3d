"""Helpers shared by the generator's tests: the CLI in process, tree snapshots, spec edits.

Imported as ``from helpers import …`` (pytest puts ``tests/`` on ``sys.path``, since the
folder has no ``__init__.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from lmsgen.cli import main

REPO = Path(__file__).resolve().parents[1]


class CliResult(NamedTuple):
    """What one ``lmsgen`` run returned and printed."""

    code: int
    stdout: str
    stderr: str


def run_lmsgen(*args: str | os.PathLike[str], cwd: Path) -> CliResult:
    """Run ``lmsgen ARGS`` in this process with ``cwd`` as the working directory."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main([os.fspath(arg) for arg in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return CliResult(code, out.getvalue(), err.getvalue())


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below ``folder``: files by SHA-256 of their bytes, folders as ``<dir>``."""
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<dir>"
        )
        for path in sorted(folder.rglob("*"))
    }


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative POSIX path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def line_of(text: str, needle: str, start: int = 0) -> int:
    """The 1-based line on which ``needle`` first occurs at or after offset ``start``."""
    index = text.find(needle, start)
    assert index >= 0, f"{needle!r} not found in the spec (did the spec change?)"
    return text.count("\n", 0, index) + 1


def edit(path: Path, old: str, new: str, after: str = "") -> int:
    """Replace the first ``old`` (after the first ``after``) with ``new`` in ``path``.

    Returns the 1-based line on which the replacement text starts.
    """
    text = path.read_text(encoding="utf-8")
    start = 0
    if after:
        start = text.find(after)
        assert start >= 0, f"{after!r} not found in {path.name} (did the spec change?)"
    index = text.find(old, start)
    assert index >= 0, f"{old!r} not found in {path.name} (did the spec change?)"
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def black_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources given to ``black.format_str`` from now on (black still formats them)."""
    import black

    calls: list[str] = []
    original = black.format_str

    def counting(source: str, *, mode: black.Mode) -> str:
        calls.append(source)
        return original(source, mode=mode)

    monkeypatch.setattr(black, "format_str", counting)
    return calls


def clean_env() -> dict[str, str]:
    """This environment less Python's own variables (a new venv must not see this one's)."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("PYTHON")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run_ok(
    *args: str | os.PathLike[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; fail the test with the end of its output otherwise."""
    completed = subprocess.run(
        [os.fspath(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(map(os.fspath, args))} in {cwd}:\n"
        + completed.stdout[-5000:]
        + completed.stderr[-3000:]
    )
    return completed


def lint_package(package: Path, *, mypy: bool = True) -> None:
    """ruff, black --check and (unless ``mypy`` is false) mypy --strict over a generated
    package, from its folder with its own settings, as ``make lint`` runs them."""
    commands = [
        ["ruff", "check", "--no-cache", "."],
        ["black", "--check", "--quiet", "."],
    ]
    if mypy:
        commands.append(["mypy", "--strict", "--no-incremental", package.name, "tests"])
    for command in commands:
        run_ok(sys.executable, "-m", *command, cwd=package, timeout=300)
