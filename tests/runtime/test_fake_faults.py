"""The fake server over real HTTP (``lmsgen.runtime._fake``): recorded requests, injected
faults (how many, for which operation, of which kind), chunked answers and sessions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lmsgen.runtime._config import Endpoint
from lmsgen.runtime._fake import Answer, BaseFakeServer, Fault
from pydantic import BaseModel


class NoArgs(BaseModel):
    """A call without arguments."""


PING = Endpoint("ping", "GET", "/ping", NoArgs)
PONG = Endpoint("pong", "POST", "/pong", NoArgs)


STATUS = {"ping": 200, "pong": 201}


class Server(BaseFakeServer):
    status = STATUS

    def __init__(self) -> None:
        super().__init__([PING, PONG])

    def answer(self, endpoint: Endpoint[Any], args: BaseModel, wire: Any) -> Answer:
        if endpoint.operation == "pong":
            return Answer(
                201, content_type="text/plain", chunks=iter([b"po", b"", b"ng"])
            )
        return Answer(200, b"pong", "text/plain")


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as running:
        yield running


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=2) as client:
        yield client


def test_requests_are_recorded_and_answered(server: Server, http: httpx.Client) -> None:
    assert http.get("/ping", params={"a": "1"}, headers={"X-Trace": "t"}).text == "pong"
    chunked = http.post("/pong", content=b"hello")
    assert (chunked.status_code, chunked.text) == (201, "pong")
    assert chunked.headers["transfer-encoding"] == "chunked"
    first, second = server.requests
    assert (first.method, first.path, first.query) == ("GET", "/ping", [("a", "1")])
    assert first.headers["x-trace"] == "t"
    assert second.body == b"hello"
    assert [request.path for request in server.calls("pong")] == ["/pong"]


def test_chunked_request_bodies_are_read(server: Server, http: httpx.Client) -> None:
    http.post("/pong", content=iter([b"one ", b"two"]))
    assert server.requests[-1].body == b"one two"


def test_a_fault_serves_count_requests_of_its_operation(
    server: Server, http: httpx.Client
) -> None:
    server.inject(Fault(status=503, body=b"busy", count=2, operation="ping"))
    assert http.post("/pong").status_code == 201
    assert [http.get("/ping").status_code for _ in range(3)] == [503, 503, 200]
    assert server.faults == []


def test_a_status_fault_takes_its_content_type_from_its_headers(
    server: Server, http: httpx.Client
) -> None:
    headers = {"Content-Type": "application/json", "Retry-After": "1"}
    server.inject(Fault(status=429, body=b"{}", headers=headers))
    reply = http.get("/ping")
    assert (reply.status_code, reply.text) == (429, "{}")
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    ("kind", "body", "media"),
    [
        ("html", b"<!DOCTYPE html><html><body>Server Error</body></html>", "text/html"),
        ("invalid", b"<unclosed><tag>", "application/xml"),
        ("empty", b"", "application/xml"),
    ],
)
def test_broken_bodies(
    server: Server, http: httpx.Client, kind: str, body: bytes, media: str
) -> None:
    server.inject(Fault(kind))
    reply = http.get("/ping")
    assert (reply.status_code, reply.content) == (200, body)
    assert reply.headers["content-type"] == media


def test_a_reset_closes_the_connection_unanswered(
    server: Server, http: httpx.Client
) -> None:
    server.inject(Fault("reset"))
    with pytest.raises(httpx.TransportError):
        http.get("/ping")
    assert http.get("/ping").text == "pong"


def test_a_truncated_answer_promises_more_than_it_sends(
    server: Server, http: httpx.Client
) -> None:
    server.inject(Fault("truncate"))
    with pytest.raises(httpx.RemoteProtocolError):
        http.get("/ping")


def test_a_slow_fault_delays_the_normal_answer(
    server: Server, http: httpx.Client
) -> None:
    server.inject(Fault("slow", delay=0.3))
    started = time.monotonic()
    assert http.get("/ping").text == "pong"
    assert time.monotonic() - started >= 0.3


def test_a_session_cookie_is_fresh_on_every_answer(
    server: Server, http: httpx.Client
) -> None:
    assert "set-cookie" not in http.get("/ping").headers
    server.session_cookie = True
    cookies = [http.get("/ping").headers["set-cookie"] for _ in range(2)]
    assert cookies == ["session=1; Path=/", "session=2; Path=/"]
