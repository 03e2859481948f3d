"""RSS 2.0 and Atom 1.0 feeds as typed models.

Both formats are read into the same ``Feed`` and ``Entry`` models, so a caller gets the
same fields whichever format it asked for. Elements the models do not know are ignored
(the vendor says new ones may appear). A date that cannot be read is ``None``: feeds are
documents for display, and one odd date must not hide the rest.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from lxml import etree
from pydantic import BaseModel, ConfigDict

from . import _xml
from ._codecs import EntryCodec, FeedCodec

T = TypeVar("T")
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
CONTENT_ENCODED = "{" + CONTENT + "}encoded"
"""The full text of an RSS item (the RSS content module)."""
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
ATOM_NSMAP: dict[Any, str] = {None: ATOM}
"""Atom as the default namespace (``Any`` keys: lxml-stubs do not allow ``None``)."""


class Entry(BaseModel):
    """One item of an RSS feed or entry of an Atom feed."""

    model_config = ConfigDict(frozen=True)

    id: str | None = None
    """RSS ``guid`` or Atom ``id``."""
    title: str | None = None
    link: str | None = None
    summary: str | None = None
    """RSS ``description`` (the teaser) or Atom ``summary``."""
    content: str | None = None
    """RSS ``content:encoded`` or Atom ``content`` (the full text)."""
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class Feed(BaseModel):
    """An RSS 2.0 channel or an Atom 1.0 feed."""

    model_config = ConfigDict(frozen=True)

    format: Literal["rss", "atom"]
    title: str | None = None
    link: str | None = None
    description: str | None = None
    """RSS ``description`` or Atom ``subtitle``."""
    id: str | None = None
    updated: datetime | None = None
    entries: tuple[Entry, ...] = ()


def _atom(name: str) -> str:
    """An Atom element name in Clark notation."""
    return "{" + ATOM + "}" + name


def _text(elem: _xml.XmlElement | None) -> str | None:
    if elem is None:
        return None
    return "".join(str(text) for text in elem.itertext()).strip() or None


def _rfc822(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def _rfc3339(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def read_feed(root: _xml.XmlElement) -> Feed:
    """A parsed RSS 2.0 (``<rss>``) or Atom 1.0 (``<feed>``) document as a ``Feed``."""
    if root.tag == "rss":
        return _read_rss(root)
    if root.tag == _atom("feed"):
        return _read_atom(root)
    raise ValueError(
        f"expected an RSS 2.0 or Atom 1.0 feed, got <{_xml.local(root.tag)}>"
    )


def read_entry(root: _xml.XmlElement) -> Entry:
    """A parsed Atom 1.0 entry document (``<entry>``) as an ``Entry``."""
    if root.tag != _atom("entry"):
        raise ValueError(f"expected an Atom 1.0 entry, got <{_xml.local(root.tag)}>")
    return _atom_entry(root)


def _read_rss(root: _xml.XmlElement) -> Feed:
    channel = root.find("channel")
    if channel is None:
        raise ValueError("RSS document without <channel>")
    return Feed(
        format="rss",
        title=_text(channel.find("title")),
        link=_text(channel.find("link")),
        description=_text(channel.find("description")),
        updated=_rfc822(_text(channel.find("lastBuildDate"))),
        entries=tuple(_rss_item(item) for item in channel.iterfind("item")),
    )


def _rss_item(item: _xml.XmlElement) -> Entry:
    authors = [
        _text(elem) for elem in (*item.iterfind("author"), *item.iterfind(DC_CREATOR))
    ]
    return Entry(
        id=_text(item.find("guid")),
        title=_text(item.find("title")),
        link=_text(item.find("link")),
        summary=_text(item.find("description")),
        content=_text(item.find(CONTENT_ENCODED)),
        published=_rfc822(_text(item.find("pubDate"))),
        authors=tuple(author for author in authors if author),
        categories=tuple(
            text for text in map(_text, item.iterfind("category")) if text
        ),
    )


def _atom_link(elem: _xml.XmlElement) -> str | None:
    for link in elem.iterfind(_atom("link")):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href")
    return None


def _read_atom(root: _xml.XmlElement) -> Feed:
    return Feed(
        format="atom",
        title=_text(root.find(_atom("title"))),
        link=_atom_link(root),
        description=_text(root.find(_atom("subtitle"))),
        id=_text(root.find(_atom("id"))),
        updated=_rfc3339(_text(root.find(_atom("updated")))),
        entries=tuple(_atom_entry(entry) for entry in root.iterfind(_atom("entry"))),
    )


def _atom_entry(entry: _xml.XmlElement) -> Entry:
    authors = [
        _text(author.find(_atom("name"))) for author in entry.iterfind(_atom("author"))
    ]
    categories = [
        category.get("term") for category in entry.iterfind(_atom("category"))
    ]
    return Entry(
        id=_text(entry.find(_atom("id"))),
        title=_text(entry.find(_atom("title"))),
        link=_atom_link(entry),
        summary=_text(entry.find(_atom("summary"))),
        content=_text(entry.find(_atom("content"))),
        published=_rfc3339(_text(entry.find(_atom("published")))),
        updated=_rfc3339(_text(entry.find(_atom("updated")))),
        authors=tuple(author for author in authors if author),
        categories=tuple(term for term in categories if term),
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _rfc822_text(moment: datetime | None) -> str | None:
    return None if moment is None else email.utils.format_datetime(moment)


def _add(parent: _xml.XmlElement, tag: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, tag).text = text


def write_feed(feed: Feed) -> _xml.XmlElement:
    """A ``Feed`` as an RSS 2.0 or Atom 1.0 document, as its ``format`` says."""
    if feed.format == "atom":
        root = etree.Element(_atom("feed"), nsmap=ATOM_NSMAP)
        _add(root, _atom("id"), feed.id)
        _add(root, _atom("title"), feed.title)
        _add(root, _atom("subtitle"), feed.description)
        if feed.link is not None:
            etree.SubElement(root, _atom("link"), href=feed.link)
        _add(root, _atom("updated"), _iso(feed.updated))
        for entry in feed.entries:
            root.append(write_entry(entry))
        return root
    root = etree.Element("rss", version="2.0", nsmap={"content": CONTENT})
    channel = etree.SubElement(root, "channel")
    _add(channel, "title", feed.title)
    _add(channel, "link", feed.link)
    _add(channel, "description", feed.description)
    _add(channel, "lastBuildDate", _rfc822_text(feed.updated))
    for entry in feed.entries:
        item = etree.SubElement(channel, "item")
        _add(item, "guid", entry.id)
        _add(item, "title", entry.title)
        _add(item, "link", entry.link)
        _add(item, "description", entry.summary)
        _add(item, CONTENT_ENCODED, entry.content)
        _add(item, "pubDate", _rfc822_text(entry.published))
        for author in entry.authors:
            _add(item, "author", author)
        for category in entry.categories:
            _add(item, "category", category)
    return root


def write_entry(entry: Entry) -> _xml.XmlElement:
    """An ``Entry`` as an Atom 1.0 entry element."""
    elem = etree.Element(_atom("entry"), nsmap=ATOM_NSMAP)
    _add(elem, _atom("id"), entry.id)
    _add(elem, _atom("title"), entry.title)
    if entry.link is not None:
        etree.SubElement(elem, _atom("link"), href=entry.link)
    _add(elem, _atom("summary"), entry.summary)
    _add(elem, _atom("content"), entry.content)
    _add(elem, _atom("published"), _iso(entry.published))
    _add(elem, _atom("updated"), _iso(entry.updated))
    for author in entry.authors:
        _add(etree.SubElement(elem, _atom("author")), _atom("name"), author)
    for category in entry.categories:
        etree.SubElement(elem, _atom("category"), term=category)
    return elem


def feed_codec(media: str) -> FeedCodec[Feed]:
    """The codec of a feed reply served as ``media`` (RSS or Atom)."""
    return FeedCodec(
        media, Feed, lambda body: read_feed(_xml.parse(body)), _document(write_feed)
    )


def entry_codec() -> EntryCodec[Entry]:
    """The codec of a single Atom entry document."""
    return EntryCodec(
        "application/atom+xml",
        Entry,
        lambda body: read_entry(_xml.parse(body)),
        _document(write_entry),
    )


def _document(write: Callable[[T], _xml.XmlElement]) -> Callable[[T], bytes]:
    """``write``, serialized as a document."""
    return lambda value: _xml.to_bytes(write(value))
