"""The generated Litmos client on the vendor's documented quirks, over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from litmos import AsyncClient, Client, RetryPolicy, _endpoints, _xml
from litmos.errors import (
    RequestValidationError,
    ResponseParseError,
    ServerError,
    UnsafeXmlError,
)
from litmos.fake_server import API_KEY, SPEC, FakeServer, Fault
from litmos.models import CourseReference, UserReference


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def client_for(server: FakeServer, **options: Any) -> Client:
    options.setdefault("retry", RetryPolicy(max_attempts=1))
    return Client(API_KEY, source="tests", base_url=server.base_url, **options)


def test_bulk_sample_with_the_vendor_mistakes_parses() -> None:
    raw = (SPEC / "examples/getUsersCourses.response.xml").read_bytes()
    assert _endpoints.GET_USERS_COURSES.result is not None
    users = _endpoints.GET_USERS_COURSES.result.decode_xml(_xml.parse(raw))
    second = users[1].courses
    assert second is not None
    quirky = second[1]
    assert quirky.compliant_till is None  # written <ComplaintTill i:nil="true"/>
    assert (
        quirky.course_created_date is None
    )  # written <CourseCreateDate></CourseCreateDate>
    assert quirky.active is None  # empty boolean element
    assert quirky.user_id is None  # the second course lacks UserId
    assert quirky.start_date == datetime(2020, 4, 12, 8, 45, 40, 824000)
    assert quirky.model_extra == {}  # every misspelt element was mapped, none left over


def test_json_sample_dates_and_numeric_result_id() -> None:
    raw = (SPEC / "examples/getUsersCourses.response.json").read_bytes()
    assert _endpoints.GET_USERS_COURSES.result is not None
    users = _endpoints.GET_USERS_COURSES.result.decode_json(raw)
    courses = users[0].courses
    assert courses is not None
    assert courses[0].result_id == "123456789"
    assert courses[0].assigned_date == datetime.fromtimestamp(1234567891.011, UTC)
    again = _endpoints.GET_USERS_COURSES.result.encode_json(users)
    assert b"/Date(1234567891011+0000)/" in again


def test_26_users_are_refused_before_any_request(server: FakeServer) -> None:
    users = [UserReference(id=f"u{n}") for n in range(26)]
    with (
        client_for(server) as client,
        pytest.raises(RequestValidationError, match="users"),
    ):
        client.get_users_courses(users)
    assert server.requests == []
    with client_for(server) as client:
        assert len(client.get_users_courses(users[:25])) >= 1


def test_assign_returns_none_on_201_and_sends_sendmessage(server: FakeServer) -> None:
    with client_for(server) as client:
        result = client.assign_courses(
            "u1", [CourseReference(id="c1")], sendmessage=False
        )
    assert result is None
    assert ("sendmessage", "false") in server.requests[0].query


def test_html_error_page_is_a_clear_error(server: FakeServer) -> None:
    server.inject(Fault(kind="html"))
    with (
        client_for(server, wire_format="json") as client,
        pytest.raises(ResponseParseError, match="an HTML page where JSON was expected"),
    ):
        client.get_user_courses("u1")


def test_dtd_is_refused(server: FakeServer) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Courses>&a;</Courses>'
    )
    server.inject(
        Fault(status=200, body=bomb, headers={"Content-Type": "application/xml"})
    )
    with client_for(server) as client, pytest.raises(UnsafeXmlError):
        client.get_user_courses("u1")


def test_get_is_retried_after_503_but_post_is_not(server: FakeServer) -> None:
    policy = RetryPolicy(max_attempts=3, backoff=0.01)
    server.inject(Fault(status=503, headers={"Retry-After": "0"}))
    with client_for(server, retry=policy) as client:
        assert client.get_user_courses("u1")
    assert len(server.requests) == 2
    server.requests.clear()
    server.inject(Fault(status=503, headers={"Retry-After": "0"}))
    with (
        client_for(server, retry=policy) as client,
        pytest.raises(ServerError) as caught,
    ):
        client.assign_courses("u1", [CourseReference(id="c1")])
    assert len(server.requests) == 1
    assert caught.value.attempts == 1


def test_api_key_never_shows(server: FakeServer) -> None:
    secret = "super-secret-key"
    with Client(secret, source="tests", base_url=server.base_url) as client:
        assert secret not in repr(client)
        assert secret not in repr(client._transport.config)
        with pytest.raises(Exception) as caught:
            client.get_user_courses("u1")
    assert secret not in str(caught.value)


def test_regions_pick_documented_base_urls() -> None:
    assert "litmoseu.com" in repr(Client(API_KEY, source="s", region="eu"))
    assert "litmos.com.au" in repr(Client(API_KEY, source="s", region="au"))
    assert "api.litmos.com/" in repr(Client(API_KEY, source="s"))


def test_unknown_xml_elements_and_json_fields_are_kept() -> None:
    codec = _endpoints.GET_USER_COURSES.result
    assert codec is not None
    xml = b"<Courses><Course><Id>c1</Id><NewField>x</NewField><Tags><Tag>a</Tag>"
    xml += b"<Tag>b</Tag></Tags></Course></Courses>"
    [course] = codec.decode_xml(_xml.parse(xml))
    assert course.id == "c1"
    assert course.model_extra == {"NewField": "x", "Tags": {"Tag": ["a", "b"]}}
    [again] = codec.decode_json(b'[{"Id": "c1", "Brand": {"New": 1}}]')
    assert again.model_extra == {"Brand": {"New": 1}}


def test_missing_required_field_names_the_path(server: FakeServer) -> None:
    server.inject(
        Fault(
            status=200,
            body=b'[{"Id": "u1", "Courses": [{"Id": "c", "Active": "maybe"}]}]',
            headers={"Content-Type": "application/json"},
        )
    )
    with (
        client_for(server, wire_format="json") as client,
        pytest.raises(ResponseParseError, match=r"0\.Courses\.0\.Active") as caught,
    ):
        client.get_users_courses([UserReference(id="u1")])
    assert caught.value.operation == "get_users_courses"


NET_DATES = {
    # Json.NET writes DateTime.MinValue/MaxValue with their own ticks and the
    # server's offset, negative offsets included.
    "AssignedDate": "/Date(-62135596800000-0500)/",
    "StartDate": "/Date(-62135596800000+0200)/",
    "DateCompleted": "/Date(253402300799999+0200)/",
    "CompliantTill": "/Date(253402300799999-0500)/",
}


def _net_dates_body() -> bytes:
    fields = ", ".join(f'"{name}": "{text}"' for name, text in NET_DATES.items())
    return ('[{"Id": "c1", "Name": "MinMax", ' + fields + "}]").encode()


def _check_net_dates(courses: list[Any]) -> None:
    [course] = courses
    minus_five = timezone(timedelta(hours=-5))
    plus_two = timezone(timedelta(hours=2))
    assert course.assigned_date == datetime.min.replace(tzinfo=minus_five)
    assert course.assigned_date.utcoffset() == timedelta(hours=-5)
    assert course.start_date == datetime(1, 1, 1, 2, tzinfo=plus_two)
    assert course.date_completed == datetime.max.replace(tzinfo=plus_two)
    assert course.compliant_till == datetime(
        9999, 12, 31, 18, 59, 59, 999000, tzinfo=minus_five
    )
    assert _endpoints.GET_USER_COURSES.result is not None
    written = _endpoints.GET_USER_COURSES.result.encode_json(courses).decode()
    for text in NET_DATES.values():
        assert f'"{text}"' in written  # written back as the vendor wrote it


def test_dotnet_min_and_max_dates_with_any_offset(server: FakeServer) -> None:
    server.inject(
        Fault(status=200, body=_net_dates_body(), content_type="application/json")
    )
    with client_for(server, wire_format="json") as client:
        _check_net_dates(client.get_user_courses("u1"))


def test_dotnet_min_and_max_dates_with_any_offset_async(server: FakeServer) -> None:
    server.inject(
        Fault(status=200, body=_net_dates_body(), content_type="application/json")
    )

    async def run() -> list[Any]:
        async with AsyncClient(
            API_KEY,
            source="tests",
            base_url=server.base_url,
            retry=RetryPolicy(max_attempts=1),
            wire_format="json",
        ) as client:
            return await client.get_user_courses("u1")

    _check_net_dates(asyncio.run(run()))
