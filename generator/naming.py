"""Python names for wire names: the one place where names are decided."""

from __future__ import annotations

import keyword
import re

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9a-zA-Z_]+")
RESERVED = frozenset(
    {
        "self",
        "cls",
        "wire_format",
        "retry",
        "json",
        "dict",
        "copy",
        "schema",
        "validate",
    }
    | {"construct", "fields", "model_config", "model_fields", "model_extra"}
)


def snake(name: str) -> str:
    """``getUserCourses`` → ``get_user_courses``; ``learning-id`` → ``learning_id``."""
    text = _WORD_BOUNDARY.sub("_", name.replace("[]", ""))
    text = _NOT_IDENTIFIER.sub("_", text).strip("_").lower()
    text = re.sub(r"_+", "_", text) or "value"
    if text[0].isdigit():
        text = "n" + text
    if keyword.iskeyword(text) or keyword.issoftkeyword(text) or text in RESERVED:
        text += "_"
    return text


def pascal(name: str) -> str:
    """``course list`` / ``course_list`` / ``courseList`` → ``CourseList``."""
    parts = snake(name).rstrip("_").split("_")
    text = "".join(part[:1].upper() + part[1:] for part in parts if part)
    return text if text and not text[0].isdigit() else "N" + text


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… if it is already taken; records the result."""
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name.rstrip('_')}_{number}"
        number += 1
    taken.add(candidate)
    return candidate
