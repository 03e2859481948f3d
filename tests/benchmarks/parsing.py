"""Parsing a 1000-record page into typed objects: lmsgen's client against the alternatives.

Every tool reads the same bytes, and each one's result is checked (1000 records, the
right values at both ends) before it is timed. lmsgen goes through ``_transport.decode``,
the function a real call uses on the reply (SOAP envelope and Fault check included).

The timings are CPU time of this process (parsing is CPU-bound; on a shared machine
the time spent waiting for a core would otherwise weigh in). They are taken round by
round, each tool in turn, so that load from other processes weighs on every tool alike.
In a round each tool runs ``REPEAT`` times in a row and its fastest call counts: a
call's speed depends on what ran just before it (a parse right after another tool
freed its objects was up to 1.6x slower than one after a parse), and this way every
tool is timed after itself. What ran before the round still weighs (the same decode
ran 10 % faster right after the bare parse than after another decode), so the order
of the tools turns by one each round: each tool follows every other equally often. A
tool's figure is the median of its rounds; a ratio is the median of the rounds'
ratios, each taken within one round (in three back-to-back runs these stayed within
4 %; a ratio of two separate bests moved 10-25 %). The collector is off while timing,
as in ``timeit``. Each page is timed in a fresh interpreter (``CASES``): in one
process, a page's figures depended on the pages timed before it.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from importlib import import_module
from operator import truediv
from pathlib import Path
from statistics import median
from types import SimpleNamespace
from typing import Annotated, Any, Literal

import httpx
import pydantic
import xmltodict
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
RECORDS = 1000
FLOOR_XML = "lxml bare parse (floor)"
FLOOR_JSON = "pydantic model_validate_json (floor)"
SOAP_NS = "https://ispringlearn.com/go/services/api/soap"

ROUNDS = 20
SLOW_ROUNDS = 5
"""Rounds that the slow tools (zeep, xsdata: ~10x the others) take part in."""
REPEAT = 3

Row = tuple[str, str, float, float]
"""(benchmark, tool, milliseconds, lmsgen's time over the tool's): medians of rounds."""
Probe = Callable[[Any], tuple[Any, ...]]
"""The values of a tool's result checked before timing: (count, first, last)."""


def _package(name: str) -> Any:
    folder = str(REPO / "generated" / name)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return import_module(name)


def rounds(
    tools: dict[str, Callable[[], Any]], slow: frozenset[str]
) -> dict[str, list[float]]:
    """Each tool's seconds in each round it took part in (its best of ``REPEAT``).

    Round ``r`` starts with the ``r``-th tool (counting round), so that over
    ``len(tools)`` rounds every tool has run in every place.
    """
    times: dict[str, list[float]] = {name: [] for name in tools}
    for tool in tools.values():
        tool()  # warm-up: validators built, caches filled
    gc.collect()
    gc.disable()
    try:
        names = list(tools)
        for round_ in range(ROUNDS):
            turn = round_ % len(names)
            for name in names[turn:] + names[:turn]:
                tool = tools[name]
                if name in slow and round_ >= SLOW_ROUNDS:
                    continue
                best = float("inf")
                for _ in range(REPEAT):
                    started = time.process_time()
                    tool()
                    best = min(best, time.process_time() - started)
                times[name].append(best)
    finally:
        gc.enable()
    return times


def measure(
    case: str,
    tools: dict[str, tuple[Callable[[], Any], Probe]],
    expected: tuple[Any, ...],
    slow: frozenset[str] = frozenset(),
) -> list[Row]:
    """Check that each tool reads ``expected`` from the page, then time them all."""
    for name, (tool, probe) in tools.items():
        got = probe(tool()) if probe is not None else expected
        if got != expected:
            raise AssertionError(f"{case}: {name} read {got!r}, expected {expected!r}")
    times = rounds({name: tool for name, (tool, _) in tools.items()}, slow)
    ours = times["lmsgen"]
    # A slow tool's rounds are the first ones: zip pairs each with lmsgen's same round.
    return [
        (case, name, median(seconds) * 1000, median(map(truediv, ours, seconds)))
        for name, seconds in times.items()
    ]


def _ends(records: list[Any], pick: Callable[[Any], Any]) -> tuple[Any, ...]:
    return (len(records), pick(records[0]), pick(records[-1]))


def _generate_xsdata(source: Path, package: str, work: Path) -> Any:
    """xsdata bindings generated from ``source`` (XSD, WSDL or a sample), imported."""
    subprocess.run(
        [sys.executable, "-m", "xsdata", "generate", str(source), "--package", package],
        cwd=work,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        },
    )
    if str(work) not in sys.path:
        sys.path.insert(0, str(work))
    return import_module(package)


def _denil(record: dict[str, Any]) -> dict[str, Any]:
    """xmltodict writes ``<X i:nil="true"/>`` as ``{"@i:nil": "true"}``: make it None."""
    return {
        key: None if isinstance(value, dict) else value for key, value in record.items()
    }


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _lxml_walk(records: Any) -> list[dict[str, Any]]:
    """What a hand-written reader does: each record's children by local name → text."""
    return [{_local(child.tag): child.text for child in record} for record in records]


# ------------------------------------------------------------------------- Litmos


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


def _course(record: Any) -> tuple[Any, ...]:
    """Values of a course, whichever tool read it (its own field names)."""
    if isinstance(record, PlainCourse):
        return (record.Id, record.OriginalId, record.AssignedDate)
    return (record.id, record.original_id, _datetime(record.assigned_date))


def _datetime(value: Any) -> Any:
    """xsdata reads date-times as its own ``XmlDateTime``: compare as ``datetime``."""
    return value.to_datetime() if hasattr(value, "to_datetime") else value


@cache
def _litmos() -> SimpleNamespace:
    """The Litmos courses page, its records and the client's decoder."""
    _package("litmos")
    fake = import_module("litmos.fake_server")
    transport = import_module("litmos._transport")
    endpoint = import_module("litmos._endpoints").GET_USER_COURSES
    client = import_module("litmos").Client(fake.API_KEY, source="bench")
    records = [fake.example_course(n) for n in range(1, RECORDS + 1)]
    return SimpleNamespace(
        endpoint=endpoint,
        records=records,
        decode=_decoder(transport, client, endpoint),
    )


def _courses(result: Any) -> tuple[Any, ...]:
    return _ends(result, _course)


def litmos_xml() -> list[Row]:
    """The Litmos courses page in XML."""
    litmos = _litmos()
    xml = litmos.endpoint.result.encode_xml(litmos.records)
    plain = pydantic.TypeAdapter(list[PlainCourse])
    with tempfile.TemporaryDirectory() as work:
        from xsdata.formats.dataclass.parsers import XmlParser

        xsd = REPO / "specs" / "litmos" / "xsd" / "courses.xsd"
        bindings = _generate_xsdata(xsd, "xs_litmos", Path(work)).Courses
        parser = XmlParser()
        return measure(
            f"Litmos XML page ({RECORDS} courses)",
            {
                "lmsgen": (lambda: litmos.decode(xml, "application/xml"), _courses),
                "xsdata": (
                    lambda: parser.from_bytes(xml, bindings),
                    lambda result: _courses(result.course),
                ),
                "xmltodict + pydantic": (
                    lambda: plain.validate_python(
                        [_denil(r) for r in xmltodict.parse(xml)["Courses"]["Course"]]
                    ),
                    _courses,
                ),
                "lxml walk + pydantic": (
                    lambda: plain.validate_python(_lxml_walk(etree.fromstring(xml))),
                    _courses,
                ),
                FLOOR_XML: (lambda: etree.fromstring(xml), None),
            },
            _courses(litmos.records),
            slow=frozenset({"xsdata"}),
        )


def litmos_json() -> list[Row]:
    """The Litmos courses page in JSON, dates as Microsoft writes UTC: ``/Date(ms)/``.

    The example courses' date-times are naive, which JSON writes so (and reads back as
    UTC).
    """
    litmos = _litmos()
    body = litmos.endpoint.result.encode_json(litmos.records)
    utc = [_with_utc_dates(record) for record in litmos.records]
    return _litmos_json(
        f"Litmos JSON page, dates /Date(ms)/ ({RECORDS} courses)", body, utc
    )


def litmos_json_utc() -> list[Row]:
    """The same page with aware dates, which JSON writes ``/Date(ms+0000)/`` (the
    vendor's sample writes ``/Date(ms-0000)/``)."""
    litmos = _litmos()
    utc = [_with_utc_dates(record) for record in litmos.records]
    body = litmos.endpoint.result.encode_json(utc)
    return _litmos_json(
        f"Litmos JSON page, dates /Date(ms+0000)/ ({RECORDS} courses)", body, utc
    )


def _with_utc_dates(course: Any) -> Any:
    dates = {
        name: value.replace(tzinfo=UTC)
        for name, value in course
        if isinstance(value, datetime)
    }
    return course.model_copy(update=dates)


def _litmos_json(case: str, body: bytes, records: list[Any]) -> list[Row]:
    """A JSON page: lmsgen's typed courses against pydantic reading it (dates as text)."""
    parse_datetime = import_module("litmos._types").parse_datetime
    decode = _litmos().decode
    raw = pydantic.TypeAdapter(list[RawJsonCourse])

    def typed(course: Any) -> tuple[Any, ...]:
        return (course.id, course.assigned_date)

    def text(course: RawJsonCourse) -> tuple[Any, ...]:
        return (course.Id, parse_datetime(course.AssignedDate))

    return measure(
        case,
        {
            "lmsgen": (
                lambda: decode(body, "application/json"),
                lambda result: _ends(result, typed),
            ),
            FLOOR_JSON: (
                lambda: raw.validate_json(body),
                lambda result: _ends(result, text),
            ),
        },
        _ends(records, typed),
    )


def _decoder(transport: Any, client: Any, endpoint: Any) -> Callable[[bytes, str], Any]:
    """``body, media type → result`` through the client's own reply decoding."""
    config = client._transport.config
    prepared = transport.Prepared(
        endpoint, endpoint.method, "http://bench", (), {}, None, "xml", endpoint.result
    )

    def decode(body: bytes, media: str) -> Any:
        response = httpx.Response(200, content=body, headers={"Content-Type": media})
        return transport.decode(prepared, response, config, 1)

    return decode


# ------------------------------------------------------------------------- iSpring

CompletionStatus = Literal[
    "not_started",
    "in_progress",
    "pending",
    "complete",
    "passed",
    "accepted",
    "incomplete",
    "failed",
    "declined",
]


class PlainResult(pydantic.BaseModel):
    """The fields iSpring's learner and module results share, hand-written."""

    model_config = pydantic.ConfigDict(extra="allow")
    userId: str
    courseId: str
    enrollmentId: str | None = None
    accessDate: datetime | None = None
    dueDate: datetime | None = None
    expirationDate: datetime | None = None
    completionDate: datetime | None = None
    timeSpent: int | None = None
    completionStatus: CompletionStatus | None = None
    progress: float | None = None
    viewsCount: int | None = None


class PlainLearnerResult(PlainResult):
    """iSpring's LearnerResult as a hand-written pydantic model (element names)."""

    courseTitle: str | None = None
    awardedScore: float | None = None
    passingScore: float | None = None
    isOverdue: bool | None = None
    duration: str | None = None


class PlainModuleResult(PlainResult):
    """iSpring's ModuleResult (GET /learners/modules/results) as a hand-written model."""

    moduleId: str
    moduleTitle: str | None = None
    courseItemId: str | None = None
    isOverdue: Annotated[int, pydantic.Field(ge=0, le=1)] | None = None


class PlainModulePage(pydantic.BaseModel):
    """The JSON floor's page: ``{"results": [...], "nextPageToken": "..."}``."""

    results: list[PlainModuleResult]
    nextPageToken: str | None = None


def _result(record: Any) -> tuple[Any, ...]:
    """Values of a learner or module result, whichever tool read it."""
    if not hasattr(record, "user_id"):  # hand-written models and zeep: element names
        return (record.userId, record.timeSpent, record.accessDate, record.progress)
    access = _datetime(record.access_date)
    return (record.user_id, record.time_spent, access, record.progress)


@cache
def _ispring() -> SimpleNamespace:
    """iSpring Learn's pages (SOAP ListLearnersResults, REST module results)."""
    _package("ispring_learn")
    fake = import_module("ispring_learn.fake_server")
    models = import_module("ispring_learn.models")
    transport = import_module("ispring_learn._transport")
    soap = import_module("ispring_learn._soap")
    endpoints = import_module("ispring_learn._endpoints")
    client = import_module("ispring_learn").Client(
        token=fake.TOKEN, soap_url="http://bench/soap"
    )
    learners = [fake.example_learnerresult(n) for n in range(1, RECORDS + 1)]
    modules = [fake.example_moduleresult(n) for n in range(1, RECORDS + 1)]
    soap_page = endpoints.LIST_LEARNERS_RESULTS.result.element(
        models.ListLearnersResultsResult(results=learners, next_page_token="next")
    )
    rest_page = models.ModuleResultsPage(results=modules, next_page_token="next")
    return SimpleNamespace(
        learners=learners,
        modules=modules,
        envelope=soap.envelope(soap_page),
        rest_page=rest_page,
        rest=endpoints.LIST_MODULE_RESULTS,
        soap_decode=_decoder(transport, client, endpoints.LIST_LEARNERS_RESULTS),
        rest_decode=_decoder(transport, client, endpoints.LIST_MODULE_RESULTS),
    )


def ispring_rest_json() -> list[Row]:
    """The REST module results page in JSON."""
    ispring = _ispring()
    body = ispring.rest.result.encode_json(ispring.rest_page)
    plain_page = pydantic.TypeAdapter(PlainModulePage)

    def page(result: Any) -> tuple[Any, ...]:
        return _ends(result.results, _result)

    return measure(
        f"iSpring REST JSON page ({RECORDS} module results)",
        {
            "lmsgen": (lambda: ispring.rest_decode(body, "application/json"), page),
            FLOOR_JSON: (lambda: plain_page.validate_json(body), page),
        },
        _ends(ispring.modules, _result),
    )


def ispring_soap() -> list[Row]:
    """The SOAP ListLearnersResults page."""
    from requests import Session
    from xsdata.formats.dataclass.parsers import XmlParser
    from zeep import Client as ZeepClient
    from zeep import Settings
    from zeep.transports import Transport

    ispring = _ispring()
    envelope = ispring.envelope
    media = "text/xml; charset=utf-8"
    wsdl = REPO / "specs" / "ispring_learn" / "ispring_learn.wsdl"
    session = Session()
    session.trust_env = False
    zeep = ZeepClient(
        str(wsdl), settings=Settings(strict=True), transport=Transport(session=session)
    )
    binding = zeep.wsdl.bindings["{" + SOAP_NS + "}ISpringLearnBinding"]
    operation = binding._operations["ListLearnersResults"]
    reply = SimpleNamespace(
        status_code=200, content=envelope, headers={"Content-Type": media}
    )
    with tempfile.TemporaryDirectory() as work:
        xs = _generate_xsdata(wsdl, "xs_ispring", Path(work))
    output = xs.IspringLearnPortTypeListLearnersResultsOutput
    parser = XmlParser()
    plain = pydantic.TypeAdapter(list[PlainLearnerResult])
    results_tag = "{" + SOAP_NS + "}results"

    def xmltodict_pydantic() -> list[PlainLearnerResult]:
        doc = xmltodict.parse(envelope)
        payload = doc["soap:Envelope"]["soap:Body"]["ListLearnersResultsResult"]
        return plain.validate_python(payload["results"]["result"])

    def lxml_pydantic() -> list[PlainLearnerResult]:
        results = etree.fromstring(envelope).find(f".//{results_tag}")
        return plain.validate_python(_lxml_walk(results))

    def learners_of(result: Any) -> tuple[Any, ...]:
        return _ends(result, _result)

    return measure(
        f"iSpring SOAP ListLearnersResults ({RECORDS} results)",
        {
            "lmsgen": (
                lambda: ispring.soap_decode(envelope, media),
                lambda page: learners_of(page.results),
            ),
            "zeep": (
                lambda: binding.process_reply(zeep, operation, reply),
                lambda page: learners_of(page.results.result),
            ),
            "xsdata": (
                lambda: parser.from_bytes(envelope, output),
                lambda page: learners_of(
                    page.body.list_learners_results_result.results.result
                ),
            ),
            "xmltodict + pydantic": (xmltodict_pydantic, learners_of),
            "lxml walk + pydantic": (lxml_pydantic, learners_of),
            FLOOR_XML: (lambda: etree.fromstring(envelope), None),
        },
        _ends(ispring.learners, _result),
        slow=frozenset({"zeep", "xsdata"}),
    )


def ispring_rest_xml() -> list[Row]:
    """The REST module results page in XML. It has no XSD (the spec is OpenAPI):
    xsdata reads a sample of it. zeep only reads what a WSDL describes: no row here.
    """
    from xsdata.formats.dataclass.parsers import XmlParser

    ispring = _ispring()
    page = ispring.rest.result.encode_xml(ispring.rest_page)
    root = etree.fromstring(page)
    sample = etree.Element("response")
    wrapper = etree.SubElement(sample, "results")
    wrapper.extend(etree.fromstring(page)[0][:2])
    sample.append(root[1])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "modules.xml").write_bytes(etree.tostring(sample))
        bindings = _generate_xsdata(work / "modules.xml", "xs_modules", work).Response
    parser = XmlParser()
    plain = pydantic.TypeAdapter(list[PlainModuleResult])

    def xmltodict_pydantic() -> list[PlainModuleResult]:
        return plain.validate_python(
            xmltodict.parse(page)["response"]["results"]["result"]
        )

    def modules_of(result: Any) -> tuple[Any, ...]:
        return _ends(result, _result)

    return measure(
        f"iSpring REST XML page ({RECORDS} module results)",
        {
            "lmsgen": (
                lambda: ispring.rest_decode(page, "application/xml"),
                lambda result: modules_of(result.results),
            ),
            "xsdata": (
                lambda: parser.from_bytes(page, bindings),
                lambda result: modules_of(result.results.result),
            ),
            "xmltodict + pydantic": (xmltodict_pydantic, modules_of),
            "lxml walk + pydantic": (
                lambda: plain.validate_python(_lxml_walk(etree.fromstring(page)[0])),
                modules_of,
            ),
            FLOOR_XML: (lambda: etree.fromstring(page), None),
        },
        _ends(ispring.modules, _result),
        slow=frozenset({"xsdata"}),
    )


CASES: dict[str, Callable[[], list[Row]]] = {
    "litmos-xml": litmos_xml,
    "litmos-json": litmos_json,
    "litmos-json-utc": litmos_json_utc,
    "ispring-soap": ispring_soap,
    "ispring-rest-xml": ispring_rest_xml,
    "ispring-rest-json": ispring_rest_json,
}


def rows() -> list[Row]:
    """Every parsing benchmark, each in a fresh interpreter.

    In one process a page's figures depended on which pages were timed before it (the
    same floor read 3.5 ms or 6.7 ms, as the heap was left by earlier pages' tools).
    """
    found: list[Row] = []
    for name in CASES:
        done = subprocess.run(
            [sys.executable, __file__, name], check=True, capture_output=True, text=True
        )
        found += [tuple(row) for row in json.loads(done.stdout)]
    return found


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(CASES[sys.argv[1]]()))
    else:
        for case, tool, ms, ratio in rows():
            print(f"{case:56} {tool:40} {ms:8.1f} ms {ratio:6.2f}")
