"""specs/ → IR → rendered, formatted files, for one or all providers."""

from __future__ import annotations

from pathlib import Path

from . import ir
from .formatting import format_all
from .loader import is_draft, load_provider, provider_dirs, spec_files
from .render import TEMPLATES, environment, render
from .writer import finish, with_manifest


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
        raise KeyError(f"no provider named {', '.join(unknown)} in {specs} "
                       f"(known: {', '.join(sorted(folders))})")
    if names:
        return [folders[name] for name in names]
    return [folder for folder in folders.values() if not is_draft(folder)]


def inputs(spec_dir: Path) -> dict[str, bytes]:
    """What a provider's output depends on: its spec files and the templates."""
    found = {
        "specs/" + path.relative_to(spec_dir.parent).as_posix(): path.read_bytes()
        for path in spec_files(spec_dir)
    }
    for path in sorted(TEMPLATES.rglob("*.j2")):
        found["templates/" + path.relative_to(TEMPLATES).as_posix()] = path.read_bytes()
    return found


def load(spec_dir: Path) -> ir.Provider:
    return load_provider(spec_dir, display(spec_dir))


def build(spec_dir: Path) -> dict[str, bytes]:
    """Every output file of one provider, formatted, with its manifest."""
    provider = load(spec_dir)
    return finish(render(provider, environment()), inputs(spec_dir))


def build_all(specs: Path, names: list[str]) -> dict[str, dict[str, bytes]]:
    """Every selected provider's files; all of them are formatted in one batch, so the
    formatter's workers share the whole job."""
    folders = select(specs, names)
    env = environment()
    rendered = {
        f"{folder.name}/{path}": content
        for folder in folders
        for path, content in render(load(folder), env).items()
    }
    formatted = format_all(rendered)
    trees: dict[str, dict[str, bytes]] = {}
    for folder in folders:
        prefix = folder.name + "/"
        files = {
            path[len(prefix) :]: content
            for path, content in formatted.items()
            if path.startswith(prefix)
        }
        trees[folder.name] = with_manifest(files, inputs(folder))
    return trees
