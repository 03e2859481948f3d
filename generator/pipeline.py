"""specs/ → IR → rendered, formatted files, for one or all providers."""

from __future__ import annotations

from pathlib import Path

from . import ir
from .diff import compare, surface
from .loader import is_draft, load_provider, provider_dirs, spec_files
from .release import CHANGES, FIRST, next_release, previous, read_manifest
from .render import TEMPLATES, environment, render, renderers
from .writer import MANIFEST, digests, format_files, read_tree, with_manifest

GENERATOR = Path(__file__).resolve().parent
PARALLEL_PARTS = 40
"""Operations plus models from which rendering and formatting go to worker processes
(below, starting them costs more than it saves)."""


def display(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it (for messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def select(specs: Path, names: list[str]) -> list[Path]:
    """The provider folders to build: all, or the named ones (unknown names are errors)."""
    if not specs.is_dir():
        raise KeyError(f"spec folder {specs} does not exist")
    folders = {folder.name: folder for folder in provider_dirs(specs)}
    unknown = sorted(set(names) - set(folders))
    if unknown:
        raise KeyError(
            f"no provider named {', '.join(unknown)} in {specs} "
            f"(known: {', '.join(sorted(folders))})"
        )
    if names:
        return [folders[name] for name in names]
    return [folder for folder in folders.values() if not is_draft(folder)]


def inputs(spec_dir: Path) -> dict[str, bytes]:
    """What a provider's output depends on: its spec files, the templates, the generator."""
    found = {
        "specs/" + path.relative_to(spec_dir.parent).as_posix(): path.read_bytes()
        for path in spec_files(spec_dir)
    }
    for path in sorted(TEMPLATES.rglob("*.j2")):
        found["templates/" + path.relative_to(TEMPLATES).as_posix()] = path.read_bytes()
    for path in sorted(GENERATOR.rglob("*.py")):
        found["generator/" + path.relative_to(GENERATOR).as_posix()] = path.read_bytes()
    return found


def load(spec_dir: Path) -> ir.Provider:
    return load_provider(spec_dir, display(spec_dir))


def build(spec_dir: Path, current: Path | None = None) -> dict[str, bytes]:
    """Every output file of one provider, formatted, with its changelog and manifest.

    ``current`` is the provider's output folder as it is: its manifest holds the version,
    API and changelog that this generation continues (none: a first generation).
    """
    provider = load(spec_dir)
    env = environment()
    before = previous(current) if current is not None else None
    version = before.release.version if before else FIRST
    parallel = len(provider.operations) + len(provider.models) >= PARALLEL_PARTS
    files = format_files(renderers(provider, env, version), parallel)
    api = surface(provider)  # after the rendered sources are gone: a lower peak
    changes = compare(provider.name, before.release.api, api) if before else []
    release = next_release(before, api, changes, files, len(provider.operations))
    if release.version != version:
        files["pyproject.toml"] = render(provider, env, release.version)[
            "pyproject.toml"
        ]
    files[CHANGES] = (
        env.get_template(f"{CHANGES}.j2")
        .render(provider=provider, history=release.history)
        .encode("utf-8")
    )
    return with_manifest(files, inputs(spec_dir), release.manifest())


def up_to_date(spec_dir: Path, current: Path) -> bool:
    """Whether ``current`` was generated from these very inputs and is untouched since."""
    manifest = read_manifest(current)
    if manifest is None or manifest.get("inputs") != digests(inputs(spec_dir)):
        return False
    files = read_tree(current)
    recorded = files.pop(MANIFEST, None)
    return recorded is not None and digests(files) == manifest.get("files")


def build_all(
    specs: Path, names: list[str], out: Path | None = None
) -> dict[str, dict[str, bytes]]:
    """Every selected provider's files; ``out`` holds the current output to continue."""
    return {
        folder.name: build(folder, out / folder.name if out is not None else None)
        for folder in select(specs, names)
    }
