"""The WSDL and XSD frontends on their own: any XSD element to models, and broken specs.

``frontends.xsd`` must serve a plain XSD as well as a WSDL's types (a user who has a
vendor's XSD drops it in and gets typed models). Broken WSDLs and ``x-lmsgen-soap``
blocks are reported as ``file:line: message`` with exit 1, like every spec error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import xmlschema
from helpers import edit, line_of, run_lmsgen
from lmsgen import ir
from lmsgen.errors import SpecError
from lmsgen.frontends.xsd import XsdModels

XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:lms"
    xmlns:t="urn:lms" elementFormDefault="{form}">
  <xs:simpleType name="Status">
    <xs:annotation><xs:documentation>Where a record stands.</xs:documentation></xs:annotation>
    <xs:restriction base="xs:string">
      <xs:enumeration value="open"/><xs:enumeration value="closed"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Tags">
    <xs:sequence><xs:element name="tag" type="xs:string" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:element name="trainingHistory">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="record" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="title" type="xs:string"/>
              <xs:element name="score" type="xs:decimal" minOccurs="0"/>
              <xs:element name="completed" type="xs:boolean" nillable="true"/>
              <xs:element name="when">
                <xs:simpleType><xs:union memberTypes="xs:date xs:dateTime"/></xs:simpleType>
              </xs:element>
              <xs:element name="status" type="t:Status" minOccurs="0"/>
              <xs:element name="tags" type="t:Tags" minOccurs="0"/>
              <xs:element name="note" minOccurs="0">
                <xs:simpleType>
                  <xs:restriction base="xs:string"><xs:maxLength value="50"/></xs:restriction>
                </xs:simpleType>
              </xs:element>
              <xs:choice>
                <xs:element name="hours" type="xs:int"/>
                <xs:element name="minutes" type="xs:int"/>
              </xs:choice>
              <xs:any processContents="lax" minOccurs="0"/>
            </xs:sequence>
            <xs:attribute name="id" type="xs:string" use="required"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def schema(form: str = "qualified") -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(XSD.format(form=form))


def test_any_xsd_element_becomes_typed_models() -> None:
    models = XsdModels()
    payload = models.payload(schema().elements["trainingHistory"])
    assert payload.type == ir.TypeRef(
        "list", item=ir.TypeRef("model", "TrainingHistoryRecord")
    )
    assert (payload.xml_root, payload.xml_item, payload.namespace) == (
        "trainingHistory",
        "record",
        "urn:lms",
    )
    record = models.models["TrainingHistoryRecord"]
    got = {
        field.json_name: (field.type.kind, field.xml.kind, field.required)
        for field in record.fields
    }
    assert got == {
        "id": ("str", "attribute", True),
        "title": ("str", "scalar", True),
        "score": ("decimal", "scalar", False),
        "completed": ("bool", "scalar", True),
        "when": ("date_or_datetime", "scalar", True),
        "status": ("enum", "scalar", False),
        "tags": ("list", "wrapped", False),
        "note": ("str", "scalar", False),
        "hours": ("int", "scalar", False),  # a choice: either may be absent
        "minutes": ("int", "scalar", False),
    }
    fields = {field.json_name: field for field in record.fields}
    assert fields["completed"].xml.nil and fields["completed"].type.nullable
    assert fields["tags"].xml.item == "tag"
    assert fields["note"].constraints.max_length == 50
    assert models.enums["Status"] == ir.Enum(
        "Status", ("open", "closed"), "Where a record stands."
    )
    assert "Tags" not in models.models, "a list wrapper is a list, not a model"


def test_equal_known_models_and_enums_are_reused() -> None:
    known = XsdModels()
    known.payload(schema().elements["trainingHistory"])
    again = XsdModels(known_models=known.models, known_enums=known.enums)
    payload = again.payload(schema().elements["trainingHistory"])
    assert again.models == {} and again.enums == {}
    assert payload.type.item == ir.TypeRef("model", "TrainingHistoryRecord")
    different = dict(known.enums, Status=ir.Enum("Status", ("other",)))
    renamed = XsdModels(known_enums=different)
    renamed.payload(schema().elements["trainingHistory"])
    assert list(renamed.enums) == ["Status_2"]


def test_unqualified_children_under_a_qualified_root_are_refused() -> None:
    with pytest.raises(SpecError, match="elementFormDefault"):
        XsdModels().payload(schema("unqualified").elements["trainingHistory"])


# --- broken specs through the CLI -----------------------------------------------------

WSDL = "specs/ispring_learn/ispring_learn.wsdl"
OPENAPI = "specs/ispring_learn/openapi.yaml"
INDEX = "specs/ispring_learn/examples/index.yaml"


@pytest.fixture
def spec_copy(tmp_path: Path, repo: Path) -> Path:
    target = tmp_path / "specs" / "ispring_learn"
    shutil.copytree(repo / "specs" / "ispring_learn", target)
    return tmp_path


def failure(root: Path) -> tuple[str, int, str]:
    result = run_lmsgen(
        "--specs", "specs", "--out", "out", "validate", "ispring_learn", cwd=root
    )
    assert result.code == 1, result.stdout + result.stderr
    assert not (root / "out").exists()
    path, line, message = result.stderr.strip().split(":", 2)
    return path, int(line), message.strip()


def test_rpc_style_is_refused_at_its_line(spec_copy: Path) -> None:
    wsdl = spec_copy / WSDL
    edit(
        wsdl,
        'soapAction="GetEnrollments" style="document"',
        'soapAction="GetEnrollments" style="rpc"',
    )
    path, line, message = failure(spec_copy)
    assert (path, line) == (WSDL, line_of(wsdl.read_text(), 'name="GetEnrollments"'))
    assert "only document-style" in message


def test_malformed_wsdl(spec_copy: Path) -> None:
    edit(spec_copy / WSDL, "</wsdl:definitions>", "</wsdl:definition>")
    path, _, message = failure(spec_copy)
    assert path == WSDL and message.startswith("invalid WSDL")


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),  # where: the text of the line to report
    [
        (
            "    GetEnrollments:\n      tags: [Enrollments]",
            "    GetEnrolments:\n      tags: [Enrollments]",
            "tags: [Enrollments]",
            "the WSDL has no operation 'GetEnrolments'",
        ),
        (
            "token-element: credentials/token",
            "token-element: credentials/secret",
            "token-element:",
            "has no 'credentials/secret'",
        ),
        (
            "        next-token: nextPageToken\n        items: results\n        size-param: pageSize\n      x-lmsgen-defaults",
            "        next-token: nextToken\n        items: results\n        size-param: pageSize\n      x-lmsgen-defaults",
            "token-param: pageToken",
            "no field 'nextToken'",
        ),
        (
            "        pageSize: 1000\n",
            "        pageLength: 1000\n",
            "pageLength: 1000",
            "no request element 'pageLength'",
        ),
        (
            "    - oauth2: []\n  token-element",
            "    - oauth3: []\n  token-element",
            "- oauth3",
            "unknown security scheme 'oauth3'",
        ),
    ],
)
def test_soap_settings_errors_name_their_line(
    spec_copy: Path, old: str, new: str, where: str, expected: str
) -> None:
    openapi = spec_copy / OPENAPI
    edit(openapi, old, new)
    path, line, message = failure(spec_copy)
    assert path == OPENAPI
    assert expected in message
    assert line == line_of(openapi.read_text(), where)


def test_unknown_sample_repair(spec_copy: Path) -> None:
    index = spec_copy / INDEX
    edit(
        index,
        "repairs: [leading-text, ellipsis-lines]",
        "repairs: [leading-text, guess]",
    )
    path, line, message = failure(spec_copy)
    assert (path, line) == (
        INDEX,
        line_of(index.read_text(), "repairs: [leading-text, guess]"),
    )
    assert "unknown repair 'guess'" in message
