"""What the package's ``__init__.py`` and ``models.py`` print: exports and imports."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..pytypes import assignment, csv_column_type, field_args, needs_field

BASE_EXPORTS = (
    "ApiError",
    "AsyncClient",
    "Client",
    "RateLimiter",
    "RetryPolicy",
    "WireFormat",
)
"""What every package exports besides the value types of its client's signatures."""
TYPE_ALIASES = (
    ("Date", "date"),
    ("DateOrDateTime", "date_or_datetime"),
    ("DateTime", "datetime"),
    ("Number", "decimal"),
)
"""The validating aliases of ``_types`` and the scalar kinds they stand for."""


def exports(value_types: dict[str, list[str]]) -> list[str]:
    """The package's ``__all__``: the client, its policies and errors, and the value
    types (``value_types``, by module) its signatures use."""
    names = [*BASE_EXPORTS, *(name for items in value_types.values() for name in items)]
    return sorted(names, key=str.lower)


@dataclass(frozen=True)
class ModelsView:
    stdlib: list[str]
    pydantic: list[str]
    """What ``models.py`` takes from pydantic: ``Field`` only where a field is written so."""
    assignments: dict[tuple[str, str], str]
    """What follows each field's annotation (`` = None``, `` = Field(...)``), by model and
    field name."""
    local: list[str]
    """The imports from the package's runtime modules."""
    xml_models: tuple[ir.Model, ...]
    csv_models: tuple[ir.Model, ...]
    exports: list[str]


def models(provider: ir.Provider, scalars: set[str]) -> ModelsView:
    """Imports and classes of ``models.py`` (``scalars``: the kinds its fields use)."""
    xml_models = tuple(model for model in provider.models if not model.csv)
    csv_models = tuple(model for model in provider.models if model.csv)
    csv_fields = [field for model in csv_models for field in model.fields]
    formats = [field.date_format for field in csv_fields if field.date_format]
    int_enums = any(enum.base == "int" for enum in provider.enums)
    annotated = int_enums or any("Annotated" in csv_column_type(f) for f in csv_fields)
    typing = [
        name
        for name, wanted in (
            ("Annotated", annotated),
            ("Any", "any" in scalars),
            ("ClassVar", bool(formats)),
            ("Literal", bool(provider.enums)),
        )
        if wanted
    ]
    dates = [
        name
        for name, wanted in (
            ("date", any("%H" not in text for text in formats)),
            ("datetime", any("%H" in text for text in formats)),
        )
        if wanted
    ]
    stdlib = [f"from datetime import {', '.join(dates)}"] if dates else []
    if typing:
        stdlib.append(f"from typing import {', '.join(typing)}")
    aliases = [name for name, kind in TYPE_ALIASES if kind in scalars]
    aliases += ["parse_int"] if int_enums else []
    args = {
        (m.name, f.name): field_args(
            f.json_name, f.name, f.constraints, False, _default(f)
        )
        for m in csv_models
        for f in m.fields
    } | {
        (m.name, f.name): field_args(
            f.json_name, f.name, f.constraints, m.checked, _default(f), f.secret
        )
        for m in xml_models
        for f in m.fields
    }
    pydantic = ["BeforeValidator"] if int_enums else []
    pydantic += ["Field"] if any(needs_field(text) for text in args.values()) else []
    local = ["from ._csv import Clear, CsvRow"] if csv_models else []
    local += ["from ._model import Model"] if xml_models else []
    local += [f"from ._types import {', '.join(aliases)}"] if aliases else []
    local += ["from ._xml import XmlField, XmlSpec"] if xml_models else []
    names = [enum.name for enum in provider.enums] + [
        model.name for model in provider.models
    ]
    assignments = {key: assignment(text) for key, text in args.items()}
    return ModelsView(
        stdlib, pydantic, assignments, local, xml_models, csv_models, sorted(names)
    )


def _default(field: ir.Field) -> str | None:
    """The default a model field is written with: none when required, else ``None``."""
    return None if field.required else "None"
