"""Replies that are not typed models in the fake server: files, untyped documents and
streamed XML records (``MEDIA`` and ``RECORDS`` of ``fake_server.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree
from pydantic import BaseModel, JsonValue

from . import _xml
from ._codecs import MediaCodec
from ._config import Endpoint
from ._fake import BaseFakeServer
from ._model import Model


def file_body(
    server: BaseFakeServer,
    endpoint: Endpoint[Any],
    codec: MediaCodec[Any],
    args: BaseModel,
) -> Iterator[bytes]:
    """A file answer of ``download_size`` bytes, produced as it is sent."""
    head = f"%fake {codec.media} from {endpoint.operation}\n".encode()
    yield head[: server.download_size]
    left = server.download_size - len(head)
    block = bytes(range(256)) * 256
    while left > 0:
        yield block[:left]
        left -= len(block)


def json_body(
    server: BaseFakeServer,
    endpoint: Endpoint[Any],
    codec: MediaCodec[Any],
    args: BaseModel,
) -> bytes:
    """An untyped JSON document with two items."""
    items: list[JsonValue] = [{"id": "1"}, {"id": "2"}]
    value: JsonValue = {"operation": endpoint.operation, "items": items}
    return codec.encode(value)


def xml_body(
    server: BaseFakeServer,
    endpoint: Endpoint[Any],
    codec: MediaCodec[Any],
    args: BaseModel,
) -> bytes:
    """An untyped XML document with two items, its root named for the operation."""
    root = endpoint.operation
    document = f"<{root}><item><id>1</id></item><item><id>2</id></item></{root}>"
    return codec.encode(_xml.parse(document.encode()))


def untyped_records(tag: str) -> Callable[[int], bytes]:
    """The writer of an undocumented stream's ``<tag>`` records, each with an element
    no XSD would know."""

    def record(n: int) -> bytes:
        return (
            f"<{tag}><id>{n}</id><userId>user-{n}</userId><status>completed</status>"
            f"<addedLater>tolerated</addedLater></{tag}>"
        ).encode()

    return record


untyped_record = untyped_records("record")
"""The writer of an undocumented stream whose record element is not declared."""


def typed_records(example: Callable[[int], Model], tag: str) -> Callable[[int], bytes]:
    """The writer of a streamed answer's ``<tag>`` records, of the XSD's record type."""

    def record(n: int) -> bytes:
        value = example(n)
        return bytes(etree.tostring(_xml.write(type(value).__xml__, value, tag=tag)))

    return record
