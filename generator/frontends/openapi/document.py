"""The OpenAPI document itself: its validation, its ``$ref``s and its prose.

The document is validated with openapi-pydantic, and its extension keys against
their declarations (``extensions.py``); the IR is then built from the same (validated) data, walked with
JSON pointers so that every problem names its line.
"""

from __future__ import annotations

from functools import cache
from typing import Any, get_args, get_origin

from openapi_pydantic.v3.v3_0 import OpenAPI as OpenAPI30
from openapi_pydantic.v3.v3_1 import OpenAPI
from pydantic import TypeAdapter, ValidationError

from ... import extensions
from ...errors import SpecError
from ...yamlsource import YamlDocument, pointer
from .places import objects


def validate(doc: YamlDocument) -> None:
    """Check the document's OpenAPI, then its extension keys."""
    _check_model(doc)
    _check_extensions(doc)


def _check_extensions(doc: YamlDocument) -> None:
    """Report every misspelt, misplaced or mistyped extension key of ours, in line order."""
    found = sorted(
        (
            doc.key_error(where + pointer(*problem.where), problem.message)
            for where, node, place in objects(doc.data)
            for problem in extensions.problems(node, place)
        ),
        key=lambda error: error.line,
    )
    if found:
        first, *rest = found
        message = "\n".join([first.message, *map(str, rest)])
        raise SpecError(first.path, first.line, message)


def _check_model(doc: YamlDocument) -> None:
    """Check the document against the OpenAPI 3.0 or 3.1 model; report the first error's line.

    The paths and the schemas are checked one at a time against the model's own types
    for them: the same checks, but a 1000-operation document is never held as a whole
    tree of model objects (tens of megabytes).
    """
    if not isinstance(doc.data, dict) or not str(
        doc.data.get("openapi", "")
    ).startswith("3."):
        raise doc.error(
            "", "not an OpenAPI 3.x document (no 'openapi: 3.x' at the top)"
        )
    model = OpenAPI30 if str(doc.data["openapi"]).startswith("3.0") else OpenAPI
    data = doc.data
    parts: list[tuple[tuple[str, ...], Any, Any]] = []
    skeleton = dict(data)
    if isinstance(data.get("paths"), dict):
        skeleton["paths"] = {}
        item = model.model_fields["paths"].annotation
        parts += [
            (("paths", k), v, _value_type(item)) for k, v in data["paths"].items()
        ]
    components = data.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        skeleton["components"] = {**components, "schemas": {}}
        field = model.model_fields["components"].annotation
        schema = _value_type(_value_type(field).model_fields["schemas"].annotation)
        parts += [
            (("components", "schemas", k), v, schema)
            for k, v in components["schemas"].items()
        ]
    try:
        model.model_validate(skeleton)
        for prefix, value, kind in parts:
            try:
                _adapter(kind).validate_python(value)
            except ValidationError as exc:
                raise _Located(prefix, exc) from None
    except ValidationError as exc:
        where, message = _deepest(doc, exc.errors())
        raise doc.error(
            where, f"invalid OpenAPI at {where or '/'}: {message}"
        ) from None
    except _Located as located:
        errors = [
            {**error, "loc": (*located.prefix, *error["loc"])}
            for error in located.error.errors()
        ]
        where, message = _deepest(doc, errors)
        raise doc.error(
            where, f"invalid OpenAPI at {where or '/'}: {message}"
        ) from None


class _Located(Exception):
    """A part's validation error and where the part sits in the document."""

    def __init__(self, prefix: tuple[str, ...], error: ValidationError) -> None:
        super().__init__(prefix)
        self.prefix, self.error = prefix, error


def _value_type(annotation: Any) -> Any:
    """``X`` of ``Optional[Dict[str, X]]``, ``Dict[str, X]`` or ``Optional[X]``."""
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is dict:
        return args[-1]
    if len(args) == 1:
        return _value_type(args[0]) if get_origin(args[0]) is dict else args[0]
    return annotation


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _deepest(doc: YamlDocument, errors: list[Any]) -> tuple[str, str]:
    """The error whose location reaches deepest into the document."""
    best = ("", "")
    best_depth = -1
    for error in errors:
        node: Any = doc.data
        where, depth = "", 0
        for part in error["loc"]:
            if isinstance(node, dict) and part in node:
                node, where, depth = node[part], where + pointer(part), depth + 1
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node, where, depth = node[part], f"{where}/{part}", depth + 1
        if depth > best_depth:
            best, best_depth = (where, _describe(error)), depth
    return best


def _describe(error: Any) -> str:
    value = error.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
    return f"{error['msg']}{shown}"


def resolve(doc: YamlDocument, node: Any, where: str) -> tuple[Any, str]:
    """Follow ``$ref`` chains; return the target and its pointer."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise doc.error(where, f"only local $ref are supported, got {ref!r}")
        if ref in seen:
            raise doc.error(where, f"circular $ref {ref!r}")
        seen.add(ref)
        target: Any = doc.data
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise doc.error(where + "/$ref", f"dangling $ref {ref!r}")
            target = target[part]
        node, where = target, ref[1:]
    return node, where


def prose(value: Any) -> str:
    """A description or summary as one line of text (YAML folds keep their breaks)."""
    return " ".join(str(value).split()) if value else ""
