"""specs/ → IR → rendered, formatted files, for one or all providers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

from . import ir
from .diff import compare, surface
from .loader import is_draft, load_provider, provider_dirs, spec_files
from .release import CHANGES, FIRST, Previous, next_release, previous, read_manifest
from .render import TEMPLATES, environment, render, renderers
from .writer import MANIFEST, digests, format_files, read_tree, with_manifest

if TYPE_CHECKING:
    from jinja2 import Environment

    from .formatting import Source

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


def drafts(specs: Path, names: list[str]) -> list[Path]:
    """The draft providers that ``select`` leaves out (none when providers are named)."""
    if names:
        return []
    return [folder for folder in provider_dirs(specs) if is_draft(folder)]


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


def build_many(
    folders: Sequence[tuple[Path, Path | None]],
) -> dict[str, dict[str, bytes]]:
    """Every output file of each provider, formatted, with its changelog and manifest.

    Each folder comes with the provider's output folder as it is (``None``: a first
    generation): its manifest holds the version, API and changelog to continue.

    Every spec is read before anything is formatted (an error in the last one costs no
    formatting), and one pool of workers formats every provider's files: a pool per
    provider left a core idle while each provider's largest file was formatted.
    """
    env = environment()
    plans = [_plan(spec_dir, current) for spec_dir, current in folders]
    parts = sum(plan.parts for plan in plans)
    sources = {
        f"{plan.provider.name}/{path}": source
        for path, source, plan in _interleaved(plans, env)
    }
    formatted = format_files(sources, parts >= PARALLEL_PARTS)
    del sources
    trees: dict[str, dict[str, bytes]] = {plan.provider.name: {} for plan in plans}
    for path, content in formatted.items():
        name, _, relative = path.partition("/")
        trees[name][relative] = content
    del formatted
    return {
        plan.provider.name: _finish(plan, trees.pop(plan.provider.name), env)
        for plan in plans
    }


@dataclass(frozen=True)
class _Plan:
    """One provider on its way through ``build_many``."""

    provider: ir.Provider
    spec_dir: Path
    before: Previous | None
    """What the current output's manifest records (``None``: a first generation)."""

    @property
    def version(self) -> str:
        """The version the files are rendered at: the current one, until released."""
        return self.before.release.version if self.before else FIRST

    @property
    def parts(self) -> int:
        """Operations plus models: what the size of the output grows with."""
        return len(self.provider.operations) + len(self.provider.models)


def _plan(spec_dir: Path, current: Path | None) -> _Plan:
    before = previous(current) if current is not None else None
    return _Plan(load(spec_dir), spec_dir, before)


def _interleaved(
    plans: list[_Plan], env: Environment
) -> Iterator[tuple[str, Source, _Plan]]:
    """Every provider's sources, the largest providers' first and then in turns, so
    that the big files of each are handed to the workers early."""
    order = sorted(plans, key=lambda plan: -plan.parts)
    queues = [
        [
            (path, source, plan)
            for path, source in renderers(plan.provider, env, plan.version).items()
        ]
        for plan in order
    ]
    for turn in zip_longest(*queues):
        yield from (entry for entry in turn if entry is not None)


def _finish(plan: _Plan, files: dict[str, bytes], env: Environment) -> dict[str, bytes]:
    """A provider's formatted files with its release: version, changelog, manifest."""
    provider, before = plan.provider, plan.before
    api = surface(provider)  # after the rendered sources are gone: a lower peak
    changes = compare(provider.name, before.release.api, api) if before else []
    release = next_release(before, api, changes, files, len(provider.operations))
    if release.version != plan.version:
        files["pyproject.toml"] = render(provider, env, release.version)[
            "pyproject.toml"
        ]
    files[CHANGES] = (
        env.get_template(f"{CHANGES}.j2")
        .render(provider=provider, history=release.history)
        .encode("utf-8")
    )
    return with_manifest(files, inputs(plan.spec_dir), release.manifest())


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
    return build_many(
        [
            (folder, out / folder.name if out is not None else None)
            for folder in select(specs, names)
        ]
    )
