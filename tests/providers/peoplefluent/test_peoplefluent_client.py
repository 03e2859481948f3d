"""The generated PeopleFluent client on what issue 4 asks of it, over real HTTP.

Bodies (form, multipart from a path or a file, CSV, XML), CSV row validation and the
handler's CSV report, the format switch and its return types, RSS/Atom feeds, files and
large XML replies streamed with flat memory, cookies, and the per-call or per-client
``onBehalfOf``/``assignmentId``. Memory is measured in a separate client process, so the
fake server's own buffers (in this process) do not count.
"""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from lxml import etree
from peoplefluent import AsyncClient, Client, RetryPolicy
from peoplefluent._csv import CLEAR, read_report
from peoplefluent._fake import parse_multipart
from peoplefluent._feeds import Feed
from peoplefluent.errors import (
    ConfigurationError,
    RequestValidationError,
    ResponseParseError,
    UnsafeXmlError,
)
from peoplefluent.fake_server import (
    PASSWORD,
    SYSTEM_KEY,
    SYSTEM_USER,
    TOKEN,
    USERNAME,
    FakeServer,
    Fault,
)
from peoplefluent.models import ExternalTrainingCsvRow, TrainingHistoryCsvRow

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "generated" / "peoplefluent"

MIB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def client_for(server: FakeServer, **options: Any) -> Client:
    options.setdefault("retry", RetryPolicy(max_attempts=1))
    return Client(
        username=USERNAME,
        password=PASSWORD,
        system_user=SYSTEM_USER,
        system_key=SYSTEM_KEY,
        base_url=server.base_url,
        **options,
    )


def body_fields(server: FakeServer) -> dict[str, Any]:
    request = server.requests[-1]
    media = request.headers["content-type"]
    if media.startswith("multipart/form-data"):
        return dict(parse_multipart(media, request.body))
    return dict(parse_qsl(request.body.decode(), keep_blank_values=True))


# ----------------------------------------------------------------- request bodies


def test_form_fields_keep_their_wire_names(server: FakeServer) -> None:
    with client_for(server) as client:
        client.enroll_user(learning_id="MOD-1", session_code="S-1", reason="a, b & c")
        client.user_group_adder(group_name="Sales EMEA", user_id="u1")
    first, second = server.requests
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(first.body.decode()) == [
        ("learning-id", "MOD-1"),
        ("session-code", "S-1"),
        ("reason", "a, b & c"),
    ]
    assert ("group-name", "Sales EMEA") in parse_qsl(second.body.decode())


def test_multipart_sends_fields_and_a_file_from_a_path(
    server: FakeServer, tmp_path: Path
) -> None:
    package = tmp_path / "course.zip"
    package.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 64)
    with client_for(server) as client:
        result = client.content_package_importer(
            package=package, versioning="newRevision"
        )
    assert isinstance(result, dict)
    request = server.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    fields = body_fields(server)
    assert fields["package"] == package.read_bytes()
    assert fields["versioning"] == "newRevision"
    assert fields["format"] == "json"
    assert b'filename="course.zip"' in request.body


def test_multipart_without_a_file_is_still_multipart(server: FakeServer) -> None:
    with client_for(server) as client:
        client.external_record_adder(
            title="First aid",
            start_date=date(2024, 5, 1),
            end_date=date(2024, 5, 2),
            duration_unit="day",
        )
    fields = body_fields(server)
    assert "attachment" not in fields
    assert fields["startDate"] == "2024-05-01"
    assert fields["costCurrency"] == "AED"  # the documented default of a required field


class CountingReader(io.BytesIO):
    """A binary file that remembers how much each ``read`` asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []
        self.name = "attachment.pdf"

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_multipart_file_object_is_read_in_chunks(server: FakeServer) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    upload = CountingReader(data)
    with client_for(server) as client:
        client.external_record_updater(
            id="X1",
            title="Updated",
            start_date=date(2024, 5, 1),
            end_date=date(2024, 5, 2),
            duration_unit="hour",
            attachment=upload,
            format="xml",
        )
    assert body_fields(server)["attachment"] == data
    assert b'filename="attachment.pdf"' in server.requests[0].body
    assert upload.asked and all(0 < size <= 64 * 1024 for size in upload.asked)


class Unseekable:
    """A stream that can only be read (a pipe, a socket): its length is unknown."""

    def __init__(self, data: bytes) -> None:
        self._source = io.BytesIO(data)
        self.name = "stream.bin"

    def read(self, size: int = -1) -> bytes:
        return self._source.read(size)


def test_upload_of_unknown_length_goes_chunked(server: FakeServer) -> None:
    data = b"0123456789" * 100_000
    with client_for(server) as client:
        client.content_package_importer(package=Unseekable(data), versioning="v")
    assert server.requests[0].headers.get("transfer-encoding") == "chunked"
    assert body_fields(server)["package"] == data


def test_missing_upload_file_is_refused_before_sending(
    server: FakeServer, tmp_path: Path
) -> None:
    with (
        client_for(server) as client,
        pytest.raises(RequestValidationError, match="no file"),
    ):
        client.content_package_importer(
            package=tmp_path / "missing.zip", versioning="x"
        )
    assert server.requests == []


def test_csv_body_is_plain_text_with_a_header_and_quoting(server: FakeServer) -> None:
    rows = [
        ExternalTrainingCsvRow(
            action="A",
            record_id="R-1",
            user_id="jdoe",
            title='Safety, "advanced"',
            start_date=datetime(2024, 3, 5, 9, 30),
            duration=Decimal("12.50"),
            unit="H",
            currency="GBP",
        ),
        ExternalTrainingCsvRow(action="D", record_id="R-2", comments=CLEAR),
    ]
    with client_for(server) as client:
        report = client.content_handler_external_training_csv(rows)
    request = server.requests[0]
    assert request.headers["content-type"] == "text/plain; charset=utf-8"
    lines = request.body.decode().split("\r\n")
    assert lines[0] == ",".join(ExternalTrainingCsvRow.columns())
    assert lines[1] == (
        'A,R-1,jdoe,"Safety, ""advanced""",,2024-03-05 09:30:00,,,,,,12.50,H,,GBP,,,'
    )
    assert lines[2] == "D,R-2," + "," * 15 + "*NONE*"  # 15 empty cells, then Comments
    assert report.success
    assert [row.values["RecordID"] for row in report.rows] == ["R-1", "R-2"]
    assert all(row.level == "ok" for row in report.rows)


def test_xml_body_is_sent_as_given_and_a_dtd_is_refused(server: FakeServer) -> None:
    courses = etree.fromstring(b"<courses><course><id>C1</id></course></courses>")
    with client_for(server) as client:
        client.content_handler_courses(courses)
        client.content_handler_courses(
            b"<courses><course><id>C2</id></course></courses>"
        )
        with pytest.raises(RequestValidationError, match="DTD"):
            client.content_handler_courses(
                b'<!DOCTYPE c [<!ENTITY e "x">]><courses>&e;</courses>'
            )
    first, second = server.requests
    assert first.headers["content-type"] == "application/xml"
    assert b"<course><id>C1</id></course>" in first.body
    assert b"<id>C2</id>" in second.body


# ------------------------------------------------------------------- CSV rows


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action", "X"),  # only A, D, U, AU
        ("record_id", "R" * 16),  # at most 15
        ("user_id", "u" * 86),  # at most 85
        ("title", "t" * 256),  # at most 255
        ("course_type", "TNS"),  # one character
        ("status", "6"),  # 0-5
        ("unit", "S"),  # I, H, D, W, M, Y
        ("currency", "GBPX"),  # three letters
        ("duration", Decimal("1.234")),  # two decimal places
        ("start_date", "2024/03/05"),  # yyyy-MM-dd[ HH:mm:ss]
        ("subject", "s" * 51),  # at most 50
    ],
)
def test_external_training_rows_are_validated(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=field):
        ExternalTrainingCsvRow(**{"action": "A", field: value})


def test_external_training_row_needs_an_action() -> None:
    with pytest.raises(ValueError, match="Action"):
        ExternalTrainingCsvRow(record_id="R-1")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action", "D"),  # A or U (blank adds or updates)
        ("studentstatus", "Passed"),
        ("lotype", "5"),
        ("sessionstatus", "Open"),
        ("enrolldate", "2024-03-05 09:30"),  # dd-mm-yyyy HH:MM and friends
        ("use_settings_as_of_date", "05-03-2024 09:30"),  # a date without time
        ("deadlinedate", "05-03-2024"),
        ("language", "l" * 51),
        ("performance_grade", "6"),
    ],
)
def test_training_history_rows_are_validated(field: str, value: Any) -> None:
    with pytest.raises(ValueError):
        TrainingHistoryCsvRow(**{field: value})


def test_training_history_dates_take_the_documented_forms() -> None:
    row = TrainingHistoryCsvRow(
        userid="jdoe",
        enrolldate="05-Mar-24 09:30",
        startdate=datetime(2024, 3, 5, 9, 30),
        enddate="NONE",
        use_settings_as_of_date=date(2024, 1, 31),
        deadlinedate=datetime(2024, 6, 30, 17, 0),
        createsession=True,
        prescore=72.5,
        performance_grade=CLEAR,
    )
    cells = dict(zip(TrainingHistoryCsvRow.columns(), row.cells(), strict=True))
    assert cells["ENROLLDATE"] == "05-Mar-24 09:30"
    assert cells["STARTDATE"] == "05-03-2024 09:30"
    assert cells["ENDDATE"] == "NONE"
    assert cells["USE SETTINGS AS OF DATE"] == "31-01-2024"
    assert cells["DEADLINEDATE"] == "2024-06-30 17:00:00"
    assert cells["CREATESESSION"] == "true"
    assert cells["PRESCORE"] == "72.5"
    assert cells["Performance Grade"] == "*NONE*"
    assert (
        len(TrainingHistoryCsvRow.columns()) == 26
    )  # the seed's table (the issue says 22)


def test_blank_leaves_a_value_and_none_marker_clears_it() -> None:
    row = TrainingHistoryCsvRow(
        userid="jdoe", learningid="M1", prescore=CLEAR, score=None
    )
    cells = dict(zip(TrainingHistoryCsvRow.columns(), row.cells(), strict=True))
    assert cells["PRESCORE"] == "*NONE*"  # cleared, though the column is numeric
    assert cells["SCORE"] == ""  # left unchanged
    assert TrainingHistoryCsvRow(prescore=CLEAR).prescore == CLEAR


def test_training_history_upload_and_report(server: FakeServer) -> None:
    rows = [
        TrainingHistoryCsvRow(
            userid="jdoe", learningid="M1", studentstatus="Completed"
        ),
        TrainingHistoryCsvRow(userid="asmith", learningid="M1", action="U", lotype="R"),
    ]
    with client_for(server) as client:
        report = client.content_handler_training_history_csv(rows)
    assert server.requests[0].headers["authorization"].startswith("Basic ")
    assert report.success and report.summary == "No Error Occurred"
    assert [row.values["USERID"] for row in report.rows] == ["jdoe", "asmith"]


VENDOR_REPORT = (
    "Note: rows are processed in file order\r\n"
    "Action,RecordID,UserId,Title,Error/Warning\r\n"
    "A,R-1,jdoe,First aid,\r\n"
    'U,R-2,asmith,"Safety, advanced",Record ID R-2 does not exist\r\n'
    "A,R-3,bwong,Fire drill,Warning: currency ignored\r\n"
)


def test_report_with_errors_and_warnings(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=VENDOR_REPORT.encode()))
    with client_for(server) as client:
        report = client.content_handler_external_training_csv(
            [ExternalTrainingCsvRow(action="A")]
        )
    assert not report.success
    assert report.note == "Note: rows are processed in file order"
    assert [(row.line, row.level) for row in report.rows] == [
        (1, "ok"),
        (2, "error"),
        (3, "warning"),
    ]
    [error] = report.errors
    assert error.message == "Record ID R-2 does not exist"
    assert error.values["Title"] == "Safety, advanced"
    assert [row.values["RecordID"] for row in report.warnings] == ["R-3"]
    assert report.summary == ""


def test_report_success_needs_the_summary_line() -> None:
    ok = read_report(
        VENDOR_REPORT.replace("Record ID R-2 does not exist", "")
        + "No Error Occurred\r\n"
    )
    assert ok.success and ok.warnings and not ok.errors
    assert not read_report(
        VENDOR_REPORT.replace("Record ID R-2 does not exist", "")
    ).success


def test_unreadable_report_is_a_parse_error(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=b"just one line"))
    with (
        client_for(server) as client,
        pytest.raises(ResponseParseError, match="note row"),
    ):
        client.content_handler_training_history_csv([TrainingHistoryCsvRow(userid="x")])


# ------------------------------------------------------------ replies by format


def test_return_type_follows_the_format(server: FakeServer) -> None:
    with client_for(server) as client:
        as_json = client.articles()
        as_xml = client.articles(format="xml")
        resources = client.resources()
        modules = client.modules()
        modules_rss = client.modules(format="rss")
        modules_atom = client.modules(format="atom")
    assert isinstance(as_json, dict) and as_json["operation"] == "articles"
    assert isinstance(as_xml, etree._Element) and as_xml.tag == "articles"
    assert isinstance(resources, dict)  # resources documents json as its default too
    assert isinstance(modules, etree._Element)
    assert isinstance(modules_rss, Feed) and modules_rss.format == "rss"
    assert isinstance(modules_atom, Feed) and modules_atom.format == "atom"
    queries = [dict(request.query)["format"] for request in server.requests]
    assert queries == ["json", "xml", "json", "xml", "rss", "atom"]


def test_unknown_format_is_refused_before_sending(server: FakeServer) -> None:
    with (
        client_for(server) as client,
        pytest.raises(RequestValidationError, match="format"),
    ):
        client.articles(format="csv")
    assert server.requests == []


RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>LMS news</title><link>https://lms.example.com/ekp/</link>
    <description>What is new</description>
    <lastBuildDate>Tue, 05 Mar 2024 09:30:00 GMT</lastBuildDate>
    <ttl>60</ttl>
    <item>
      <title>New course</title><link>https://lms.example.com/ekp/n/1</link>
      <description>Teaser</description><content:encoded><![CDATA[<p>Full</p>]]></content:encoded>
      <guid isPermaLink="false">n-1</guid><pubDate>Mon, 04 Mar 2024 08:00:00 +0100</pubDate>
      <dc:creator>Jane Doe</dc:creator><category>Compliance</category>
      <vendorExtension><nested>ignored</nested></vendorExtension>
    </item>
    <item><title>Second</title><pubDate>not a date</pubDate></item>
  </channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Forum</title><subtitle>Latest posts</subtitle><id>urn:forum</id>
  <updated>2024-03-05T09:30:00Z</updated>
  <link rel="self" href="https://lms.example.com/ekp/self"/>
  <link href="https://lms.example.com/ekp/forum"/>
  <entry>
    <title type="html">Re: exams</title><id>urn:post:7</id>
    <link rel="alternate" href="https://lms.example.com/ekp/post/7"/>
    <updated>2024-03-05T09:00:00+01:00</updated><published>2024-03-04T10:00:00Z</published>
    <author><name>Ann</name><email>ann@example.com</email></author>
    <category term="exams"/><summary>Short</summary><content type="text">Long</content>
    <unknownElement>ignored</unknownElement>
  </entry>
</feed>"""


def test_rss_feed_is_parsed_into_typed_entries(server: FakeServer) -> None:
    server.inject(
        Fault(status=200, body=RSS, headers={"Content-Type": "application/rss+xml"})
    )
    with client_for(server) as client:
        feed = client.user_news(format="rssfull")
    assert (feed.format, feed.title, feed.description) == (
        "rss",
        "LMS news",
        "What is new",
    )
    assert feed.updated == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    first, second = feed.entries
    assert (first.id, first.title, first.summary, first.content) == (
        "n-1",
        "New course",
        "Teaser",
        "<p>Full</p>",
    )
    assert first.published == datetime.fromisoformat("2024-03-04T08:00:00+01:00")
    assert (first.authors, first.categories) == (("Jane Doe",), ("Compliance",))
    assert second.published is None  # an unreadable date does not hide the entry


def test_atom_feed_is_parsed_into_typed_entries(server: FakeServer) -> None:
    server.inject(
        Fault(status=200, body=ATOM, headers={"Content-Type": "application/atom+xml"})
    )
    with client_for(server) as client:
        feed = client.latest_forum_posts(format="atom")
    assert (feed.format, feed.title, feed.description, feed.id) == (
        "atom",
        "Forum",
        "Latest posts",
        "urn:forum",
    )
    assert feed.link == "https://lms.example.com/ekp/forum"  # not the rel="self" link
    [entry] = feed.entries
    assert entry.link == "https://lms.example.com/ekp/post/7"
    assert entry.updated == datetime.fromisoformat("2024-03-05T09:00:00+01:00")
    assert (entry.authors, entry.categories, entry.summary, entry.content) == (
        ("Ann",),
        ("exams",),
        "Short",
        "Long",
    )


def test_public_feeds_need_no_credentials_and_articles_are_entries(
    server: FakeServer,
) -> None:
    with Client(base_url=server.base_url) as client:
        teasers = client.public_news(format="rssteasers")
        article = client.article(id="n-1")
    assert teasers.format == "rss" and len(teasers.entries) == 2
    assert article.id == "urn:fake:entry:1" and article.content == "Full text 1"
    assert all("authorization" not in request.headers for request in server.requests)


def test_a_feed_of_the_wrong_kind_is_a_parse_error(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=b"<unexpected><x/></unexpected>"))
    with (
        client_for(server) as client,
        pytest.raises(ResponseParseError, match=r"RSS 2\.0 or Atom"),
    ):
        client.latest_forum_posts()


# ----------------------------------------------------------------- large replies


def test_certificate_streams_to_a_path_and_as_chunks(
    server: FakeServer, tmp_path: Path
) -> None:
    server.download_size = 3 * MIB + 7
    target = tmp_path / "certificate.pdf"
    with client_for(server) as client:
        written = client.download_certificate(award_id="A-1", to=target)
        chunks = list(client.iter_certificate(award_id="A-1"))
    assert written == target.stat().st_size == 3 * MIB + 7
    assert b"".join(chunks) == target.read_bytes()
    assert len(chunks) > 1
    assert target.read_bytes().startswith(b"%fake application/pdf from certificate")
    assert not (tmp_path / "certificate.pdf.part").exists()
    assert server.requests[0].headers["authorization"].startswith("Basic ")


def test_failed_download_leaves_no_file(server: FakeServer, tmp_path: Path) -> None:
    server.inject(Fault(kind="truncate"))
    target = tmp_path / "package.zip"
    with (
        client_for(server) as client,
        pytest.raises(Exception, match="content_package"),
    ):
        client.download_content_package(enrollment_id="E-1", to=target)
    assert not target.exists() and not (tmp_path / "package.zip.part").exists()


def test_training_history_records_arrive_one_by_one(server: FakeServer) -> None:
    server.record_count = 1200
    with client_for(server) as client:
        records = client.iter_training_history_xml(user_id="jdoe", include_older=True)
        first = next(records)
        rest = list(records)
    assert first.getparent() is None  # detached: the document does not keep it
    assert first.findtext("userId") == "user-0"
    assert first.find("addedLater") is not None  # unknown elements are simply kept
    assert len(rest) == 1199
    request = server.requests[0]
    assert dict(request.query) == {"userId": "jdoe", "includeOlder": "true"}
    assert request.headers["authorization"].startswith("Basic ")


def test_records_stream_refuses_a_dtd(server: FakeServer) -> None:
    hostile = b'<!DOCTYPE r [<!ENTITY e "boom">]><r><record>&e;</record></r>'
    server.inject(Fault(status=200, body=hostile))
    with client_for(server) as client, pytest.raises(UnsafeXmlError):
        list(client.iter_users200510_xml(status="active"))


def test_records_stream_reports_broken_xml(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=b"<r><record>1</record><record>"))
    with (
        client_for(server) as client,
        pytest.raises(ResponseParseError, match="malformed XML"),
    ):
        list(client.iter_completed_training_records_xml())


def test_async_records_and_downloads(server: FakeServer, tmp_path: Path) -> None:
    server.record_count = 10

    async def run() -> tuple[int, int]:
        async with AsyncClient(
            system_user=SYSTEM_USER,
            system_key=SYSTEM_KEY,
            token=TOKEN,
            base_url=server.base_url,
        ) as client:
            count = 0
            async for _record in client.iter_user200510_xml(user_id="jdoe"):
                count += 1
            size = await client.download_certificate(
                award_id="A-1", to=tmp_path / "c.pdf"
            )
            return count, size

    assert asyncio.run(run()) == (10, server.download_size)
    assert server.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


CLIENT_PROCESS = textwrap.dedent(r"""
    import json, re, sys
    sys.path.insert(0, sys.argv[1])
    from peoplefluent import Client

    def peak():
        # VmHWM, the peak resident set of this process image (ru_maxrss would carry
        # the parent's peak across exec).
        status = open("/proc/self/status").read()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024

    client = Client(username="fake-username", password="fake-password",
                    system_user="fake-system-user", system_key="fake-system-key",
                    base_url=sys.argv[2])
    client.articles()  # warm up: imports, connections
    before = peak()
    mode, path = sys.argv[3], sys.argv[4]
    if mode == "records":
        count = sum(1 for _ in client.iter_training_history_xml())
    elif mode == "whole-document":
        count = len(client.training_history_xml())
    elif mode == "download":
        count = client.download_certificate(award_id="A", to=path)
    elif mode == "whole-file":
        count = len(client.certificate(award_id="A"))
    elif mode == "upload-path":
        count = len(json.dumps(client.content_package_importer(package=path, versioning="v")))
    else:
        data = open(path, "rb").read()
        count = len(json.dumps(client.content_package_importer(package=data, versioning="v")))
    print(json.dumps({"count": count, "growth": peak() - before}))
    """)


def client_memory(server: FakeServer, mode: str, path: Path) -> dict[str, int]:
    """Run one call in a fresh client process; its count and peak memory growth (bytes)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CLIENT_PROCESS,
            str(PACKAGE_ROOT),
            server.base_url,
            mode,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, int] = json.loads(done.stdout)
    return result


def test_large_training_history_is_parsed_in_flat_memory(
    server: FakeServer, tmp_path: Path
) -> None:
    server.record_count = 250_000  # about 30 MiB of XML
    streamed = client_memory(server, "records", tmp_path)
    whole = client_memory(server, "whole-document", tmp_path)
    assert streamed["count"] == whole["count"] == 250_000
    assert streamed["growth"] < 16 * MIB
    assert whole["growth"] > 64 * MIB  # the measurement sees a document held whole


def test_large_certificate_is_downloaded_in_flat_memory(
    server: FakeServer, tmp_path: Path
) -> None:
    server.download_size = 48 * MIB
    streamed = client_memory(server, "download", tmp_path / "certificate.pdf")
    whole = client_memory(server, "whole-file", tmp_path)
    assert streamed["count"] == whole["count"] == 48 * MIB
    assert streamed["growth"] < 16 * MIB
    assert whole["growth"] > 40 * MIB


def test_large_upload_is_streamed_from_disk(server: FakeServer, tmp_path: Path) -> None:
    package = tmp_path / "package.zip"
    with package.open("wb") as stream:
        for _ in range(48):
            stream.write(bytes(range(256)) * 4096)
    streamed = client_memory(server, "upload-path", package)
    whole = client_memory(server, "upload-bytes", package)
    assert streamed["growth"] < 16 * MIB
    assert whole["growth"] > 40 * MIB
    assert len(server.requests[-1].body) > 48 * MIB


# ------------------------------------------------------- cookies and defaults


def test_no_cookie_reaches_the_next_call(server: FakeServer) -> None:
    with httpx.Client() as own:
        for http_client in (None, own):
            with client_for(server, http_client=http_client) as client:
                client.me()
                client.me(on_behalf_of="jdoe")
    assert len(server.requests) == 4
    assert all("cookie" not in request.headers for request in server.requests)
    assert httpx.get(
        server.base_url + "/api/publicNews?format=atom"
    ).cookies  # it sets one


def test_on_behalf_of_and_assignment_per_client_and_per_call(
    server: FakeServer,
) -> None:
    with client_for(server, on_behalf_of="manager-view", assignment_id="A-7") as client:
        client.me()
        client.me(on_behalf_of="jdoe")
        client.enroll_user(learning_id="M1")
        client.content_package_importer(
            package=b"zip", versioning="v", assignment_id="A-9"
        )
    me, me_as_jdoe, enroll, importer = server.requests
    assert dict(me.query)["onBehalfOf"] == "manager-view"
    assert dict(me.query)["assignmentId"] == "A-7"
    assert dict(me_as_jdoe.query)["onBehalfOf"] == "jdoe"
    assert dict(parse_qsl(enroll.body.decode()))["onBehalfOf"] == "manager-view"
    fields = dict(parse_multipart(importer.headers["content-type"], importer.body))
    assert (fields["assignmentId"], fields["onBehalfOf"]) == ("A-9", "manager-view")


def test_system_calls_need_the_system_key(server: FakeServer) -> None:
    with Client(
        username=USERNAME, password=PASSWORD, base_url=server.base_url
    ) as client:
        with pytest.raises(ConfigurationError, match="system_user and system_key"):
            client.training_history_xml()
        client.me()
    assert len(server.requests) == 1
    with Client(
        system_user=SYSTEM_USER, system_key=SYSTEM_KEY, base_url=server.base_url
    ) as system:
        with pytest.raises(ConfigurationError, match="username and password, or token"):
            system.me()
        assert isinstance(system.training_history_xml(), etree._Element)
    assert repr(system) == f"Client(base_url={server.base_url!r})"
    assert SYSTEM_KEY not in repr(system._transport.config)
