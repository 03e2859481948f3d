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


MINUS_FIVE = timezone(timedelta(hours=-5))
NET_MIN = -62135596800000
NET_MAX = 253402300799999


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Json.NET writes MinValue/MaxValue with their own ticks and the server's
        # offset: a clock outside years 1 to 9999 reads as .NET reads it (clamped).
        (f"/Date({NET_MIN}-0500)/", datetime.min.replace(tzinfo=MINUS_FIVE)),
        (f"/Date({NET_MAX}+0200)/", datetime.max.replace(tzinfo=PLUS_TWO)),
        # Inside the range the instant is exact, in the offset given.
        (f"/Date({NET_MIN}+0200)/", datetime(1, 1, 1, 2, tzinfo=PLUS_TWO)),
        (
            f"/Date({NET_MAX}-0500)/",
            datetime(9999, 12, 31, 18, 59, 59, 999000, tzinfo=MINUS_FIVE),
        ),
        (f"/Date({NET_MIN})/", datetime.min.replace(tzinfo=UTC)),
        (f"/Date({NET_MIN}+0000)/", datetime.min.replace(tzinfo=UTC)),
        (f"/Date({NET_MAX})/", datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
    ],
)
def test_every_value_dotnet_writes_reads_and_writes_back(
    text: str, expected: datetime
) -> None:
    read = adapter("microsoft")
    value = read.validate_json(f'"{text}"')
    assert value == expected and value is not None
    assert value.utcoffset() == expected.utcoffset()
    assert read.validate_python(text) == expected
    # An aware UTC value is written with +0000 (the instant and zone kept).
    written = text if text[-7] in "+-" else text.replace(")/", "+0000)/")
    assert read.dump_json(value) == f'"{written}"'.encode()


@pytest.mark.parametrize(
    "text",
    [
        f"/Date({NET_MIN - 1}-0500)/",  # before MinValue: .NET never writes it
        f"/Date({NET_MAX + 1}+0200)/",
        "/Date(-99999999999999999+0100)/",
        "/Date(99999999999999999)/",
    ],
)
def test_beyond_what_dotnet_writes_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="not a date-time"):
        adapter("microsoft").validate_json(f'"{text}"')


def test_a_clock_just_inside_the_range_is_exact_not_clamped() -> None:
    # 0001-01-01T03:00+05:00 is an instant before MinValue in UTC, yet a valid clock.
    early = datetime(1, 1, 1, 3, tzinfo=timezone(timedelta(hours=5)))
    text = _types.format_ms_date(early)
    assert text == f"/Date({NET_MIN - 2 * 3600000}+0500)/"
    assert _types.parse_datetime(text) == early
