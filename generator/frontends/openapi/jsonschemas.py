"""The components' schemas as one JSON Schema (2020-12) document.

The generated fake server validates the JSON bodies it receives with it; OpenAPI-only
keywords are dropped and references point into ``$defs``.
"""

from __future__ import annotations

from typing import Any


def json_schema(data: dict[str, Any], json_dates: str) -> dict[str, Any]:
    """The components' schemas as one JSON Schema (2020-12) document, for validators."""
    schemas = data.get("components", {}).get("schemas", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {key: _plain(value, json_dates) for key, value in schemas.items()},
    }


def _plain(schema: Any, json_dates: str) -> Any:
    """A schema without OpenAPI-only keywords, with refs pointing into ``$defs``."""
    if isinstance(schema, list):
        return [_plain(item, json_dates) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in (
            "xml",
            "example",
            "externalDocs",
            "discriminator",
        ):
            continue
        if key == "$ref" and isinstance(value, str):
            result[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key == "format" and value == "date-time" and json_dates == "microsoft":
            result["pattern"] = r"^/Date\(-?\d+([+-]\d{4})?\)/$"
        elif key == "format" and value == "decimal":
            continue
        elif key == "properties":
            result[key] = {
                name: _plain(prop, json_dates) for name, prop in value.items()
            }
        else:
            result[key] = _plain(value, json_dates)
    return result
