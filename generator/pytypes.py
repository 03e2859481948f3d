"""Python spellings of IR types, used by the templates as filters."""

from __future__ import annotations

from typing import Any

from . import ir

SCALAR_TYPES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "decimal": "Number",
    "bool": "bool",
    "date": "Date",
    "datetime": "DateTime",
    "date_or_datetime": "DateOrDateTime",
    "binary": "bytes",
    "any": "Any",
}


PLAIN_TYPES = {**SCALAR_TYPES, "decimal": "Decimal", "bool": "bool", "date": "date"}
PLAIN_TYPES["datetime"] = "datetime"
PLAIN_TYPES["date_or_datetime"] = "datetime | date"


def annotation(kind: ir.TypeRef, optional: bool = False, plain: bool = False) -> str:
    """The annotation of a value of ``kind``; ``| None`` when it may be absent.

    ``plain`` spells scalars as the standard types (for method signatures) rather than
    the validating aliases of ``_types`` (for models).
    """
    if kind.kind == "list" and kind.item is not None:
        text = f"list[{annotation(kind.item, plain=plain)}]"
    elif kind.kind == "map" and kind.item is not None:
        text = f"dict[str, {annotation(kind.item, plain=plain)}]"
    elif kind.kind == "union":
        text = " | ".join(annotation(option, plain=plain) for option in kind.options)
    elif kind.kind in ("model", "enum"):
        text = kind.name
    else:
        text = (PLAIN_TYPES if plain else SCALAR_TYPES)[kind.kind]
    if (optional or kind.nullable) and text != "Any":
        text += " | None"
    return text


def field_args(
    json_name: str,
    name: str,
    constraints: ir.Constraints,
    checked: bool,
    default: str | None,
    secret: bool = False,
) -> str:
    """The arguments of ``Field(...)`` for a model or argument field."""
    args = [] if default is None else [f"default={default}"]
    if secret:
        args.append("repr=False")
    if json_name != name:
        args += [f"validation_alias={json_name!r}", f"serialization_alias={json_name!r}"]
    if checked:
        for key, value in (
            ("max_length", constraints.max_length or constraints.max_items),
            ("min_length", constraints.min_length),
            ("pattern", constraints.pattern),
            ("ge", constraints.minimum),
            ("le", constraints.maximum),
        ):
            if value is not None:
                args.append(f"{key}={value!r}")
    return ", ".join(args)


def literal(value: Any) -> str:
    """A Python literal for a spec value."""
    return repr(value)


def tuple_literal(values: list[Any]) -> str:
    """``("a", "b")`` (with the trailing comma a single item needs)."""
    inner = ", ".join(repr(value) for value in values)
    return f"({inner},)" if len(values) == 1 else f"({inner})"
