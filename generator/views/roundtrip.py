"""What ``tests/test_roundtrip.py`` prints: a hypothesis strategy for every model field."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from .examples import EnumValues

SCALARS = {
    "int": "st.integers(-(2**31), 2**31 - 1)",
    "float": "st.floats(allow_nan=False, allow_infinity=False, width=32)",
    "decimal": "DECIMALS",
    "bool": "st.booleans()",
    "datetime": "DATETIMES",
    "date": "st.dates()",
    "date_or_datetime": "DATETIMES | st.dates()",
    "binary": "st.binary(max_size=20)",
}
"""Strategies of the scalar kinds (``TEXT``, ``DECIMALS``, ``DATETIMES``: the module's)."""


@dataclass(frozen=True)
class Strategies:
    """A model's strategy: ``fields`` holds each field's name and strategy expression."""

    model: str
    function: str
    fields: tuple[tuple[str, str], ...]
    csv: bool


def strategy(
    kind: ir.TypeRef, max_length: int | None, enums: EnumValues, lazy: bool = False
) -> str:
    """The strategy of values of ``kind``; ``lazy`` defers models (recursive ones)."""
    if kind.kind == "list" and kind.item is not None:
        return f"st.lists({strategy(kind.item, None, enums, lazy)}, max_size=3)"
    if kind.kind == "map" and kind.item is not None:
        return f"st.dictionaries(st.text(TEXT, max_size=5), {strategy(kind.item, None, enums, lazy)}, max_size=2)"
    if kind.kind == "union":
        return strategy(kind.options[0], max_length, enums, lazy)
    if kind.kind == "model":
        return (
            f"st.deferred({kind.name.lower()}s)" if lazy else f"{kind.name.lower()}s()"
        )
    if kind.kind == "enum":
        return f"st.sampled_from({list(enums[kind.name])!r})"
    if kind.kind == "str":
        return f"st.text(TEXT, max_size={max_length or 20})"
    return SCALARS.get(kind.kind, 'st.just("any")')


def _xml_field(model: ir.Model, field: ir.Field, enums: EnumValues) -> str:
    limit = field.constraints.max_length if model.checked else None
    base = strategy(field.type, limit, enums, model.recursive)
    return base if field.required and not field.type.nullable else f"st.none() | {base}"


def _csv_field(field: ir.Field, enums: EnumValues) -> str:
    """A CSV cell: empty or cleared unless required; dates also as Python dates."""
    limits = field.constraints
    if limits.pattern:
        base = f"st.from_regex({limits.pattern!r}, fullmatch=True)"
    elif field.type.kind == "str":
        base = f"st.text(TEXT, min_size={limits.min_length or 1}, max_size={limits.max_length or 20})"
    else:
        base = strategy(field.type, None, enums)
    if field.date_format:
        base += " | " + ("DATETIMES" if "%H" in field.date_format else "st.dates()")
    return base if field.required else f"st.none() | st.just(CLEAR) | {base}"


def view(provider: ir.Provider, enums: EnumValues) -> tuple[Strategies, ...]:
    """The strategies of every model, XML/JSON models first, then CSV rows."""
    ordered = [m for m in provider.models if not m.csv] + [
        m for m in provider.models if m.csv
    ]
    return tuple(
        Strategies(
            model.name,
            f"{model.name.lower()}s",
            tuple(
                (
                    f.name,
                    _csv_field(f, enums) if model.csv else _xml_field(model, f, enums),
                )
                for f in model.fields
            ),
            model.csv,
        )
        for model in ordered
    )
