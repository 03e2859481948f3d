"""The generated iSpring Learn client on the vendor's documented behaviour, over real HTTP.

SOAP (envelopes, namespaces, faults, the undocumented endpoint), the REST-XML query
encoding and errors, OAuth client credentials, and pagination, each against the
generated fake server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from ispring_learn import AsyncClient, Client, RetryPolicy, _soap, _xml
from ispring_learn.errors import (
    AuthenticationError,
    ClientRequestError,
    ConfigurationError,
    PermissionDeniedError,
    PermissionDeniedFault,
    RequestValidationError,
    ServerError,
    SoapFaultError,
    WrongParametersFault,
)
from ispring_learn.fake_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    TOKEN,
    FakeServer,
    Fault,
)
from ispring_learn.models import DateTimeRange

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "generated" / "ispring_learn"

ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE = "https://ispringlearn.com/go/services/api/soap"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
NO_RETRY = RetryPolicy(max_attempts=1)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def client_for(server: FakeServer, **options: Any) -> Client:
    options.setdefault("retry", NO_RETRY)
    if "client_id" not in options:
        options.setdefault("token", TOKEN)
    return Client(base_url=server.base_url, soap_url=server.soap_url, **options)


def credentials(server: FakeServer, **options: Any) -> Client:
    return client_for(
        server, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, **options
    )


def soap_payload(server: FakeServer, operation: str) -> Any:
    return _soap.body_child(_xml.parse(server.calls(operation)[-1].body))


def bearer(server: FakeServer, operation: str) -> str:
    return server.calls(operation)[-1].headers["authorization"].removeprefix("Bearer ")


def body_token(server: FakeServer, operation: str) -> str:
    found = soap_payload(server, operation).find(
        f"{{{SERVICE}}}credentials/{{{SERVICE}}}token"
    )
    assert found is not None
    return str(found.text)


# --- SOAP runtime (issue point 3) ------------------------------------------------------


def test_soap_request_is_a_standard_envelope_with_soapaction(
    server: FakeServer,
) -> None:
    start = datetime(2019, 12, 24, 21, tzinfo=UTC)
    with client_for(server) as client:
        client.list_learners_results(
            user_ids=["u1", "u2"],
            access_date=DateTimeRange(start_date=start),
            completion_statuses=["failed", "passed"],
            user_statuses=[1, 3],
            page_size=2,
        )
    [request] = server.requests
    assert request.path == server.soap_path
    assert request.headers["soapaction"] == '"ListLearnersResults"'
    assert request.headers["content-type"] == "text/xml; charset=utf-8"
    root = _xml.parse(request.body)
    assert root.tag == f"{{{ENVELOPE}}}Envelope"
    payload = _soap.body_child(root)
    assert payload.tag == f"{{{SERVICE}}}ListLearnersResultsRequest"
    children = [_xml.local(child.tag) for child in payload]
    assert children[0] == "credentials", "the credentials block comes first"
    assert children == [
        "credentials", "userIds", "accessDate", "completionStatuses", "userStatuses", "pageSize"
    ]  # fmt: skip
    assert all(child.tag.startswith(f"{{{SERVICE}}}") for child in payload.iter())
    ns = {"s": SERVICE}
    assert payload.xpath("s:userIds/s:id/text()", namespaces=ns) == ["u1", "u2"]
    assert payload.xpath("s:userStatuses/s:id/text()", namespaces=ns) == ["1", "3"]
    assert payload.xpath("s:accessDate/*/text()", namespaces=ns) == [
        "2019-12-24T21:00:00+00:00"
    ]
    assert payload.xpath("s:credentials/s:token/text()", namespaces=ns) == [TOKEN]


def learners_page(envelope: str, style: str) -> bytes:
    """A ListLearnersResults answer written in one of the ways servers write it."""
    record = (
        "<results><result><userId>u1</userId><courseId>c1</courseId>"
        "<courseTitle>Course 1</courseTitle><isOverdue>1</isOverdue>"
        "<accessDate>2021-07-28T21:00:00+00:00</accessDate></result></results>"
        "<nextPageToken></nextPageToken>"
    )
    if style == "prefix":  # the service namespace as a prefix, children unqualified
        payload = f'<ns1:ListLearnersResultsResult xmlns:ns1="{SERVICE}">{record}</ns1:ListLearnersResultsResult>'
    else:  # a default namespace: every element qualified
        payload = f'<ListLearnersResultsResult xmlns="{SERVICE}">{record}</ListLearnersResultsResult>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="{envelope}">'
        f"<SOAP-ENV:Body>{payload}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
    ).encode()


@pytest.mark.parametrize(
    "envelope", [ENVELOPE, "https://schemas.xmlsoap.org/soap/envelope/"]
)
@pytest.mark.parametrize("style", ["prefix", "default"])
def test_results_parse_in_either_namespace_style_and_envelope(
    server: FakeServer, envelope: str, style: str
) -> None:
    body = learners_page(envelope, style)
    server.inject(Fault(status=200, body=body, content_type="text/xml"))
    with client_for(server) as client:
        page = client.list_learners_results()
    [result] = page.results or []
    assert (result.user_id, result.course_title, result.is_overdue) == (
        "u1",
        "Course 1",
        True,
    )
    assert result.access_date == datetime(2021, 7, 28, 21, tzinfo=UTC)
    assert not page.next_page_token


def test_the_vendor_enrollments_sample_is_served_and_parsed(server: FakeServer) -> None:
    with client_for(server) as client:
        [enrollment] = client.get_enrollments(course_ids=["c1"], learner_ids=["l1"])
    assert enrollment.enrollment_id == "fc1fc35c-040d-11ed-a2ba-b6f58d6fa7b5"
    assert enrollment.access_date == date(2022, 7, 14)
    assert not isinstance(enrollment.access_date, datetime), "a plain date stays a date"
    assert enrollment.enrollment_type_group == 0
    assert enrollment.should_lock_after_due_date is False
    assert enrollment.certificate is not None
    assert enrollment.certificate.issue_date == datetime(2022, 7, 15, 7, 19, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Permission denied", PermissionDeniedFault),
        ("Wrong parameters: pageSize", WrongParametersFault),
        ("Internal trouble", SoapFaultError),
    ],
)
def test_faults_become_typed_errors(
    server: FakeServer, text: str, error: type[SoapFaultError]
) -> None:

    server.inject(server.soap_fault(text, code="SOAP-ENV:Client"))
    with client_for(server) as client, pytest.raises(SoapFaultError) as caught:
        client.get_enrollments()
    assert type(caught.value) is error
    assert caught.value.fault_code == "SOAP-ENV:Client"
    assert caught.value.fault_string == text
    assert caught.value.operation == "get_enrollments"


def test_a_fault_named_only_in_its_detail_and_sent_with_200(server: FakeServer) -> None:
    body = (
        f'<e:Envelope xmlns:e="https://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>'
        "<faultcode>e:Server</faultcode><faultstring>Request failed</faultstring>"
        f'<detail><Error xmlns="{SERVICE}"><code>403</code><message>Permission denied'
        "</message></Error></detail></e:Fault></e:Body></e:Envelope>"
    ).encode()
    server.inject(Fault(status=200, body=body, content_type="text/xml"))
    with client_for(server) as client, pytest.raises(PermissionDeniedFault) as caught:
        client.list_learners_results()
    assert caught.value.detail.code == "403"
    assert caught.value.status == 200


def test_soap_endpoint_is_required_before_any_request(server: FakeServer) -> None:
    with Client(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=server.base_url
    ) as client:
        with pytest.raises(ConfigurationError, match="soap_url") as caught:
            client.get_enrollments()
        assert "not document" in str(caught.value)
        assert client.list_module_results().results  # REST needs no SOAP endpoint
    assert [server.operation_of(request) for request in server.requests] == [
        "get_token",
        "list_module_results",
    ]


def test_soap_calls_need_credentials(server: FakeServer) -> None:
    with (
        Client(soap_url=server.soap_url) as client,
        pytest.raises(ConfigurationError, match="token"),
    ):
        client.list_learners_results()
    assert server.requests == []


def test_the_fake_accepts_the_vendors_own_request_sample(server: FakeServer) -> None:
    sample = (
        PACKAGE_ROOT / "ispring_learn/_spec/examples/GetEnrollments.request.xml"
    ).read_bytes()
    vendor_token = b"p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"
    headers = {"Content-Type": "text/xml", "SOAPAction": "GetEnrollments"}
    with httpx.Client() as http:
        refused = http.post(server.soap_url, content=sample, headers=headers)
        accepted = http.post(
            server.soap_url,
            content=sample.replace(vendor_token, TOKEN.encode()),
            headers=headers,
        )
    assert refused.status_code == 401  # the vendor's published token is not one of ours
    assert accepted.status_code == 200
    assert (
        _xml.local(_soap.body_child(_xml.parse(accepted.content)).tag)
        == "GetEnrollmentsResult"
    )


# --- REST-XML (issue point 4) ----------------------------------------------------------


def test_php_arrays_and_bracketed_ranges(server: FakeServer) -> None:
    with client_for(server) as client:
        client.list_module_results(
            user_ids=["u1", "u2"],
            module_ids=["m1", "m2", "m3"],
            completion_statuses=["failed"],
            user_statuses=[1],
            access_date=DateTimeRange(
                start_date=datetime(2019, 12, 24, 21, tzinfo=UTC)
            ),
            due_date=DateTimeRange(end_date=datetime(2019, 12, 30, 3, tzinfo=UTC)),
            page_size=33,
        )
    [request] = server.requests
    query = request.query
    assert [value for key, value in query if key == "userIds[]"] == ["u1", "u2"]
    assert [value for key, value in query if key == "moduleIds[]"] == ["m1", "m2", "m3"]
    assert ("completionStatuses[]", "failed") in query
    assert ("userStatuses[]", "1") in query
    assert ("pageSize", "33") in query
    ranges = {
        key: value for key, value in query if "[" in key and not key.endswith("[]")
    }
    assert ranges == {
        "accessDate[startDate]": "2019-12-24T21:00:00+00:00",
        "dueDate[endDate]": "2019-12-30T03:00:00+00:00",
    }, "either bound may be omitted"
    assert all(RFC3339.match(value) for value in ranges.values())


def test_date_times_without_a_zone_are_refused(server: FakeServer) -> None:
    naive = DateTimeRange(start_date=datetime(2024, 1, 1))
    with (
        client_for(server) as client,
        pytest.raises(RequestValidationError, match="RFC 3339"),
    ):
        client.list_module_results(access_date=naive)
    assert server.requests == []


def test_the_vendor_sample_query_decodes_as_the_spec_reads_it(
    server: FakeServer,
) -> None:
    text = (
        PACKAGE_ROOT / "ispring_learn/_spec/examples/listModuleResults.request.http"
    ).read_text()
    query = text.split("?", 1)[1].split()[0]
    fresh = re.sub(
        r"&pageToken=[^&]*", "", query
    )  # the token of the vendor's own server
    url = server.base_url + "/learners/modules/results?"
    headers = {"Authorization": TOKEN}  # the sample sends no "Bearer "
    with httpx.Client() as http:
        foreign = http.get(url + query, headers=headers)
        answer = http.get(url + fresh, headers=headers)
    assert foreign.status_code == 400
    assert b"<message>Wrong parameters: unknown page token" in foreign.content
    assert answer.status_code == 200
    assert (
        answer.content.count(b"<result>") == 25
    )  # pageSize=33 > the fake's 25 records
    assert ("completionStatus", "failed") in parse_qsl(query), "the sample's doc drift"


def test_xml_by_default_json_on_request(server: FakeServer) -> None:
    with client_for(server) as client:
        as_xml = client.list_module_results()
        as_json = client.list_module_results(wire_format="json")
    xml_request, json_request = server.requests
    assert "json" not in xml_request.headers.get("accept", "")
    assert json_request.headers["accept"] == "application/json"
    assert as_xml == as_json
    assert as_xml.results


@pytest.mark.parametrize(
    ("status", "body", "media", "error", "code"),
    [
        (
            403,
            b"<response><code>403</code><message>Permission denied</message></response>",
            "application/xml",
            PermissionDeniedError,
            "403",
        ),
        (
            400,
            b'{"code": 400, "message": "Wrong parameters"}',
            "application/json",
            ClientRequestError,
            400,
        ),
    ],
)
def test_code_message_error_bodies(
    server: FakeServer,
    status: int,
    body: bytes,
    media: str,
    error: type[Exception],
    code: Any,
) -> None:
    server.inject(Fault(status=status, body=body, content_type=media))
    with client_for(server) as client, pytest.raises(ClientRequestError) as caught:
        client.list_module_results()
    assert type(caught.value) is error
    assert caught.value.detail.code == code
    assert caught.value.detail.message in str(caught.value)


# --- auth (issue point 5) --------------------------------------------------------------


def test_client_credentials_token_is_obtained_once_and_shared_with_soap(
    server: FakeServer,
) -> None:
    with credentials(server) as client:
        client.list_module_results()
        client.get_enrollments()
        client.list_learners_results()
    [token_call] = server.calls("get_token")
    form = dict(parse_qsl(token_call.body.decode()))
    assert form == {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "grant_type": "client_credentials",
    }
    assert token_call.headers["content-type"] == "application/x-www-form-urlencoded"
    issued = bearer(server, "list_module_results")
    assert issued not in (TOKEN, "")
    assert body_token(server, "get_enrollments") == issued
    assert body_token(server, "list_learners_results") == issued


def test_the_token_is_renewed_before_its_lifetime_runs_out(server: FakeServer) -> None:
    now = [0.0]
    with credentials(server) as client:
        client._transport.config.auth["oauth2"].clock = lambda: now[0]
        client.list_module_results()
        first = bearer(server, "list_module_results")
        now[0] = 1800 - 61.0  # 29 minutes in: still fresh
        client.list_module_results()
        assert bearer(server, "list_module_results") == first
        now[0] = 1800 - 59.0  # less than a minute left: renewed before it expires
        client.list_module_results()
        assert bearer(server, "list_module_results") != first
    assert len(server.calls("get_token")) == 2


def test_a_refused_token_is_renewed_once(server: FakeServer) -> None:
    with credentials(server) as client:
        client.list_module_results()
        server.tokens.revoke()
        assert client.list_module_results().results
        assert len(server.calls("get_token")) == 2
        server.inject(Fault(status=401, operation="list_module_results", count=2))
        with pytest.raises(AuthenticationError):
            client.list_module_results()
    assert len(server.calls("get_token")) == 3, "one renewal per call, not a loop"
    assert len(server.calls("list_module_results")) == 5


def test_a_refused_soap_token_is_renewed_too(server: FakeServer) -> None:
    with credentials(server) as client:
        client.get_enrollments()
        server.tokens.revoke()
        assert client.get_enrollments()
    assert len(server.calls("get_token")) == 2


def test_a_ready_token_needs_no_token_call(server: FakeServer) -> None:
    with client_for(server) as client:
        client.list_module_results()
        client.get_enrollments()
    assert server.calls("get_token") == []
    assert bearer(server, "list_module_results") == TOKEN
    assert body_token(server, "get_enrollments") == TOKEN


def test_one_token_request_for_concurrent_threads(server: FakeServer) -> None:
    errors: list[BaseException] = []
    with credentials(server) as client:

        def work() -> None:
            try:
                client.list_module_results()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(server.calls("get_token")) == 1
    assert len(server.calls("list_module_results")) == 8


def test_one_token_request_for_concurrent_tasks(server: FakeServer) -> None:
    async def run() -> None:
        async with AsyncClient(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            base_url=server.base_url,
            soap_url=server.soap_url,
            retry=NO_RETRY,
        ) as client:
            await asyncio.gather(
                *(client.list_module_results() for _ in range(4)),
                *(client.get_enrollments() for _ in range(4)),
            )

    asyncio.run(run())
    assert len(server.calls("get_token")) == 1
    assert len(server.requests) == 9


def test_secrets_never_show(server: FakeServer) -> None:
    with credentials(server) as client:
        assert CLIENT_SECRET not in repr(client)
        assert CLIENT_SECRET not in repr(client._transport.config)
        client.list_module_results()
        issued = bearer(server, "list_module_results")
        server.inject(Fault(status=500, body=f"token {issued} broke".encode()))
        with pytest.raises(ServerError) as caught:
            client.list_module_results()
    assert issued not in str(caught.value)
    assert "token *** broke" in caught.value.body_excerpt


def test_wrong_client_credentials(server: FakeServer) -> None:
    with (
        client_for(
            server, client_id=CLIENT_ID, client_secret="not-the-secret"
        ) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.list_module_results()
    assert caught.value.operation == "get_token"
    assert "not-the-secret" not in str(caught.value)
    assert server.calls("list_module_results") == []


# --- pagination (issue point 6) --------------------------------------------------------


def test_rest_pages_pass_each_next_token_back(server: FakeServer) -> None:
    server.records = 5
    with client_for(server) as client:
        records = list(client.iter_module_results(page_size=2))
    assert len(records) == 5
    tokens = [
        dict(request.query).get("pageToken")
        for request in server.calls("list_module_results")
    ]
    assert tokens[0] is None and len(set(tokens)) == 3
    assert all(token and not token.isdigit() for token in tokens[1:]), "opaque tokens"


def test_soap_pages_pass_each_next_token_back(server: FakeServer) -> None:
    server.records = 5

    async def run() -> list[Any]:
        async with AsyncClient(
            token=TOKEN,
            base_url=server.base_url,
            soap_url=server.soap_url,
            retry=NO_RETRY,
        ) as client:
            return [
                record async for record in client.iter_learners_results(page_size=2)
            ]

    assert len(asyncio.run(run())) == 5
    ns = {"s": SERVICE}
    tokens = [
        _soap.body_child(_xml.parse(request.body)).xpath(
            "s:pageToken/text()", namespaces=ns
        )
        for request in server.calls("list_learners_results")
    ]
    assert tokens[0] == [] and len({tuple(token) for token in tokens}) == 3


def test_an_unknown_page_token_is_wrong_parameters(server: FakeServer) -> None:
    with client_for(server) as client, pytest.raises(WrongParametersFault):
        client.list_learners_results(page_token="forged")
