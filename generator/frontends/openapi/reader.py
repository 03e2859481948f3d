"""One OpenAPI document → the IR parts it describes (``OpenApiResult``).

The document is validated first; the component schemas are then read in order (they
take their component names), the operations after them, and the security schemes last,
since an OAuth scheme names the operation that serves its token URL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ... import ir
from ...extensions import REGION, REQUIRED, SETTINGS
from ...yamlsource import YamlDocument, pointer
from .auth import auth_schemes
from .document import prose, validate
from .jsonschemas import json_schema
from .operations import operations
from .schemas import Schemas


@dataclass(frozen=True)
class OpenApiResult:
    """What the OpenAPI frontend contributes to a provider."""

    title: str
    description: str
    settings: dict[str, Any]
    servers: tuple[ir.Server, ...]
    auth: tuple[ir.AuthScheme, ...]
    operations: tuple[ir.Operation, ...]
    models: tuple[ir.Model, ...]
    enums: tuple[ir.Enum, ...]
    json_schema: dict[str, Any]


def read(doc: YamlDocument, spec_dir: Path) -> OpenApiResult:
    """Build the IR parts described by one OpenAPI document."""
    validate(doc)
    data = doc.data
    schemas = Schemas(doc)
    for key, schema in data.get("components", {}).get("schemas", {}).items():
        schemas.type_of(schema, pointer("components", "schemas", key), key)
    found = operations(schemas, spec_dir)
    schemas.apply_tags()
    models = tuple(
        replace(
            model, checked=model.name in schemas.checked, csv=model.name in schemas.csv
        )
        for model in schemas.models.values()
    )
    info = data.get("info", {})
    settings = dict(SETTINGS.read(data))
    return OpenApiResult(
        title=prose(info.get("title")),
        description=prose(info.get("description")),
        settings=settings,
        servers=tuple(_server(server) for server in data.get("servers", [])),
        auth=auth_schemes(doc, found),
        operations=found,
        models=models,
        enums=tuple(schemas.enums.values()),
        json_schema=json_schema(data, settings.get("json-dates", "iso")),
    )


def _server(server: dict[str, Any]) -> ir.Server:
    """A base URL, with its variables' defaults filled in."""
    url = str(server["url"])
    for name, variable in server.get("variables", {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return ir.Server(
        url=url,
        description=prose(server.get("description")),
        region=REGION.read(server),
        required=any(
            REQUIRED.read(variable) for variable in server.get("variables", {}).values()
        ),
    )
