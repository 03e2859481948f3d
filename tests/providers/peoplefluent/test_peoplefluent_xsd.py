"""Dropping the vendor's XSD into the spec folder gives typed models on regeneration.

The real trainingHistory200510.xsd is not published, so the test writes one of its own
into a copy of ``specs/peoplefluent`` (nothing is committed to ``specs/``), generates
into a temporary folder, and uses that package in a separate process (the repository's
own ``peoplefluent`` is imported by other tests): its client, over real HTTP against its
fake server, hands out typed records, and mypy accepts the typed code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import run_lmsgen

XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="trainingHistory">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="record" type="TrainingRecord" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="TrainingRecord">
    <xs:sequence>
      <xs:element name="userId" type="xs:string"/>
      <xs:element name="moduleId" type="xs:string"/>
      <xs:element name="status" minOccurs="0">
        <xs:simpleType>
          <xs:restriction base="xs:string">
            <xs:enumeration value="completed"/>
            <xs:enumeration value="inProgress"/>
          </xs:restriction>
        </xs:simpleType>
      </xs:element>
      <xs:element name="score" type="xs:decimal" minOccurs="0"/>
      <xs:element name="completed" type="xs:dateTime" minOccurs="0"/>
      <xs:element name="sessions" minOccurs="0">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="session" type="xs:string" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="recordId" type="xs:string" use="required"/>
  </xs:complexType>
</xs:schema>
"""

COURSES_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="courses">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="course" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="code">
                <xs:simpleType>
                  <xs:restriction base="xs:string"><xs:maxLength value="15"/></xs:restriction>
                </xs:simpleType>
              </xs:element>
              <xs:element name="title" type="xs:string"/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""

USE = textwrap.dedent("""
    from datetime import datetime
    from decimal import Decimal

    from peoplefluent import Client
    from peoplefluent.fake_server import SYSTEM_KEY, SYSTEM_USER, FakeServer, Fault
    from peoplefluent.models import Course, TrainingRecord

    VENDOR = (
        b"<trainingHistory><record recordId='r1'><userId>jdoe</userId>"
        b"<moduleId>M1</moduleId><status>completed</status><score>92.50</score>"
        b"<completed>2024-03-05T09:30:00Z</completed><newIn2026>x</newIn2026>"
        b"<sessions><session>S1</session><session>S2</session></sessions>"
        b"</record><auditTrail>skipped</auditTrail></trainingHistory>"
    )

    with FakeServer() as server:
        server.record_count = 1000
        with Client(system_user=SYSTEM_USER, system_key=SYSTEM_KEY, base_url=server.base_url) as client:
            records = list(client.iter_training_history_xml(user_id="jdoe"))
            assert len(records) == 1000
            assert all(type(record) is TrainingRecord for record in records)
            whole = client.completed_training_records_xml()
            assert whole == records, "the same XSD types both calls"
            server.inject(Fault(status=200, body=VENDOR))
            [record] = list(client.iter_training_history_xml())
            client.content_handler_courses([Course(code="C1", title="First aid")])
            try:  # the request model checks the XSD's limits as it is built
                Course(code="C" * 16, title="Too long")
            except ValueError as error:
                assert "at most 15 characters" in str(error)
            else:
                raise AssertionError("a code longer than courses.xsd allows was accepted")
    sent = server.requests[-1].body
    assert sent.endswith(b"<course><code>C1</code><title>First aid</title></course></courses>")
    assert (record.record_id, record.user_id, record.status) == ("r1", "jdoe", "completed")
    assert record.score == Decimal("92.50")
    assert record.completed == datetime.fromisoformat("2024-03-05T09:30:00+00:00")
    assert record.sessions == ["S1", "S2"]
    assert record.model_extra == {"newIn2026": "x"}  # an element the XSD does not know
    print("typed")
    """)

CHECK = textwrap.dedent("""
    from typing import assert_type

    from peoplefluent import Client
    from peoplefluent.models import TrainingRecord


    def typed(client: Client) -> None:
        for record in client.iter_training_history_xml():
            assert_type(record, TrainingRecord)
        assert_type(client.training_history_xml(), list[TrainingRecord])
    """)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Path:
    """A copy of the PeopleFluent spec with the XSD dropped in, generated."""
    root = tmp_path_factory.mktemp("dropin")
    spec = root / "specs" / "peoplefluent"
    shutil.copytree(repo / "specs" / "peoplefluent", spec)
    (spec / "trainingHistory200510.xsd").write_text(XSD, encoding="utf-8")
    (spec / "courses.xsd").write_text(COURSES_XSD, encoding="utf-8")
    result = run_lmsgen(
        "--specs", "specs", "--out", "generated", "generate", "peoplefluent", cwd=root
    )
    assert result.code == 0, result.stderr
    return root / "generated" / "peoplefluent"


def run(package: Path, *command: str) -> str:
    done = subprocess.run(
        list(command),
        cwd=package,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_typed_models_come_from_the_xsd(generated: Path) -> None:
    models = (generated / "peoplefluent" / "models.py").read_text()
    assert "class TrainingRecord(Model):" in models
    assert 'TrainingRecordStatus = Literal["completed", "inProgress"]' in models
    assert (
        generated / "peoplefluent" / "_spec" / "trainingHistory200510.xsd"
    ).is_file()
    client = (generated / "peoplefluent" / "client.py").read_text()
    assert ") -> list[TrainingRecord]:" in client
    assert ") -> Iterator[TrainingRecord]:" in client
    assert ") -> XmlElement:" in client  # the users200510 XSD is still missing
    assert "courses: list[Course]," in client  # the request body, typed by courses.xsd


def test_the_typed_client_reads_records_over_http(generated: Path) -> None:
    assert run(generated, sys.executable, "-c", USE).strip() == "typed"


def test_the_typed_code_passes_mypy(generated: Path) -> None:
    (generated / "check_types.py").write_text(CHECK, encoding="utf-8")
    mypy = Path(sys.executable).with_name("mypy")
    run(generated, str(mypy), "--strict", "peoplefluent", "check_types.py")


def test_generated_contract_tests_pass_on_the_typed_streams(generated: Path) -> None:
    run(
        generated,
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "-k",
        "training_history_xml or completed_training_records_xml or courses or roundtrip",
    )


def test_an_ambiguous_xsd_must_be_named(tmp_path: Path, repo: Path) -> None:
    spec = tmp_path / "specs" / "peoplefluent"
    shutil.copytree(repo / "specs" / "peoplefluent", spec)
    two_roots = XSD.replace(
        "</xs:schema>", '<xs:element name="summary" type="xs:string"/></xs:schema>'
    )
    (spec / "trainingHistory200510.xsd").write_text(two_roots, encoding="utf-8")
    result = run_lmsgen("--specs", "specs", "validate", "peoplefluent", cwd=tmp_path)
    assert result.code == 1
    assert "trainingHistory200510.xsd declares 2 global elements" in result.stderr
    assert result.stderr.startswith("specs/peoplefluent/openapi.yaml:")
