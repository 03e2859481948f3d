"""The date, date-time and number codecs of ``lmsgen.runtime._types``, in both JSON
date styles a provider may have (ISO 8601, Microsoft's ``/Date(ms±zzzz)/``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated

import pytest
from lmsgen.runtime import _types
from pydantic import TypeAdapter, ValidationError

MOMENT = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
MILLIS = 1709296200000
PLUS_TWO = timezone(timedelta(hours=2))


def adapter(style: str) -> TypeAdapter[datetime | None]:
    return TypeAdapter(Annotated[datetime | None, _types.DATE_TIMES[style]])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/Date({MILLIS})/", MOMENT),
        (f"/Date({MILLIS}+0000)/", MOMENT),
        (f" /Date({MILLIS}+0200)/ ", MOMENT.astimezone(PLUS_TWO)),
        ("/Date(-86400000)/", datetime(1969, 12, 31, tzinfo=UTC)),
        ("", None),
        ("   ", None),
        ("2024-03-01T12:30:00Z", "2024-03-01T12:30:00Z"),
    ],
)
def test_parse_datetime(text: str, expected: object) -> None:
    assert _types.parse_datetime(text) == expected


@pytest.mark.parametrize("style", ["iso", "microsoft"])
@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01T12:30:00Z",
        "2024-03-01T14:30:00+02:00",
        f"/Date({MILLIS})/",
        f"/Date({MILLIS}+0000)/",
    ],
)
def test_both_styles_read_every_spelling(style: str, value: str) -> None:
    read = adapter(style)
    assert read.validate_python(value) == MOMENT
    assert read.validate_json(f'"{value}"') == MOMENT


@pytest.mark.parametrize("style", ["iso", "microsoft"])
def test_empty_means_none_and_garbage_is_refused(style: str) -> None:
    assert adapter(style).validate_json('""') is None
    with pytest.raises(ValidationError):
        adapter(style).validate_json('"next tuesday"')


def test_the_styles_differ_only_in_how_json_is_written() -> None:
    assert adapter("iso").dump_json(MOMENT) == b'"2024-03-01T12:30:00+00:00"'
    assert adapter("microsoft").dump_json(MOMENT) == f'"/Date({MILLIS}+0000)/"'.encode()
    local = MOMENT.astimezone(PLUS_TWO)
    assert adapter("microsoft").dump_json(local) == f'"/Date({MILLIS}+0200)/"'.encode()
    assert adapter("microsoft").dump_python(MOMENT) == MOMENT


def test_a_naive_datetime_is_written_as_utc_without_an_offset() -> None:
    assert _types.format_ms_date(datetime(2024, 3, 1, 12, 30)) == f"/Date({MILLIS})/"


def test_dates_keep_the_date_of_a_datetime_and_empty_is_none() -> None:
    read = TypeAdapter(_types.Date | None)
    assert read.validate_python("2024-03-01T23:59:59+05:00") == date(2024, 3, 1)
    assert read.validate_python("") is None
    assert read.dump_json(date(2024, 3, 1)) == b'"2024-03-01"'


def test_date_or_datetime_keeps_the_form_written() -> None:
    read = TypeAdapter(_types.DateOrDateTime)
    assert read.validate_python("2024-03-01") == date(2024, 3, 1)
    assert read.validate_python("2024-03-01T12:30:00+00:00") == MOMENT


def test_numbers_stay_exact_in_python_and_are_json_numbers() -> None:
    read = TypeAdapter(_types.Number)
    assert read.validate_python("0.1") == Decimal("0.1")
    assert read.dump_json(Decimal("2.5")) == b"2.5"


def test_xml_documents_are_parsed_safely() -> None:
    read = TypeAdapter(_types.XmlDocument)
    assert read.validate_python(b"<a/>").tag == "a"
    with pytest.raises(ValidationError):
        read.validate_python(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')
