"""A fake Litmos API server, generated from the same spec as the client.

It serves every operation over real HTTP on loopback, checks credentials and
arguments as the spec describes them, validates bodies against the XSD and JSON schema,
and answers with the vendor's samples or with schema-valid data. ``inject`` makes it
misbehave (see ``Fault``). Run it by hand with ``lmsgen mock litmos``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import _endpoints
from ._config import ApiKeyHeader, Endpoint, Secret
from ._fake import SPEC, BaseFakeServer, Fault, Recorded, WireChoice
from .client import AsyncClient, Client
from .models import (
    Course,
    CourseReference,
    CourseResult,
    ErrorDetail,
    LearningPath,
    LearningPathReference,
    ModuleResult,
    UserCourses,
    UserReference,
)

__all__ = [
    "API_KEY",
    "CREDENTIALS",
    "SECRETS",
    "SPEC",
    "FakeServer",
    "Fault",
    "Recorded",
]

API_KEY = "fake-api-key"
CREDENTIALS: dict[str, str] = {
    "api_key": API_KEY,
}
"""The client constructor arguments of credentials the fake server accepts."""
AUTH_HEADERS: dict[str, dict[str, str]] = {
    "apikey": ApiKeyHeader("apikey", Secret(API_KEY)).headers(),
}
"""What each auth scheme's request headers must be (a token scheme's: with the ready token)."""
SECRETS: tuple[str, ...] = (API_KEY,)
"""The credentials this server accepts: they must never show in logs or errors."""
ENDPOINTS: list[Endpoint[Any]] = [
    _endpoints.GET_USER_COURSES,
    _endpoints.ASSIGN_COURSES,
    _endpoints.GET_USER_LEARNING_PATHS,
    _endpoints.ASSIGN_LEARNING_PATHS,
    _endpoints.GET_USERS_COURSES,
    _endpoints.GET_USER_COURSE_RESULTS,
    _endpoints.REMOVE_COURSE,
    _endpoints.RESET_COURSE_RESULTS,
    _endpoints.REMOVE_LEARNING_PATH,
]
STATUS: dict[str, int] = {
    "get_user_courses": 200,
    "assign_courses": 201,
    "get_user_learning_paths": 200,
    "assign_learning_paths": 201,
    "get_users_courses": 200,
    "get_user_course_results": 200,
    "remove_course": 200,
    "reset_course_results": 200,
    "remove_learning_path": 201,
}
"""The status each operation answers with when it succeeds."""
SAMPLES: dict[tuple[str, str], str] = {
    ("get_users_courses", "xml"): "examples/getUsersCourses.response.xml",
    ("get_users_courses", "json"): "examples/getUsersCourses.response.json",
}
"""Documented response samples with real values, served verbatim (SOAP ones in a
standard envelope; paged operations answer with generated records instead, so that
they have pages to follow)."""
REPAIRS: dict[str, tuple[str, ...]] = {}
"""What the misprinted samples need before they parse (``repair``)."""
XSDS: dict[str, str] = {
    "assign_courses": "xsd/course-references.xsd",
    "assign_learning_paths": "xsd/learning-path-references.xsd",
    "get_users_courses": "xsd/user-references.xsd",
}
"""The XSD that each XML request body is validated against."""
JSON_SCHEMAS: dict[str, str] = {
    "assign_courses": "CourseReferenceList",
    "get_users_courses": "UserReferenceList",
}
"""The ``$defs`` entry of ``_spec/schema.json`` that each JSON request body must match."""
WIRE_CHOICES = (
    WireChoice("json", query=("format", "json")),
    WireChoice("json", accept="application/json"),
)
"""How a request asks for another representation than the default one."""


def example_errordetail(n: int) -> ErrorDetail:
    """A schema-valid ErrorDetail whose values derive from ``n``."""
    return ErrorDetail(
        detail=f"Detail-{n}",
    )


def example_course(n: int) -> Course:
    """A schema-valid Course whose values derive from ``n``."""
    return Course(
        id=f"Id-{n}"[:50],
        code=None if n % 3 == 0 else f"Code-{n}"[:20],
        name=None if n % 3 == 0 else f"Name-{n}"[:255],
        active=None if n % 3 == 0 else (n) % 2 == 0,
        complete=None if n % 3 == 0 else (n) % 2 == 0,
        percentage_complete=None if n % 3 == 0 else Decimal(n) + Decimal("0.25"),
        assigned_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        start_date=None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        date_completed=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        up_to_date=None if n % 3 == 0 else (n) % 2 == 0,
        overdue=None if n % 3 == 0 else (n) % 2 == 0,
        compliant_till=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        is_learning_path=None if n % 3 == 0 else (n) % 2 == 0,
        course_created_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        course_creator=None if n % 3 == 0 else f"CourseCreator-{n}"[:50],
        original_id=None if n % 3 == 0 else n,
        result_id=None if n % 3 == 0 else f"ResultId-{n}"[:50],
        access_till_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        user_id=None if n % 3 == 0 else f"UserId-{n}",
    )


def example_learningpath(n: int) -> LearningPath:
    """A schema-valid LearningPath whose values derive from ``n``."""
    return LearningPath(
        id=f"Id-{n}",
        name=None if n % 3 == 0 else f"Name-{n}",
        active=None if n % 3 == 0 else (n) % 2 == 0,
        original_id=None if n % 3 == 0 else n,
        complete=None if n % 3 == 0 else (n) % 2 == 0,
        percentage_complete=None if n % 3 == 0 else Decimal(n) + Decimal("0.25"),
        assigned_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        start_date=None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        date_completed=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        result_id=None if n % 3 == 0 else f"ResultId-{n}",
        access_till_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
    )


def example_userreference(n: int) -> UserReference:
    """A schema-valid UserReference whose values derive from ``n``."""
    return UserReference(
        id=f"Id-{n}",
    )


def example_usercourses(n: int) -> UserCourses:
    """A schema-valid UserCourses whose values derive from ``n``."""
    return UserCourses(
        id=f"Id-{n}",
        courses=[example_course(n * 10 + 1), example_course(n * 10 + 2)],
    )


def example_moduleresult(n: int) -> ModuleResult:
    """A schema-valid ModuleResult whose values derive from ``n``."""
    return ModuleResult(
        id=f"Id-{n}"[:50],
        code=None if n % 3 == 0 else f"Code-{n}"[:50],
        name=None if n % 3 == 0 else f"Name-{n}"[:255],
        passmark=None if n % 3 == 0 else n,
        score=None if n % 3 == 0 else n,
        completed=None if n % 3 == 0 else (n) % 2 == 0,
        last_updated=None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        start_date=None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        date_completed=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        attempt=None if n % 3 == 0 else n,
        original_id=None if n % 3 == 0 else f"OriginalId-{n}"[:50],
        result_id=None if n % 3 == 0 else f"ResultId-{n}"[:50],
    )


def example_courseresult(n: int) -> CourseResult:
    """A schema-valid CourseResult whose values derive from ``n``."""
    return CourseResult(
        id=f"Id-{n}"[:50],
        code=None if n % 3 == 0 else f"Code-{n}"[:20],
        name=None if n % 3 == 0 else f"Name-{n}"[:255],
        active=None if n % 3 == 0 else (n) % 2 == 0,
        complete=None if n % 3 == 0 else (n) % 2 == 0,
        percentage_complete=None if n % 3 == 0 else Decimal(n) + Decimal("0.25"),
        assigned_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        start_date=None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15),
        date_completed=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        up_to_date=None if n % 3 == 0 else (n) % 2 == 0,
        overdue=None if n % 3 == 0 else (n) % 2 == 0,
        modules=[example_moduleresult(n * 10 + 1), example_moduleresult(n * 10 + 2)],
        course_due_date=(
            None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)
        ),
        original_id=None if n % 3 == 0 else n,
        result_id=None if n % 3 == 0 else f"ResultId-{n}"[:50],
    )


def example_coursereference(n: int) -> CourseReference:
    """A schema-valid CourseReference whose values derive from ``n``."""
    return CourseReference(
        id=f"Id-{n}"[:50],
    )


def example_learningpathreference(n: int) -> LearningPathReference:
    """A schema-valid LearningPathReference whose values derive from ``n``."""
    return LearningPathReference(
        id=f"Id-{n}",
    )


EXAMPLES: dict[str, Callable[[], Any]] = {
    "get_user_courses": lambda: [
        example_course(1 * 10 + 1),
        example_course(1 * 10 + 2),
    ],
    "get_user_learning_paths": lambda: [
        example_learningpath(1 * 10 + 1),
        example_learningpath(1 * 10 + 2),
    ],
    "get_users_courses": lambda: [
        example_usercourses(1 * 10 + 1),
        example_usercourses(1 * 10 + 2),
    ],
    "get_user_course_results": lambda: [
        example_courseresult(1 * 10 + 1),
        example_courseresult(1 * 10 + 2),
    ],
}
"""Schema-valid data for each operation that answers with a model."""


class FakeServer(BaseFakeServer):
    """The fake Litmos API server; use it as a context manager."""

    prefix = "/v1.svc"
    client_defaults = (("source", "fake-server-client"),)
    credentials = CREDENTIALS
    auth_headers = AUTH_HEADERS
    status = STATUS
    samples = SAMPLES
    repairs = REPAIRS
    xsds = XSDS
    json_schemas = JSON_SCHEMAS
    examples = EXAMPLES
    wire_choices = WIRE_CHOICES

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(ENDPOINTS, host, port)

    def client(self, **options: Any) -> Client:
        """A ``Client`` of this server (credentials filled in; ``options`` override)."""
        return Client(**self.client_options(**options))

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` of this server (credentials filled in; ``options`` override)."""
        return AsyncClient(**self.client_options(**options))
