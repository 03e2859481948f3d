"""Compiled templates are kept between runs, checked against their source, and a cache
that cannot be written only costs the compilation."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from lmsgen.templatecache import TemplateCache


def _render(templates: Path, cache: TemplateCache) -> tuple[str, int]:
    """The template's output, and how many templates were compiled to give it."""
    env = Environment(loader=FileSystemLoader(templates), bytecode_cache=cache)
    compiled = 0
    compile_ = env.compile

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal compiled
        compiled += 1
        return compile_(*args, **kwargs)  # type: ignore[arg-type]

    env.compile = counting  # type: ignore[method-assign]
    return env.get_template("t.j2").render(name="x"), compiled


def test_a_compiled_template_is_reused_until_its_source_changes(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.j2").write_text("hello {{ name }}")
    cache = TemplateCache(tmp_path / "cache")
    assert _render(templates, cache) == ("hello x", 1)
    assert _render(templates, TemplateCache(tmp_path / "cache")) == ("hello x", 0)
    (templates / "t.j2").write_text("bye {{ name }}")
    assert _render(templates, TemplateCache(tmp_path / "cache")) == ("bye x", 1)


@pytest.mark.parametrize("damage", ["unwritable", "garbage", "truncated", "header cut"])
def test_a_broken_cache_only_costs_the_compilation(tmp_path: Path, damage: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.j2").write_text("hello {{ name }}")
    folder = tmp_path / "cache"
    if damage == "unwritable":
        folder.write_text("a file where the cache folder should be")
    else:
        _render(templates, TemplateCache(folder))
        for entry in folder.iterdir():
            data = entry.read_bytes()
            cut = {"truncated": len(data) // 2, "header cut": 8}.get(damage, 0)
            entry.write_bytes(data[:cut] if cut else b"x")
    assert _render(templates, TemplateCache(folder)) == ("hello x", 1)
