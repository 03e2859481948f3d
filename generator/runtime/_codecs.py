"""Body codecs: one object per payload shape that reads and writes it.

Typed models are read and written as XML and JSON (``ModelCodec``, ``ListCodec``); every
other payload has one media type and a ``MediaCodec`` that turns its bytes into the
value the client returns, and back (the fake server writes with the same codecs).
"""

from __future__ import annotations

import csv
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from functools import cached_property, partial
from typing import Any, Generic, Protocol, Self, TypeVar, cast

from pydantic import BaseModel, JsonValue, TypeAdapter, ValidationError

from . import _xml
from ._model import Model

T = TypeVar("T")
M = TypeVar("M", bound=Model)
D = TypeVar("D", bound=BaseModel)


class Codec(Protocol[T]):
    """Reads and writes one payload shape."""

    root: str
    model: Any

    def read_xml(self, elem: Any) -> Any: ...

    def decode_xml(self, elem: Any) -> T: ...

    def decode_json(self, data: bytes) -> T: ...

    def encode_xml(self, value: T) -> bytes: ...

    def element(self, value: T) -> Any: ...

    def encode_json(self, value: T) -> bytes: ...

    def validate(self, value: Any) -> T: ...


def _check_root(elem: Any, root: str) -> None:
    if _xml.local(elem.tag) != root:
        raise _xml.WrongRootError(_xml.local(elem.tag), root)


class ListCodec(Generic[M]):
    """A wrapped list of models: ``<Courses><Course>…</Course></Courses>`` or ``[…]``."""

    def __init__(
        self, model: type[M], root: str, item: str, namespace: str = ""
    ) -> None:
        self.model = model
        self.root = root
        self.item = item
        self.namespace = namespace

    @cached_property
    def adapter(self) -> TypeAdapter[list[M]]:
        """Built on first use, so that importing the package builds no validator."""
        return TypeAdapter(cast(Any, list)[self.model])

    def read_xml(self, elem: Any) -> list[dict[str, Any]]:
        """Each item's field dictionary, not yet validated (see ``_xml.read``)."""
        _check_root(elem, self.root)
        spec = self.model.__xml__
        item = self.item
        return [
            _xml.read(spec, child) for child in elem if _xml.is_named(child.tag, item)
        ]

    def decode_xml(self, elem: Any) -> list[M]:
        return self.validate(self.read_xml(elem))

    def decode_json(self, data: bytes) -> list[M]:
        return self.adapter.validate_json(data)

    def reader(self) -> RecordReader[M]:
        """An incremental reader of this list's XML form."""
        rows = _xml.ListReader(
            partial(_xml.read, self.model.__xml__), self.item, self.root
        )
        return RecordReader(self, rows)

    def encode_xml(self, value: list[M]) -> bytes:
        return _xml.to_bytes(self.element(value))

    def element(self, value: list[M]) -> Any:
        """The wrapper element with every item written inside it."""
        root = _xml.wrap(self.root, (), self.namespace)
        spec = self.model.__xml__
        for entry in value:
            _xml.write(spec, entry, root, self.item, self.namespace)
        return root

    def encode_json(self, value: list[M]) -> bytes:
        return self.adapter.dump_json(value, by_alias=True)

    def validate(self, value: Any) -> list[M]:
        return self.adapter.validate_python(value)


class RecordError(ValueError):
    """A streamed record does not match the spec; ``where`` is its path in the document."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


def _offset(exc: ValidationError, done: int) -> RecordError:
    error = exc.errors()[0]
    loc = list(error["loc"])
    if loc and isinstance(loc[0], int):
        loc[0] += done
    return RecordError(".".join(str(part) for part in loc), error["msg"])


class RecordReader(Generic[M]):
    """Turns chunks of a list document into validated models as they complete."""

    def __init__(
        self, codec: ListCodec[M], items: _xml.ItemReader[dict[str, Any]]
    ) -> None:
        self.codec = codec
        self.items = items
        self.done = 0

    def feed(self, chunk: bytes) -> list[M]:
        return self._validate(self.items.feed(chunk))

    def close(self) -> list[M]:
        return self._validate(self.items.close())

    def _validate(self, rows: list[dict[str, Any]]) -> list[M]:
        try:
            models = self.codec.adapter.validate_python(rows)
        except ValidationError as exc:
            raise _offset(exc, self.done) from None
        self.done += len(rows)
        return models


class ModelCodec(Generic[M]):
    """A single model as the document root (in ``namespace``, which its elements inherit)."""

    def __init__(self, model: type[M], root: str, namespace: str = "") -> None:
        self.model = model
        self.root = root
        self.namespace = namespace

    def read_xml(self, elem: Any) -> dict[str, Any]:
        """The model's field dictionary, not yet validated (see ``_xml.read``)."""
        _check_root(elem, self.root)
        return _xml.read(self.model.__xml__, elem)

    def decode_xml(self, elem: Any) -> M:
        return self.validate(self.read_xml(elem))

    def decode_json(self, data: bytes) -> M:
        return self.model.model_validate_json(data)

    def encode_xml(self, value: M) -> bytes:
        return _xml.to_bytes(self.element(value))

    def element(self, value: M) -> Any:
        """The root element with the model written inside it."""
        return _xml.write(
            self.model.__xml__, value, tag=self.root, namespace=self.namespace
        )

    def encode_json(self, value: M) -> bytes:
        return value.model_dump_json(by_alias=True).encode()

    def validate(self, value: Any) -> M:
        return self.model.model_validate(value)


class MediaCodec(ABC, Generic[T]):
    """A payload of one media type that is not a typed XML/JSON model."""

    media = "application/octet-stream"
    parsed = True
    """Whether the body is a document to parse (so an empty body or an HTML page is an error)."""

    @abstractmethod
    def decode(self, body: bytes) -> T:
        """The value a body holds."""

    @abstractmethod
    def encode(self, value: T) -> bytes:
        """The body that holds a value."""

    @abstractmethod
    def validate(self, value: Any) -> T:
        """Check that a value has this codec's type."""


class BinaryCodec(MediaCodec[bytes]):
    """Raw bytes: files, and replies whose shape the vendor does not document."""

    parsed = False

    def __init__(self, media: str) -> None:
        self.media = media

    def decode(self, body: bytes) -> bytes:
        return body

    def encode(self, value: bytes) -> bytes:
        return value

    def validate(self, value: Any) -> bytes:
        if not isinstance(value, bytes):
            raise TypeError(f"expected bytes, got {type(value).__name__}")
        return value


JSON_VALUE: TypeAdapter[JsonValue] = TypeAdapter(JsonValue)


class JsonValueCodec(MediaCodec[JsonValue]):
    """A JSON document whose shape is not documented: any JSON value."""

    media = "application/json"

    def decode(self, body: bytes) -> JsonValue:
        return JSON_VALUE.validate_json(body)

    def encode(self, value: JsonValue) -> bytes:
        return JSON_VALUE.dump_json(value)

    def validate(self, value: Any) -> JsonValue:
        return JSON_VALUE.validate_python(value)


class XmlElementCodec(MediaCodec[_xml.XmlElement]):
    """An XML document whose shape is not documented: its (safely parsed) root element."""

    media = "application/xml"

    def decode(self, body: bytes) -> _xml.XmlElement:
        return _xml.element(body)

    def encode(self, value: _xml.XmlElement) -> bytes:
        return _xml.to_bytes(value)

    def validate(self, value: Any) -> _xml.XmlElement:
        return _xml.element(value)


class DocumentCodec(MediaCodec[D]):
    """A document read into a model, and written from one, by functions of the model's
    own module (``_feeds``, ``_csv``): handed in, so that this module imports neither.
    """

    def __init__(
        self,
        media: str,
        model: type[D],
        read: Callable[[bytes], D],
        write: Callable[[D], bytes],
    ) -> None:
        self.media = media
        self.model = model
        self.read = read
        self.write = write

    def decode(self, body: bytes) -> D:
        return self.read(body)

    def encode(self, value: D) -> bytes:
        return self.write(value)

    def validate(self, value: Any) -> D:
        return self.model.model_validate(value)


class FeedCodec(DocumentCodec[D]):
    """An RSS 2.0 or Atom 1.0 feed (whichever the body is), as a ``Feed``."""


class EntryCodec(DocumentCodec[D]):
    """A single Atom 1.0 entry document, as an ``Entry``."""


class CsvReportCodec(DocumentCodec[D]):
    """The CSV reply of a content handler: per-row errors and warnings, overall success."""

    def decode(self, body: bytes) -> D:
        try:
            return self.read(body)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ValueError(f"unreadable CSV report: {exc}") from None


class Rows(Protocol):
    """A CSV row model (``_csv.CsvRow``): it reads and writes whole CSV texts."""

    @classmethod
    def from_csv(cls, text: str) -> list[Self]: ...

    @classmethod
    def to_csv(cls, rows: Iterable[Self]) -> str: ...


R = TypeVar("R", bound=Rows)


class CsvRowsCodec(MediaCodec[list[R]]):
    """CSV text with a header row and one line per row model (``text/plain``)."""

    media = "text/plain; charset=utf-8"

    def __init__(self, model: type[R]) -> None:
        self.model = model
        self.adapter: TypeAdapter[list[R]] = TypeAdapter(cast(Any, list)[model])

    def decode(self, body: bytes) -> list[R]:
        return self.model.from_csv(body.decode("utf-8-sig"))

    def encode(self, value: list[R]) -> bytes:
        return self.model.to_csv(value).encode("utf-8")

    def validate(self, value: Any) -> list[R]:
        return self.adapter.validate_python(value)
