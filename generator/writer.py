"""Writing: format (see ``formatting``), a staging tree, one swap at the end."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .errors import FormatError

__all__ = [
    "MANIFEST",
    "FormatError",
    "format_files",
    "read_tree",
    "with_manifest",
    "write_tree",
]

MANIFEST = ".lmsgen-manifest.json"


def format_files(
    files: Mapping[str, bytes | Callable[[], bytes]], parallel: bool | None = None
) -> dict[str, bytes]:
    """Every file (rendered if it is a function), the Python ones black-formatted
    (cached, by shape, in parallel: see ``formatting``), sorted by path."""
    # Imported here: black is heavy, and a no-op regeneration never formats anything.
    from .formatting import format_all

    return dict(sorted(format_all(files, parallel).items()))


def with_manifest(
    files: Mapping[str, bytes],
    inputs: Mapping[str, bytes],
    release: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """``files`` and the manifest of inputs, outputs and ``release`` (version, changelog)."""
    done = dict(sorted(files.items()))
    manifest = {
        **(release or {}),
        "generator": __version__,
        "inputs": digests(inputs),
        "files": digests(done),
    }
    done[MANIFEST] = manifest_text(manifest).encode()
    return done


def manifest_text(manifest: Mapping[str, Any]) -> str:
    """The manifest as JSON, one line per file, input or operation.

    Reviewable in a diff like an indented dump, but mostly written by json's C encoder:
    an indented dump of a 1000-operation API surface takes seconds.
    """
    return _expanded(manifest, 0) + "\n"


def _expanded(value: Any, depth: int) -> str:
    """Objects (and top-level lists) expanded an entry per line down to the operations;
    compact below."""
    indent = "  " * (depth + 1)
    if isinstance(value, list) and value and depth < 2:
        items = [indent + json.dumps(item, sort_keys=True) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    if not isinstance(value, dict) or not value or depth > 2:
        return json.dumps(value, sort_keys=True)
    entries = [
        f"{indent}{json.dumps(key)}: {_expanded(item, depth + 1)}"
        for key, item in sorted(value.items())
    ]
    return "{\n" + ",\n".join(entries) + "\n" + "  " * depth + "}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digests(files: Mapping[str, bytes]) -> dict[str, str]:
    """The SHA-256 of every file, by path."""
    return {path: digest(data) for path, data in sorted(files.items())}


def write_tree(
    out: Path,
    trees: Mapping[str, Mapping[str, bytes]],
    prune: bool,
    keep: Collection[str] = (),
) -> None:
    """Replace ``out/<provider>`` for every provider in ``trees``, all or nothing.

    Everything is written to a staging folder beside ``out`` first; only when every file
    is written are the old folders swapped out. With ``prune``, provider folders that a
    regeneration no longer produces (and that lmsgen made) are removed, except those in
    ``keep`` (found up to date and left alone).
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lmsgen-staging-", dir=out))
    try:
        for provider, files in trees.items():
            for relative, content in files.items():
                target = staging / provider / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        retired = staging / ".retired"
        retired.mkdir()
        for provider in trees:
            current = out / provider
            if current.exists():
                current.rename(retired / provider)
            (staging / provider).rename(current)
        if prune:
            for folder in sorted(out.iterdir()):
                made = (folder / MANIFEST).is_file()
                if made and folder.name not in trees and folder.name not in keep:
                    folder.rename(retired / folder.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative POSIX path (caches left out)."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not _is_cache(path.relative_to(folder))
    }


def _is_cache(relative: Path) -> bool:
    return any(
        part
        in ("__pycache__", ".pytest_cache", ".mypy_cache", ".hypothesis", ".ruff_cache")
        or part.endswith(".egg-info")
        for part in relative.parts
    )
