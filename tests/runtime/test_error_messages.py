"""Errors that tell the truth, over real HTTP against the generated fake servers, with
the sync and the async client: the vendor's own error text leads the message (and is
kept as ``vendor_message``/``vendor_code``); a body that cannot be read says which way
it is wrong, with its first bytes."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from generated_packages import load

JSON = "application/json"
XML = "application/xml"
ISPRING_ERROR = (
    b"<response><code>INVALID_PARAMETER</code>"
    b"<message>Learner 42 does not exist</message></response>"
)


@dataclass(frozen=True)
class Case:
    provider: str
    operation: str
    status: int
    body: bytes
    content_type: str
    error: str
    """The exception class name."""
    message: str
    """What ``str(error)`` starts with, after ``operation: ``."""
    vendor: tuple[str, str] = ("", "")
    variant: str = ""
    wire: str = ""


VENDOR_TEXT = {
    "litmos-409-detail": Case(
        "litmos",
        "assign_courses",
        409,
        b'{"Detail":"UserName already exists"}',
        JSON,
        "ConflictError",
        "UserName already exists (HTTP 409 Conflict, attempt 1) body: ",
        ("UserName already exists", ""),
    ),
    "litmos-404-xml-message": Case(
        "litmos",
        "get_user_courses",
        404,
        b"<Error><Message>User u1 not found</Message></Error>",
        XML,
        "NotFoundError",
        "User u1 not found (HTTP 404 Not Found, attempt 1)",
        ("User u1 not found", ""),
        wire="xml",
    ),
    "ispring-rest-xml-code-message": Case(
        "ispring_learn",
        "list_module_results",
        400,
        ISPRING_ERROR,
        XML,
        "ClientRequestError",
        "Learner 42 does not exist (HTTP 400 Bad Request, attempt 1)",
        ("Learner 42 does not exist", "INVALID_PARAMETER"),
        wire="xml",
    ),
    "ispring-token-oauth-error": Case(
        "ispring_learn",
        "get_token",
        401,
        b'{"error":"invalid_client","error_description":"Client authentication failed"}',
        JSON,
        "AuthenticationError",
        "Client authentication failed (HTTP 401 Unauthorized, attempt 1)",
        ("Client authentication failed", "invalid_client"),
    ),
    "ispring-token-xml-error": Case(
        "ispring_learn",
        "get_token",
        400,
        ISPRING_ERROR,
        XML,
        "ClientRequestError",
        "Learner 42 does not exist (HTTP 400 Bad Request, attempt 1)",
        ("Learner 42 does not exist", "INVALID_PARAMETER"),
    ),
    "peoplefluent-json-message": Case(
        "peoplefluent",
        "record",
        400,
        b'{"message":"Record 7 is locked"}',
        JSON,
        "ClientRequestError",
        "Record 7 is locked (HTTP 400 Bad Request, attempt 1)",
        ("Record 7 is locked", ""),
        variant="json",
    ),
    "peoplefluent-xml-message": Case(
        "peoplefluent",
        "record",
        400,
        b"<error><code>LOCKED</code><message>Record 7 is locked</message></error>",
        XML,
        "ClientRequestError",
        "Record 7 is locked (HTTP 400 Bad Request, attempt 1)",
        ("Record 7 is locked", "LOCKED"),
        variant="xml",
    ),
    "no-vendor-text": Case(
        "litmos",
        "assign_courses",
        409,
        b"conflict",
        "text/plain",
        "ConflictError",
        "HTTP 409 Conflict (HTTP 409 Conflict, attempt 1) body: 'conflict'",
    ),
}

UNREADABLE = {
    "litmos-xml-where-json-asked": Case(
        "litmos",
        "get_user_courses",
        200,
        b"<Courses><Course><Id>c1</Id></Course></Courses>",
        JSON,
        "ResponseParseError",
        "not JSON: an XML document (HTTP 200 OK, attempt 1) body: '<Courses>",
        wire="json",
    ),
    "litmos-invalid-json": Case(
        "litmos",
        "get_user_courses",
        200,
        b'[{"Id": "c1",',
        JSON,
        "ResponseParseError",
        "not JSON: ",
        wire="json",
    ),
    "litmos-json-where-xml-asked": Case(
        "litmos",
        "get_user_courses",
        200,
        b'{"Id": "c1"}',
        XML,
        "ResponseParseError",
        'not XML: a JSON document (HTTP 200 OK, attempt 1) body: \'{"Id"',
        wire="xml",
    ),
    "litmos-html-page": Case(
        "litmos",
        "get_user_courses",
        200,
        b"<!DOCTYPE html><html><body>Sign in</body></html>",
        "text/html",
        "ResponseParseError",
        "an HTML page where JSON was expected",
        wire="json",
    ),
    "litmos-wrong-root": Case(
        "litmos",
        "get_user_courses",
        200,
        b"<Users><User><Id>u1</Id></User></Users>",
        XML,
        "ResponseParseError",
        "wrong root element <Users>, expected <Courses> (HTTP 200 OK",
        wire="xml",
    ),
    "litmos-malformed-xml": Case(
        "litmos",
        "get_user_courses",
        200,
        b"<Courses>\n<Course><Id>c1</Id></Cours>\n</Courses>",
        XML,
        "ResponseParseError",
        "malformed XML at line 2: ",
        wire="xml",
    ),
    "litmos-spec-mismatch": Case(
        "litmos",
        "get_user_courses",
        200,
        b'[{"Id": {"nested": 1}}]',
        JSON,
        "ResponseValidationError",
        "response does not match the spec at 0.Id",
        wire="json",
    ),
    "ispring-rest-wrong-root": Case(
        "ispring_learn",
        "list_module_results",
        200,
        b"<results><result/></results>",
        XML,
        "ResponseParseError",
        "wrong root element <results>, expected <response>",
        wire="xml",
    ),
    "ispring-soap-not-an-envelope": Case(
        "ispring_learn",
        "get_enrollments",
        200,
        b"<enrollments/>",
        "text/xml",
        "ResponseParseError",
        "wrong root element <enrollments>, expected <Envelope>",
    ),
    "peoplefluent-not-json": Case(
        "peoplefluent",
        "record",
        200,
        b"<record/>",
        JSON,
        "ResponseParseError",
        "not JSON: an XML document",
        variant="json",
    ),
    "peoplefluent-not-xml": Case(
        "peoplefluent",
        "record",
        200,
        b'{"record": 1}',
        XML,
        "ResponseParseError",
        "not XML: a JSON document",
        variant="xml",
    ),
    "peoplefluent-malformed-xml": Case(
        "peoplefluent",
        "record",
        200,
        b"<record>\n<id>1</id>\n<name>x</record>",
        XML,
        "ResponseParseError",
        "malformed XML at line 3: ",
        variant="xml",
    ),
}


def _soap_fault_case() -> Case:
    soap = importlib.import_module("ispring_learn._soap")
    body = soap.fault_envelope("soap:Client", "Department d9 is unknown")
    return Case(
        "ispring_learn",
        "get_enrollments",
        500,
        body,
        "text/xml",
        "SoapFaultError",
        "Department d9 is unknown (SOAP Fault soap:Client) "
        "(HTTP 500 Internal Server Error, attempt 1)",
        ("Department d9 is unknown", "soap:Client"),
    )


def _raised(case: Case, asynchronous: bool) -> Any:
    """The error a call raises when the fake server answers ``case``'s body."""
    generated = load(case.provider)
    _, call, acall = generated.calls[case.operation]
    options: dict[str, Any] = {"retry": generated.package.RetryPolicy(max_attempts=1)}
    if case.wire:
        options["wire_format"] = case.wire
    fault = generated.fake.Fault(
        status=case.status,
        body=case.body,
        content_type=case.content_type,
        operation=case.operation,
    )

    async def run(server: Any) -> Any:
        async with server.async_client(**options) as client:
            return await acall(client, case.variant)

    with generated.fake.FakeServer() as server:
        server.inject(fault)
        with pytest.raises(generated.errors.ApiError) as caught:
            if asynchronous:
                asyncio.run(run(server))
            else:
                with server.client(**options) as client:
                    call(client, case.variant)
    return caught.value


def _check(case: Case, error: Any) -> None:
    assert type(error).__name__ == case.error, str(error)
    assert str(error).startswith(f"{case.operation}: {case.message}"), str(error)
    assert (error.vendor_message, error.vendor_code) == case.vendor


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("case", VENDOR_TEXT.values(), ids=list(VENDOR_TEXT))
def test_the_vendors_words_lead_the_message(case: Case, asynchronous: bool) -> None:
    _check(case, _raised(case, asynchronous))


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_soap_faultstring_leads_the_message(asynchronous: bool) -> None:
    case = _soap_fault_case()
    _check(case, _raised(case, asynchronous))


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("case", UNREADABLE.values(), ids=list(UNREADABLE))
def test_an_unreadable_body_says_how(case: Case, asynchronous: bool) -> None:
    error = _raised(case, asynchronous)
    _check(case, error)
    assert error.body_excerpt == case.body.decode()[:500]


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_token_error_obtaining_a_token_is_decoded(asynchronous: bool) -> None:
    """The client's own token request (client credentials) fails with the vendor's words;
    the body excerpt of a token answer is dropped, as it may hold a token."""
    case = VENDOR_TEXT["ispring-token-oauth-error"]
    generated = load("ispring_learn")
    _, call, acall = generated.calls["list_module_results"]
    fault = generated.fake.Fault(
        status=401, body=case.body, content_type=JSON, operation="get_token"
    )
    fake = generated.fake
    options = {"client_id": fake.CLIENT_ID, "client_secret": fake.CLIENT_SECRET}
    options["token"] = None  # not the ready token: obtain one

    async def run(server: Any) -> Any:
        async with server.async_client(**options) as client:
            return await acall(client)

    with generated.fake.FakeServer() as server:
        server.inject(fault)
        with pytest.raises(generated.errors.AuthenticationError) as caught:
            if asynchronous:
                asyncio.run(run(server))
            else:
                with server.client(**options) as client:
                    call(client)
    error = caught.value
    assert str(error).startswith("get_token: Client authentication failed (HTTP 401")
    assert (error.vendor_message, error.vendor_code) == case.vendor
    assert error.body_excerpt == ""
