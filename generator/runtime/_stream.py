"""Large replies read as they arrive: XML records one at a time, files written in chunks.

Nothing here holds a whole reply: a record is handed out as soon as its end tag is
parsed (``_xml.ItemReader``), and a download is written chunk by chunk.
"""

from __future__ import annotations

import copy
import os
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Generic, TypeVar

from . import _xml
from ._model import Model

R = TypeVar("R")
M = TypeVar("M", bound=Model)
Target = str | os.PathLike[str] | IO[bytes]
"""Where a download goes: a path (written through a ``.part`` file) or a binary file."""


def element_record(elem: _xml.XmlElement) -> _xml.XmlElement:
    """An undocumented record: a copy of its element, standing alone (no tail).

    The element itself stays in the document being read until the next chunk: the text
    after it may still be growing there.
    """
    record = copy.deepcopy(elem)
    record.tail = None
    return record


def model_record(model: type[M]) -> Callable[[_xml.XmlElement], M]:
    """A reader of records described by ``model`` (the XSD's record type)."""

    def read(elem: _xml.XmlElement) -> M:
        return model.model_validate(_xml.read(model.__xml__, elem))

    return read


@dataclass(frozen=True)
class RecordStream(Generic[R]):
    """How to read the records of a streamed XML reply: the children of its root.

    ``item`` names the record element (other children are skipped; ``""`` takes every
    child); ``read`` turns a record element into the value handed out.
    """

    read: Callable[[_xml.XmlElement], R]
    item: str = ""

    def reader(self) -> _xml.ItemReader[R]:
        """A reader of this reply's records, fed chunk by chunk."""
        return _xml.ItemReader(self.read, self.item)


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


class Download:
    """Writes a streamed reply to a ``Target`` (the ``download`` of an ``Endpoint``)."""

    def write(self, chunks: Iterable[bytes], to: Target) -> int:
        return write_chunks(chunks, to)

    async def awrite(self, chunks: AsyncIterable[bytes], to: Target) -> int:
        return await awrite_chunks(chunks, to)


DOWNLOAD = Download()
