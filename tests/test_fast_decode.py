"""The fast decoding paths keep the exact semantics of the careful ones.

XML: a record's elements are looked up by the tag exactly as lxml reports it, and a
``{namespace}name`` tag is remembered the first time it is met; so the first record of
a namespaced page takes the careful path and the next ones the fast one. Both must give
the same values, in every way a vendor may write its namespace, for every quirk
(padded values, empty and nil elements, repeats, unknown elements).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from ispring_learn import Client, RetryPolicy, _xml
from ispring_learn.fake_server import TOKEN, FakeServer, Fault
from ispring_learn.models import LearnerResult, ListLearnersResultsResult

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
