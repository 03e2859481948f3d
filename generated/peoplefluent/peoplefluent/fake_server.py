"""A fake PeopleFluent LMS Legacy API server, generated from the same spec as the client.

It serves every operation over real HTTP on loopback, checks credentials and
arguments as the spec describes them, validates bodies against the XSD and JSON schema,
and answers with the vendor's samples or with schema-valid data. ``inject`` makes it
misbehave (see ``Fault``). Run it by hand with ``lmsgen mock peoplefluent``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _endpoints
from ._codecs import (
    BinaryCodec,
    CsvReportCodec,
    EntryCodec,
    FeedCodec,
    JsonValueCodec,
    MediaCodec,
    XmlElementCodec,
)
from ._config import BasicAuth, BearerToken, Endpoint, Secret
from ._fake import SPEC, BaseFakeServer, Fault, MediaAnswer, Recorded
from ._fake_csv import report_body
from ._fake_feeds import entry_body, feed_body
from ._fake_media import file_body, json_body, untyped_record, untyped_records, xml_body
from .client import AsyncClient, Client

__all__ = [
    "CREDENTIALS",
    "PASSWORD",
    "SECRETS",
    "SPEC",
    "SYSTEM_KEY",
    "SYSTEM_USER",
    "TOKEN",
    "USERNAME",
    "FakeServer",
    "Fault",
    "Recorded",
]

USERNAME = "fake-username"
PASSWORD = "fake-password"
TOKEN = "fake-token"
SYSTEM_USER = "fake-system-user"
SYSTEM_KEY = "fake-system-key"
CREDENTIALS: dict[str, str] = {
    "username": USERNAME,
    "password": PASSWORD,
    "token": TOKEN,
    "system_user": SYSTEM_USER,
    "system_key": SYSTEM_KEY,
}
"""The client constructor arguments of credentials the fake server accepts."""
AUTH_HEADERS: dict[str, dict[str, str]] = {
    "userBasic": BasicAuth(USERNAME, Secret(PASSWORD)).headers(),
    "userBearer": BearerToken(Secret(TOKEN)).headers(),
    "systemBasic": BasicAuth(SYSTEM_USER, Secret(SYSTEM_KEY)).headers(),
}
"""What each auth scheme's request headers must be (a token scheme's: with the ready token)."""
SECRETS: tuple[str, ...] = (
    PASSWORD,
    TOKEN,
    SYSTEM_KEY,
)
"""The credentials this server accepts: they must never show in logs or errors."""
ENDPOINTS: list[Endpoint[Any]] = [
    _endpoints.PUBLIC_NEWS,
    _endpoints.USER_NEWS,
    _endpoints.ARTICLE,
    _endpoints.ARTICLES,
    _endpoints.ENROLLMENTS,
    _endpoints.PROGRAM_MODULE_ENROLLER,
    _endpoints.RECORDS,
    _endpoints.RECORD,
    _endpoints.EXTERNAL_TRAINING_REQUESTS,
    _endpoints.EXTERNAL_TRAINING_RECORDS,
    _endpoints.EXTERNAL_TRAINING_RECORD,
    _endpoints.EXTERNAL_RECORD_ADDER,
    _endpoints.EXTERNAL_RECORD_UPDATER,
    _endpoints.EXTERNAL_RECORD_DELETER,
    _endpoints.LEARNING_PATH,
    _endpoints.ENROLL_USER,
    _endpoints.ENROLLMENT_REQUESTS,
    _endpoints.ENROLLMENT_REQUEST_APPROVER,
    _endpoints.ENROLLMENT_REQUEST_DENIER,
    _endpoints.TASK_APPROVAL,
    _endpoints.TASK_APPROVER,
    _endpoints.CONTENT_PACKAGE,
    _endpoints.LAUNCH_TRACKER,
    _endpoints.HACP_INFO,
    _endpoints.OVERALL_STATUS_CHANGER,
    _endpoints.TRAINING_HISTORY_XML,
    _endpoints.COMPLETED_TRAINING_RECORDS_XML,
    _endpoints.SUPERVISOR_ASSESSMENTS,
    _endpoints.SUPERVISOR_ASSESSMENT,
    _endpoints.WITHDRAWAL_REQUESTS,
    _endpoints.WITHDRAWAL_REQUEST_APPROVER,
    _endpoints.WITHDRAWAL_REQUEST_DENIER,
    _endpoints.PARTICIPANT_SUBSTITUTER,
    _endpoints.CONTENT_HANDLER_TRAINING_HISTORY_CSV,
    _endpoints.CONTENT_HANDLER_EXTERNAL_TRAINING_CSV,
    _endpoints.CATALOG,
    _endpoints.MODULE,
    _endpoints.MODULES,
    _endpoints.PRELOAD_MODULES,
    _endpoints.FACILITY,
    _endpoints.RESOURCES,
    _endpoints.RESOURCE,
    _endpoints.PARTICIPANTS,
    _endpoints.CONTENT_PACKAGE_IMPORTER,
    _endpoints.CONTENT_HANDLER_COURSES,
    _endpoints.COMPETENCIES,
    _endpoints.COMPETENCY,
    _endpoints.JOB_PROFILES,
    _endpoints.TRAINING_PLAN,
    _endpoints.ASSIGNED_JOB_PROFILES,
    _endpoints.COMPETENCY_COMPLETION_STATUS,
    _endpoints.CERTIFICATIONS_AWARDED,
    _endpoints.CERTIFICATE,
    _endpoints.COMPETENCIES_AWARDED,
    _endpoints.JOB_PROFILE_ASSIGNER,
    _endpoints.JOB_PROFILE_UNASSIGNER,
    _endpoints.USER_JOB_PROFILE_PATH,
    _endpoints.MAILBOX,
    _endpoints.MESSAGE,
    _endpoints.MESSAGE_UPDATER,
    _endpoints.LATEST_FORUM_POSTS,
    _endpoints.ASSIGNMENTS,
    _endpoints.PEOPLE,
    _endpoints.DIRECT_REPORTS,
    _endpoints.ME,
    _endpoints.RECENT_ACTIVITY,
    _endpoints.USERS,
    _endpoints.ORGANIZATION,
    _endpoints.USER_GROUP_CREATOR,
    _endpoints.USER_GROUP_DELETER,
    _endpoints.USER_GROUP_ADDER,
    _endpoints.USER_GROUP_REMOVER,
    _endpoints.SUPERVISED_GROUPS_ADDER,
    _endpoints.SUPERVISED_GROUPS_REMOVER,
    _endpoints.USER200510_XML,
    _endpoints.USERS200510_XML,
    _endpoints.ASSESSMENT_ATTEMPT_HANDLER,
    _endpoints.ASSESSMENT_ATTEMPT_SUMMARY,
    _endpoints.BATCH_REPORTS,
    _endpoints.BATCH_REPORT,
]
STATUS: dict[str, int] = {
    "public_news": 200,
    "user_news": 200,
    "article": 200,
    "articles": 200,
    "enrollments": 200,
    "program_module_enroller": 200,
    "records": 200,
    "record": 200,
    "external_training_requests": 200,
    "external_training_records": 200,
    "external_training_record": 200,
    "external_record_adder": 200,
    "external_record_updater": 200,
    "external_record_deleter": 200,
    "learning_path": 200,
    "enroll_user": 200,
    "enrollment_requests": 200,
    "enrollment_request_approver": 200,
    "enrollment_request_denier": 200,
    "task_approval": 200,
    "task_approver": 200,
    "content_package": 200,
    "launch_tracker": 200,
    "hacp_info": 200,
    "overall_status_changer": 200,
    "training_history_xml": 200,
    "completed_training_records_xml": 200,
    "supervisor_assessments": 200,
    "supervisor_assessment": 200,
    "withdrawal_requests": 200,
    "withdrawal_request_approver": 200,
    "withdrawal_request_denier": 200,
    "participant_substituter": 200,
    "content_handler_training_history_csv": 200,
    "content_handler_external_training_csv": 200,
    "catalog": 200,
    "module": 200,
    "modules": 200,
    "preload_modules": 200,
    "facility": 200,
    "resources": 200,
    "resource": 200,
    "participants": 200,
    "content_package_importer": 200,
    "content_handler_courses": 200,
    "competencies": 200,
    "competency": 200,
    "job_profiles": 200,
    "training_plan": 200,
    "assigned_job_profiles": 200,
    "competency_completion_status": 200,
    "certifications_awarded": 200,
    "certificate": 200,
    "competencies_awarded": 200,
    "job_profile_assigner": 200,
    "job_profile_unassigner": 200,
    "user_job_profile_path": 200,
    "mailbox": 200,
    "message": 200,
    "message_updater": 200,
    "latest_forum_posts": 200,
    "assignments": 200,
    "people": 200,
    "direct_reports": 200,
    "me": 200,
    "recent_activity": 200,
    "users": 200,
    "organization": 200,
    "user_group_creator": 200,
    "user_group_deleter": 200,
    "user_group_adder": 200,
    "user_group_remover": 200,
    "supervised_groups_adder": 200,
    "supervised_groups_remover": 200,
    "user200510_xml": 200,
    "users200510_xml": 200,
    "assessment_attempt_handler": 200,
    "assessment_attempt_summary": 200,
    "batch_reports": 200,
    "batch_report": 200,
}
"""The status each operation answers with when it succeeds."""
SAMPLES: dict[tuple[str, str], str] = {}
"""Documented response samples with real values, served verbatim (SOAP ones in a
standard envelope; paged operations answer with generated records instead, so that
they have pages to follow)."""
REPAIRS: dict[str, tuple[str, ...]] = {}
"""What the misprinted samples need before they parse (``repair``)."""
XSDS: dict[str, str] = {}
"""The XSD that each XML request body is validated against."""
JSON_SCHEMAS: dict[str, str] = {}
"""The ``$defs`` entry of ``_spec/schema.json`` that each JSON request body must match."""


RECORDS: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "training_history_xml": ("trainingHistoryXml", untyped_records("trainingRecord")),
    "completed_training_records_xml": (
        "completedTrainingRecordsXml",
        untyped_records("trainingRecord"),
    ),
    "user200510_xml": ("user200510Xml", untyped_record),
    "users200510_xml": ("users200510Xml", untyped_record),
}
"""The root element and record writer of each streamed XML answer."""
MEDIA: dict[type[MediaCodec[Any]], MediaAnswer] = {
    BinaryCodec: file_body,
    JsonValueCodec: json_body,
    XmlElementCodec: xml_body,
    FeedCodec: feed_body,
    EntryCodec: entry_body,
    CsvReportCodec: report_body,
}
"""What makes the body of each kind of reply that is not a typed model."""


class FakeServer(BaseFakeServer):
    """The fake PeopleFluent LMS Legacy API server; use it as a context manager."""

    prefix = "/ekp"
    session_cookie = True
    multipart = True
    credentials = CREDENTIALS
    auth_headers = AUTH_HEADERS
    status = STATUS
    samples = SAMPLES
    repairs = REPAIRS
    xsds = XSDS
    json_schemas = JSON_SCHEMAS
    streams = RECORDS
    media = MEDIA

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(ENDPOINTS, host, port)

    def client(self, **options: Any) -> Client:
        """A ``Client`` of this server (credentials filled in; ``options`` override)."""
        return Client(**self.client_options(**options))

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` of this server (credentials filled in; ``options`` override)."""
        return AsyncClient(**self.client_options(**options))
