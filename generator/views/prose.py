"""Docstring prose: wrapping and the ``name: text`` entries of Args sections."""

from __future__ import annotations

import textwrap


def wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` columns, each of its own lines a paragraph."""
    return [
        "\n".join(
            textwrap.wrap(
                line, width=width, expand_tabs=False, replace_whitespace=False
            )
        )
        for line in text.splitlines()
    ]


def lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width``, as lines (a blank line stays blank)."""
    return "\n".join(wrap(text, width)).split("\n") if text else []


def entry(name: str, text: str, width: int = 72, hang: str = "    ") -> list[str]:
    """An Args entry: ``name: text`` wrapped, later lines indented by ``hang``."""
    first, *rest = lines(text, width) or [""]
    return [f"{name}: {first}", *(hang + line if line else line for line in rest)]


def indented(block: list[str], indent: str) -> list[str]:
    """Lines indented by ``indent``, blank ones left blank."""
    return [indent + line if line else line for line in block]
