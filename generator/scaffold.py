"""``lmsgen new NAME``: the spec folder of a new provider, ready to be filled in."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from .render import TEMPLATES, environment

NAME = re.compile(r"[a-z][a-z0-9_]*")


def scaffold(specs: Path, name: str, title: str = "") -> Path:
    """Write ``specs/NAME/`` from ``templates/scaffold/`` (marked draft); return the folder.

    The name becomes the Python package of the generated client, so it must be one.
    """
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise KeyError(
            f"provider name {name!r} must be lower case letters, digits and underscores, "
            "starting with a letter (it is the Python package name)"
        )
    folder = specs / name
    if folder.exists():
        raise KeyError(f"{folder} already exists")
    env = environment()
    context = {"name": name, "title": title or f"{name.replace('_', ' ').title()} API"}
    for template in sorted((TEMPLATES / "scaffold").rglob("*.j2")):
        relative = template.relative_to(TEMPLATES / "scaffold").with_suffix("")
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = env.get_template(f"scaffold/{relative.as_posix()}.j2").render(context)
        target.write_text(text, encoding="utf-8")
    return folder
