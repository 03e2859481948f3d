"""The vendor's words found in error bodies, and the limits named by the XML parser's
refusals (pure functions; the HTTP side is in test_error_messages.py)."""

from __future__ import annotations

import pytest
from lmsgen.runtime import _errors, _soap, _xml
from lmsgen.runtime._response import hide
from lmsgen.runtime._vendor import vendor_words


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"Detail":"UserName already exists"}', ("UserName already exists", "")),
        (b'{"detail":"gone","code":410}', ("gone", "410")),
        (b'{"Message":"Bad id","Code":"E1"}', ("Bad id", "E1")),
        (
            b'{"error":"invalid_client","error_description":"Client authentication failed"}',
            ("Client authentication failed", "invalid_client"),
        ),
        (b'{"error":"invalid_grant"}', ("invalid_grant", "")),
        (b'{"error":{"message":"nested","code":"N"}}', ("nested", "N")),
        (
            b"<response><code>NOT_FOUND</code><message>No such user</message></response>",
            ("No such user", "NOT_FOUND"),
        ),
        (_soap.fault_envelope("soap:Server", "Boom"), ("Boom", "soap:Server")),
        (b"  conflict  ", ("", "")),
        (b'{"Detail": ', ("", "")),
        (b"[1, 2]", ("", "")),
        (b'{"Detail": true, "count": 3}', ("", "")),
        (b"<r><x>unrelated</x></r>", ("", "")),
        (b'<!DOCTYPE r [<!ENTITY e "x">]><r><message>&e;</message></r>', ("", "")),
    ],
)
def test_vendor_words(body: bytes, words: tuple[str, str]) -> None:
    assert vendor_words(body) == words


@pytest.mark.parametrize(
    ("reported", "kind", "named"),
    [
        (
            "Maximum entity amplification factor exceeded, see xmlCtxtSetMaxAmplification.",
            _xml.XmlSafetyError,
            "entity declarations (DTD) are refused",
        ),
        ("Detected an entity reference loop", _xml.XmlSafetyError, "(DTD)"),
        (
            "Excessive depth in document: 256, use XML_PARSE_HUGE option",
            _xml.XmlSafetyError,
            "XML nesting deeper than 256 levels",
        ),
        ("Opening and ending tag mismatch: a line 2 and b", _xml.XmlSyntaxError, "tag"),
    ],
)
def test_a_limit_libxml2_enforced_is_named_not_lifted(
    reported: str, kind: type[ValueError], named: str
) -> None:
    error = _xml.syntax_error(reported, 3)
    assert type(error) is kind
    assert named in str(error)
    assert "HUGE" not in str(error) and "xmlCtxtSet" not in str(error)


def test_oversized_documents_name_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_xml, "MAX_BYTES", 8)
    with pytest.raises(_xml.XmlSafetyError, match="document larger than 8 bytes"):
        _xml.parse(b"<a>123456</a>")
    with pytest.raises(_xml.XmlSafetyError, match="document larger than 8 bytes"):
        _xml.ItemReader(lambda elem: elem).feed(b"<a>123456</a>")


def test_malformed_xml_keeps_its_line() -> None:
    with pytest.raises(_xml.XmlSyntaxError) as caught:
        _xml.parse(b"<a>\n<b>\n</a>")
    assert caught.value.line == 3


def test_secrets_are_blotted_out_of_the_vendors_words() -> None:
    error = _errors.ConflictError(
        "key s3cret refused",
        operation="x",
        status=409,
        reason="Conflict",
        vendor_message="key s3cret refused",
        vendor_code="s3cret",
    )
    hide(error, ("s3cret",))
    assert (error.message, error.vendor_message, error.vendor_code) == (
        "key *** refused",
        "key *** refused",
        "***",
    )
    assert str(error) == "x: key *** refused (HTTP 409 Conflict, attempt 1)"
