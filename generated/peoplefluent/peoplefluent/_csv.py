"""CSV bodies: typed rows written with CSV quoting, and the reports that answer them.

A row model's fields are the file's columns, in order, named by their aliases. In the
vendor's CSV an empty cell leaves a stored value unchanged and ``*NONE*`` clears it:
a field left ``None`` is written empty, and ``CLEAR`` writes ``*NONE*``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Final, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict

from ._codecs import CsvReportCodec

CLEAR: Final = "*NONE*"
"""The cell value that clears a field (an empty cell leaves it unchanged)."""
Clear = Literal["*NONE*"]

R = TypeVar("R", bound="CsvRow")

SUCCESS = "No Error Occurred"
"""What the last line of a content handler's reply says when every row went in."""


class CsvRow(BaseModel):
    """One line of a CSV body; the field order is the column order."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )

    __formats__: ClassVar[dict[str, str]] = {}
    """``strftime`` formats of the date columns, by field name (how dates are written)."""

    @classmethod
    def columns(cls) -> list[str]:
        """The header: every column name, in file order."""
        return [
            info.serialization_alias or name for name, info in cls.model_fields.items()
        ]

    @classmethod
    def from_csv(cls, text: str) -> list[Self]:
        """The rows of a CSV text whose first line is the header."""
        return read_rows(cls, text)

    @classmethod
    def to_csv(cls, rows: Iterable[Self]) -> str:
        """CSV text of ``rows``, header first."""
        return write_rows(cls, rows)

    def cells(self) -> list[str]:
        """The row's cells, in column order."""
        return [
            cell(getattr(self, name), self.__formats__.get(name, ""))
            for name in type(self).model_fields
        ]


def cell(value: Any, date_format: str = "") -> str:
    """The CSV text of one value: ``None`` is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        if not date_format:
            return value.isoformat()
        # strftime does not pad years below 1000 on every platform.
        return value.strftime(date_format.replace("%Y", f"{value.year:04d}"))
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def write_rows(model: type[R], rows: Iterable[R], header: bool = True) -> str:
    """CSV text: the header line (when asked), then one line per row, quoted as needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(model.columns())
    for row in rows:
        writer.writerow(row.cells())
    return out.getvalue()


def read_rows(model: type[R], text: str, header: bool = True) -> list[R]:
    """Rows of ``model`` from CSV text; the header must name the columns in order."""
    lines = [line for line in csv.reader(io.StringIO(text, newline="")) if line]
    columns = model.columns()
    if header:
        if not lines or lines[0] != columns:
            found = lines[0] if lines else []
            raise ValueError(f"CSV header {found} is not the documented {columns}")
        lines = lines[1:]
    rows = []
    for number, line in enumerate(lines, start=1):
        if len(line) != len(columns):
            raise ValueError(
                f"CSV row {number} has {len(line)} cells, not {len(columns)}"
            )
        values = {
            column: text for column, text in zip(columns, line, strict=True) if text
        }
        rows.append(model.model_validate(values))
    return rows


class CsvRowResult(BaseModel):
    """What the content handler says about one input row."""

    model_config = ConfigDict(frozen=True)

    line: int
    """The row's number among the input rows (1 is the first row after the header)."""
    values: dict[str, str]
    """The row's cells as the handler echoed them, by column name."""
    message: str = ""
    """The last column: the error or warning, if any."""
    level: Literal["ok", "warning", "error"] = "ok"

    @property
    def ok(self) -> bool:
        return self.level != "error"


class CsvReport(BaseModel):
    """A content handler's CSV reply: a note, a header, one result per row, a summary."""

    model_config = ConfigDict(frozen=True)

    note: str
    header: tuple[str, ...]
    rows: tuple[CsvRowResult, ...]
    summary: str = ""
    """The last line when it is not a row (``No Error Occurred`` on success)."""

    @property
    def success(self) -> bool:
        """Every row went in: the summary says so and no row has an error."""
        return SUCCESS.lower() in self.summary.lower() and not self.errors

    @property
    def errors(self) -> tuple[CsvRowResult, ...]:
        return tuple(row for row in self.rows if row.level == "error")

    @property
    def warnings(self) -> tuple[CsvRowResult, ...]:
        return tuple(row for row in self.rows if row.level == "warning")


def level_of(message: str) -> Literal["ok", "warning", "error"]:
    """An empty message is fine, one that starts with "warning" is a warning, else an error.

    The vendor documents only that errors and warnings share the last column; a
    message that calls itself a warning is one.
    """
    text = message.strip()
    if not text:
        return "ok"
    return "warning" if text.lower().startswith("warning") else "error"


def read_report(text: str) -> CsvReport:
    """Parse a content handler's reply.

    Layout (PROVIDERS.md): a note row, a header row whose last column holds messages,
    one row per input line, and on success a last line saying "No Error Occurred".
    """
    lines = [
        line
        for line in csv.reader(io.StringIO(text, newline=""))
        if any(cell.strip() for cell in line)
    ]
    if len(lines) < 2:
        raise ValueError("a CSV report starts with a note row and a header row")
    note, header, body = ",".join(lines[0]), tuple(lines[1]), lines[2:]
    summary = ""
    if body and len(body[-1]) < len(header):
        summary = ",".join(body.pop())
    rows = []
    for number, line in enumerate(body, start=1):
        message = line[-1] if len(line) == len(header) else ""
        values = dict(zip(header[:-1], line[: len(header) - 1], strict=False))
        rows.append(
            CsvRowResult(
                line=number, values=values, message=message, level=level_of(message)
            )
        )
    return CsvReport(note=note, header=header, rows=tuple(rows), summary=summary)


def write_report(report: CsvReport) -> str:
    """A report as the handler writes it (used by the fake server)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report.note])
    writer.writerow(report.header)
    for row in report.rows:
        writer.writerow(
            [*(row.values.get(name, "") for name in report.header[:-1]), row.message]
        )
    if report.summary:
        writer.writerow([report.summary])
    return out.getvalue()


def report_codec() -> CsvReportCodec[CsvReport]:
    """The codec of a content handler's CSV reply."""
    return CsvReportCodec(
        "text/plain; charset=utf-8",
        CsvReport,
        lambda body: read_report(body.decode("utf-8-sig")),
        lambda report: write_report(report).encode("utf-8"),
    )
