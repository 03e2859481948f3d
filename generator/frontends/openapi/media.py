"""Media types: their wire format, and the payloads that are not typed XML/JSON models.

Bodies (``bodies.py``) hand every request or response ``content`` map here when one of its
media types is not a typed model: undocumented JSON or XML (an empty schema ``{}``), RSS
and Atom feeds, binary files, CSV rows and the CSV reports of content handlers. When an
argument chooses the representation (``extensions.RESPONSE_FORMAT``), each media type
becomes one variant, tied to the argument values that select it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ... import ir
from ...extensions import (
    CSV,
    FEED,
    FORMAT_VALUES,
    RECORD,
    RESPONSE_FORMAT,
    STREAM,
    XSD,
)
from ...yamlsource import pointer
from .schemas import Schemas

JSON_MEDIA = ("application/json",)
XML_MEDIA = ("application/xml", "text/xml")
FEED_MEDIA = ("application/rss+xml", "application/atom+xml")
FORMS = {
    "application/x-www-form-urlencoded": "form",
    "multipart/form-data": "multipart",
}
WIRES: dict[str, ir.WireFormat] = {
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
}


def bare(media: str) -> str:
    """``application/xml; charset=utf-8`` → ``application/xml``."""
    return media.split(";")[0].strip().lower()


def wire_of(media: str) -> ir.WireFormat | None:
    """XML or JSON for a media type, structured-syntax suffixes included (RFC 6839)."""
    media = bare(media)
    if media in WIRES:
        return WIRES[media]
    if media.endswith("+json"):
        return "json"
    if media.endswith("+xml"):
        return "xml"
    return None


def is_plain(schemas: Schemas, content: dict[str, Any], where: str) -> bool:
    """Whether ``content`` is a typed model in XML and/or JSON (the classic payload)."""
    for media, body in content.items():
        if bare(media) not in JSON_MEDIA + XML_MEDIA:
            return False
        schema, _ = schemas.resolve(
            body.get("schema", {}), where + pointer(media, "schema")
        )
        if _kind_of_schema(schema) != "model":
            return False
    return True


def _kind_of_schema(schema: Any) -> str:
    """``any`` for ``{}``, ``binary``/``text`` for strings, ``model`` otherwise."""
    if not isinstance(schema, dict) or not schema:
        return "any"
    if schema.get("type") == "string":
        return "binary" if schema.get("format") == "binary" else "text"
    return "model"


def payload(
    schemas: Schemas,
    spec_dir: Path,
    media: str,
    body: dict[str, Any],
    where: str,
    hint: str,
) -> ir.Payload:
    """The payload of one media type of a ``content`` map."""
    doc = schemas.doc
    name = bare(media)
    schema_where = where + "/schema"
    schema, _ = schemas.resolve(body.get("schema", {}), schema_where)
    shape = _kind_of_schema(schema)
    stream = STREAM.read(body)
    if shape == "binary":
        # */* (the vendor names no media type): read as bytes, served as octet-stream.
        known = "application/octet-stream" if name == "*/*" else name
        return ir.Payload(
            ir.TypeRef("binary"), (), kind="binary", media=known, stream=stream
        )
    if name in FEED_MEDIA:
        if shape != "any":
            raise doc.error(where, "a feed takes an empty schema ({})")
        return ir.Payload(ir.TypeRef("any"), ("xml",), kind=FEED.read(body), media=name)
    if name == "text/plain" and shape != "binary":
        return _csv(schemas, schema, schema_where, hint)
    if name in JSON_MEDIA + XML_MEDIA and shape == "any":
        xsd = _xsd(spec_dir, body)
        if xsd is not None and name in XML_MEDIA:
            return _typed(schemas, spec_dir, xsd, where, stream)
        wire: ir.WireFormat = "json" if name in JSON_MEDIA else "xml"
        record = RECORD.read(body)
        if record and not (stream and wire == "xml"):
            raise doc.error(where, f"{RECORD.name} needs a streamed XML reply")
        return ir.Payload(
            ir.TypeRef("any"),
            (wire,),
            kind=wire,
            media=name,
            stream=stream,
            xml_item=record,
        )
    raise doc.error(where, f"media type {media!r} with this schema is not supported")


def _xsd(spec_dir: Path, body: dict[str, Any]) -> tuple[str, str] | None:
    """The XSD of an undocumented XML payload, when its file is in the spec folder."""
    marker = XSD.read(body)
    if marker is None or not (spec_dir / marker["file"]).is_file():
        return None
    return (marker["file"], marker["element"])


def _typed(
    schemas: Schemas, spec_dir: Path, xsd: tuple[str, str], where: str, stream: bool
) -> ir.Payload:
    """An XML payload typed by the XSD the user dropped into the spec folder.

    ``element: unknown`` (the vendor never said) takes the XSD's one global element.
    """
    # xmlschema loads only for specs that drop an XSD in (most OpenAPI specs do not).
    import xmlschema

    from ..xsd import XsdModels

    file, wanted = xsd
    try:
        elements = xmlschema.XMLSchema(str(spec_dir / file)).elements
    except (xmlschema.XMLSchemaException, OSError) as exc:
        raise schemas.doc.error(where, f"invalid XSD {file}: {exc}") from None
    if wanted == "unknown":
        if len(elements) != 1:
            raise schemas.doc.error(
                where,
                f"{file} declares {len(elements)} global elements: name the payload's "
                f"one in {XSD.name}: {{element: …}}",
            )
        wanted = next(iter(elements))
    if wanted not in elements:
        raise schemas.doc.error(where, f"XSD {file} declares no element {wanted!r}")
    known = schemas.xsd_payloads.get((file, wanted))
    if known is None:
        converter = XsdModels(
            lambda _component, message: schemas.doc.error(where, message),
            schemas.models,
            schemas.enums,
            schemas.names,
        )
        payload = converter.payload(elements[wanted], record_names=True)
        known = replace(payload, media="application/xml", xsd=(file, wanted))
        schemas.models.update(converter.models)
        schemas.enums.update(converter.enums)
        schemas.names.update(converter.models, converter.enums)
        schemas.xsd_payloads[(file, wanted)] = known
    return replace(known, stream=stream)


def _csv(schemas: Schemas, schema: Any, where: str, hint: str) -> ir.Payload:
    """``text/plain``: CSV rows (``extensions.CSV``) or a content handler's CSV report."""
    csv = CSV.read(schema)
    if isinstance(schema, dict) and schema.get("type") == "array":
        if not csv or not csv.get("header", True):
            raise schemas.doc.error(
                where,
                f"a text/plain array is a CSV body: it needs {CSV.name}: {{header: true}}",
            )
        kind = schemas.type_of(schema, where, hint)
        if kind.item is None or not kind.item.is_model:
            raise schemas.doc.error(
                where + "/items", "CSV rows must be objects (one per line)"
            )
        schemas.mark_csv(kind.item.name)
        return ir.Payload(kind, (), kind="csv", media="text/plain")
    if not csv or not csv.get("report"):
        raise schemas.doc.error(
            where,
            f"a text/plain reply is a CSV report: it needs {CSV.name}: {{report: true}}",
        )
    return ir.Payload(ir.TypeRef("any"), (), kind="csv-report", media="text/plain")


def format_values(
    schemas: Schemas,
    media: str,
    body: dict[str, Any],
    where: str,
    offered: tuple[str, ...],
) -> tuple[str, ...]:
    """The values of the response-format argument that select ``media``.

    ``extensions.FORMAT_VALUES`` lists them; without it, the value is the media subtype
    (``json`` → ``application/json``, ``atom`` → ``application/atom+xml``).
    """
    listed = FORMAT_VALUES.read(body)
    if listed is not None:
        values = tuple(str(value) for value in listed)
    else:
        subtype = bare(media).rpartition("/")[2].partition("+")[0]
        values = tuple(value for value in offered if value == subtype)
    unknown = [value for value in values if value not in offered]
    if unknown or not values:
        raise schemas.doc.error(
            where,
            f"media type {media!r} is selected by no value of the response-format argument "
            f"{list(offered)}: name them with {FORMAT_VALUES.name}",
        )
    return values


def variants(
    schemas: Schemas,
    spec_dir: Path,
    content: dict[str, Any],
    where: str,
    hint: str,
    selector: ir.Parameter | None,
) -> tuple[ir.Payload | None, tuple[ir.Payload, ...]]:
    """The result payload and, when an argument chooses among several, every variant."""
    if not content:
        return None, ()
    found = [
        (
            media,
            body,
            payload(schemas, spec_dir, media, body, where + pointer(media), hint),
        )
        for media, body in content.items()
    ]
    if selector is None:
        if len(found) > 1:
            raise schemas.doc.error(
                where,
                "several representations but no argument chooses among them: "
                f"mark it with {RESPONSE_FORMAT.name}",
            )
        return found[0][2], ()
    offered = tuple(str(value) for value in _enum_values(schemas, selector))
    chosen: list[ir.Payload] = []
    for media, body, one in found:
        values = format_values(schemas, media, body, where + pointer(media), offered)
        chosen.append(replace(one, format_values=values))
    missing = sorted(
        set(offered) - {value for one in chosen for value in one.format_values}
    )
    if missing:
        raise schemas.doc.error(
            where, f"no representation for format value(s) {missing}"
        )
    default = selector.call_default
    result = next((one for one in chosen if default in one.format_values), chosen[0])
    return result, tuple(chosen)


def _enum_values(schemas: Schemas, parameter: ir.Parameter) -> tuple[Any, ...]:
    if parameter.type.kind != "enum":
        raise schemas.doc.error(
            "", f"response-format argument {parameter.wire_name!r} needs an enum"
        )
    return schemas.enums[parameter.type.name].values
