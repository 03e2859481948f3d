"""The iSpring Learn spec against the vendor documentation (seeds 000, 001, 003).

The seeds' parameter and return tables, as ``tests/data/ispring_learn_documented.json``
keeps them (``make docs-check`` compares it with the seeds), are compared with the IR
that the WSDL and OpenAPI frontends build together, so a parameter, type, cardinality or
field that drifts from the docs names itself. (That the samples under ``examples/`` are
the seeds' lines, byte for byte, is checked by ``make docs-check``.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from documented import ispring_learn, ispring_learn_beyond
from helpers import REPO
from lmsgen import ir
from lmsgen.pipeline import load

SPEC = REPO / "specs" / "ispring_learn"
ARRAYS = {
    "userIds",
    "courseIds",
    "moduleIds",
    "courseItemIds",
    "enrollmentIds",
    "completionStatuses",
    "departmentIds",
    "userStatuses",
    "learnerIds",
}
"""The array parameters (the issue's list; every one must be in a seed's table)."""
RANGES = {"accessDate", "dueDate", "completionDate"}
TWIN_FIELDS = [
    "userId", "courseId", "courseTitle", "enrollmentId", "accessDate", "dueDate",
    "expirationDate", "completionDate", "timeSpent", "completionStatus", "awardedScore",
    "passingScore", "progress", "isOverdue", "viewsCount", "duration",
]  # fmt: skip
"""ListLearnersResults' fields, from its REST twin GET /learners/results (seed 000 lost
its return table; shared/PROVIDERS.md lists the twin's fields)."""
CERTIFICATE_DRIFT = {
    "issuedCertificateId": "issuedCertificateId",
    "certIssueDate": "issueDate",
    "certExpiryDate": "expiryDate",
}
"""Seed 003's table names → the element names of its sample, nested in <certificate>."""


def documented(name: str) -> dict[str, Any]:
    """What the documentation says of operation ``name`` (tests/data/)."""
    facts: dict[str, Any] = ispring_learn()[name]
    return facts


@cache
def provider() -> ir.Provider:
    return load(SPEC)


def operation(name: str) -> ir.Operation:
    return next(op for op in provider().operations if op.operation_id == name)


def model(name: str) -> ir.Model:
    return next(item for item in provider().models if item.name == name)


def enum_values(kind: ir.TypeRef) -> tuple[object, ...]:
    assert kind.kind == "enum", kind
    return next(item for item in provider().enums if item.name == kind.name).values


def by_wire(op: ir.Operation) -> dict[str, ir.Parameter]:
    return {
        parameter.wire_name.removesuffix("[]"): parameter for parameter in op.parameters
    }


def fields(item: ir.Model) -> dict[str, ir.Field]:
    return {field.xml.name: field for field in item.fields}


# --- parameters ------------------------------------------------------------------------

OPERATIONS = ["ListLearnersResults", "listModuleResults", "GetEnrollments"]


def test_the_documented_operations_are_these() -> None:
    assert sorted(ispring_learn()) == sorted(OPERATIONS)


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_documented_parameter_with_its_cardinality(name: str) -> None:
    parameters: dict[str, bool] = documented(name)["parameters"]
    assert parameters, f"no documented parameters of {name}"
    op = operation(name)
    params = by_wire(op)
    for wire, required in parameters.items():
        if wire == "token":  # the access token: credentials in SOAP, a header in REST
            assert required and op.auth == ("oauth2",)
            if op.soap is not None:
                assert op.soap.token_path == ("credentials", "token")
            continue
        assert wire in params, f"{name}: documented parameter {wire} is missing"
        parameter = params[wire]
        assert parameter.required == required, wire
        if wire in ARRAYS:
            assert parameter.type.is_list, f"{name}.{wire} must be an array"
            if op.soap is None:
                assert parameter.wire_name == wire + "[]", "PHP-style array"
        elif wire in RANGES:
            assert parameter.type.is_model and parameter.type.name == "DateTimeRange"
            if op.soap is None:
                assert parameter.style == "deep", "bracketed range"
        else:
            assert not parameter.type.is_list, wire
    assert set(params) <= set(parameters), "parameters the seed does not document"


def test_every_array_parameter_is_documented() -> None:
    tables = [set(documented(name)["parameters"]) for name in OPERATIONS]
    assert set.union(*tables) >= ARRAYS


def test_ranges_may_omit_either_bound() -> None:
    range_model = model("DateTimeRange")
    assert [(f.json_name, f.type.kind, f.required) for f in range_model.fields] == [
        ("startDate", "datetime", False),
        ("endDate", "datetime", False),
    ]


@pytest.mark.parametrize("name", ["ListLearnersResults", "listModuleResults"])
def test_statuses_page_size_and_page_token(name: str) -> None:
    facts = documented(name)
    params = by_wire(operation(name))
    statuses = params["completionStatuses"].type.item
    assert statuses is not None
    assert list(enum_values(statuses)) == facts["completion_statuses"]
    assert len(facts["completion_statuses"]) == 9
    user_statuses = params["userStatuses"].type.item
    assert user_statuses is not None
    assert facts["user_statuses"] == {"1": "active", "3": "blocked"}
    beyond = ispring_learn_beyond()[name]["user_statuses"]
    assert beyond == {"5": "terminated"} and not set(beyond) & set(
        facts["user_statuses"]
    )
    documented_statuses = {**facts["user_statuses"], **beyond}
    assert enum_values(user_statuses) == tuple(int(v) for v in documented_statuses)
    assert params["pageSize"].type.kind == "int"
    assert params["pageSize"].default == facts["page_size_default"] == 1000
    assert params["pageToken"].type.kind == "str"


def test_rest_errors_carry_code_and_message() -> None:
    assert documented("listModuleResults")["response_codes"] == [200, 400, 401, 403]
    op = operation("listModuleResults")
    assert op.error is not None and op.error.type.name == "Error"
    assert [f.json_name for f in model("Error").fields] == ["code", "message"]


# --- responses -------------------------------------------------------------------------


def test_every_module_result_field_of_seed_001() -> None:
    table = documented("listModuleResults")["result_fields"]
    assert table[0] == "result" and len(table) == 16
    page = model("ModuleResultsPage")
    assert fields(page)["results"].xml.item == "result"
    assert "nextPageToken" in fields(page)
    ours = fields(model("ModuleResult"))
    beyond = ispring_learn_beyond()["listModuleResults"]["result_fields"]
    assert not set(beyond) & set(table), "a seed fact is not beyond the seeds"
    assert sorted(ours) == sorted(table[1:] + list(beyond))
    for name, kind in beyond.items():
        assert ours[name].type.kind == kind, name
    changed = ispring_learn_beyond()["listModuleResults"]
    assert ours["isOverdue"].type.kind == "bool"  # seed 001: 0/1; the reference: bool
    assert changed["result_field_types"]["isOverdue"].startswith("boolean")
    for name, unit in changed["result_field_units"].items():
        assert f"in {unit}" in ours[name].description, name
    statuses = documented("listModuleResults")["completion_statuses"]
    assert list(enum_values(ours["completionStatus"].type)) == statuses


def test_learner_results_come_from_the_rest_twin_and_say_so() -> None:
    facts = documented("ListLearnersResults")
    assert facts["result_fields"] == ["nextPageToken"]  # the only row left
    assert "courseTitle" in facts["sample_response_elements"]
    result = model("ListLearnersResultsResult")
    assert list(fields(result)) == ["results", "nextPageToken"]
    learner = model("LearnerResult")
    assert list(fields(learner)) == TWIN_FIELDS
    assert "GET /learners/results" in learner.description
    assert "lost its return table" in learner.description
    assert fields(learner)["isOverdue"].type.kind == "bool"  # reads 0/1 and true/false


def test_every_enrollment_field_of_seed_003_with_the_certificate_block() -> None:
    facts = documented("GetEnrollments")
    table = facts["result_fields"]
    assert table[0] == "enrollment"
    op = operation("GetEnrollments")
    assert op.result is not None and op.result.type.is_list
    assert op.result.xml_item == "enrollment"
    enrollment = fields(model("Enrollment"))
    certificate = fields(model("Certificate"))
    assert enrollment["certificate"].type.name == "Certificate"
    for name in table[1:]:
        if name in CERTIFICATE_DRIFT:
            assert CERTIFICATE_DRIFT[name] in certificate, name
        else:
            assert name in enrollment, name
    assert enum_values(enrollment["enrollmentTypeGroup"].type) == (0, 1)
    assert facts["result_field_types"]["enrollmentTypeGroup"] == "int32"
    assert enrollment["accessDate"].type.kind == "date_or_datetime"
    assert certificate["issueDate"].type.kind == "date_or_datetime"


# --- the WSDL frontend -----------------------------------------------


def test_soap_operations_come_from_the_wsdl_into_the_same_ir() -> None:
    soap = [op for op in provider().operations if op.protocol == "soap"]
    assert [op.operation_id for op in soap] == ["ListLearnersResults", "GetEnrollments"]
    for op in soap:
        assert op.soap is not None
        assert op.source.startswith(str(Path("specs/ispring_learn/ispring_learn.wsdl")))
        assert op.soap.action == op.operation_id  # assumed, and documented as such
        assert op.soap.namespace == "https://ispringlearn.com/go/services/api/soap"
        assert op.idempotent, "SOAP calls that only read are safe to retry"
    rest = operation("listModuleResults")
    shared = by_wire(rest)["accessDate"].type
    assert by_wire(operation("ListLearnersResults"))["accessDate"].type == shared
    assert provider().soap_endpoint == "", "the WSDL's empty address: unknown"
    assert [fault.name for fault in provider().soap_faults] == [
        "PermissionDeniedFault",
        "WrongParametersFault",
    ]
    assert documented("ListLearnersResults")["errors"] == ["Permission denied"]


def test_pagination_is_described_for_both_paged_operations() -> None:
    for name in ("ListLearnersResults", "listModuleResults"):
        pages = operation(name).pages
        assert pages is not None
        assert (pages.token_arg, pages.next_field, pages.size_arg) == (
            "page_token",
            "next_page_token",
            "page_size",
        )


def index_entries() -> list[dict[str, str]]:
    data = yaml.safe_load(
        (SPEC / "examples" / "index.yaml").read_text(encoding="utf-8")
    )
    return list(data["files"])


@pytest.mark.parametrize("entry", index_entries(), ids=lambda entry: entry["file"])
def test_samples_are_attached_to_their_operation(entry: dict[str, str]) -> None:
    """(That each sample is its seed's lines, byte for byte, is for make docs-check.)"""
    attached = [
        sample
        for op in provider().operations
        if op.operation_id == entry["operation"]
        for sample in op.samples
        if sample.file == "examples/" + entry["file"]
    ]
    assert len(attached) == 1 and attached[0].kind == entry["kind"]
