"""Spec errors, reported as ``file:line: message``."""

from __future__ import annotations

from pathlib import Path


class FormatError(Exception):
    """A rendered Python file is not valid Python (a template bug)."""


class SpecError(Exception):
    """A problem in a spec file, located by file and line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = Path(path)
        self.line = line
        self.message = message
