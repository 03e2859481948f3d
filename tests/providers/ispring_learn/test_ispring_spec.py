"""The iSpring Learn spec against the vendor documentation (seeds 000, 001, 003).

The seeds' parameter and return tables are read from ``../shared/seeds`` and compared
with the IR that the WSDL and OpenAPI frontends build together, so a parameter, type,
cardinality or field that drifts from the docs names itself. The samples under
``examples/`` must be the seeds' lines, byte for byte.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from helpers import REPO
from lmsgen import ir
from lmsgen.pipeline import load

SPEC = REPO / "specs" / "ispring_learn"
SEEDS = REPO.parent / "shared" / "seeds"
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

PARAMETER = re.compile(
    r"^(?P<name>\w+)(?:\[startDate\],\s\w+\[endDate\])?\s\((?P<use>required|optional)\)"
)


@cache
def seed(number: str) -> str:
    [path] = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def section(text: str, start: str, end: str) -> list[str]:
    """The lines between the heading ``start`` and the next heading ``end``."""
    lines = text.splitlines()
    first = lines.index(start)
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
    return lines[first + 1 : last]


def documented_parameters(number: str, start: str, end: str) -> dict[str, bool]:
    """The parameters of a seed's table: name → required (the seeds put no-break spaces
    before the parentheses)."""
    found = {}
    for line in section(seed(number), start, end):
        match = PARAMETER.match(line)
        if match:
            found[match["name"]] = match["use"] == "required"
    return found


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
    return {parameter.wire_name.removesuffix("[]"): parameter for parameter in op.parameters}


def fields(item: ir.Model) -> dict[str, ir.Field]:
    return {field.xml.name: field for field in item.fields}


def documented_statuses(number: str) -> list[str]:
    match = re.search(r"Possible\svalues\sare:\s((?:\w+,\s)+\w+)", seed(number))
    assert match, "the completion statuses are no longer listed in the seed"
    return match[1].split(", ")


# --- parameters ------------------------------------------------------------------------

CASES = [
    ("ListLearnersResults", "000", "Request Parameters", "Return Values"),
    ("listModuleResults", "001", "Request Parameters", "Response Parameters"),
    ("GetEnrollments", "003", "Parameters", "Return Value"),
]


@pytest.mark.parametrize(("name", "number", "start", "end"), CASES)
def test_every_documented_parameter_with_its_cardinality(
    name: str, number: str, start: str, end: str
) -> None:
    documented = documented_parameters(number, start, end)
    assert documented, f"no parameter table found in seed {number}"
    op = operation(name)
    params = by_wire(op)
    for wire, required in documented.items():
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
    assert set(params) <= set(documented), "parameters the seed does not document"
    assert {wire for wire in documented if wire in ARRAYS} <= ARRAYS


def test_ranges_may_omit_either_bound() -> None:
    range_model = model("DateTimeRange")
    assert [(f.json_name, f.type.kind, f.required) for f in range_model.fields] == [
        ("startDate", "datetime", False),
        ("endDate", "datetime", False),
    ]


@pytest.mark.parametrize("name", ["ListLearnersResults", "listModuleResults"])
def test_statuses_page_size_and_page_token(name: str) -> None:
    params = by_wire(operation(name))
    statuses = params["completionStatuses"].type.item
    assert statuses is not None
    assert list(enum_values(statuses)) == documented_statuses("000")
    assert len(documented_statuses("000")) == 9
    assert documented_statuses("001") == documented_statuses("000")
    user_statuses = params["userStatuses"].type.item
    assert user_statuses is not None
    assert re.search(r"1\s—\sactive,\s3\s—\sblocked", seed("000"))
    assert enum_values(user_statuses) == (1, 3)
    assert "equal to 1000" in seed("000") and "equal to 1000" in seed("001")
    assert params["pageSize"].type.kind == "int" and params["pageSize"].default == 1000
    assert params["pageToken"].type.kind == "str"


def test_rest_errors_carry_code_and_message() -> None:
    codes = re.findall(r"^(\d{3})[A-Z]", seed("001"), flags=re.MULTILINE)
    assert codes == ["200", "400", "401", "403"]
    op = operation("listModuleResults")
    assert op.error is not None and op.error.type.name == "Error"
    assert [f.json_name for f in model("Error").fields] == ["code", "message"]


# --- responses -------------------------------------------------------------------------


def documented_module_fields() -> list[str]:
    """The names of seed 001's response table.

    A name stands alone on its line, or before a capitalised description
    ("viewsCount The number…"), or runs into it ("userIdThe user ID").
    """
    names = []
    for line in section(seed("001"), "Response Parameters", "Response Codes"):
        words = line.split()
        if not words or not re.match(r"^[a-z][a-zA-Z]*$", words[0]):
            continue
        if len(words) == 1 or words[1][0].isupper():
            names.append(words[0])
        else:
            names.append(re.sub(r"[A-Z][a-z]*$", "", words[0]))
    return names


def test_every_module_result_field_of_seed_001() -> None:
    documented = documented_module_fields()
    assert documented[0] == "result" and len(documented) == 16
    page = model("ModuleResultsPage")
    assert fields(page)["results"].xml.item == "result"
    assert "nextPageToken" in fields(page)
    ours = fields(model("ModuleResult"))
    assert sorted(ours) == sorted(documented[1:])
    assert enum_values(ours["isOverdue"].type) == (0, 1)
    assert list(enum_values(ours["completionStatus"].type)) == documented_statuses("001")


def test_learner_results_come_from_the_rest_twin_and_say_so() -> None:
    assert "nextPageTokenstring" in seed("000")
    assert "courseTitle" in seed("000")
    result = model("ListLearnersResultsResult")
    assert list(fields(result)) == ["results", "nextPageToken"]
    learner = model("LearnerResult")
    assert list(fields(learner)) == TWIN_FIELDS
    assert "GET /learners/results" in learner.description
    assert "lost its return table" in learner.description
    assert fields(learner)["isOverdue"].type.kind == "bool"  # reads 0/1 and true/false


def test_every_enrollment_field_of_seed_003_with_the_certificate_block() -> None:
    table = [
        line.split("\t")[0]
        for line in section(seed("003"), "Return Value", "The date of issue")
        if "\t" in line and not line.startswith("Parameter")
    ]
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
    assert "enrollmentTypeGroup\tint32" in seed("003")
    assert enrollment["accessDate"].type.kind == "date_or_datetime"
    assert certificate["issueDate"].type.kind == "date_or_datetime"


# --- the WSDL frontend and the samples -----------------------------------------------


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
    assert "Permission denied" in seed("000")


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
    data = yaml.safe_load((SPEC / "examples" / "index.yaml").read_text(encoding="utf-8"))
    return list(data["files"])


@pytest.mark.parametrize("entry", index_entries(), ids=lambda entry: entry["file"])
def test_samples_are_the_seed_lines_verbatim(entry: dict[str, str]) -> None:
    first, last = (int(part) for part in entry["seed-lines"].split("-"))
    lines = (SEEDS / entry["seed"]).read_text(encoding="utf-8").splitlines(keepends=True)
    sample = (SPEC / "examples" / entry["file"]).read_text(encoding="utf-8")
    assert sample == "".join(lines[first - 1 : last])
    attached = [
        sample
        for op in provider().operations
        if op.operation_id == entry["operation"]
        for sample in op.samples
        if sample.file == "examples/" + entry["file"]
    ]
    assert len(attached) == 1 and attached[0].kind == entry["kind"]
