"""Scalar types shared by the models: the provider's date formats and booleans."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_MS_DATE = re.compile(r"^/Date\((-?\d+)(?:([+-])(\d\d)(\d\d))?\)/$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_datetime(value: Any) -> Any:
    """Accept ISO 8601 (with ``Z``, an offset or no zone), ``/Date(ms±zzzz)/`` and ``""``.

    An empty string stands for "never" and becomes ``None``; a value that is none of
    these is handed on unchanged so that pydantic reports it with its field path.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    match = _MS_DATE.match(text)
    if match is None:
        return text
    millis, sign, hours, minutes = match.groups()
    instant = _EPOCH + timedelta(milliseconds=int(millis))
    if sign is None:
        return instant.replace(tzinfo=None)
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return instant.astimezone(timezone(-offset if sign == "-" else offset))


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


def parse_bool(value: Any) -> Any:
    """Accept ``true``/``false``/``1``/``0`` in any case; ``""`` is ``None``."""
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        return {"true": True, "1": True, "false": False, "0": False}.get(text, value)
    return value


def format_ms_date(value: datetime) -> str:
    """``/Date(ms±zzzz)/`` as Microsoft JSON writes it; a naive value is taken as UTC."""
    offset = value.utcoffset()
    moment = value if offset is not None else value.replace(tzinfo=UTC)
    millis = (moment - _EPOCH) // timedelta(milliseconds=1)
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


DateTime = Annotated[
    datetime,
    BeforeValidator(parse_datetime),
    PlainSerializer(format_ms_date, when_used="json"),
]
"""A date-time: ISO 8601 in XML, ``/Date(ms±zzzz)/`` in JSON."""
Date = Annotated[date, BeforeValidator(parse_date)]
"""A calendar date; a date-time where a date is documented keeps its date."""

DateOrDateTime = Annotated[datetime | date, BeforeValidator(parse_date_or_datetime)]
"""A calendar date or a date-time, whichever the document holds."""

Bool = Annotated[bool, BeforeValidator(parse_bool)]
"""A boolean written ``true``/``false`` or ``1``/``0``."""

Number = Annotated[Decimal, PlainSerializer(float, when_used="json")]
"""A decimal, kept exact in Python and written as a JSON number (as the vendors do)."""
