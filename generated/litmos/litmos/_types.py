"""Scalar types shared by the models: the provider's date and decimal formats."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    GetCoreSchemaHandler,
    PlainSerializer,
    PlainValidator,
)
from pydantic_core import CoreSchema, core_schema

from ._settings import JSON_DATES
from ._xml import element

_MS_DATE = re.compile(r"\s*/Date\((-?\d+)([+-]\d{4})?\)/\s*$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WALL_EPOCH = datetime(1970, 1, 1)
_SENTINELS = (datetime.min, datetime.max)
""".NET's ``DateTime.MinValue`` and ``MaxValue`` (to the microsecond)."""
_NET_RANGE = range(-62135596800000, 253402300800000)
"""The milliseconds .NET can write: from MinValue to MaxValue."""


def parse_datetime(value: Any) -> Any:
    """Accept ISO 8601 (with ``Z``, an offset or no zone), ``/Date(ms±zzzz)/`` and ``""``.

    An empty string stands for "never" and becomes ``None``; a value that is none of
    these is handed on unchanged so that pydantic reports it with its field path.
    """
    if value.__class__ is not str:
        return value
    match = _MS_DATE.match(value)
    if match is None:
        return value.strip() or None
    millis, zone = match.groups()
    # No offset is UTC: Microsoft's serializer writes UTC values so, and the number
    # counts milliseconds from the UTC epoch whatever the offset says.
    try:
        instant = _EPOCH + timedelta(milliseconds=int(millis))
        return instant if zone is None else instant.astimezone(_zone(zone))
    except OverflowError:  # near year 1 or 9999: see _wall_clock
        if zone is None:
            raise
        return _wall_clock(int(millis), _zone(zone))


def _wall_clock(millis: int, zone: timezone) -> datetime:
    """The instant ``millis`` as a clock in ``zone`` reads it.

    Json.NET writes ``MinValue``/``MaxValue`` with their own ticks and the server's
    offset (``/Date(-62135596800000-0500)/``), a clock that would fall outside the
    years 1 to 9999: such a value reads as ``datetime.min``/``max`` in that offset,
    as .NET reads it back (it clamps), and ``format_ms_date`` writes it as it came.
    """
    shift = timedelta(milliseconds=millis) + zone.utcoffset(None)
    try:
        return (_WALL_EPOCH + shift).replace(tzinfo=zone)
    except OverflowError:
        if millis not in _NET_RANGE:
            raise
        return _SENTINELS[millis > 0].replace(tzinfo=zone)


@cache
def _zone(text: str) -> timezone:
    """``+0200`` → a fixed-offset zone (few distinct values: cached)."""
    offset = timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))
    return timezone(-offset if text[0] == "-" else offset)


def parse_date(value: Any) -> Any:
    """Accept a plain date, or a date-time of which the date is kept; ``""`` is ``None``."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    return text[:10] if len(text) > 10 and text[10] in "Tt " else text


def parse_date_or_datetime(value: Any) -> Any:
    """A plain date stays a ``date``, a date-time becomes a ``datetime``; ``""`` is ``None``.

    For schemas that allow both (an ``xs:union`` of ``xs:date`` and ``xs:dateTime``):
    the value keeps the form the server wrote.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) > 10 and text[10] in "Tt ":
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        return text


def parse_int(value: Any) -> Any:
    """An integer written as text (XML, a query string) becomes an ``int``."""
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return value


def format_ms_date(value: datetime) -> str:
    """``/Date(ms±zzzz)/`` as Microsoft JSON writes it; a naive value is taken as UTC.

    ``datetime.min``/``max`` in any offset are .NET's ``MinValue``/``MaxValue``: Json.NET
    writes their own ticks, not the instant, and so does this (see ``_wall_clock``).
    """
    offset = value.utcoffset()
    wall = value.replace(tzinfo=None)
    if offset is None or wall in _SENTINELS:
        millis = (wall - _WALL_EPOCH) // timedelta(milliseconds=1)
    else:
        millis = (value - _EPOCH) // timedelta(milliseconds=1)
    if offset is None:
        return f"/Date({millis})/"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"/Date({millis}{sign}{hours:02d}{rest:02d})/"


def format_datetime(value: datetime) -> str:
    """ISO 8601, as the XML payloads write date-times."""
    return value.isoformat()


def format_date(value: date) -> str:
    """ISO 8601 calendar date."""
    return value.isoformat()


class _Lenient:
    """Native (fast) parsing first; the vendor's other spellings only when it fails.

    The Python fallback runs just for values the native parser refuses, so ISO dates
    cost no Python call while ``/Date(ms)/`` and ``""`` still work. ``json_first``
    are schemas tried before anything else in JSON, where the vendor has a spelling
    of its own (each must give exactly what the fallback would, or fail); a value
    none of them reads is then reported once, as ``not a <what>``.
    """

    def __init__(
        self,
        native: CoreSchema,
        fallback: Callable[[Any], Any],
        json: Any,
        json_first: tuple[CoreSchema, ...] = (),
        what: str = "",
    ) -> None:
        self.native = native
        self.fallback = fallback
        self.json = json
        self.json_first = json_first
        self.what = what

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        custom = core_schema.no_info_plain_validator_function(self.fallback)
        python = core_schema.union_schema([self.native, custom], mode="left_to_right")
        # Where JSON carries its own spelling (/Date(ms)/), try that first there, so
        # the native parser does not fail (expensively) on every value.
        json = (
            core_schema.union_schema(
                [*self.json_first, custom, self.native],
                mode="left_to_right",
                custom_error_type="value_error",
                custom_error_context={"error": f"not a {self.what}"},
            )
            if self.json_first
            else python
        )
        return core_schema.json_or_python_schema(
            json_schema=json,
            python_schema=python,
            serialization=core_schema.plain_serializer_function_ser_schema(
                self.json, when_used="json"
            ),
        )


def _datetime_fallback(value: Any) -> datetime | None:
    try:
        parsed = parse_datetime(value)
    except OverflowError:  # /Date(ms)/ beyond the years datetime holds
        parsed = value
    if parsed is None or isinstance(parsed, datetime):
        return parsed
    raise ValueError(f"not a date-time: {value!r}")


def _date_fallback(value: Any) -> date | None:
    parsed = parse_date(value)
    if parsed is None or isinstance(parsed, date):
        return parsed
    return date.fromisoformat(parsed)


_MS_JSON = (
    # /Date(ms+0000)/, the vendor's UTC spelling, and /Date(ms)/, which Microsoft's
    # serializer writes for UTC values, for every date from 2001 to 2286 (13 digits):
    # pydantic's own timestamp parser reads those digits as milliseconds (it does so for
    # numbers over 2e10). Other dates and offsets are left to the fallback.
    core_schema.chain_schema(
        [
            core_schema.str_schema(pattern=r"^/Date\([1-9]\d{12}(?:[+-]0000)?\)/$"),
            core_schema.no_info_plain_validator_function(itemgetter(slice(6, 19))),
            core_schema.datetime_schema(),
        ]
    ),
)
"""The common ``/Date(ms)/`` spellings, read by pydantic and one C function alone: no
Python code runs per value (the general fallback's regex and arithmetic would)."""

DATE_TIMES = {
    "iso": _Lenient(core_schema.datetime_schema(), _datetime_fallback, format_datetime),
    "microsoft": _Lenient(
        core_schema.datetime_schema(),
        _datetime_fallback,
        format_ms_date,
        _MS_JSON,
        "date-time",
    ),
}
"""How a date-time is read and written, by the provider's JSON date style: ISO 8601
everywhere (``/Date(ms)/`` accepted), or ``/Date(ms±zzzz)/`` in JSON (ISO in XML)."""

DateTime = Annotated[datetime, DATE_TIMES[JSON_DATES]]
"""A date-time, in the provider's JSON date style (see ``DATE_TIMES``); ``""`` means
none."""

Date = Annotated[date, _Lenient(core_schema.date_schema(), _date_fallback, format_date)]
"""A calendar date; a date-time where a date is documented keeps its date."""

DateOrDateTime = Annotated[datetime | date, BeforeValidator(parse_date_or_datetime)]
"""A calendar date or a date-time, whichever the document holds."""

Number = Annotated[Decimal, PlainSerializer(float, when_used="json")]
"""A decimal, kept exact in Python and written as a JSON number (as the vendors do)."""

XmlDocument = Annotated[Any, PlainValidator(element)]
"""An XML request body: an element, or bytes that are parsed safely (a DTD is refused)."""
