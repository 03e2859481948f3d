"""CSV imports in the fake server: the report of rows that all went in."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ._codecs import MediaCodec
from ._config import Endpoint
from ._csv import CsvReport, CsvRow, CsvRowResult
from ._fake import BaseFakeServer


def report_of(rows: list[CsvRow]) -> CsvReport:
    """The report of rows that all went in (the client only sends valid rows)."""
    columns = rows[0].columns() if rows else []
    return CsvReport(
        note="Fake import report",
        header=(*columns, "Error/Warning"),
        rows=tuple(
            CsvRowResult(
                line=number, values=dict(zip(columns, row.cells(), strict=True))
            )
            for number, row in enumerate(rows, start=1)
        ),
        summary="No Error Occurred",
    )


def report_body(
    server: BaseFakeServer,
    endpoint: Endpoint[Any],
    codec: MediaCodec[Any],
    args: BaseModel,
) -> bytes:
    """The import report of the CSV rows the call sent (``MEDIA`` of ``fake_server.py``)."""
    assert endpoint.body is not None
    rows: list[CsvRow] = getattr(args, endpoint.body.arg)
    return codec.encode(report_of(rows))
