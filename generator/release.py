"""Versions and changelogs of the generated packages.

A package's manifest keeps what the next regeneration needs to say what changed: the
package version, the API surface it was generated from, its changelog entries and the
hash of every file. A regeneration that changes the package bumps the version — major
for breaking API changes, minor for compatible ones, patch when only the generated code
changed — and adds the entry to ``CHANGES.md``. One that changes nothing keeps all of it,
so regenerating unchanged inputs is byte-for-byte a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diff import Change, Surface, entry
from .writer import MANIFEST, digest

FIRST = "0.1.0"
CHANGES = "CHANGES.md"


@dataclass(frozen=True)
class Release:
    """A package's version, the API it exposes and its changelog, newest entry first."""

    version: str
    api: Surface
    history: tuple[dict[str, str], ...]

    def manifest(self) -> dict[str, Any]:
        """The manifest keys that carry this release."""
        return {
            "version": self.version,
            "api": packed(self.api),
            "history": list(self.history),
        }


PAYLOADS = "payloads"
"""The manifest's table of request and response descriptions, by content hash."""


def packed(api: Surface) -> dict[str, Any]:
    """``api`` as the manifest keeps it: each payload description once, in ``payloads``,
    and operations naming it by its hash. Many operations read or write the same model:
    written out each time, a 1000-operation surface took megabytes to hold and write."""
    payloads: dict[str, Any] = {}
    names: dict[int, str] = {}  # the surface shares each description: hash it once

    def name(payload: Any) -> Any:
        if payload is None:
            return None
        if id(payload) not in names:
            text = json.dumps(payload, sort_keys=True).encode()
            names[id(payload)] = hashlib.sha256(text).hexdigest()[:16]
            payloads[names[id(payload)]] = payload
        return names[id(payload)]

    operations = {
        operation: {
            **entry,
            "request": name(entry["request"]),
            "response": name(entry["response"]),
        }
        for operation, entry in api["operations"].items()
    }
    return {**api, "operations": operations, PAYLOADS: payloads}


def unpacked(api: Mapping[str, Any]) -> Surface | None:
    """The surface a manifest's ``api`` records (``None`` if a payload it names is
    missing). Manifests written before ``payloads`` existed hold descriptions inline."""
    payloads = api.get(PAYLOADS, {})

    def payload(value: Any) -> Any:
        return payloads[value] if isinstance(value, str) else value

    try:
        operations = {
            operation: {
                **entry,
                "request": payload(entry.get("request")),
                "response": payload(entry.get("response")),
            }
            for operation, entry in api["operations"].items()
        }
    except (KeyError, TypeError, AttributeError):
        return None
    rest = {key: value for key, value in api.items() if key != PAYLOADS}
    return {**rest, "operations": operations}


@dataclass(frozen=True)
class Previous:
    """What the manifest of the current output records."""

    release: Release
    files: dict[str, str]
    inputs: dict[str, str]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a generated package, or ``None`` if there is none readable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def previous(folder: Path) -> Previous | None:
    """The release recorded in ``folder``'s manifest (``None``: a first generation)."""
    data = read_manifest(folder)
    if data is None or not {"version", "api", "history", "files"} <= set(data):
        return None
    api = unpacked(data["api"]) if isinstance(data["api"], dict) else None
    if api is None:
        return None
    release = Release(
        str(data["version"]), api, tuple(dict(item) for item in data["history"])
    )
    return Previous(release, dict(data["files"]), dict(data.get("inputs", {})))


def bump(version: str, level: str) -> str:
    """``1.4.2`` bumped at ``major`` / ``minor`` / ``patch``."""
    major, minor, patch = (int(part) for part in version.split("."))
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def next_release(
    before: Previous | None,
    api: Surface,
    changes: list[Change],
    files: Mapping[str, bytes],
    operations: int,
) -> Release:
    """The release a regeneration produces, given the files rendered at the old version."""
    if before is None:
        text = f"First generation: {operations} operation(s).\n"
        return Release(FIRST, api, ({"version": FIRST, "text": text},))
    old = before.release
    if changes:
        level = "major" if any(change.breaking for change in changes) else "minor"
        text = entry(changes)
    elif not (changed := _changed_files(before.files, files)):
        return Release(old.version, api, old.history)
    else:
        level = "patch"
        text = f"Regenerated: the API did not change; the generated code did, in {changed}.\n"
    version = bump(old.version, level)
    return Release(version, api, ({"version": version, "text": text}, *old.history))


SHOWN_FILES = 10
"""How many changed files a patch entry names (a reviewer's pointer, not a diff)."""


def _changed_files(recorded: Mapping[str, str], files: Mapping[str, bytes]) -> str:
    """The files (the changelog aside) that differ from what the manifest recorded,
    as a patch entry names them: ``""`` if none does."""
    now = {path: digest(data) for path, data in files.items() if path != CHANGES}
    changed = sorted(
        path
        for path in {*now, *recorded} - {CHANGES}
        if now.get(path) != recorded.get(path)
    )
    named = ", ".join(f"`{path}`" for path in changed[:SHOWN_FILES])
    more = len(changed) - SHOWN_FILES
    return f"{named} and {more} more file(s)" if more > 0 else named
