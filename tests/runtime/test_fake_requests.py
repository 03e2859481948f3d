"""The fake server's core in place (``lmsgen.runtime._fake``): routing, rebuilding and
checking a call's arguments, credentials, the representation asked for, and answers
made from the tables a provider's ``fake_server.py`` gives it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lmsgen.runtime import _fake
from lmsgen.runtime._codecs import MediaCodec
from lmsgen.runtime._config import Endpoint, Param
from lmsgen.runtime._fake import (
    BaseFakeServer,
    Recorded,
    Rejected,
    WireChoice,
    parse_multipart,
    repair,
)
from lmsgen.runtime._fake_media import file_body, json_body, untyped_record, xml_body
from lxml import etree
from pydantic import BaseModel


class NoArgs(BaseModel):
    """A call without arguments."""


class CourseArgs(BaseModel):
    user_id: str
    ids: list[int] = []
    since: dict[str, str] = {}
    tenant: str | None = None
    limit: int = 10


class TextCodec(MediaCodec[Any]):
    """A media codec whose body shows what it was given: JSON, or XML for an element."""

    media = "text/plain"

    def decode(self, body: bytes) -> Any:
        return body

    def encode(self, value: Any) -> bytes:
        if isinstance(value, dict):
            return json.dumps(value).encode()
        return bytes(etree.tostring(value))

    def validate(self, value: Any) -> Any:
        return value


COURSES = Endpoint(
    operation="get_courses",
    method="GET",
    path="/users/{userId}/courses",
    args=CourseArgs,
    params=(
        Param("user_id", "userId", "path"),
        Param("ids", "ids[]", "query"),
        Param("since", "since", "query", style="deep"),
        Param("tenant", "X-Tenant", "header"),
        Param("limit", "limit", "form"),
    ),
    auth=("apikey",),
    result=TextCodec(),
)
REPORT = Endpoint(operation="get_report", method="GET", path="/report", args=NoArgs)


AUTH_HEADERS = {"apikey": {"X-Key": "right"}, "oauth2": {}}
STATUS = {"get_courses": 200, "get_report": 204}
MEDIA = {TextCodec: json_body}


class Server(BaseFakeServer):
    prefix = "/v1"
    auth_headers = AUTH_HEADERS
    status = STATUS
    media = MEDIA

    def __init__(self) -> None:
        super().__init__([COURSES, REPORT])


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as running:
        yield running


def recorded(path: str, query: str = "", **headers: str) -> Recorded:
    from urllib.parse import parse_qsl

    query_pairs = parse_qsl(query, keep_blank_values=True)
    return Recorded("GET", path, query_pairs, headers, b"")


def test_routes_match_method_and_path_without_the_prefix(server: Server) -> None:
    found = server.match("GET", "/v1/users/u%201/courses")
    assert found is not None
    assert found[0].endpoint is COURSES
    assert found[1] == {"userId": "u 1"}
    assert server.match("POST", "/v1/users/u1/courses") is None
    assert server.match("GET", "/v1/users/u1/courses/extra") is None
    assert server.operation_of(recorded("/v1/report")) == "get_report"
    assert server.operation_of(recorded("/v1/nothing")) == ""


def test_an_unknown_path_is_answered_404(server: Server) -> None:
    answer = server.handle(recorded("/v1/nothing"))
    assert (answer.status, answer.body) == (404, b"no operation for GET /v1/nothing")


def test_arguments_are_rebuilt_from_path_query_headers_and_form(server: Server) -> None:
    request = Recorded(
        "GET",
        "/v1/users/u1/courses",
        [("ids[]", "1"), ("ids[]", "2"), ("since[start]", "2024"), ("other", "x")],
        {
            "x-tenant": "acme",
            "content-type": "application/x-www-form-urlencoded",
        },
        b"limit=5",
    )
    args = server.parse_args(COURSES, request, {"userId": "u1"})
    assert args == CourseArgs(
        user_id="u1", ids=[1, 2], since={"start": "2024"}, tenant="acme", limit=5
    )


def test_arguments_that_break_the_spec_are_rejected_400(server: Server) -> None:
    request = recorded("/v1/users/u1/courses", "ids[]=one")
    with pytest.raises(Rejected) as caught:
        server.parse_args(COURSES, request, {"userId": "u1"})
    assert caught.value.status == 400
    assert str(caught.value).startswith("invalid request:")


def multipart_request(boundary: str = "b0undary") -> Recorded:
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="limit"\r\n\r\n7\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    media = f"multipart/form-data; boundary={boundary}"
    return Recorded("GET", "/v1/users/u1/courses", [], {"content-type": media}, body)


def test_multipart_forms_are_read_only_by_a_server_that_takes_them() -> None:
    with Server() as plain:
        args = plain.parse_args(COURSES, multipart_request(), {"userId": "u1"})
        assert isinstance(args, CourseArgs)
        assert args.limit == 10
        plain.multipart = True
        args = plain.parse_args(COURSES, multipart_request(), {"userId": "u1"})
        assert isinstance(args, CourseArgs)
        assert args.limit == 7


def test_multipart_parts_are_text_and_files_are_bytes() -> None:
    body = (
        b"--xyz\r\n"
        b'Content-Disposition: form-data; name="title"\r\n\r\nNotes\r\n'
        b"--xyz\r\n"
        b'Content-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n"
        b"--xyz--\r\n"
    )
    fields = parse_multipart("multipart/form-data; boundary=xyz", body)
    assert fields == [("title", "Notes"), ("file", b"\x00\x01")]
    with pytest.raises(Rejected, match="malformed"):
        parse_multipart("multipart/form-data; boundary=xyz", b"--xyz\r\n")


def test_credentials_of_one_scheme_are_needed(server: Server) -> None:
    path = "/v1/users/u1/courses"
    assert server.authorize(COURSES, recorded(path, **{"x-key": "right"}))
    assert not server.authorize(COURSES, recorded(path, **{"x-key": "wrong"}))
    assert not server.authorize(COURSES, recorded(path))
    assert server.handle(recorded(path)).status == 401


def test_optional_credentials_may_be_left_out_but_not_wrong(server: Server) -> None:
    optional = Endpoint(
        "get_public", "GET", "/public", NoArgs, auth=("apikey",), auth_optional=True
    )
    assert server.authorize(optional, recorded("/v1/public"))
    assert not server.authorize(optional, recorded("/v1/public", **{"x-key": "no"}))


def test_a_token_scheme_asks_accepts_token(server: Server) -> None:
    endpoint = Endpoint("get_me", "GET", "/me", NoArgs, auth=("oauth2",))
    server.token_scheme = "oauth2"
    given: list[str | None] = []

    def accepts(token: str | None) -> bool:
        given.append(token)
        return token == "fresh"

    server.accepts_token = accepts  # type: ignore[method-assign]
    assert server.authorize(endpoint, recorded("/me", authorization="Bearer fresh"))
    assert server.authorize(endpoint, recorded("/me", authorization="fresh"))
    assert not server.authorize(endpoint, recorded("/me", authorization="stale"))
    assert given == ["fresh", "fresh", "stale"]


def test_the_wire_format_is_the_first_choice_a_request_shows(server: Server) -> None:
    server.wire_choices = (
        WireChoice("json", query=("format", "json")),
        WireChoice("json", accept="application/json"),
    )
    assert server.wire_format(recorded("/", "format=json")) == "json"
    assert server.wire_format(recorded("/", accept="application/json")) == "json"
    assert server.wire_format(recorded("/", "format=xml")) == "xml"
    server.default_wire = "json"
    assert server.wire_format(recorded("/")) == "json"


def test_answers_take_the_status_table_and_the_media_makers(server: Server) -> None:
    answer = server.handle(recorded("/v1/users/u1/courses", **{"x-key": "right"}))
    assert (answer.status, answer.content_type) == (200, "text/plain")
    assert (
        answer.body
        == b'{"operation": "get_courses", "items": [{"id": "1"}, {"id": "2"}]}'
    )
    assert server.handle(recorded("/v1/report")).status == 204
    server.media = {}
    with pytest.raises(KeyError):
        server.handle(recorded("/v1/users/u1/courses", **{"x-key": "right"}))


def test_media_makers(server: Server) -> None:
    codec = TextCodec()
    args = NoArgs()
    document = xml_body(server, REPORT, codec, args)
    assert document == (
        b"<get_report><item><id>1</id></item><item><id>2</id></item></get_report>"
    )
    server.download_size = 70_000
    chunks = list(file_body(server, REPORT, codec, args))
    assert chunks[0] == b"%fake text/plain from get_report\n"
    assert sum(len(chunk) for chunk in chunks) == 70_000
    server.download_size = 10
    assert b"".join(file_body(server, REPORT, codec, args)) == b"%fake text"


def test_example_data_goes_through_the_stateful_builders(server: Server) -> None:
    calls: list[tuple[Any, ...]] = []

    def build(*given: Any) -> str:
        calls.append(given)
        return "built"

    server.examples = {"get_report": lambda: "example", "get_courses": lambda: "plain"}
    server.stateful = {"get_report": build}
    args = NoArgs()
    assert server.data("get_report", args) == "built"
    assert calls == [(server, "get_report", args, "example")]
    assert server.data("get_courses", args) == "plain"


def test_streamed_records_come_in_one_root(server: Server) -> None:
    server.streams = {"get_report": ("report", untyped_record)}
    server.record_count = 2
    document = b"".join(server.record_stream("get_report"))
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<report>")
    assert document.endswith(b"</report>")
    assert document.count(b"<record>") == 2
    assert b"<userId>user-1</userId>" in document


def test_samples_are_served_repaired(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fake, "SPEC", tmp_path)
    (tmp_path / "r.xml").write_bytes(b"?xml?>\n<r>\n  ...\n  <a/>\n</r>\n")
    server.samples = {("get_report", "xml"): "r.xml"}
    server.repairs = {"r.xml": ("leading-text", "ellipsis-lines")}
    assert server.sample("get_report", "xml") == b"<r>\n  <a/>\n</r>\n"
    assert server.sample("get_report", "json") is None


def test_repairs_only_apply_when_named() -> None:
    data = b"junk<a>\n...\n</a>"
    assert repair(data, ()) == data
    assert repair(data, ("leading-text",)) == b"<a>\n...\n</a>"
    assert repair(data, ("ellipsis-lines",)) == b"junk<a>\n</a>"


def test_json_bodies_are_checked_against_their_schema(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fake, "SPEC", tmp_path)
    _fake._json_schemas.cache_clear()
    _fake._json_schema.cache_clear()
    schema = '{"$defs": {"Ids": {"type": "array", "items": {"type": "integer"}}}}'
    (tmp_path / "schema.json").write_text(schema)
    server.json_schemas = {"get_report": "Ids"}
    try:
        server.check_json(REPORT, b"[1, 2]")
        server.check_json(COURSES, b'"not checked"')
        with pytest.raises(Rejected, match="body does not match Ids"):
            server.check_json(REPORT, b'["a"]')
    finally:
        _fake._json_schemas.cache_clear()
        _fake._json_schema.cache_clear()
