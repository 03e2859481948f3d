"""Parsing a 1000-record page into typed objects: lmsgen's client against the alternatives."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import datetime
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

import pydantic
import xmltodict
from lxml import etree
from measure import best_ms

REPO = Path(__file__).resolve().parents[2]
RECORDS = 1000


def _litmos() -> Any:
    sys.path.insert(0, str(REPO / "generated" / "litmos"))
    return import_module("litmos")


class PlainCourse(pydantic.BaseModel):
    """The Course shape as a hand-written pydantic model would have it (no XML metadata)."""

    model_config = pydantic.ConfigDict(extra="allow")
    Id: str | None = None
    Code: str | None = None
    Name: str | None = None
    Active: bool | None = None
    Complete: bool | None = None
    PercentageComplete: Decimal | None = None
    AssignedDate: datetime | None = None
    StartDate: datetime | None = None
    DateCompleted: datetime | None = None
    UpToDate: bool | None = None
    Overdue: bool | None = None
    CompliantTill: datetime | None = None
    IsLearningPath: bool | None = None
    CourseCreatedDate: datetime | None = None
    CourseCreator: str | None = None
    OriginalId: int | None = None
    ResultId: str | None = None
    AccessTillDate: datetime | None = None
    UserId: str | None = None


class RawJsonCourse(PlainCourse):
    """The JSON floor: /Date(ms)/ values stay strings (pydantic cannot read them)."""

    AssignedDate: str | None = None  # type: ignore[assignment]
    StartDate: str | None = None  # type: ignore[assignment]
    DateCompleted: str | None = None  # type: ignore[assignment]
    CompliantTill: str | None = None  # type: ignore[assignment]
    CourseCreatedDate: str | None = None  # type: ignore[assignment]
    AccessTillDate: str | None = None  # type: ignore[assignment]


def _denil(record: dict[str, Any]) -> dict[str, Any]:
    """xmltodict writes ``<X i:nil="true"/>`` as ``{"@i:nil": "true"}``: make it None."""
    return {
        key: None if isinstance(value, dict) else value for key, value in record.items()
    }


def _xsdata_courses(work: Path) -> Any:
    """xsdata bindings generated from our Litmos XSD, imported from ``work``."""
    xsd = REPO / "specs" / "litmos" / "xsd" / "courses.xsd"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "xsdata",
            "generate",
            str(xsd),
            "--package",
            "xs_litmos",
        ],
        cwd=work,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        },
    )
    sys.path.insert(0, str(work))
    module = import_module("xs_litmos")
    return module.Courses


def litmos_rows() -> list[tuple[str, str, float]]:
    """(case, tool, ms) for the Litmos XML and JSON pages."""
    litmos = _litmos()
    fake = import_module("litmos.fake_server")
    codec = import_module("litmos._endpoints").GET_USER_COURSES.result
    xml_module = import_module("litmos._xml")
    records = [fake.example_course(n) for n in range(1, RECORDS + 1)]
    xml = codec.encode_xml(records)
    body = codec.encode_json(records)
    assert len(codec.decode_xml(xml_module.parse(xml))) == RECORDS
    plain = pydantic.TypeAdapter(list[PlainCourse])
    raw = pydantic.TypeAdapter(list[RawJsonCourse])
    case = f"Litmos XML page ({RECORDS} courses)"
    rows = [
        (case, "lmsgen", best_ms(lambda: codec.decode_xml(xml_module.parse(xml)))),
        (case, "lxml bare parse (floor)", best_ms(lambda: etree.fromstring(xml))),
        (
            case,
            "xmltodict + pydantic",
            best_ms(
                lambda: plain.validate_python(
                    [_denil(r) for r in xmltodict.parse(xml)["Courses"]["Course"]]
                )
            ),
        ),
    ]
    with tempfile.TemporaryDirectory() as work:
        from xsdata.formats.dataclass.parsers import XmlParser

        courses = _xsdata_courses(Path(work))
        parser = XmlParser()
        parsed = parser.from_bytes(xml, courses)
        assert len(parsed.course) == RECORDS
        rows.append(
            (case, "xsdata", best_ms(lambda: parser.from_bytes(xml, courses), 5))
        )
    case = f"Litmos JSON page ({RECORDS} courses)"
    rows += [
        (case, "lmsgen", best_ms(lambda: codec.decode_json(body))),
        (
            case,
            "pydantic model_validate_json (floor)",
            best_ms(lambda: raw.validate_json(body)),
        ),
    ]
    del litmos
    return rows
