"""The two sides of ``lmsgen diff``: spec folders on disk or spec trees in git history.

An argument names a spec tree in one of these ways, tried in this order:

* a folder that holds provider folders (``specs``, ``/tmp/old-specs``);
* a folder that has a ``specs/`` folder (``.`` in the repository root);
* ``REV:PATH``, a folder in git history (``main:specs``, ``HEAD~1:specs``);
* ``REV`` alone, meaning ``REV:specs`` (``HEAD~1``, ``main``, ``v1.2``).

Git revisions are read from the repository that holds the working directory.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import ir
from .diff import Change, diff
from .loader import is_draft, load_provider, provider_dirs


class RevisionError(Exception):
    """A diff argument is neither a spec folder nor a readable git revision."""


@contextlib.contextmanager
def spec_tree(argument: str) -> Iterator[tuple[Path, str]]:
    """The spec folder ``argument`` names, and the label messages show for it."""
    folder = Path(argument)
    if folder.is_dir():
        if provider_dirs(folder) or not (folder / "specs").is_dir():
            yield folder, argument
        else:
            yield folder / "specs", (folder / "specs").as_posix()
        return
    revision, _, path = argument.partition(":")
    tree = f"{revision}:{path or 'specs'}"
    with tempfile.TemporaryDirectory(prefix="lmsgen-diff-") as temp:
        _extract(tree, Path(temp))
        yield Path(temp), tree


def _extract(tree: str, into: Path) -> None:
    """Write the files of git tree ``tree`` (``REV:PATH``) below ``into``."""
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", tree],
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise RevisionError(f"cannot run git to read {tree!r}: {exc}") from None
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(
            f"{tree!r} is neither a folder nor a git tree ({reason[-1] if reason else 'git failed'})"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")


def providers(folder: Path, label: str) -> dict[str, ir.Provider]:
    """The IR of every provider of a spec tree that ``lmsgen generate`` builds."""
    return {
        spec_dir.name: load_provider(spec_dir, Path(label) / spec_dir.name)
        for spec_dir in provider_dirs(folder)
        if not is_draft(spec_dir)
    }


def compare_trees(
    old: dict[str, ir.Provider], new: dict[str, ir.Provider]
) -> list[Change]:
    """Every change between two spec trees, provider by provider."""
    changes: list[Change] = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            changes.append(Change(name, "", "provider-added", "provider added", False))
        elif name not in new:
            changes.append(
                Change(name, "", "provider-removed", "provider removed", True)
            )
        else:
            changes += diff(old[name], new[name])
    return changes
