"""Writing: format (see ``formatting``), a staging tree, one swap at the end."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Collection, Mapping
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


def format_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every file, the Python ones black-formatted (cached, in parallel), sorted by path."""
    # Imported here: black is heavy, and a no-op regeneration never formats anything.
    from .formatting import format_all

    return dict(sorted(format_all(files).items()))


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
    done[MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    return done


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
