"""Where each object of an OpenAPI document sits, so its extension keys can be checked.

Only the document's structure is walked — never examples, defaults or enums, which are
data — and every object found is named by its ``extensions.Place``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...extensions import Place
from ...yamlsource import pointer

ONE, LIST, NAMED = "one", "list", "named"
"""A key holds one object, a list of them, or a mapping of names to them."""

SCHEMA_CHILDREN: dict[str, tuple[str, Place]] = {
    "properties": (NAMED, Place.PROPERTY),
    **dict.fromkeys(
        ("$defs", "patternProperties", "dependentSchemas"), (NAMED, Place.SCHEMA)
    ),
    **dict.fromkeys(("allOf", "oneOf", "anyOf", "prefixItems"), (LIST, Place.SCHEMA)),
    **dict.fromkeys(
        (
            "items",
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedItems",
            "unevaluatedProperties",
        ),
        (ONE, Place.SCHEMA),
    ),
}
PATH_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CHILDREN: dict[Place, dict[str, tuple[str, Place]]] = {
    Place.ROOT: {
        "info": (ONE, Place.INFO),
        "servers": (LIST, Place.SERVER),
        "paths": (NAMED, Place.PATH_ITEM),
        "webhooks": (NAMED, Place.PATH_ITEM),
        "components": (ONE, Place.COMPONENTS),
    },
    Place.SERVER: {"variables": (NAMED, Place.SERVER_VARIABLE)},
    Place.PATH_ITEM: {
        **dict.fromkeys(PATH_METHODS, (ONE, Place.OPERATION)),
        "parameters": (LIST, Place.PARAMETER),
        "servers": (LIST, Place.SERVER),
    },
    Place.OPERATION: {
        "parameters": (LIST, Place.PARAMETER),
        "requestBody": (ONE, Place.REQUEST_BODY),
        "responses": (NAMED, Place.RESPONSE),
        "servers": (LIST, Place.SERVER),
    },
    Place.PARAMETER: {
        "schema": (ONE, Place.SCHEMA),
        "content": (NAMED, Place.MEDIA_TYPE),
        "examples": (NAMED, Place.EXAMPLE),
    },
    Place.REQUEST_BODY: {"content": (NAMED, Place.MEDIA_TYPE)},
    Place.RESPONSE: {
        "content": (NAMED, Place.MEDIA_TYPE),
        "headers": (NAMED, Place.HEADER),
    },
    Place.HEADER: {
        "schema": (ONE, Place.SCHEMA),
        "content": (NAMED, Place.MEDIA_TYPE),
    },
    Place.MEDIA_TYPE: {
        "schema": (ONE, Place.SCHEMA),
        "examples": (NAMED, Place.EXAMPLE),
    },
    Place.SCHEMA: SCHEMA_CHILDREN,
    Place.PROPERTY: SCHEMA_CHILDREN,
    Place.COMPONENTS: {
        "schemas": (NAMED, Place.SCHEMA),
        "responses": (NAMED, Place.RESPONSE),
        "parameters": (NAMED, Place.PARAMETER),
        "examples": (NAMED, Place.EXAMPLE),
        "requestBodies": (NAMED, Place.REQUEST_BODY),
        "headers": (NAMED, Place.HEADER),
        "securitySchemes": (NAMED, Place.SECURITY_SCHEME),
        "pathItems": (NAMED, Place.PATH_ITEM),
    },
}
"""The keys of each place that hold further objects, and the place of those."""


def objects(data: Any) -> Iterator[tuple[str, dict[str, Any], Place]]:
    """(pointer, object, place) of every object of the document's structure."""
    pending: list[tuple[str, Any, Place]] = [("", data, Place.ROOT)]
    while pending:
        where, node, place = pending.pop()
        if not isinstance(node, dict):
            continue
        yield where, node, place
        children = CHILDREN.get(place, {})
        for key, value in node.items():
            if key not in children:
                continue
            how, child = children[key]
            at = where + pointer(key)
            if how == ONE:
                pending.append((at, value, child))
            elif how == LIST and isinstance(value, list):
                pending += (
                    (f"{at}/{index}", item, child) for index, item in enumerate(value)
                )
            elif how == NAMED and isinstance(value, dict):
                pending += (
                    (at + pointer(name), item, child) for name, item in value.items()
                )
