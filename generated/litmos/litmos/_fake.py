"""The machinery of the fake server: real HTTP on loopback, routing, checks, faults.

``fake_server.py`` adds what is particular to Litmos API: credentials, how the
representation is chosen, and the data each operation answers with.
"""

from __future__ import annotations

import itertools
import re
import socket
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import BaseModel, ValidationError

from . import _xml
from ._codecs import MediaCodec
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

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

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
                return route, {
                    key: unquote(value) for key, value in found.groupdict().items()
                }
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

    # Provider hooks -----------------------------------------------------------------

    def authorize(self, endpoint: Endpoint[Any], request: Recorded) -> bool:
        """Whether the request carries the credentials ``endpoint`` needs."""
        return True

    def wire_format(self, request: Recorded) -> WireFormat:
        """The representation the request asks for."""
        return "xml"

    def answer(
        self, endpoint: Endpoint[Any], args: BaseModel, wire: WireFormat
    ) -> Answer:
        """The successful answer to a valid request."""
        raise NotImplementedError

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
        try:
            if isinstance(codec, MediaCodec):
                if media == codec.media.split(";")[0]:
                    return codec.decode(request.body)
            elif media == "application/json" and "json" in endpoint.body.formats:
                self.check_json(endpoint, request.body)
                return codec.decode_json(request.body)
            elif (
                media in ("application/xml", "text/xml")
                and "xml" in endpoint.body.formats
            ):
                self.check_xml(endpoint, request.body)
                return codec.decode_xml(_xml.parse(request.body))
        except (ValueError, ValidationError) as exc:
            raise Rejected(400, f"invalid body: {exc}") from None
        raise Rejected(415, f"unsupported content type {media!r}")

    def check_xml(self, endpoint: Endpoint[Any], body: bytes) -> None:
        """Validate an XML body against the operation's XSD, when it has one."""

    def check_json(self, endpoint: Endpoint[Any], body: bytes) -> None:
        """Validate a JSON body against the operation's JSON schema, when it has one."""

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
                bodies = {
                    "html": (
                        200,
                        b"<!DOCTYPE html><html><body>Server Error</body></html>",
                        "text/html",
                    ),
                    "invalid": (200, b"<unclosed><tag>", "application/xml"),
                    "empty": (200, b"", "application/xml"),
                }
                if fault.kind in bodies:
                    status, body, media = bodies[fault.kind]
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
                    self.send_header(
                        "Set-Cookie", f"session={next(server._sessions)}; Path=/"
                    )
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


def _text_answer(status: int, message: str) -> Answer:
    return Answer(status, message.encode(), "text/plain; charset=utf-8")


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
