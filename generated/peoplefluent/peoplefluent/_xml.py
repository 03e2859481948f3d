"""Safe XML parsing, and the XML codec driven by each model's ``__xml__`` description.

Parsing refuses DTDs outright: switching entity resolution off is not enough, because
lxml then silently cuts text short at an unresolved entity reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

from lxml import etree

from ._settings import NIL_PREFIX

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = "{" + XSI + "}nil"
NIL_TRUE = ("true", "1")
"""The values of ``xsi:nil`` that mean nil."""
MAX_BYTES = 256 * 1024 * 1024
"""Documents larger than this are refused before parsing."""
MAX_DEPTH = 256
"""The nesting libxml2 allows without its ``huge_tree`` option, which stays off."""
FEED_BYTES = 1024 * 1024
"""The most a streamed document's parser is given at once."""
HEAD_BYTES = 4096
"""The steps in which a list reader looks for the root element."""

SCALAR = "scalar"
OBJECT = "object"
WRAPPED = "wrapped"
REPEATED = "repeated"
ATTRIBUTE = "attribute"

R = TypeVar("R")


XmlElement = etree._Element
"""An element of a parsed XML document (lxml)."""


class XmlSafetyError(ValueError):
    """The document is unsafe to parse (DTD, entities, size)."""


class XmlSyntaxError(ValueError):
    """The document is not well-formed XML (``line`` is where libxml2 stopped, or 0)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class WrongRootError(ValueError):
    """A well-formed document whose root element is not the one the spec names."""

    def __init__(self, got: str, expected: str) -> None:
        super().__init__(f"wrong root element <{got}>, expected <{expected}>")
        self.got = got
        self.expected = expected


DTD_REFUSED = "entity declarations (DTD) are refused"


def _too_large(size: int) -> XmlSafetyError:
    return XmlSafetyError(f"document larger than {MAX_BYTES} bytes ({size} bytes)")


def syntax_error(message: str, line: int = 0) -> ValueError:
    """The error for what libxml2 reported: a safety limit it enforced names that limit
    (libxml2's own text advises lifting it, which this package never does)."""
    if "amplification" in message or "entity reference loop" in message:
        return XmlSafetyError(DTD_REFUSED + " (entity expansion beyond the safe limit)")
    if "Excessive depth" in message:
        return XmlSafetyError(f"XML nesting deeper than {MAX_DEPTH} levels")
    text = message.split(" (<string>")[0]
    return XmlSyntaxError(text, line)


def _lxml_error(exc: Any) -> ValueError:
    return syntax_error(str(exc), int(getattr(exc, "lineno", 0) or 0))


SAFE_PARSING: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
"""The options of every parser here, whole documents and streamed ones alike."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE_PARSING)


def parse(data: bytes) -> Any:
    """Parse a whole document safely and return its root element."""
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _lxml_error(exc) from None
    if root is None:
        raise XmlSyntaxError("empty document")
    check_no_dtd(root)
    return root


def element(value: Any) -> XmlElement:
    """An XML document given as an element, or as bytes that are parsed safely."""
    if isinstance(value, bytes):
        value = parse(value)
    if isinstance(value, etree._Element):
        return value
    raise TypeError(f"expected an XML element or bytes, got {type(value).__name__}")


def _pull_parser(
    events: tuple[Literal["start", "end"], ...], tag: tuple[str, ...] | None = None
) -> Any:
    return etree.XMLPullParser(events=events, tag=tag, **SAFE_PARSING)


def _raise_logged(parser: Any) -> None:
    """Raise the first error libxml2 logged, as parsing a whole document does.

    ``feed`` lets some pass (an undefined entity or namespace prefix), although libxml2
    stops at an undefined entity: the rest of the chunk would be lost without a word.
    """
    errors = parser.feed_error_log.filter_from_errors()
    if errors:
        first = errors[0]
        raise syntax_error(
            f"{first.message}, line {first.line}, column {first.column}", first.line
        )


class ItemReader(Generic[R]):
    """Reads ``<root><item>…</item>…</root>`` as it arrives, chunk by chunk.

    Each item is handed to ``read`` as soon as its end tag is parsed, in place; after
    each chunk the root's finished children are dropped, so memory stays flat however
    long the document is. ``item`` "" takes every child; ``root`` "" accepts any root.
    """

    def __init__(
        self, read: Callable[[Any], R], item: str = "", root: str = ""
    ) -> None:
        self.read = read
        self.item = item
        self.root = root
        self.top: Any = None
        self.size = 0
        self.depth = 0
        self.parser: Any = self._parser()

    def feed(self, chunk: bytes) -> list[R]:
        """The items completed by ``chunk``."""
        self.size += len(chunk)
        if self.size > MAX_BYTES:
            raise _too_large(self.size)
        items: list[R] = []
        try:
            # libxml2 refuses more than 10 MB in one push: a large chunk goes in parts.
            for start in range(0, len(chunk), FEED_BYTES):
                self._parse(chunk[start : start + FEED_BYTES])
                _raise_logged(self.parser)
                items += self._items()
        except etree.XMLSyntaxError as exc:
            raise _lxml_error(exc) from None
        return items

    def close(self) -> list[R]:
        """The last items; fails if the document is empty or incomplete."""
        try:
            self.parser.close()
        except etree.XMLSyntaxError as exc:
            raise _lxml_error(exc) from None
        items = self._items()
        if self.top is None:
            raise XmlSyntaxError("empty document")
        if self.depth:
            raise XmlSyntaxError("document ended early")
        return items

    def _parser(self) -> Any:
        return _pull_parser(("start", "end"))

    def _parse(self, chunk: bytes) -> None:
        self.parser.feed(chunk)

    def _items(self) -> list[R]:
        items: list[R] = []
        for event, elem in self.parser.read_events():
            if event == "start":
                self.depth += 1
                if self.depth == 1:
                    self._check(elem)
                    self.top = elem
                continue
            self.depth -= 1
            if self.depth == 1 and (not self.item or is_named(elem.tag, self.item)):
                items.append(self.read(elem))
        self._drop_finished()
        return items

    def _drop_finished(self) -> None:
        """Drop the root's children but the last, which may be unfinished.

        Even when the last child has ended, its tail may be text that libxml2 goes on
        adding to with the next chunk, through a pointer it keeps: freeing that text
        (or the child with it) would make the parser write into freed memory.
        """
        if self.top is not None and len(self.top) > 1:
            del self.top[:-1]

    def _check(self, root: Any) -> None:
        check_no_dtd(root)
        if self.root and local(root.tag) != self.root:
            raise WrongRootError(local(root.tag), self.root)


class ListReader(ItemReader[R]):
    """An ``ItemReader`` of a list whose root and items are both named.

    lxml reports only those two elements, so it makes no Python object for the elements
    inside the items until ``read`` asks for them (streaming a page of records took 40 %
    less time than with an event per element). As a root of another name is not
    reported, a second parser reads the head of the document for whatever root it has,
    and is dropped once that root is checked.
    """

    def __init__(self, read: Callable[[Any], R], item: str, root: str) -> None:
        super().__init__(read, item, root)
        self.peek: Any = _pull_parser(("start",))

    def _parser(self) -> Any:
        return _pull_parser(("start", "end"), ("{*}" + self.item, "{*}" + self.root))

    def _parse(self, chunk: bytes) -> None:
        if self.peek is not None:
            self._find_root(chunk)
        self.parser.feed(chunk)

    def _find_root(self, chunk: bytes) -> None:
        """Check the root as soon as its start tag is in, reading no more than needed."""
        for start in range(0, len(chunk), HEAD_BYTES):
            self.peek.feed(chunk[start : start + HEAD_BYTES])
            for _, root in self.peek.read_events():
                self._check(root)
                self.peek = None
                return

    def _items(self) -> list[R]:
        items: list[R] = []
        for event, elem in self.parser.read_events():
            if event == "start":
                if self.top is None:
                    self.top = elem  # the root: the first element reported
            # Only the root's children are records: not items nested deeper, nor a child
            # named like the root, nor the root itself.
            elif elem.getparent() is self.top and is_named(elem.tag, self.item):
                items.append(self.read(elem))
        self._drop_finished()
        return items


def check_no_dtd(root: Any) -> None:
    """Refuse a document that declares a DTD (and with it, entities)."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlSafetyError(DTD_REFUSED)


def local(tag: str) -> str:
    """The local part of a Clark-notation tag."""
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


def is_named(tag: Any, name: str) -> bool:
    """Whether an element's tag has the local name ``name`` (whatever its namespace)."""
    return tag == name or (
        tag.__class__ is str and tag[:1] == "{" and tag.endswith("}" + name)
    )


@dataclass(frozen=True, slots=True)
class XmlField:
    """How one model field is written in XML.

    ``key`` is the name the field is validated under (its JSON name, which pydantic
    looks up first); it is the Python name ``name`` unless given.
    """

    name: str
    tag: str
    kind: str = SCALAR
    text: bool = False
    nil: bool = False
    item: str = ""
    model: Any = None
    aliases: tuple[str, ...] = ()
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.name)


LEARNED_TAGS = 256
"""How many namespace-qualified tags a spec remembers (a bound against odd documents)."""


@dataclass(frozen=True, slots=True)
class XmlSpec:
    """The XML shape of a model: its element name, namespace and fields in order."""

    tag: str
    fields: tuple[XmlField, ...]
    namespace: str = ""
    by_tag: dict[str, XmlField] = field(init=False, repr=False, compare=False)
    """Every field by local element name, misspellings (``aliases``) included."""
    simple: dict[str, tuple[str, bool]] = field(init=False, repr=False, compare=False)
    """Single text elements (the common case): tag → (field key, is it a string).

    Keyed by the tag exactly as lxml reports it: local names at first, and each
    ``{namespace}name`` tag once it has been met, so that the reading loop needs one
    dictionary lookup per element and never splits a tag.
    """
    attributes: bool = field(init=False, repr=False, compare=False)
    """Whether any field is an XML attribute (if not, attributes are not looked at)."""
    limit: int = field(init=False, repr=False, compare=False)
    """The size ``simple`` may grow to: its local names and ``LEARNED_TAGS`` more."""

    def __post_init__(self) -> None:
        table: dict[str, XmlField] = {}
        for item in self.fields:
            for name in (item.tag, *item.aliases):
                table.setdefault(name, item)
        object.__setattr__(self, "by_tag", table)
        simple = {
            tag: (item.key, item.text)
            for tag, item in table.items()
            if item.kind == SCALAR and item.model is None
        }
        object.__setattr__(self, "simple", simple)
        attributes = any(item.kind == ATTRIBUTE for item in self.fields)
        object.__setattr__(self, "attributes", attributes)
        object.__setattr__(self, "limit", len(simple) + LEARNED_TAGS)


def read(spec: XmlSpec, elem: Any) -> dict[str, Any]:
    """Turn an element into the field dictionary of ``spec``'s model.

    Unknown elements are kept under their own name (the models allow extra fields);
    a repeated single-valued element keeps its first occurrence.
    """
    data: dict[str, Any] = {}
    if spec.attributes and elem.attrib:
        for key, value in elem.attrib.items():
            found = spec.by_tag.get(local(key))
            if found is not None and found.kind == ATTRIBUTE:
                data[found.key] = value
    simple = spec.simple
    for child in elem:
        try:
            key, is_text = simple[child.tag]
        except KeyError:
            _other(spec, child, data)
            continue
        # The hot path: ``_scalar`` written out, as this runs once per element.
        if key not in data:
            text = child.text
            if text is not None:
                data[key] = text if is_text else (text.strip() or None)
            else:
                data[key] = "" if is_text and child.get(NIL) not in NIL_TRUE else None
    return data


def _scalar(child: Any, is_text: bool) -> str | None:
    """A single text element's value, as pydantic is given it.

    Empty means "" for strings (unless nil) and None for anything else; other values
    are stripped of surrounding whitespace, except strings, which are kept as written.
    """
    text: str | None = child.text
    if text is None:
        return "" if is_text and child.get(NIL) not in NIL_TRUE else None
    if is_text:
        return text
    return text.strip() or None


def _other(spec: XmlSpec, child: Any, data: dict[str, Any]) -> None:
    """A child that is not a known single text element under the tag it has."""
    tag = child.tag
    if tag.__class__ is not str:
        return
    name = local(tag)
    hit = spec.simple.get(name)
    if hit is not None:
        # A known text element in a namespace: remembered, so its next occurrences
        # take the hot path.
        if len(spec.simple) < spec.limit:
            spec.simple[tag] = hit
        if hit[0] not in data:
            data[hit[0]] = _scalar(child, hit[1])
        return
    found = spec.by_tag.get(name)
    if found is None:
        if name not in data:
            data[name] = loose(child)
    elif found.kind == REPEATED:
        data.setdefault(found.key, []).append(_value(found, child))
    elif found.key not in data:
        data[found.key] = _value(found, child)


def _value(spec: XmlField, elem: Any) -> Any:
    if elem.get(NIL) in NIL_TRUE:
        return None
    if spec.kind != WRAPPED:
        return _item(spec, elem)
    if spec.model is not None:
        return _records(spec.model.__xml__, spec.item, elem)
    return [_item(spec, child) for child in elem if is_named(child.tag, spec.item)]


def _records(spec: XmlSpec, item: str, elem: Any) -> list[Any]:
    """The ``item`` children of a wrapper, each read as ``spec`` (``None`` where nil).

    A page of records comes this way: the item's tag is matched by name once, then
    compared as lxml reports it, with no call per record but ``read``.
    """
    records: list[Any] = []
    named = ""
    for child in elem:
        tag = child.tag
        if tag != named:
            if not is_named(tag, item):
                continue
            named = tag
        records.append(None if child.get(NIL) in NIL_TRUE else read(spec, child))
    return records


def _item(spec: XmlField, elem: Any) -> Any:
    if spec.model is not None:
        if elem.get(NIL) in NIL_TRUE:
            return None
        return read(spec.model.__xml__, elem)
    text = elem.text
    if spec.text:
        return text or ""
    return text.strip() or None if text is not None else None


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
