"""The fast decoding paths keep the exact semantics of the careful ones.

XML: a record's elements are looked up by the tag exactly as lxml reports it, and a
``{namespace}name`` tag is remembered the first time it is met; so the first record of
a namespaced page takes the careful path and the next ones the fast one. Both must give
the same values, in every way a vendor may write its namespace, for every quirk
(padded values, empty and nil elements, repeats, unknown elements).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

import pytest
from ispring_learn import Client, RetryPolicy, _xml
from ispring_learn.fake_server import TOKEN, FakeServer, Fault
from ispring_learn.models import LearnerResult, ListLearnersResultsResult
from litmos import Client as LitmosClient
from litmos._endpoints import GET_USER_COURSES
from litmos._types import parse_datetime
from litmos.errors import ResponseValidationError
from litmos.fake_server import API_KEY
from litmos.fake_server import FakeServer as LitmosServer
from litmos.fake_server import Fault as LitmosFault
from pydantic import ValidationError

ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

PLAIN = (
    "<{p}userId>u{n}</{p}userId><{p}courseId>c{n}</{p}courseId><{p}courseTitle>Title {n}</{p}courseTitle>"
    "<{p}accessDate>2024-01-02T03:04:05Z</{p}accessDate><{p}timeSpent>{n}</{p}timeSpent>"
    "<{p}completionStatus>passed</{p}completionStatus><{p}progress>50.5</{p}progress>"
    "<{p}isOverdue>1</{p}isOverdue><{p}duration>1h</{p}duration>"
)
QUIRKS = (
    "<{p}userId>u{n}</{p}userId><{p}userId>repeated</{p}userId><{p}courseId>c{n}</{p}courseId>"
    "<{p}courseTitle></{p}courseTitle><{p}enrollmentId xsi:nil='true'/>"
    "<{p}accessDate> 2024-01-02T03:04:05Z </{p}accessDate><{p}timeSpent> 42 </{p}timeSpent>"
    "<{p}completionStatus>\n passed \n</{p}completionStatus><{p}progress/>"
    "<{p}isOverdue> true </{p}isOverdue><{p}duration>  kept as written  </{p}duration>"
    "<{p}viewsCount xsi:nil='true'>7</{p}viewsCount><{p}extraThing>x</{p}extraThing>"
)


def plain(n: int) -> str:
    return PLAIN.replace("{n}", str(n))


def quirks(n: int) -> str:
    return QUIRKS.replace("{n}", str(n))


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def _page(records: list[str], style: str, namespace: str) -> bytes:
    """A ListLearnersResults envelope whose payload declares ``namespace`` as ``style``
    says: the default namespace, a prefix on the root only, or a prefix everywhere.

    ``records`` are templates whose elements are written ``<{p}name>``.
    """
    prefix = "" if style == "default" else "ns1:"
    inner = "" if style == "root-prefix" else prefix
    declare = (
        f"xmlns='{namespace}'" if style == "default" else f"xmlns:ns1='{namespace}'"
    )
    results = "".join(
        f"<{inner}result>{record.format(p=inner)}</{inner}result>" for record in records
    )
    return (
        f"<soap:Envelope xmlns:soap='{ENVELOPE}' xmlns:xsi='{XSI}'><soap:Body>"
        f"<{prefix}ListLearnersResultsResult {declare}><{inner}results>{results}"
        f"</{inner}results><{inner}nextPageToken>t</{inner}nextPageToken>"
        f"</{prefix}ListLearnersResultsResult></soap:Body></soap:Envelope>"
    ).encode()


def _fetch(server: FakeServer, body: bytes) -> ListLearnersResultsResult:
    server.inject(Fault(status=200, body=body, content_type="text/xml"))
    client = Client(
        token=TOKEN,
        base_url=server.base_url,
        soap_url=server.soap_url,
        retry=RetryPolicy(max_attempts=1),
    )
    return client.list_learners_results()


def _dump(page: ListLearnersResultsResult) -> list[dict[str, Any]]:
    assert page.results is not None
    return [result.model_dump(by_alias=False) for result in page.results]


@pytest.mark.parametrize("style", ["default", "root-prefix", "prefix"])
def test_first_and_later_records_read_alike_in_every_namespace_style(
    server: FakeServer, style: str
) -> None:
    # A namespace never seen before: the first record is read the careful way (and
    # its tags remembered), the same quirks in the third record the fast way.
    namespace = f"urn:test:{uuid.uuid4()}"
    page = _fetch(
        server,
        _page([quirks(1), plain(2), quirks(3)], style, namespace),
    )
    first, second, third = _dump(page)
    assert {**first, "user_id": "u3", "course_id": "c3"} == third
    assert first == {
        "user_id": "u1",  # a repeated element keeps its first occurrence
        "course_id": "c1",
        "course_title": "",  # empty string element: ""
        "enrollment_id": None,  # nil
        "access_date": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "due_date": None,
        "expiration_date": None,
        "completion_date": None,
        "time_spent": 42,
        "completion_status": "passed",
        "awarded_score": None,
        "passing_score": None,
        "progress": None,  # empty non-string element: None
        "is_overdue": True,
        "views_count": 7,  # an element with text has that value, nil or not
        "duration": "  kept as written  ",  # strings are not stripped
        "extraThing": "x",  # unknown elements are kept...
    }
    assert page.results is not None
    assert page.results[0].model_extra == {"extraThing": "x"}  # ...as extra fields
    assert second["course_title"] == "Title 2" and second["progress"] == 50.5
    assert page.next_page_token == "t"


def test_every_namespace_style_gives_the_same_page(server: FakeServer) -> None:
    records = [quirks(1), plain(2)]
    pages = [
        _dump(_fetch(server, _page(records, style, f"urn:test:{uuid.uuid4()}")))
        for style in ("default", "root-prefix", "prefix")
    ]
    assert pages[0] == pages[1] == pages[2]


@pytest.mark.parametrize("style", ["default", "root-prefix", "prefix"])
def test_a_wrapper_skips_children_that_are_not_its_items(
    server: FakeServer, style: str
) -> None:
    # The records of <results> are matched by name once, then by the tag as lxml
    # reports it: an element of another name in between is skipped, in every style.
    inner = "ns1:" if style == "prefix" else ""
    body = _page([plain(1), plain(2), plain(3)], style, f"urn:test:{uuid.uuid4()}")
    stray = f"</{inner}result><{inner}note>not a record</{inner}note>".encode()
    body = body.replace(f"</{inner}result>".encode(), stray, 1)
    assert body.count(b"note>") == 2
    page = _fetch(server, body)
    assert [record["user_id"] for record in _dump(page)] == ["u1", "u2", "u3"]


def test_remembered_tags_are_bounded(server: FakeServer) -> None:
    # Each record in a namespace of its own: more than a spec remembers.
    spec = LearnerResult.__xml__
    count = _xml.LEARNED_TAGS + 50
    records = "".join(
        f"<r{n}:result xmlns:r{n}='urn:many:{n}'><r{n}:userId>u{n}</r{n}:userId>"
        f"<r{n}:courseId>c{n}</r{n}:courseId><r{n}:timeSpent> {n} </r{n}:timeSpent>"
        f"</r{n}:result>"
        for n in range(count)
    )
    body = (
        f"<soap:Envelope xmlns:soap='{ENVELOPE}'><soap:Body>"
        f"<ListLearnersResultsResult><results>{records}</results>"
        "</ListLearnersResultsResult></soap:Body></soap:Envelope>"
    ).encode()
    page = _fetch(server, body)
    assert page.results is not None
    assert [(r.user_id, r.course_id, r.time_spent) for r in page.results] == [
        (f"u{n}", f"c{n}", n) for n in range(count)
    ]
    assert len(spec.simple) <= spec.limit


def test_records_are_keyed_by_the_names_pydantic_looks_up_first() -> None:
    # The JSON names are the validation aliases: the dictionary a record is read into
    # uses them, so that pydantic finds every field at its first lookup.
    root = _xml.parse(
        b"<result><userId>u</userId><courseId>c</courseId><duration>d</duration></result>"
    )
    data = _xml.read(LearnerResult.__xml__, root)
    assert data == {"userId": "u", "courseId": "c", "duration": "d"}
    assert LearnerResult.model_validate(data).user_id == "u"


# --------------------------------------------------------------- Litmos JSON dates
#
# Litmos JSON writes date-times as Microsoft's "/Date(ms)/" (UTC, as Microsoft's
# serializer means it) or "/Date(ms±hhmm)/". The common spellings are read by pydantic
# and one C function alone; whatever they read must be exactly what the general
# fallback (``parse_datetime``) gives, and whatever they do not read must still reach
# that fallback.


def _courses(
    dates: list[Any], key: str = "AssignedDate", escaped: bool = False
) -> list[Any]:
    """Courses decoded from JSON holding ``dates`` (``escaped``: every "/" as "\\/",
    as Microsoft's serializer writes it)."""
    body = json.dumps([{"Id": str(n), key: value} for n, value in enumerate(dates)])
    if escaped:
        body = body.replace("/", "\\/")
    return GET_USER_COURSES.result.decode_json(body.encode())


def _same(got: datetime | None, expected: datetime | None) -> bool:
    """Equal, and equally naive or aware with the same offset."""
    if got is None or expected is None:
        return got is expected
    return got == expected and got.utcoffset() == expected.utcoffset()


def _ms_values() -> list[int]:
    """Milliseconds across datetime's whole range, the epoch's neighbourhood (where a
    reader guessing seconds from milliseconds goes wrong) and every length of digits."""
    random = Random(7)
    low, high = (
        -62135596800000,
        253402300799999,
    )  # 0001-01-01 .. 9999-12-31 23:59:59.999
    values = [0, 1, -1, 5, 999, 1000, -1000, 86400000, 2 * 10**10, 10**11, -(10**11)]
    values += [
        low,
        high,
        low + 1,
        high - 1,
        10**14 - 1,
        -(10**13) + 1,
        10**14,
        -(10**13),
    ]
    values += [random.randint(low, high) for _ in range(400)]
    values += [random.randint(-(10**12), 10**12) for _ in range(200)]
    values += [
        sign * random.randint(10 ** (d - 1), 10**d - 1)
        for d in range(1, 16)
        for sign in (1, -1)
    ]
    return [value for value in values if low <= value <= high]


def _in_range(text: str) -> bool:
    """Whether the wall time of ``text`` at its offset is within datetime's years."""
    try:
        parse_datetime(text)
    except OverflowError:
        return False
    return True


@pytest.mark.parametrize("zone", ["", "+0000", "-0000", "+0200", "-0530"])
def test_ms_dates_read_as_the_fallback_reads_them(zone: str) -> None:
    texts = [f"/Date({value}{zone})/" for value in _ms_values()]
    texts = [text for text in texts if _in_range(text)]
    for escaped in (False, True):
        courses = _courses(texts, escaped=escaped)
        for text, course in zip(texts, courses, strict=True):
            expected = parse_datetime(text)
            assert _same(course.assigned_date, expected), (text, course.assigned_date)


def test_ms_dates_near_the_epoch_are_milliseconds() -> None:
    # 5 ms and 1 s after the epoch: a reader that guesses the unit from the size of
    # the number would take them for seconds.
    first, second, third, fourth = _courses(
        [
            "/Date(5)/",
            "/Date(1000-0000)/",
            "/Date(000000000001000-0000)/",
            "/Date(-1000)/",
        ]
    )
    assert first.assigned_date == datetime(1970, 1, 1, 0, 0, 0, 5000, tzinfo=UTC)
    assert second.assigned_date == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert third.assigned_date == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert fourth.assigned_date == datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_ms_dates_without_an_offset_are_utc() -> None:
    # Microsoft's serializer writes a UTC value with no offset; a naive result would
    # be taken for local time by Python (astimezone, timestamp) and shift the instant.
    texts = ["/Date(1704187815123)/", "/Date(5)/", "/Date(-62135596800000)/"]
    for escaped in (False, True):
        dates = [course.assigned_date for course in _courses(texts, escaped=escaped)]
        assert [value.utcoffset() for value in dates] == [timedelta(0)] * 3
        assert dates[0] == datetime(2024, 1, 2, 9, 30, 15, 123000, tzinfo=UTC)
        assert dates[0].timestamp() == 1704187815.123


def test_offsets_keep_their_offset() -> None:
    [course] = _courses(["/Date(1704187815123+0200)/"])
    assert course.assigned_date == datetime(2024, 1, 2, 9, 30, 15, 123000, tzinfo=UTC)
    assert course.assigned_date.utcoffset() == timedelta(hours=2)
    assert course.assigned_date.hour == 11  # the wall time at that offset


def test_other_spellings_still_read() -> None:
    courses = _courses([" /Date(5)/ ", "", None, "2024-01-02T03:04:05Z", 5])
    dates = [course.assigned_date for course in courses]
    assert dates == [
        datetime(
            1970, 1, 1, 0, 0, 0, 5000, tzinfo=UTC
        ),  # padded: the fallback strips it
        None,  # "" means never
        None,  # null
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),  # ISO 8601
        datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC),  # a number: pydantic's timestamp
    ]


def test_a_string_field_holding_a_ms_date_is_left_alone() -> None:
    [course] = _courses(["/Date(1704187815123)/"], key="Name")
    assert course.name == "/Date(1704187815123)/"


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "/Date(12x)/",
        "/Date(253402300800000)/",
        "/Date(-62135596800001-0000)/",
        # Beyond .NET's MaxValue, with an offset (MaxValue itself reads, clamped).
        "/Date(253402300800000+0200)/",
    ],
)
def test_unreadable_dates_are_a_typed_error(text: str) -> None:
    # Out of datetime's range used to escape as a bare OverflowError.
    with pytest.raises(ValidationError) as caught:
        _courses([text])
    [error] = caught.value.errors()
    assert error["loc"] == (0, "AssignedDate")
    assert error["msg"] == "Value error, not a date-time"


def test_out_of_range_date_over_http_is_a_response_validation_error() -> None:
    body = b'[{"Id": "1", "AssignedDate": "/Date(99999999999999999999)/"}]'
    with LitmosServer() as fake:
        fake.inject(LitmosFault(status=200, body=body, content_type="application/json"))
        client = LitmosClient(
            API_KEY,
            source="tests",
            base_url=fake.base_url,
            wire_format="json",
            retry=RetryPolicy(max_attempts=1),
        )
        with pytest.raises(ResponseValidationError, match="AssignedDate"):
            client.get_user_courses("u1")
