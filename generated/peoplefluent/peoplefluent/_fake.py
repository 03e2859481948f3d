"""The machinery of the fake server: real HTTP on loopback, routing, checks, faults.

``fake_server.py`` gives it what is particular to one provider as tables (credentials,
status codes, samples, schemas, example data), set as class attributes of its
``FakeServer``; everything that reads them is here, the same in every package.
"""

from __future__ import annotations

import itertools
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import HTTP
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import BaseModel, ValidationError

from . import _xml
from ._codecs import Codec, MediaCodec
from ._config import Endpoint, WireFormat

SPEC = Path(__file__).resolve().parent / "_spec"
"""The spec files shipped with the package (XSDs, samples, JSON schema)."""


@dataclass(frozen=True)
class Recorded:
    """One request as the fake server received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Fault:
    """A misbehaviour to serve instead of the normal answer.

    ``kind`` is ``status`` (``status``, ``body``, ``headers``, ``content_type``),
    ``reset`` (close the connection without answering), ``truncate`` (promise more
    bytes than are sent), ``slow`` (wait ``delay`` seconds first), ``html``,
    ``invalid`` or ``empty``. ``count`` answers are affected; ``operation`` limits the
    fault to one operation.
    """

    kind: str = "status"
    status: int = 503
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    count: int = 1
    operation: str = ""
    content_type: str = "text/plain"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None
    """A body produced piece by piece, sent with chunked transfer encoding instead."""


@dataclass(frozen=True)
class WireChoice:
    """A sign that a request wants ``wire``: a query pair, or a media type it accepts."""

    wire: WireFormat
    query: tuple[str, str] | None = None
    accept: str = ""

    def matches(self, request: Recorded) -> bool:
        if self.query is not None:
            return self.query in request.query
        return self.accept in request.headers.get("accept", "")


class Route:
    """An endpoint and the regular expression of its path."""

    def __init__(self, endpoint: Endpoint[Any]) -> None:
        self.endpoint = endpoint
        pattern = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(endpoint.path))
        self.regex = re.compile(pattern + "$")


class Rejected(Exception):
    """The request breaks the spec; answered with ``status`` and the message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


MediaAnswer = Callable[
    ["BaseFakeServer", Endpoint[Any], MediaCodec[Any], BaseModel],
    bytes | Iterator[bytes],
]
"""Makes the body of a reply that is not a typed model (a whole body, or its chunks)."""

Stateful = Callable[[Any, str, BaseModel, Any], Any]
"""Turns an operation's example data into its answer with the server's state (pages,
issued tokens): called with the server, the operation, its arguments and the example."""


class _HTTPServer(ThreadingHTTPServer):
    """A thread per request; a client that hangs up early is not a server error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Tests cut replies short on purpose (timeouts, oversized bodies): the broken
        # pipe that follows is expected, and its traceback would only be noise.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class BaseFakeServer:
    """Serves a provider's endpoints on 127.0.0.1 in a background thread."""

    prefix = ""
    session_cookie = False
    """Set a fresh session cookie on every answer, as servers that pin sessions do."""
    multipart = False
    """Read ``multipart/form-data`` bodies (a provider whose calls send them)."""
    token_scheme = ""
    """The auth scheme whose bearer tokens ``accepts_token`` judges (OAuth 2.0)."""
    default_wire: WireFormat = "xml"
    """The representation of a request that shows none of ``wire_choices``."""
    wire_choices: ClassVar[tuple[WireChoice, ...]] = ()
    credentials: ClassVar[Mapping[str, str]] = {}
    """The client constructor arguments of credentials the server accepts."""
    client_defaults: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Other constructor arguments a client needs (required client-wide defaults)."""
    auth_headers: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    """What each auth scheme's request headers must be."""
    status: ClassVar[Mapping[str, int]] = {}
    """The status each operation answers with when it succeeds."""
    samples: ClassVar[Mapping[tuple[str, str], str]] = {}
    """Response samples served verbatim, by operation and wire format."""
    repairs: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """What misprinted samples need before they parse (``repair``)."""
    xsds: ClassVar[Mapping[str, str]] = {}
    """The XSD of ``_spec`` that each operation's XML request body must match."""
    json_schemas: ClassVar[Mapping[str, str]] = {}
    """The ``$defs`` entry of ``_spec/schema.json`` each JSON request body must match."""
    examples: ClassVar[Mapping[str, Callable[[], Any]]] = {}
    """Schema-valid data for each operation that answers with a model."""
    stateful: ClassVar[Mapping[str, Stateful]] = {}
    """The operations whose answers depend on the server's state."""
    streams: ClassVar[Mapping[str, tuple[str, Callable[[int], bytes]]]] = {}
    """The root element and record writer of each streamed XML answer."""
    media: ClassVar[Mapping[type[MediaCodec[Any]], MediaAnswer]] = {}
    """How a reply of each media codec that is not a typed model is made."""
    records = 25
    """How many records each paged operation holds (tests may change it)."""
    record_count = 3
    """How many records a streamed XML answer holds."""
    download_size = 4096
    """How many bytes a file answer holds."""

    def __init__(
        self, endpoints: list[Endpoint[Any]], host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.routes = [Route(endpoint) for endpoint in endpoints]
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        self._server = _HTTPServer((host, port), self._handler_class())
        self._thread: threading.Thread | None = None
        for xsd in self.xsds.values():
            _xsd(xsd)  # now, not in the first request: it would outlast short timeouts

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    def client_options(self, **options: Any) -> dict[str, Any]:
        """Constructor arguments for a client of this server: what it accepts, and
        ``options``."""
        settings = {**self.credentials, **dict(self.client_defaults)}
        return {**settings, "base_url": self.base_url, **options}

    def start(self) -> Self:
        """Serve in a background thread."""
        # A short poll interval: ``close`` (``shutdown``) waits for the next poll.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._server.serve_forever()

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def inject(self, fault: Fault) -> None:
        """Serve ``fault`` for the next ``fault.count`` matching requests."""
        with self._lock:
            self.faults.append(fault)

    def calls(self, operation: str) -> list[Recorded]:
        """The recorded requests that reached ``operation``."""
        return [
            request
            for request in self.requests
            if self.operation_of(request) == operation
        ]

    def operation_of(self, request: Recorded) -> str:
        """The operation a request is for (``""``: none)."""
        found = self.match(request.method, request.path)
        return found[0].endpoint.operation if found else ""

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        for route in self.routes:
            if route.endpoint.method != method:
                continue
            found = route.regex.match(path)
            if found:
                groups = found.groupdict().items()
                return route, {key: unquote(value) for key, value in groups}
        return None

    def _take_fault(self, operation: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.operation in ("", operation) and fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # Credentials and representation ---------------------------------------------------

    def authorize(self, endpoint: Endpoint[Any], request: Recorded) -> bool:
        """The right credentials of one of the call's schemes; none at all if optional."""
        for name in endpoint.auth:
            if name == self.token_scheme:
                # The vendor's sample sends the token without "Bearer ": accept both forms.
                given = request.headers.get("authorization", "").removeprefix("Bearer ")
                if self.accepts_token(given):
                    return True
                continue
            expected = self.auth_headers[name]
            if all(
                request.headers.get(key.lower()) == value
                for key, value in expected.items()
            ):
                return True
        sent = any(
            key.lower() in request.headers
            for name in endpoint.auth
            for key in self.auth_headers[name]
        )
        return not endpoint.auth or (endpoint.auth_optional and not sent)

    def accepts_token(self, token: str | None) -> bool:
        """Whether an access token is valid (a server that issues tokens checks them)."""
        return True

    def wire_format(self, request: Recorded) -> WireFormat:
        """The representation the request asks for."""
        for choice in self.wire_choices:
            if choice.matches(request):
                return choice.wire
        return self.default_wire

    # Request handling ----------------------------------------------------------------

    def handle(self, request: Recorded) -> Answer:
        found = self.match(request.method, request.path)
        if found is None:
            return _text_answer(
                404, f"no operation for {request.method} {request.path}"
            )
        route, path_args = found
        endpoint = route.endpoint
        wire = endpoint.wire_format(self.wire_format(request))
        if not self.authorize(endpoint, request):
            return self.error_answer(
                endpoint, 401, "missing or wrong credentials", wire
            )
        try:
            args = self.parse_args(endpoint, request, path_args)
            return self.answer(endpoint, args, wire)
        except Rejected as exc:
            return self.error_answer(endpoint, exc.status, str(exc), wire)

    def error_answer(
        self, endpoint: Endpoint[Any], status: int, message: str, wire: WireFormat
    ) -> Answer:
        """An error in the ``{code, message}`` body the spec documents for errors, if it
        does (other documented error bodies have nowhere to put the message)."""
        if endpoint.error is None or "message" not in endpoint.error.model.model_fields:
            return _text_answer(status, message)
        detail = endpoint.error.validate({"code": str(status), "message": message})
        if wire == "json":
            return Answer(
                status, endpoint.error.encode_json(detail), "application/json"
            )
        return Answer(status, endpoint.error.encode_xml(detail), "application/xml")

    def parse_args(
        self, endpoint: Endpoint[Any], request: Recorded, path_args: dict[str, str]
    ) -> BaseModel:
        """The call's arguments, rebuilt from the wire and checked against the spec."""
        values: dict[str, Any] = {}
        wire_of = {param.wire: param for param in endpoint.params}
        for param in endpoint.params:
            if param.location == "path":
                values[param.arg] = path_args[param.wire]
            elif param.location == "header" and param.wire.lower() in request.headers:
                values[param.arg] = request.headers[param.wire.lower()]
        fields: list[tuple[str, Any]] = list(request.query)
        media = request.headers.get("content-type", "")
        if media.startswith("application/x-www-form-urlencoded"):
            fields += parse_qsl(request.body.decode(), keep_blank_values=True)
        elif self.multipart and media.startswith("multipart/form-data"):
            fields += parse_multipart(media, request.body)
        for key, value in fields:
            direct = wire_of.get(key)
            if direct is not None and direct.location in (
                "query",
                "form",
                "multipart",
                "file",
            ):
                if key.endswith("[]"):
                    values.setdefault(direct.arg, []).append(value)
                else:
                    values[direct.arg] = value
                continue
            outer, _, inner = key.partition("[")
            deep = wire_of.get(outer)
            if deep is not None and deep.style == "deep" and inner.endswith("]"):
                values.setdefault(deep.arg, {})[inner[:-1]] = value
        if endpoint.body is not None:
            values[endpoint.body.arg] = self.parse_body(endpoint, request)
        try:
            return endpoint.args.model_validate(values)
        except ValidationError as exc:
            raise Rejected(400, f"invalid request: {exc}") from None

    def parse_body(self, endpoint: Endpoint[Any], request: Recorded) -> Any:
        assert endpoint.body is not None
        codec = endpoint.body.codec
        media = request.headers.get("content-type", "").split(";")[0].strip()
        formats = endpoint.body.formats
        try:
            if isinstance(codec, MediaCodec):
                if media == codec.media.split(";")[0]:
                    return codec.decode(request.body)
            elif media == "application/json" and "json" in formats:
                self.check_json(endpoint, request.body)
                return codec.decode_json(request.body)
            elif media in ("application/xml", "text/xml") and "xml" in formats:
                self.check_xml(endpoint, request.body)
                return codec.decode_xml(_xml.parse(request.body))
        except (ValueError, ValidationError) as exc:
            raise Rejected(400, f"invalid body: {exc}") from None
        raise Rejected(415, f"unsupported content type {media!r}")

    def check_xml(self, endpoint: Endpoint[Any], body: bytes) -> None:
        """Validate an XML body against the operation's XSD, when it has one."""
        xsd = self.xsds.get(endpoint.operation)
        if xsd is None:
            return
        errors = list(_xsd(xsd).iter_errors(body.decode()))
        if errors:
            raise Rejected(400, f"body does not match {xsd}: {errors[0].reason}")

    def check_json(self, endpoint: Endpoint[Any], body: bytes) -> None:
        """Validate a JSON body against the operation's JSON schema, when it has one."""
        name = self.json_schemas.get(endpoint.operation)
        if name is None:
            return
        import json

        import jsonschema

        errors = _json_schema(name).iter_errors(json.loads(body))
        error = jsonschema.exceptions.best_match(errors)
        if error is not None:
            raise Rejected(400, f"body does not match {name}: {error.message}")

    # Answers -------------------------------------------------------------------------

    def answer(
        self, endpoint: Endpoint[Any], args: BaseModel, wire: WireFormat
    ) -> Answer:
        """The successful answer to a valid request."""
        status = self.status[endpoint.operation]
        codec = endpoint.result_codec(args)
        if codec is None:
            return Answer(status)
        if endpoint.operation in self.streams:
            chunks = self.record_stream(endpoint.operation)
            return Answer(status, content_type="application/xml", chunks=chunks)
        if isinstance(codec, MediaCodec):
            return self.media_answer(endpoint, codec, args, status)
        return self.model_answer(endpoint, codec, args, wire, status)

    def model_answer(
        self,
        endpoint: Endpoint[Any],
        codec: Codec[Any],
        args: BaseModel,
        wire: WireFormat,
        status: int,
    ) -> Answer:
        """A typed model's answer: the vendor's sample if there is one, else example
        data."""
        media = "application/json" if wire == "json" else "application/xml"
        raw = self.sample(endpoint.operation, wire)
        if raw is not None:
            return Answer(status, raw, media)
        value = self.data(endpoint.operation, args)
        if wire == "json":
            return Answer(status, codec.encode_json(value), media)
        return Answer(status, codec.encode_xml(value), media)

    def media_answer(
        self,
        endpoint: Endpoint[Any],
        codec: MediaCodec[Any],
        args: BaseModel,
        status: int,
    ) -> Answer:
        """The answer of a call whose reply is not a typed model."""
        for kind, make in self.media.items():
            if isinstance(codec, kind):
                body = make(self, endpoint, codec, args)
                if isinstance(body, bytes):
                    return Answer(status, body, codec.media)
                return Answer(status, content_type=codec.media, chunks=body)
        raise KeyError(endpoint.operation)

    def sample(self, operation: str, wire: str) -> bytes | None:
        """The documented response sample of ``operation`` in ``wire``, if it has one."""
        name = self.samples.get((operation, wire))
        if name is None:
            return None
        return repair((SPEC / name).read_bytes(), self.repairs.get(name, ()))

    def data(self, operation: str, args: BaseModel) -> Any:
        """Schema-valid data for an operation without a usable sample."""
        value = self.examples[operation]()
        build = self.stateful.get(operation)
        return value if build is None else build(self, operation, args, value)

    def record_stream(self, operation: str) -> Iterator[bytes]:
        """A streamed XML answer of ``record_count`` records, produced as it is sent."""
        root, record = self.streams[operation]
        yield f"<?xml version='1.0' encoding='utf-8'?>\n<{root}>".encode()
        for start in range(0, self.record_count, 500):
            stop = min(start + 500, self.record_count)
            yield b"".join(record(number) for number in range(start, stop))
        yield f"</{root}>".encode()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: with Nagle's algorithm on, the
            # body would wait for the client's delayed ACK (40 ms on Linux) on every call.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                split = urlsplit(self.path)
                body = self._body()
                request = Recorded(
                    method=self.command,
                    path=split.path,
                    query=parse_qsl(split.query, keep_blank_values=True),
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=body,
                )
                with server._lock:
                    server.requests.append(request)
                fault = server._take_fault(server.operation_of(request))
                if fault is not None and self._fault(fault, request):
                    return
                answer = server.handle(request)
                self._send(answer)

            def _body(self) -> bytes:
                if self.headers.get("transfer-encoding", "").lower() != "chunked":
                    length = int(self.headers.get("content-length") or 0)
                    return self.rfile.read(length) if length else b""
                parts = []
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(parts)

            def _fault(self, fault: Fault, request: Recorded) -> bool:
                if fault.kind == "slow":
                    time.sleep(fault.delay)
                    return False
                if fault.kind == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET,
                        socket.SO_LINGER,
                        b"\x01\x00\x00\x00\x00\x00\x00\x00",
                    )
                    self.close_connection = True
                    self.connection.close()
                    return True
                if fault.kind == "truncate":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"<?xml version='1.0'?><partial>")
                    self.wfile.flush()
                    self.close_connection = True
                    return True
                if fault.kind in _FAULT_BODIES:
                    status, body, media = _FAULT_BODIES[fault.kind]
                    self._send(Answer(status, body, media, fault.headers))
                    return True
                media = fault.content_type
                headers = {}
                for key, value in fault.headers.items():
                    if key.lower() == "content-type":
                        media = value
                    else:
                        headers[key] = value
                self._send(Answer(fault.status, fault.body, media, headers))
                return True

            def _send(self, answer: Answer) -> None:
                self.send_response(answer.status)
                if answer.content_type:
                    self.send_header("Content-Type", answer.content_type)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                if server.session_cookie:
                    session = next(server._sessions)
                    self.send_header("Set-Cookie", f"session={session}; Path=/")
                if answer.chunks is None:
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in answer.chunks:
                    if chunk:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        return Handler


_FAULT_BODIES = {
    "html": (
        200,
        b"<!DOCTYPE html><html><body>Server Error</body></html>",
        "text/html",
    ),
    "invalid": (200, b"<unclosed><tag>", "application/xml"),
    "empty": (200, b"", "application/xml"),
}
"""The answers of the faults that send a well-formed reply with a broken body."""


def _text_answer(status: int, message: str) -> Answer:
    return Answer(status, message.encode(), "text/plain; charset=utf-8")


@cache
def _xsd(name: str) -> Any:
    """An XSD of ``_spec``, read once per process (reading one takes a tenth of a second)."""
    import xmlschema

    return xmlschema.XMLSchema(str(SPEC / name))


@cache
def _json_schemas() -> dict[str, Any]:
    """``_spec/schema.json``, read once per process."""
    import json

    return dict(json.loads((SPEC / "schema.json").read_text(encoding="utf-8")))


@cache
def _json_schema(name: str) -> Any:
    """The validator of one ``$defs`` entry of ``_spec/schema.json``, built once."""
    import jsonschema

    return jsonschema.Draft202012Validator(
        {**_json_schemas(), "$ref": f"#/$defs/{name}"}
    )


def parse_multipart(content_type: str, body: bytes) -> list[tuple[str, str | bytes]]:
    """The fields of a ``multipart/form-data`` body: text for fields, bytes for files."""
    boundary = (
        BytesHeaderParser(policy=HTTP)
        .parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n")
        .get_param("boundary")
    )
    if not isinstance(boundary, str) or b"--" + boundary.encode() + b"--" not in body:
        raise Rejected(400, "malformed multipart body")
    fields: list[tuple[str, str | bytes]] = []
    for part in body.split(b"--" + boundary.encode())[1:-1]:
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise Rejected(400, "multipart part without a name")
        data = data.removesuffix(b"\r\n")
        fields.append((name, data if headers.get_filename() else data.decode()))
    return fields


def repair(data: bytes, repairs: tuple[str, ...]) -> bytes:
    """A misprinted vendor sample made parseable, by the named repairs of its spec.

    ``leading-text`` drops what precedes the first ``<`` (a declaration that lost its
    ``<``); ``ellipsis-lines`` drops lines that only hold ``...`` ("more of the same").
    """
    if "leading-text" in repairs:
        data = data[data.find(b"<") :]
    if "ellipsis-lines" in repairs:
        data = b"".join(
            line for line in data.splitlines(keepends=True) if line.strip() != b"..."
        )
    return data
