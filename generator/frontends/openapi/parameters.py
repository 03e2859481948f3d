"""Operation parameters → ``ir.Parameter``: path, query and header values, and form fields.

A form body (urlencoded or multipart) is no payload of its own: each of its properties
becomes an argument beside the operation's parameters, under its Python name.
"""

from __future__ import annotations

from typing import Any, cast

from ... import ir
from ...extensions import CLIENT_DEFAULT, RESPONSE_FORMAT
from ...naming import pascal, snake, unique
from ...yamlsource import pointer
from . import media
from .document import prose
from .schemas import Schemas, constraints


def parameters(
    schemas: Schemas,
    spec: dict[str, Any],
    shared: list[Any],
    where: str,
    operation: str,
    taken: set[str],
) -> tuple[ir.Parameter, ...]:
    """The path item's and the operation's parameters (the operation's win), in order."""
    merged: dict[tuple[str, str], tuple[Any, str]] = {}
    path_where = where.rsplit("/", 1)[0]
    for index, raw in enumerate(shared):
        param, param_where = schemas.resolve(raw, f"{path_where}/parameters/{index}")
        merged[(param["name"], param["in"])] = (param, param_where)
    for index, raw in enumerate(spec.get("parameters", [])):
        param, param_where = schemas.resolve(raw, f"{where}/parameters/{index}")
        merged[(param["name"], param["in"])] = (param, param_where)
    result = []
    for (wire, location), (param, param_where) in merged.items():
        if location not in ("path", "query", "header"):
            raise schemas.doc.error(
                param_where + "/in",
                f"parameter {wire!r}: location {location!r} is not supported",
            )
        schema = param.get("schema", {})
        kind = schemas.type_of(
            schema, param_where + "/schema", pascal(operation) + pascal(wire)
        )
        if param.get("style") == "deepObject" and kind.is_model:
            schemas.mark_checked(kind)
        resolved, _ = schemas.resolve(schema, param_where + "/schema")
        required = bool(param.get("required")) or location == "path"
        default = resolved.get("default") if isinstance(resolved, dict) else None
        result.append(
            ir.Parameter(
                name=unique(snake(wire), taken),
                wire_name=wire,
                location=cast(Any, location),
                type=kind,
                required=required,
                description=prose(param.get("description")),
                default=default,
                style="deep" if param.get("style") == "deepObject" else "form",
                client_default=CLIENT_DEFAULT.read(param),
                constraints=constraints(resolved),
                call_default=_call_default(schemas, kind, required, default),
                response_format=RESPONSE_FORMAT.read(param),
                secret=isinstance(resolved, dict)
                and resolved.get("format") == "password",
            )
        )
    return tuple(result)


def form_fields(
    schemas: Schemas, spec: dict[str, Any], where: str, operation: str, taken: set[str]
) -> tuple[ir.Parameter, ...] | None:
    """A form body's fields (urlencoded or multipart), as arguments of their own.

    ``None``: the body is not a form. Multipart fields of ``format: binary`` are files.
    """
    if "requestBody" not in spec:
        return None
    body, body_where = schemas.resolve(spec["requestBody"], where + "/requestBody")
    content = body.get("content", {})
    found = [name for name in content if media.bare(name) in media.FORMS]
    if not found:
        return None
    form = found[0]
    location = media.FORMS[media.bare(form)]
    schema_where = body_where + pointer("content", form, "schema")
    schema, schema_where = schemas.resolve(
        content[form].get("schema", {}), schema_where
    )
    required = set(schema.get("required", []))
    fields = []
    for key, raw in schema.get("properties", {}).items():
        prop_where = schema_where + pointer("properties", key)
        prop, _ = schemas.resolve(raw, prop_where)
        kind = schemas.type_of(raw, prop_where, pascal(operation) + pascal(key))
        fields.append(
            ir.Parameter(
                name=unique(snake(key), taken),
                wire_name=key,
                location=cast(Any, location),
                type=kind,
                required=key in required,
                description=prose(prop.get("description")),
                default=prop.get("default"),
                client_default=CLIENT_DEFAULT.read(prop),
                constraints=constraints(prop),
                call_default=_call_default(
                    schemas, kind, key in required, prop.get("default")
                ),
                response_format=RESPONSE_FORMAT.read(prop),
                secret=prop.get("format") == "password",
            )
        )
    return tuple(fields)


def _call_default(
    schemas: Schemas, kind: ir.TypeRef, required: bool, default: Any
) -> Any:
    """The documented default of a required argument, when it is a valid value."""
    if not required or default is None:
        return None
    if kind.kind == "enum" and default not in schemas.enums[kind.name].values:
        return None
    return default
