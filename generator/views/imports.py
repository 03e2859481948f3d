"""Import lines as isort (and ruff) keep them, and the runtime types payloads need."""

from __future__ import annotations

from .. import ir


def isort_names(names: set[str]) -> list[str]:
    """Names in the order isort (and ruff) keep them: constants, classes, then the rest."""

    def key(name: str) -> tuple[int, str]:
        rank = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
        return rank, name.lower()

    return sorted(names, key=key)


def from_import(module: str, names: set[str]) -> str:
    """``from module import a, B`` with the names in isort's order."""
    return f"from {module} import {', '.join(isort_names(names))}"


def payload_imports(
    provider: ir.Provider, used: set[str], found: dict[str, set[str]], upload: str
) -> None:
    """Add the runtime types that payloads other than models need (reports, feeds…)."""
    for module, name in (
        ("._csv", "CsvReport"),
        ("._feeds", "Entry"),
        ("._feeds", "Feed"),
    ):
        if name in used:
            found.setdefault(module, set()).add(name)
    if "XmlElement" in used:
        found["._xml"] = {"XmlElement"}
    if any(operation.uploads for operation in provider.operations):
        found["._multipart"] = {upload}
