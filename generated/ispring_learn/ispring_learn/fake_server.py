"""A fake iSpring Learn API server, generated from the same spec as the client.

It serves every operation over real HTTP on loopback, checks credentials and
arguments as the spec describes them, validates bodies against the XSD and JSON schema,
and answers with the vendor's samples or with schema-valid data. ``inject`` makes it
misbehave (see ``Fault``). Run it by hand with ``lmsgen mock ispring_learn``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from . import _endpoints
from ._config import BearerToken, Endpoint, Secret
from ._fake import SPEC, Fault, Recorded, Stateful, WireChoice
from ._fake_soap import SoapFakeServer
from ._fake_state import AccessTokens, Paged, Pager, TokenGrant
from .client import AsyncClient, Client
from .models import (
    Certificate,
    Credentials,
    DateTimeRange,
    Enrollment,
    Error,
    FaultDetail,
    GetEnrollmentsRequest,
    LearnerResult,
    ListLearnersResultsRequest,
    ListLearnersResultsResult,
    ModuleResult,
    ModuleResultsPage,
    TokenRequest,
    TokenResponse,
)

__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CREDENTIALS",
    "SECRETS",
    "SPEC",
    "TOKEN",
    "FakeServer",
    "Fault",
    "Recorded",
]

TOKEN = "fake-token"
CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
"""TOKEN: a ready access token that never expires (besides those the server issues);
CLIENT_ID and CLIENT_SECRET: the client credentials ``/api/v3/token`` accepts."""
CREDENTIALS: dict[str, str] = {
    "token": TOKEN,
}
"""The client constructor arguments of credentials the fake server accepts."""
AUTH_HEADERS: dict[str, dict[str, str]] = {
    "oauth2": BearerToken(Secret(TOKEN)).headers(),
}
"""What each auth scheme's request headers must be (a token scheme's: with the ready token)."""
SECRETS: tuple[str, ...] = (
    TOKEN,
    CLIENT_SECRET,
)
"""The credentials this server accepts: they must never show in logs or errors."""
ENDPOINTS: list[Endpoint[Any]] = [
    _endpoints.GET_TOKEN,
    _endpoints.LIST_MODULE_RESULTS,
    _endpoints.LIST_LEARNERS_RESULTS,
    _endpoints.GET_ENROLLMENTS,
]
STATUS: dict[str, int] = {
    "get_token": 200,
    "list_module_results": 200,
    "list_learners_results": 200,
    "get_enrollments": 200,
}
"""The status each operation answers with when it succeeds."""
SAMPLES: dict[tuple[str, str], str] = {
    ("get_enrollments", "xml"): "examples/GetEnrollments.response.xml",
}
"""Documented response samples with real values, served verbatim (SOAP ones in a
standard envelope; paged operations answer with generated records instead, so that
they have pages to follow)."""
REPAIRS: dict[str, tuple[str, ...]] = {
    "examples/GetEnrollments.response.xml": ("leading-text", "ellipsis-lines"),
}
"""What the misprinted samples need before they parse (``repair``)."""
XSDS: dict[str, str] = {}
"""The XSD that each XML request body is validated against."""
JSON_SCHEMAS: dict[str, str] = {}
"""The ``$defs`` entry of ``_spec/schema.json`` that each JSON request body must match."""
WIRE_CHOICES = (WireChoice("json", accept="application/json"),)
"""How a request asks for another representation than the default one."""


def example_tokenrequest(n: int) -> TokenRequest:
    """A schema-valid TokenRequest whose values derive from ``n``."""
    return TokenRequest(
        client_id=f"client_id-{n}",
        client_secret=f"client_secret-{n}",
        grant_type="client_credentials",
    )


def example_tokenresponse(n: int) -> TokenResponse:
    """A schema-valid TokenResponse whose values derive from ``n``."""
    return TokenResponse(
        access_token=f"access_token-{n}",
        expires_in=n,
        token_type=f"token_type-{n}",
    )


def example_datetimerange(n: int) -> DateTimeRange:
    """A schema-valid DateTimeRange whose values derive from ``n``."""
    return DateTimeRange(
        start_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        end_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
    )


def example_moduleresult(n: int) -> ModuleResult:
    """A schema-valid ModuleResult whose values derive from ``n``."""
    return ModuleResult(
        user_id=f"userId-{n}",
        course_id=f"courseId-{n}",
        module_id=f"moduleId-{n}",
        module_title=f"moduleTitle-{n}",
        course_item_id=f"courseItemId-{n}",
        enrollment_id=f"enrollmentId-{n}",
        access_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        due_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        expiration_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        completion_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        time_spent=n,
        completion_status="not_started",
        progress=n + 0.5,
        awarded_score=n + 0.5,
        passing_score=n + 0.5,
        is_overdue=(n) % 2 == 0,
        views_count=n,
    )


def example_moduleresultspage(n: int) -> ModuleResultsPage:
    """A schema-valid ModuleResultsPage whose values derive from ``n``."""
    return ModuleResultsPage(
        results=[example_moduleresult(n * 10 + 1), example_moduleresult(n * 10 + 2)],
        next_page_token=f"nextPageToken-{n}",
    )


def example_error(n: int) -> Error:
    """A schema-valid Error whose values derive from ``n``."""
    return Error(
        code=f"code-{n}",
        message=f"message-{n}",
    )


def example_credentials(n: int) -> Credentials:
    """A schema-valid Credentials whose values derive from ``n``."""
    return Credentials(
        token=f"token-{n}",
    )


def example_listlearnersresultsrequest(n: int) -> ListLearnersResultsRequest:
    """A schema-valid ListLearnersResultsRequest whose values derive from ``n``."""
    return ListLearnersResultsRequest(
        credentials=example_credentials(n),
        user_ids=[f"userIds-{n * 10 + 1}", f"userIds-{n * 10 + 2}"],
        course_ids=[f"courseIds-{n * 10 + 1}", f"courseIds-{n * 10 + 2}"],
        access_date=example_datetimerange(n),
        due_date=example_datetimerange(n),
        completion_date=example_datetimerange(n),
        completion_statuses=["not_started", "not_started"],
        department_ids=[f"departmentIds-{n * 10 + 1}", f"departmentIds-{n * 10 + 2}"],
        user_statuses=[1, 1],
        page_size=n,
        page_token=f"pageToken-{n}",
    )


def example_learnerresult(n: int) -> LearnerResult:
    """A schema-valid LearnerResult whose values derive from ``n``."""
    return LearnerResult(
        user_id=f"userId-{n}",
        course_id=f"courseId-{n}",
        course_title=f"courseTitle-{n}",
        enrollment_id=f"enrollmentId-{n}",
        access_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        due_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        expiration_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        completion_date=datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        time_spent=n,
        completion_status="not_started",
        awarded_score=n + 0.5,
        passing_score=n + 0.5,
        progress=n + 0.5,
        is_overdue=(n) % 2 == 0,
        views_count=n,
        duration=f"duration-{n}",
    )


def example_listlearnersresultsresult(n: int) -> ListLearnersResultsResult:
    """A schema-valid ListLearnersResultsResult whose values derive from ``n``."""
    return ListLearnersResultsResult(
        results=[example_learnerresult(n * 10 + 1), example_learnerresult(n * 10 + 2)],
        next_page_token=f"nextPageToken-{n}",
    )


def example_getenrollmentsrequest(n: int) -> GetEnrollmentsRequest:
    """A schema-valid GetEnrollmentsRequest whose values derive from ``n``."""
    return GetEnrollmentsRequest(
        credentials=example_credentials(n),
        course_ids=[f"courseIds-{n * 10 + 1}", f"courseIds-{n * 10 + 2}"],
        learner_ids=[f"learnerIds-{n * 10 + 1}", f"learnerIds-{n * 10 + 2}"],
    )


def example_certificate(n: int) -> Certificate:
    """A schema-valid Certificate whose values derive from ``n``."""
    return Certificate(
        issued_certificate_id=f"issuedCertificateId-{n}",
        issue_date=date(2024, 1, 1 + (n) % 28),
        expiry_date=date(2024, 1, 1 + (n) % 28),
    )


def example_enrollment(n: int) -> Enrollment:
    """A schema-valid Enrollment whose values derive from ``n``."""
    return Enrollment(
        enrollment_id=f"enrollmentId-{n}",
        course_id=f"courseId-{n}",
        learner_id=f"learnerId-{n}",
        access_date=date(2024, 1, 1 + (n) % 28),
        due_date=date(2024, 1, 1 + (n) % 28),
        expiration_date=date(2024, 1, 1 + (n) % 28),
        enrollment_type_group=0,
        should_lock_after_due_date=(n) % 2 == 0,
        certificate=example_certificate(n),
    )


def example_faultdetail(n: int) -> FaultDetail:
    """A schema-valid FaultDetail whose values derive from ``n``."""
    return FaultDetail(
        code=f"code-{n}",
        message=f"message-{n}",
    )


EXAMPLES: dict[str, Callable[[], Any]] = {
    "get_token": lambda: example_tokenresponse(1),
    "list_module_results": lambda: example_moduleresultspage(1),
    "list_learners_results": lambda: example_listlearnersresultsresult(1),
    "get_enrollments": lambda: [
        example_enrollment(1 * 10 + 1),
        example_enrollment(1 * 10 + 2),
    ],
}
"""Schema-valid data for each operation that answers with a model."""
STATEFUL: dict[str, Stateful] = {
    "get_token": TokenGrant((CLIENT_ID, CLIENT_SECRET)),
    "list_module_results": Paged(
        example_moduleresult,
        items_field="results",
        next_field="next_page_token",
        token_arg="page_token",
        size_arg="page_size",
        default_size=1000,
    ),
    "list_learners_results": Paged(
        example_learnerresult,
        items_field="results",
        next_field="next_page_token",
        token_arg="page_token",
        size_arg="page_size",
        default_size=1000,
    ),
}
"""The answers that the server's state makes: issued tokens, pages of records."""


class FakeServer(SoapFakeServer):
    """The fake iSpring Learn API server; use it as a context manager."""

    wsdl = "ispring_learn.wsdl"
    token_scheme = "oauth2"
    credentials = CREDENTIALS
    auth_headers = AUTH_HEADERS
    status = STATUS
    samples = SAMPLES
    repairs = REPAIRS
    xsds = XSDS
    json_schemas = JSON_SCHEMAS
    examples = EXAMPLES
    stateful = STATEFUL
    wire_choices = WIRE_CHOICES

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(ENDPOINTS, host, port)
        self.tokens = AccessTokens(TOKEN)
        self.pager = Pager()

    def client(self, **options: Any) -> Client:
        """A ``Client`` of this server (credentials filled in; ``options`` override)."""
        return Client(**self.client_options(**options))

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` of this server (credentials filled in; ``options`` override)."""
        return AsyncClient(**self.client_options(**options))

    def accepts_token(self, token: str | None) -> bool:
        return self.tokens.valid(token)
