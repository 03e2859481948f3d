"""Interop with zeep, the SOAP client Python users already have.

zeep reads our WSDL and calls the generated fake server for both SOAP methods; our
generated client reads responses that zeep's serializer wrote. Both directions passing
shows that the WSDL and the wire format are SOAP 1.1 as other tools speak it, not just
consistent with each other.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from requests import Session
from zeep import Client as ZeepClient
from zeep import Settings
from zeep.transports import Transport

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "generated" / "ispring_learn"
sys.path.insert(0, str(PACKAGE_ROOT))

from ispring_learn import Client, RetryPolicy  # noqa: E402
from ispring_learn.fake_server import TOKEN, FakeServer, Fault  # noqa: E402

WSDL = PACKAGE_ROOT / "ispring_learn" / "_spec" / "ispring_learn.wsdl"
BINDING = "{https://ispringlearn.com/go/services/api/soap}ISpringLearnBinding"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


@pytest.fixture(scope="module")
def zeep() -> ZeepClient:
    session = Session()
    session.trust_env = False  # loopback only: no proxy from the environment
    return ZeepClient(
        str(WSDL), settings=Settings(strict=True), transport=Transport(session=session)
    )


def test_zeep_reads_the_wsdl(zeep: ZeepClient) -> None:
    operations = zeep.wsdl.bindings[BINDING]._operations
    assert sorted(operations) == ["GetEnrollments", "ListLearnersResults"]
    assert operations["ListLearnersResults"].soapaction == "ListLearnersResults"


def test_zeep_calls_list_learners_results_page_by_page(
    server: FakeServer, zeep: ZeepClient
) -> None:
    server.records = 3
    service = zeep.create_service(BINDING, server.soap_url)
    first = service.ListLearnersResults(
        credentials={"token": TOKEN},
        userIds={"id": ["u1", "u2"]},
        accessDate={"startDate": datetime(2024, 1, 1, tzinfo=UTC)},
        completionStatuses={"id": ["failed", "passed"]},
        userStatuses={"id": [1, 3]},
        pageSize=2,
    )
    assert len(first.results.result) == 2
    assert first.nextPageToken
    second = service.ListLearnersResults(
        credentials={"token": TOKEN}, pageSize=2, pageToken=first.nextPageToken
    )
    assert len(second.results.result) == 1
    assert not second.nextPageToken
    assert second.results.result[0].userId
    assert [request.headers["soapaction"] for request in server.requests] == [
        '"ListLearnersResults"',
        '"ListLearnersResults"',
    ]


def test_zeep_calls_get_enrollments(server: FakeServer, zeep: ZeepClient) -> None:
    service = zeep.create_service(BINDING, server.soap_url)
    enrollments = service.GetEnrollments(
        credentials={"token": TOKEN},
        courseIds={"id": ["c1"]},
        learnerIds={"id": ["l1"]},
    )
    [enrollment] = enrollments
    assert enrollment.enrollmentId == "fc1fc35c-040d-11ed-a2ba-b6f58d6fa7b5"
    assert enrollment.enrollmentTypeGroup == 0
    assert (
        enrollment.certificate.issuedCertificateId
        == "66b4ed00-040e-11ed-a8a2-b6f58d6fa7b5"
    )


def test_zeep_gets_a_fault_for_a_wrong_token(
    server: FakeServer, zeep: ZeepClient
) -> None:
    from zeep.exceptions import Fault as ZeepFault

    service = zeep.create_service(BINDING, server.soap_url)
    with pytest.raises(ZeepFault, match="Unauthorized"):
        service.GetEnrollments(credentials={"token": "not-a-token"})


def zeep_reply(zeep: ZeepClient, operation: str, **values: Any) -> bytes:
    """A response envelope written by zeep's own serializer."""
    message = zeep.wsdl.bindings[BINDING].get(operation).output.serialize(**values)
    return bytes(
        etree.tostring(message.content, xml_declaration=True, encoding="utf-8")
    )


def client_for(server: FakeServer) -> Client:
    return Client(
        token=TOKEN,
        base_url=server.base_url,
        soap_url=server.soap_url,
        retry=RetryPolicy(max_attempts=1),
    )


def test_our_client_reads_zeeps_list_learners_results(
    server: FakeServer, zeep: ZeepClient
) -> None:
    body = zeep_reply(
        zeep,
        "ListLearnersResults",
        results={
            "result": [
                {
                    "userId": "u1",
                    "courseId": "c1",
                    "courseTitle": "Course 1",
                    "accessDate": datetime(2021, 7, 28, 21, tzinfo=UTC),
                    "completionStatus": "passed",
                    "awardedScore": 9.5,
                    "isOverdue": True,
                    "viewsCount": 3,
                },
                {"userId": "u2", "courseId": "c2"},
            ]
        },
        nextPageToken="next",
    )
    server.inject(Fault(status=200, body=body, content_type="text/xml; charset=utf-8"))
    with client_for(server) as client:
        page = client.list_learners_results()
    first, second = page.results or []
    assert (first.user_id, first.course_title, first.completion_status) == (
        "u1",
        "Course 1",
        "passed",
    )
    assert first.access_date == datetime(2021, 7, 28, 21, tzinfo=UTC)
    assert (first.awarded_score, first.is_overdue, first.views_count) == (9.5, True, 3)
    assert second.course_title is None
    assert page.next_page_token == "next"


def test_our_client_reads_zeeps_enrollments(
    server: FakeServer, zeep: ZeepClient
) -> None:
    body = zeep_reply(
        zeep,
        "GetEnrollments",
        enrollment=[
            {
                "enrollmentId": "e1",
                "courseId": "c1",
                "learnerId": "l1",
                "accessDate": date(2022, 7, 14),
                "dueDate": datetime(2022, 8, 1, 12, tzinfo=UTC),
                "enrollmentTypeGroup": 1,
                "shouldLockAfterDueDate": True,
                "certificate": {
                    "issuedCertificateId": "cert-1",
                    "issueDate": datetime(2022, 7, 15, 7, 19, tzinfo=UTC),
                },
            }
        ],
    )
    server.inject(Fault(status=200, body=body, content_type="text/xml; charset=utf-8"))
    with client_for(server) as client:
        [enrollment] = client.get_enrollments()
    assert enrollment.access_date == date(2022, 7, 14)
    assert enrollment.due_date == datetime(2022, 8, 1, 12, tzinfo=UTC)
    assert (
        enrollment.enrollment_type_group,
        enrollment.should_lock_after_due_date,
    ) == (1, True)
    assert enrollment.certificate is not None
    assert enrollment.certificate.issued_certificate_id == "cert-1"
    assert enrollment.certificate.issue_date == datetime(2022, 7, 15, 7, 19, tzinfo=UTC)
