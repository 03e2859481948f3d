"""Payloads that are not typed XML/JSON models: what each media type of a body becomes.

The OpenAPI frontend hands every request or response ``content`` map here when one of its
media types is not a typed model: undocumented JSON or XML (an empty schema ``{}``), RSS
and Atom feeds, binary files, CSV rows and the CSV reports of content handlers. When an
argument chooses the representation (``x-lmsgen-response-format``), each media type
becomes one variant, tied to the argument values that select it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import ir
from ..yamlsource import pointer

if TYPE_CHECKING:
    from .openapi import _Builder

JSON_MEDIA = ("application/json",)
XML_MEDIA = ("application/xml", "text/xml")
FEED_MEDIA = ("application/rss+xml", "application/atom+xml")
FORMS = {
    "application/x-www-form-urlencoded": "form",
    "multipart/form-data": "multipart",
}


def bare(media: str) -> str:
    """``application/xml; charset=utf-8`` → ``application/xml``."""
    return media.split(";")[0].strip().lower()


def is_plain(builder: _Builder, content: dict[str, Any], where: str) -> bool:
    """Whether ``content`` is a typed model in XML and/or JSON (the classic payload)."""
    for media, body in content.items():
        if bare(media) not in JSON_MEDIA + XML_MEDIA:
            return False
        schema, _ = builder.resolve(
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
    builder: _Builder,
    spec_dir: Path,
    media: str,
    body: dict[str, Any],
    where: str,
    hint: str,
) -> ir.Payload:
    """The payload of one media type of a ``content`` map."""
    doc = builder.doc
    name = bare(media)
    schema_where = where + "/schema"
    schema, _ = builder.resolve(body.get("schema", {}), schema_where)
    shape = _kind_of_schema(schema)
    stream = bool(body.get("x-lmsgen-stream"))
    if shape == "binary":
        # */* (the vendor names no media type): read as bytes, served as octet-stream.
        known = "application/octet-stream" if name == "*/*" else name
        return ir.Payload(
            ir.TypeRef("binary"), (), kind="binary", media=known, stream=stream
        )
    if name in FEED_MEDIA:
        kind = body.get("x-lmsgen-feed", "feed")
        if kind not in ("feed", "entry") or shape != "any":
            raise doc.error(
                where, "a feed takes an empty schema and x-lmsgen-feed: feed|entry"
            )
        return ir.Payload(ir.TypeRef("any"), ("xml",), kind=kind, media=name)
    if name == "text/plain" and shape != "binary":
        return _text(builder, schema, schema_where, hint)
    if name in JSON_MEDIA + XML_MEDIA and shape == "any":
        xsd = _xsd(spec_dir, body)
        if xsd is not None and name in XML_MEDIA:
            return _typed(builder, spec_dir, xsd, where, stream)
        wire: ir.WireFormat = "json" if name in JSON_MEDIA else "xml"
        return ir.Payload(
            ir.TypeRef("any"), (wire,), kind=wire, media=name, stream=stream
        )
    raise doc.error(where, f"media type {media!r} with this schema is not supported")


def _xsd(spec_dir: Path, body: dict[str, Any]) -> tuple[str, str] | None:
    """The XSD of an undocumented XML payload, when its file is in the spec folder."""
    marker = body.get("x-lmsgen-xsd")
    if not marker or not (spec_dir / marker["file"]).is_file():
        return None
    return (marker["file"], marker["element"])


def _typed(
    builder: _Builder, spec_dir: Path, xsd: tuple[str, str], where: str, stream: bool
) -> ir.Payload:
    """An XML payload typed by the XSD the user dropped into the spec folder.

    ``element: unknown`` (the vendor never said) takes the XSD's one global element.
    """
    # xmlschema loads only for specs that drop an XSD in (most OpenAPI specs do not).
    import xmlschema

    from .xsdmodels import XsdModels

    file, wanted = xsd
    try:
        elements = xmlschema.XMLSchema(str(spec_dir / file)).elements
    except (xmlschema.XMLSchemaException, OSError) as exc:
        raise builder.doc.error(where, f"invalid XSD {file}: {exc}") from None
    if wanted == "unknown":
        if len(elements) != 1:
            raise builder.doc.error(
                where,
                f"{file} declares {len(elements)} global elements: name the payload's "
                "one in x-lmsgen-xsd: {element: …}",
            )
        wanted = next(iter(elements))
    if wanted not in elements:
        raise builder.doc.error(where, f"XSD {file} declares no element {wanted!r}")
    known = builder.xsd_payloads.get((file, wanted))
    if known is None:
        converter = XsdModels(
            lambda _component, message: builder.doc.error(where, message),
            builder.models,
            builder.enums,
            builder.names,
        )
        payload = converter.payload(elements[wanted], record_names=True)
        known = replace(payload, media="application/xml", xsd=(file, wanted))
        builder.models.update(converter.models)
        builder.enums.update(converter.enums)
        builder.names.update(converter.models, converter.enums)
        builder.xsd_payloads[(file, wanted)] = known
    return replace(known, stream=stream)


def _text(builder: _Builder, schema: Any, where: str, hint: str) -> ir.Payload:
    """``text/plain``: CSV rows (``x-lmsgen-csv``) or a content handler's CSV report."""
    csv = schema.get("x-lmsgen-csv") if isinstance(schema, dict) else None
    if isinstance(schema, dict) and schema.get("type") == "array":
        if not csv or not csv.get("header", True):
            raise builder.doc.error(
                where,
                "a text/plain array is a CSV body: it needs x-lmsgen-csv: {header: true}",
            )
        kind = builder.type_of(schema, where, hint)
        if kind.item is None or not kind.item.is_model:
            raise builder.doc.error(
                where + "/items", "CSV rows must be objects (one per line)"
            )
        builder.mark_csv(kind.item.name)
        return ir.Payload(kind, (), kind="csv", media="text/plain")
    if not csv or not csv.get("report"):
        raise builder.doc.error(
            where,
            "a text/plain reply is a CSV report: it needs x-lmsgen-csv: {report: true}",
        )
    return ir.Payload(ir.TypeRef("any"), (), kind="csv-report", media="text/plain")


def format_values(
    builder: _Builder,
    media: str,
    body: dict[str, Any],
    where: str,
    offered: tuple[str, ...],
) -> tuple[str, ...]:
    """The values of the response-format argument that select ``media``.

    ``x-lmsgen-format-values`` lists them; without it, the value is the media subtype
    (``json`` → ``application/json``, ``atom`` → ``application/atom+xml``).
    """
    listed = body.get("x-lmsgen-format-values")
    if listed is not None:
        values = tuple(str(value) for value in listed)
    else:
        subtype = bare(media).rpartition("/")[2].partition("+")[0]
        values = tuple(value for value in offered if value == subtype)
    unknown = [value for value in values if value not in offered]
    if unknown or not values:
        raise builder.doc.error(
            where,
            f"media type {media!r} is selected by no value of the response-format argument "
            f"{list(offered)}: name them with x-lmsgen-format-values",
        )
    return values


def variants(
    builder: _Builder,
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
            payload(builder, spec_dir, media, body, where + pointer(media), hint),
        )
        for media, body in content.items()
    ]
    if selector is None:
        if len(found) > 1:
            raise builder.doc.error(
                where,
                "several representations but no argument chooses among them: "
                "mark it with x-lmsgen-response-format",
            )
        return found[0][2], ()
    offered = tuple(str(value) for value in _enum_values(builder, selector))
    chosen: list[ir.Payload] = []
    for media, body, one in found:
        values = format_values(builder, media, body, where + pointer(media), offered)
        chosen.append(replace(one, format_values=values))
    missing = sorted(
        set(offered) - {value for one in chosen for value in one.format_values}
    )
    if missing:
        raise builder.doc.error(
            where, f"no representation for format value(s) {missing}"
        )
    default = selector.call_default
    result = next((one for one in chosen if default in one.format_values), chosen[0])
    return result, tuple(chosen)


def _enum_values(builder: _Builder, parameter: ir.Parameter) -> tuple[Any, ...]:
    if parameter.type.kind != "enum":
        raise builder.doc.error(
            "", f"response-format argument {parameter.wire_name!r} needs an enum"
        )
    return builder.enums[parameter.type.name].values


def call_default(
    builder: _Builder, kind: ir.TypeRef, required: bool, default: Any
) -> Any:
    """The documented default of a required argument, when it is a valid value."""
    if not required or default is None:
        return None
    if kind.kind == "enum" and default not in builder.enums[kind.name].values:
        return None
    return default
