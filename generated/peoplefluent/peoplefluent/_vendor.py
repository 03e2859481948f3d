"""The vendor's own words in an error answer, so that they lead the exception message
instead of hiding in the body excerpt. Pure functions; a body they cannot read states
nothing."""

from __future__ import annotations

import json
from typing import Any

from . import _xml

TEXT_KEYS = (
    "Detail",
    "detail",
    "message",
    "Message",
    "error_description",
    "errorMessage",
    "faultstring",
    "error",
    "title",
)
"""Where an error body puts its text, most telling first: Litmos ``Detail``, iSpring
``message``, OAuth 2.0 ``error_description`` (else its ``error`` code), SOAP 1.1
``faultstring``, RFC 7807 ``title``."""
CODE_KEYS = ("code", "Code", "errorCode", "error", "faultcode")
"""Where an error body puts its code."""


def vendor_words(body: bytes) -> tuple[str, str]:
    """The ``(text, code)`` an error body states; ``("", "")`` when it states none."""
    start = body.lstrip()[:1]
    try:
        if start == b"{":
            fields = _json_fields(json.loads(body))
        elif start == b"<":
            fields = _xml_fields(_xml.parse(body))
        else:
            return "", ""
    except ValueError:
        return "", ""
    text = next((fields[key] for key in TEXT_KEYS if fields.get(key)), "")
    code = next((fields[key] for key in CODE_KEYS if fields.get(key)), "")
    return text, "" if code == text else code


def _json_fields(data: Any) -> dict[str, str]:
    """The scalar fields of a JSON error object, or of the object under ``error``."""
    if not isinstance(data, dict):
        return {}
    if isinstance(data.get("error"), dict):
        data = data["error"]
    return {
        str(key): str(value).strip()
        for key, value in data.items()
        if isinstance(value, (str, int)) and not isinstance(value, bool)
    }


def _xml_fields(root: Any) -> dict[str, str]:
    """The texts of the leaf elements of an XML error body (iSpring's ``<response>
    <code>…</code><message>…</message></response>``, a SOAP Fault), first one wins."""
    fields: dict[str, str] = {}
    for elem in root.iter():
        if isinstance(elem.tag, str) and len(elem) == 0 and elem.text:
            fields.setdefault(_xml.local(elem.tag), elem.text.strip())
    return fields
