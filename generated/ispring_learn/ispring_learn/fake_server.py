"""A fake iSpring Learn API server, generated from the same spec as the client.

It serves every operation over real HTTP on loopback, checks credentials and
arguments as the spec describes them, validates bodies against the XSD and JSON schema,
and answers with the vendor's samples or with schema-valid data. ``inject`` makes it
misbehave (see ``Fault``). Run it by hand with ``lmsgen mock ispring_learn``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel

from . import _endpoints, _soap, _xml
from ._codecs import MediaCodec
from ._config import BearerToken, Endpoint, Secret, WireFormat
from ._fake import SPEC, Answer, Fault, Recorded, Rejected, repair
from ._fake_soap import SoapFakeServer
from ._fake_state import AccessTokens, Pager
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


@cache
def _xsd(name: str) -> Any:
    """An XSD of ``_spec``, read once per process (reading one takes a tenth of a second)."""
    import xmlschema

    return xmlschema.XMLSchema(str(SPEC / name))


@cache
def _json_schemas() -> dict[str, Any]:
    """``_spec/schema.json``, read once per process."""
    import json

    return dict(json.loads((SPEC / "schema.json").read_text(encoding="utf-8")))


@cache
def _json_schema(name: str) -> Any:
    """The validator of one ``$defs`` entry of ``_spec/schema.json``, built once."""
    import jsonschema

    return jsonschema.Draft202012Validator(
        {**_json_schemas(), "$ref": f"#/$defs/{name}"}
    )


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
        is_overdue=0,
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
    "get_enrollments": lambda: [
        example_enrollment(1 * 10 + 1),
        example_enrollment(1 * 10 + 2),
    ],
}
"""Schema-valid data for each operation that answers with a model (but the paged ones
and the token endpoint, which ``FakeServer.data`` builds)."""


class FakeServer(SoapFakeServer):
    """The fake iSpring Learn API server; use it as a context manager."""

    prefix = ""
    wsdl = "ispring_learn.wsdl"
    records = 25
    """How many records each paged operation holds (tests may change it)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(ENDPOINTS, host, port)
        for xsd in XSDS.values():
            _xsd(xsd)  # now, not in the first request: it would outlast short timeouts
        self.tokens = AccessTokens(TOKEN)
        self.pager = Pager()

    def client_options(self, **options: Any) -> dict[str, Any]:
        """Constructor arguments for a client of this server: what it accepts, and ``options``."""
        settings: dict[str, Any] = {
            **CREDENTIALS,
            "base_url": self.base_url,
            "soap_url": self.soap_url,
        }
        return {**settings, **options}

    def client(self, **options: Any) -> Client:
        """A ``Client`` of this server (credentials filled in; ``options`` override)."""
        return Client(**self.client_options(**options))

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` of this server (credentials filled in; ``options`` override)."""
        return AsyncClient(**self.client_options(**options))

    def authorize(self, endpoint: Endpoint[Any], request: Recorded) -> bool:
        """The right credentials of one of the call's schemes; none at all if optional."""
        for name in endpoint.auth:
            if name == "oauth2":
                # The vendor's sample sends the token without "Bearer ": accept both forms.
                given = request.headers.get("authorization", "").removeprefix("Bearer ")
                if self.tokens.valid(given):
                    return True
                continue
            expected = AUTH_HEADERS[name]
            if all(
                request.headers.get(key.lower()) == value
                for key, value in expected.items()
            ):
                return True
        sent = any(
            key.lower() in request.headers
            for name in endpoint.auth
            for key in AUTH_HEADERS[name]
        )
        return not endpoint.auth or (endpoint.auth_optional and not sent)

    def accepts_token(self, token: str | None) -> bool:
        return self.tokens.valid(token)

    def wire_format(self, request: Recorded) -> WireFormat:
        if "application/json" in request.headers.get("accept", ""):
            return "json"
        return "xml"

    def check_xml(self, endpoint: Endpoint[Any], body: bytes) -> None:
        xsd = XSDS.get(endpoint.operation)
        if xsd is None:
            return
        errors = list(_xsd(xsd).iter_errors(body.decode()))
        if errors:
            raise Rejected(400, f"body does not match {xsd}: {errors[0].reason}")

    def check_json(self, endpoint: Endpoint[Any], body: bytes) -> None:
        name = JSON_SCHEMAS.get(endpoint.operation)
        if name is None:
            return
        import json

        import jsonschema

        error = jsonschema.exceptions.best_match(
            _json_schema(name).iter_errors(json.loads(body))
        )
        if error is not None:
            raise Rejected(400, f"body does not match {name}: {error.message}")

    def answer(
        self, endpoint: Endpoint[Any], args: BaseModel, wire: WireFormat
    ) -> Answer:
        status = STATUS[endpoint.operation]
        codec = endpoint.result_codec(args)
        if codec is None:
            return Answer(status)
        assert not isinstance(codec, MediaCodec)
        media = "application/json" if wire == "json" else "application/xml"
        if endpoint.soap is not None:
            media = _soap.MEDIA_TYPE
        sample = SAMPLES.get((endpoint.operation, wire))
        if sample is not None:
            raw = repair((SPEC / sample).read_bytes(), REPAIRS.get(sample, ()))
            if (
                endpoint.soap is not None
            ):  # the vendor's payload, in a standard envelope
                raw = _soap.envelope(_soap.body_child(_xml.parse(raw)))
            return Answer(status, raw, media)
        value = self.data(endpoint.operation, args)
        if endpoint.soap is not None:
            return Answer(status, _soap.envelope(codec.element(value)), media)
        if wire == "json":
            return Answer(status, codec.encode_json(value), media)
        return Answer(status, codec.encode_xml(value), media)

    def data(self, operation: str, args: BaseModel) -> Any:
        """Schema-valid data for an operation without a usable sample."""
        values = args.model_dump()
        if operation == "get_token":
            if (values["client_id"], values["client_secret"]) != (
                CLIENT_ID,
                CLIENT_SECRET,
            ):
                raise Rejected(401, "invalid_client: unknown client id or secret")
            issued, lifetime = self.tokens.issue()
            return example_tokenresponse(1).model_copy(
                update={
                    "access_token": issued,
                    "expires_in": lifetime,
                    "token_type": "bearer",
                }
            )
        if operation == "list_module_results":
            rows, following = self.pager.page(
                operation,
                self.records,
                values["page_size"] or 1000,
                values["page_token"],
            )
            return example_moduleresultspage(1).model_copy(
                update={
                    "results": [example_moduleresult(n) for n in rows],
                    "next_page_token": following,
                }
            )
        if operation == "list_learners_results":
            rows, following = self.pager.page(
                operation,
                self.records,
                values["page_size"] or 1000,
                values["page_token"],
            )
            return example_listlearnersresultsresult(1).model_copy(
                update={
                    "results": [example_learnerresult(n) for n in rows],
                    "next_page_token": following,
                }
            )
        return EXAMPLES[operation]()
