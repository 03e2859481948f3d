"""Safe XML parsing, and the XML codec driven by each model's ``__xml__`` description.

Parsing refuses DTDs outright: switching entity resolution off is not enough, because
lxml then silently cuts text short at an unresolved entity reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = "{" + XSI + "}nil"
NIL_PREFIX = "i"
MAX_BYTES = 256 * 1024 * 1024
"""Documents larger than this are refused before parsing."""

SCALAR = "scalar"
OBJECT = "object"
WRAPPED = "wrapped"
REPEATED = "repeated"
ATTRIBUTE = "attribute"


class XmlSafetyError(ValueError):
    """The document is unsafe to parse (DTD, entities, size)."""


class XmlSyntaxError(ValueError):
    """The document is not well-formed XML."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes) -> Any:
    """Parse a whole document safely and return its root element."""
    if len(data) > MAX_BYTES:
        raise XmlSafetyError(f"document of {len(data)} bytes exceeds {MAX_BYTES}")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlSyntaxError(str(exc)) from None
    if root is None:
        raise XmlSyntaxError("empty document")
    check_no_dtd(root)
    return root


def check_no_dtd(root: Any) -> None:
    """Refuse a document that declares a DTD (and with it, entities)."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlSafetyError("documents with a DTD are refused (entity expansion risk)")


def local(tag: str) -> str:
    """The local part of a Clark-notation tag."""
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


@dataclass(frozen=True, slots=True)
class XmlField:
    """How one model field is written in XML."""

    name: str
    tag: str
    kind: str = SCALAR
    text: bool = False
    nil: bool = False
    item: str = ""
    model: Any = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class XmlSpec:
    """The XML shape of a model: its element name, namespace and fields in order."""

    tag: str
    fields: tuple[XmlField, ...]
    namespace: str = ""
    by_tag: dict[str, XmlField] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table: dict[str, XmlField] = {}
        for item in self.fields:
            for name in (item.tag, *item.aliases):
                table.setdefault(name, item)
        object.__setattr__(self, "by_tag", table)


def read(spec: XmlSpec, elem: Any) -> dict[str, Any]:
    """Turn an element into the field dictionary of ``spec``'s model.

    Unknown elements are kept under their own name (the models allow extra fields);
    a repeated single-valued element keeps its first occurrence.
    """
    data: dict[str, Any] = {}
    by_tag = spec.by_tag
    if elem.attrib:
        for key, value in elem.attrib.items():
            found = by_tag.get(local(key))
            if found is not None and found.kind == ATTRIBUTE:
                data[found.name] = value
    for child in elem:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag[0] == "{":
            tag = tag.rpartition("}")[2]
        found = by_tag.get(tag)
        if found is None:
            if tag not in data:
                data[tag] = loose(child)
        elif found.kind == REPEATED:
            data.setdefault(found.name, []).append(_value(found, child))
        elif found.name not in data:
            data[found.name] = _value(found, child)
    return data


def _value(spec: XmlField, elem: Any) -> Any:
    if elem.get(NIL) in ("true", "1"):
        return None
    kind = spec.kind
    if kind == WRAPPED:
        return [
            _item(spec, child)
            for child in elem
            if isinstance(child.tag, str) and local(child.tag) == spec.item
        ]
    return _item(spec, elem)


def _item(spec: XmlField, elem: Any) -> Any:
    if spec.model is not None:
        if elem.get(NIL) in ("true", "1"):
            return None
        return read(spec.model.__xml__, elem)
    text = elem.text
    if spec.text:
        return text or ""
    if text is None or not text.strip():
        return None
    return text


def loose(elem: Any) -> Any:
    """An element no spec describes: its text, or a dictionary of its children."""
    children = [child for child in elem if isinstance(child.tag, str)]
    if not children:
        return elem.text or ""
    data: dict[str, Any] = {}
    for child in children:
        name = local(child.tag)
        value = loose(child)
        if name in data:
            previous = data[name]
            data[name] = (
                [*previous, value] if isinstance(previous, list) else [previous, value]
            )
        else:
            data[name] = value
    return data


def text_of(value: Any) -> str:
    """The XML text of a scalar value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def write(
    spec: XmlSpec, model: Any, parent: Any = None, tag: str = "", namespace: str = ""
) -> Any:
    """Write a model as an element (appended to ``parent`` when given), fields in order.

    A model without a namespace of its own is written in ``namespace``, the one of the
    element that holds it (as ``elementFormDefault="qualified"`` schemas want).
    """
    namespace = spec.namespace or namespace
    name = _qualify(namespace, tag or spec.tag)
    if parent is None:
        elem = etree.Element(name, nsmap=_nsmap(namespace))
    else:
        elem = etree.SubElement(parent, name)
    for item in spec.fields:
        value = getattr(model, item.name)
        if item.kind == ATTRIBUTE:
            if value is not None:
                elem.set(item.tag, text_of(value))
            continue
        child_tag = _qualify(namespace, item.tag)
        if value is None:
            if item.nil:
                etree.SubElement(elem, child_tag, {NIL: "true"})
            continue
        if item.kind == REPEATED:
            for entry in value:
                _write_item(namespace, item, entry, elem, child_tag)
        elif item.kind == WRAPPED:
            wrapper = etree.SubElement(elem, child_tag)
            item_tag = _qualify(namespace, item.item)
            for entry in value:
                _write_item(namespace, item, entry, wrapper, item_tag)
        else:
            _write_item(namespace, item, value, elem, child_tag)
    extra = getattr(model, "__pydantic_extra__", None) or {}
    for key, value in extra.items():
        _write_loose(elem, _qualify(namespace, key), value)
    return elem


def _write_item(
    namespace: str, spec: XmlField, value: Any, parent: Any, tag: str
) -> None:
    if spec.model is not None:
        write(spec.model.__xml__, value, parent, local(tag), namespace)
    else:
        etree.SubElement(parent, tag).text = text_of(value)


def _write_loose(parent: Any, tag: str, value: Any) -> None:
    if isinstance(value, list):
        for entry in value:
            _write_loose(parent, tag, entry)
    elif isinstance(value, dict):
        child = etree.SubElement(parent, tag)
        for key, entry in value.items():
            _write_loose(child, key, entry)
    else:
        etree.SubElement(parent, tag).text = text_of(value)


def _qualify(namespace: str, tag: str) -> str:
    return "{" + namespace + "}" + tag if namespace else tag


def _nsmap(namespace: str) -> dict[Any, str]:
    """Prefixes of a root element: the document's namespace as the default one (the
    ``None`` key, which lxml-stubs do not allow for)."""
    return {NIL_PREFIX: XSI, None: namespace} if namespace else {NIL_PREFIX: XSI}


def wrap(tag: str, items: Iterable[Any], namespace: str = "") -> Any:
    """A wrapper element holding already written items."""
    root = etree.Element(_qualify(namespace, tag), nsmap=_nsmap(namespace))
    root.extend(items)
    return root


def to_bytes(elem: Any) -> bytes:
    """Serialize an element as a UTF-8 document with an XML declaration."""
    return bytes(etree.tostring(elem, xml_declaration=True, encoding="utf-8"))
