"""Large replies read as they arrive: XML records one at a time, files written in chunks.

Nothing here holds a whole reply: a record is handed out (and detached from the
document) as soon as its end tag is parsed, and a download is written chunk by chunk.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from lxml import etree

from . import _xml

R = TypeVar("R")
Target = str | os.PathLike[str] | IO[bytes]
"""Where a download goes: a path (written through a ``.part`` file) or a binary file."""


def element_record(elem: _xml.XmlElement) -> _xml.XmlElement:
    """An undocumented record: the element itself (already detached from its document)."""
    return elem


@dataclass(frozen=True)
class RecordStream(Generic[R]):
    """How to read the records of a streamed XML reply: the children of its root.

    ``item`` names the record element (other children are skipped; ``""`` takes every
    child); ``read`` turns a record element into the value handed out.
    """

    read: Callable[[_xml.XmlElement], R]
    item: str = ""

    def reader(self) -> RecordReader[R]:
        return RecordReader(self)


def _pull_parser() -> etree.XMLPullParser:
    """A push parser with the safety options of ``_xml.parse`` (no DTD, no network)."""
    return etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


class RecordReader(Generic[R]):
    """Parses a document fed in chunks and hands out each record once it is complete.

    A finished record is removed from the root, so the tree never holds more than the
    record being read: memory stays flat however long the reply is.
    """

    def __init__(self, stream: RecordStream[R]) -> None:
        self.stream = stream
        self.parser = _pull_parser()
        self.root: Any = None
        self.depth = 0

    def feed(self, chunk: bytes) -> list[R]:
        """Parse one more chunk; return the records it completed."""
        try:
            self.parser.feed(chunk)
            return self._records()
        except etree.XMLSyntaxError as exc:
            raise _xml.XmlSyntaxError(str(exc)) from None

    def close(self) -> list[R]:
        """Finish the document; return the last records."""
        try:
            self.parser.close()
            found = self._records()
        except etree.XMLSyntaxError as exc:
            raise _xml.XmlSyntaxError(str(exc)) from None
        if self.root is None:
            raise _xml.XmlSyntaxError("empty document")
        return found

    def _records(self) -> list[R]:
        found: list[R] = []
        for event, elem in self.parser.read_events():
            if not isinstance(elem, etree._Element):
                continue
            if event == "start":
                self.depth += 1
                if self.root is None:
                    _xml.check_no_dtd(elem)
                    self.root = elem
                continue
            self.depth -= 1
            if self.depth != 1:
                continue
            self.root.remove(elem)
            elem.tail = None
            if not self.stream.item or _xml.local(elem.tag) == self.stream.item:
                found.append(self.stream.read(elem))
        return found


@contextmanager
def _sink(to: Target) -> Iterator[IO[bytes]]:
    """A binary file to write to: the caller's, or ``to.part`` renamed to ``to`` at the end."""
    if not isinstance(to, str | os.PathLike):
        yield to
        return
    target = Path(to)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as stream:
            yield stream
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def write_chunks(chunks: Iterable[bytes], to: Target) -> int:
    """Write ``chunks`` to ``to`` as they come; return the number of bytes written."""
    written = 0
    with _sink(to) as stream:
        for chunk in chunks:
            stream.write(chunk)
            written += len(chunk)
    return written


async def awrite_chunks(chunks: AsyncIterable[bytes], to: Target) -> int:
    """``write_chunks`` for an asynchronous source."""
    written = 0
    with _sink(to) as stream:
        async for chunk in chunks:
            stream.write(chunk)
            written += len(chunk)
    return written
