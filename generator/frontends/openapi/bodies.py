"""Request and response bodies → ``ir.Payload``, with the vendor samples that show them.

A body that is a typed model in XML and/or JSON is read here; any other media type
(feeds, files, CSV, undocumented XML or JSON) is ``media.py``'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ... import ir
from ...extensions import BODY_NAME, SAMPLE, XSD
from ...naming import pascal, snake, unique
from ...yamlsource import YamlDocument, pointer
from . import media
from .document import prose
from .schemas import Schemas, constraints


def _model_payload(
    schemas: Schemas, content: dict[str, Any], where: str, hint: str
) -> ir.Payload | None:
    """One typed model (or list of them) in every media type of ``content``."""
    formats: list[ir.WireFormat] = []
    chosen: tuple[Any, str] | None = None
    xsd: tuple[str, str] | None = None
    for media_type, body in content.items():
        wire = media.wire_of(media_type)
        media_where = where + pointer(media_type)
        if wire is None:
            raise schemas.doc.error(
                media_where, f"media type {media_type!r} is not supported yet"
            )
        formats.append(wire)
        if chosen is None:
            chosen = (body.get("schema", {}), media_where + "/schema")
        marker = XSD.read(body)
        if marker is not None:
            xsd = (marker["file"], marker["element"])
    if chosen is None:
        return None
    schema, schema_where = chosen
    kind = schemas.type_of(schema, schema_where, hint)
    target, _ = schemas.resolve(schema, schema_where)
    xml = target.get("xml", {}) if isinstance(target, dict) else {}
    root, item = xml.get("name", ""), ""
    if kind.is_list and kind.item is not None:
        items, _ = schemas.resolve(target.get("items", {}), schema_where + "/items")
        item = items.get("xml", {}).get("name", "") if isinstance(items, dict) else ""
        if kind.item.is_model:
            item = item or schemas.models[kind.item.name].xml_name
    elif kind.is_model:
        root = root or schemas.models[kind.name].xml_name
    _check_payload(schemas.doc, kind, schema_where)
    name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else ""
    return ir.Payload(kind, tuple(formats), root, item, xsd, constraints(target), name)


def _check_payload(doc: YamlDocument, kind: ir.TypeRef, where: str) -> None:
    """Bodies are read and written by model codecs: an object or an array of objects."""
    inner = kind.item if kind.is_list and kind.item is not None else kind
    if not inner.is_model:
        shown = f"an array of {_shape(inner)}" if kind.is_list else _shape(kind)
        raise doc.error(
            where,
            f"a body that is {shown} is not supported (only objects or arrays of them)",
        )


def _shape(kind: ir.TypeRef) -> str:
    names = {"any": "a schema without properties", "union": "a oneOf/anyOf union"}
    return names.get(
        kind.kind, f"{kind.kind} values" if kind.is_list else f"a {kind.kind}"
    )


def _samples(
    spec_dir: Path,
    doc: YamlDocument,
    content: dict[str, Any],
    where: str,
    direction: str,
) -> tuple[ir.Sample, ...]:
    """The vendor samples that the media types of ``content`` name as files."""
    found = []
    for media_type, body in content.items():
        wire = media.wire_of(media_type)
        for key, example in body.get("examples", {}).items():
            file = example.get("externalValue")
            if not file or wire is None:
                continue
            if not (spec_dir / file).is_file():
                raise doc.error(
                    where + pointer(media_type, "examples", key, "externalValue"),
                    f"example file {file!r} not found",
                )
            found.append(
                ir.Sample(
                    file=file,
                    direction=cast(Any, direction),
                    wire_format=wire,
                    kind=SAMPLE.read(example),
                    summary=prose(example.get("summary")),
                )
            )
    return tuple(found)


def request_body(
    schemas: Schemas,
    spec_dir: Path,
    spec: dict[str, Any],
    where: str,
    operation: str,
    taken: set[str],
) -> tuple[ir.Payload | None, str, str, tuple[ir.Sample, ...]]:
    """The request body, its argument name and description, and its samples."""
    if "requestBody" not in spec:
        return None, "", "", ()
    body, body_where = schemas.resolve(spec["requestBody"], where + "/requestBody")
    content = body.get("content", {})
    content_where = body_where + "/content"
    hint = pascal(operation) + "Body"
    if media.is_plain(schemas, content, content_where):
        payload = _model_payload(schemas, content, content_where, hint)
    else:
        payload, _ = media.variants(
            schemas, spec_dir, content, content_where, hint, None
        )
    if payload is None:
        return None, "", "", ()
    schemas.mark_checked(payload.type)
    arg = BODY_NAME.read(body) or (
        snake(payload.xml_root) if payload.xml_root else "body"
    )
    shown = _samples(spec_dir, schemas.doc, content, content_where, "request")
    return payload, unique(arg, taken), prose(body.get("description")), shown


def responses(
    schemas: Schemas,
    spec_dir: Path,
    spec: dict[str, Any],
    where: str,
    operation: str,
    selector: ir.Parameter | None,
) -> tuple[
    ir.Payload | None, tuple[ir.Payload, ...], tuple[int, ...], tuple[ir.Sample, ...]
]:
    """The result of the first success answer with a body, its variants and samples."""
    result: ir.Payload | None = None
    variants: tuple[ir.Payload, ...] = ()
    success: list[int] = []
    shown: tuple[ir.Sample, ...] = ()
    for code, raw in spec.get("responses", {}).items():
        if not str(code).isdigit() or not 200 <= int(code) < 300:
            continue
        response, response_where = schemas.resolve(
            raw, where + pointer("responses", str(code))
        )
        success.append(int(code))
        content = response.get("content", {})
        if content and result is None:
            content_where = response_where + "/content"
            hint = pascal(operation) + "Result"
            if media.is_plain(schemas, content, content_where):
                result = _model_payload(schemas, content, content_where, hint)
            else:
                result, variants = media.variants(
                    schemas, spec_dir, content, content_where, hint, selector
                )
            shown = _samples(spec_dir, schemas.doc, content, content_where, "response")
    return result, variants, tuple(success), shown


def error_payload(
    schemas: Schemas, spec: dict[str, Any], where: str, operation: str
) -> ir.Payload | None:
    """The body of the first documented error answer (4xx, 5xx or default) that has one."""
    for code, raw in spec.get("responses", {}).items():
        if str(code).isdigit() and int(code) < 400:
            continue
        response, response_where = schemas.resolve(
            raw, where + pointer("responses", str(code))
        )
        content = response.get("content", {})
        if content:
            return _model_payload(
                schemas,
                content,
                response_where + "/content",
                pascal(operation) + "Error",
            )
    return None
