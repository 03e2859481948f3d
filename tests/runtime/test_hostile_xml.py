"""Hostile XML, served to every XML-consuming operation of every generated provider.

Each payload must be refused quickly with the package's typed error, without reading a
local file or opening a connection (a canary listener counts connection attempts).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generated_packages import (
    consumes_xml,
    load,
    operations,
    record_stream_operations,
    streamed_operations,
)
from helpers import REPO

CORPUS = sorted((REPO / "tests" / "fixtures" / "hostile_xml").glob("*.xml"))
XML_OPERATIONS = operations(consumes_xml)
CASES = [pytest.param(*case.values, False, id=case.id) for case in XML_OPERATIONS] + [
    pytest.param(*case.values, True, id=case.id)
    for case in streamed_operations() + record_stream_operations()
]
"""Every XML-consuming call: whole responses, and the record-by-record ``iter_…`` ones
(of XML lists, and of record streams)."""
DEADLINE = 10.0
"""Seconds a refusal may take, server round trip included: a guard against a hang (which
never ends), not a speed target; refusals take well under a second on an idle machine and
up to 5 s on a 2-core one shared with a parallel suite."""
LIMITS = {
    "billion_laughs": "entity declarations (DTD) are refused",
    "quadratic_blowup": "entity declarations (DTD) are refused",
    "deep_nesting": "XML nesting deeper than 256 levels",
}
"""The limit each payload hits, as the message names it; every other payload declares
a DTD, which is refused as such."""


class Canary:
    """A loopback listener that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = int(self.socket.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


def _xml_wire(generated: Any, operation: str) -> dict[str, str]:
    """Ask for XML where the client lets the caller choose XML or JSON."""
    endpoint = generated.endpoint(operation)
    return {"wire_format": "xml"} if "json" in endpoint.result_formats else {}


def _serve_and_call(provider: str, operation: str, body: bytes, streamed: bool) -> Any:
    generated = load(provider)
    _, whole, _ = generated.calls[operation]
    streams = {name: calls[0] for name, calls in generated.streams.items()}
    stream = {**streams, **generated.record_streams}[operation] if streamed else None
    call = (lambda client: list(stream(client))) if stream else whole
    headers = {"Content-Type": "application/xml"}
    with generated.fake.FakeServer() as server:
        server.inject(
            generated.fake.Fault(status=200, body=body, headers=headers, count=5)
        )
        retry = generated.package.RetryPolicy(max_attempts=1)
        with (
            server.client(retry=retry, **_xml_wire(generated, operation)) as client,
            pytest.raises(generated.errors.ResponseParseError) as caught,
        ):
            call(client)
    return caught.value


@pytest.mark.parametrize("payload", CORPUS, ids=lambda path: path.stem)
@pytest.mark.parametrize(("provider", "operation", "streamed"), CASES)
def test_hostile_payload_is_refused(
    provider: str, operation: str, streamed: bool, payload: Path, canary: Canary
) -> None:
    body = payload.read_text(encoding="utf-8").replace(
        "{CANARY_PORT}", str(canary.port)
    )
    started = time.monotonic()
    error = _serve_and_call(provider, operation, body.encode(), streamed)
    assert time.monotonic() - started < DEADLINE
    assert error.operation == operation
    assert canary.connections == 0
    assert "root:" not in str(error)  # nothing of /etc/passwd came back
    assert isinstance(error, load(provider).errors.UnsafeXmlError), str(error)
    limit = LIMITS.get(payload.stem, "entity declarations (DTD) are refused")
    assert limit in error.message
    assert "HUGE" not in str(error)  # never advise lifting the limit


@pytest.mark.parametrize(("provider", "operation", "streamed"), CASES)
def test_oversized_document_is_refused(
    provider: str, operation: str, streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    generated = load(provider)
    monkeypatch.setattr(generated.xml, "MAX_BYTES", 1024 * 1024)
    result = generated.endpoint(operation).result
    root = str(getattr(result, "root", "") or "ROOT").encode()
    padding = b"<x>padding</x>" * 100_000
    body = b"<?xml version='1.0'?><" + root + b">" + padding + b"</" + root + b">"
    started = time.monotonic()
    error = _serve_and_call(provider, operation, body, streamed)
    assert time.monotonic() - started < DEADLINE
    assert isinstance(error, generated.errors.UnsafeXmlError)
    assert "document larger than 1048576 bytes" in error.message


def test_the_corpus_is_complete() -> None:
    names = {path.stem for path in CORPUS}
    assert {"billion_laughs", "quadratic_blowup", "external_entity_file"} <= names
    assert {"external_dtd_http", "parameter_entity_http", "deep_nesting"} <= names
    assert XML_OPERATIONS, "no generated operation consumes XML"
