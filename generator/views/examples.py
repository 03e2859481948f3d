"""Python expressions for schema-valid example values, as generated tests and docs print them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ir

EnumValues = Mapping[str, tuple[Any, ...]]
"""The documented values of each enum, by class name."""

SCALARS = {
    "int": "{n}",
    "float": "{n} + 0.5",
    "decimal": 'Decimal({n}) + Decimal("0.25")',
    "bool": "({n}) % 2 == 0",
    "datetime": "datetime(2024, 1, 1 + ({n}) % 28, 9, 30, 15)",
    "date": "date(2024, 1, 1 + ({n}) % 28)",
    "date_or_datetime": "date(2024, 1, 1 + ({n}) % 28)",
    "binary": 'b"binary"',
}
"""Scalar examples that vary with the expression ``n``."""


def example(
    kind: ir.TypeRef,
    label: str,
    n: str,
    max_length: int | None,
    enums: EnumValues,
    prefix: str = "",
) -> str:
    """A value of ``kind`` that varies with ``n`` (a Python expression); strings start
    with ``label``; models come from ``{prefix}example_<model>(n)`` builders."""
    if kind.kind == "list" and kind.item is not None:
        items = (
            example(kind.item, label, f"{n} * 10 + {i}", max_length, enums, prefix)
            for i in (1, 2)
        )
        return f"[{', '.join(items)}]"
    if kind.kind == "map" and kind.item is not None:
        return f'{{"key": {example(kind.item, label, n, max_length, enums, prefix)}}}'
    if kind.kind == "union":
        return example(kind.options[0], label, n, max_length, enums, prefix)
    if kind.kind == "model":
        return f"{prefix}example_{kind.name.lower()}({n})"
    if kind.kind == "enum":
        return repr(enums[kind.name][0])
    if kind.kind == "str":
        cut = f"[:{max_length}]" if max_length else ""
        return f'f"{label}-{{{n}}}"{cut}'
    if kind.kind in SCALARS:
        return SCALARS[kind.kind].format(n=n)
    return f'{{"value": str({n})}}'


IMPORTS = {
    "decimal": "Decimal",
    "datetime": "datetime",
    "date": "date",
    "date_or_datetime": "date",
}
"""The name each scalar's example needs imported."""


def imports_of(kind: ir.TypeRef) -> set[str]:
    """The names that ``example(kind, ...)`` needs imported."""
    if kind.kind in ("list", "map") and kind.item is not None:
        return imports_of(kind.item)
    if kind.kind == "union":
        return imports_of(kind.options[0])
    return {IMPORTS[kind.kind]} if kind.kind in IMPORTS else set()


def aware(text: str, kind: ir.TypeRef) -> str:
    """A date-time example with a zone (RFC 3339): clients refuse naive ones in URLs."""
    return text[:-1] + ", tzinfo=UTC)" if kind.kind == "datetime" else text
