"""SOAP 1.1 (document/literal): envelopes, faults, and how an operation's body is built.

Requests use the standard envelope namespace. Responses are accepted in it and in the
``https://`` variant that some vendor documentation prints; the payload inside is read
by local names, so a service namespace given as a prefix (children unqualified) or as
the default namespace both parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pydantic import ValidationError

from . import _xml
from ._codecs import Codec
from ._errors import SoapFaultError

ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
ENVELOPES = frozenset({ENVELOPE, "https://schemas.xmlsoap.org/soap/envelope/"})
"""Envelope namespaces accepted when reading."""
MEDIA_TYPE = "text/xml; charset=utf-8"


def _tag(name: str) -> str:
    return "{" + ENVELOPE + "}" + name


def envelope(payload: Any) -> bytes:
    """A SOAP 1.1 envelope whose Body holds ``payload`` (an element)."""
    root = etree.Element(_tag("Envelope"), nsmap={"soap": ENVELOPE})
    etree.SubElement(root, _tag("Body")).append(payload)
    return _xml.to_bytes(root)


def _in_envelope(elem: Any, name: str) -> bool:
    tag = elem.tag
    return (
        isinstance(tag, str)
        and _xml.local(tag) == name
        and tag[1:].partition("}")[0] in ENVELOPES
    )


def _first_element(elem: Any) -> Any:
    return next((child for child in elem if isinstance(child.tag, str)), None)


def body_child(root: Any) -> Any:
    """The one element inside an envelope's Body (a payload or a Fault)."""
    if not _in_envelope(root, "Envelope"):
        raise _xml.WrongRootError(_xml.local(str(root.tag)), "Envelope")
    body = next((child for child in root if _in_envelope(child, "Body")), None)
    if body is None:
        raise ValueError("the SOAP Envelope has no Body")
    child = _first_element(body)
    if child is None:
        raise ValueError("the SOAP Body is empty")
    return child


@dataclass(frozen=True)
class Fault:
    """A SOAP 1.1 Fault as read from the wire."""

    code: str
    text: str
    detail: Any = None
    """The first element inside ``<detail>``, if any."""


def fault_of(elem: Any) -> Fault | None:
    """The Fault ``elem`` is, or ``None`` when it is a payload."""
    if not _in_envelope(elem, "Fault"):
        return None
    parts = {
        _xml.local(child.tag): child for child in elem if isinstance(child.tag, str)
    }

    def text(name: str) -> str:
        found = parts.get(name)
        return (found.text or "").strip() if found is not None else ""

    detail = parts.get("detail")
    return Fault(
        code=text("faultcode"),
        text=text("faultstring"),
        detail=_first_element(detail) if detail is not None else None,
    )


def fault_envelope(code: str, text: str, detail: Any = None) -> bytes:
    """A Fault envelope (what a server sends; the fake server uses it)."""
    root = etree.Element(_tag("Envelope"), nsmap={"soap": ENVELOPE})
    fault = etree.SubElement(etree.SubElement(root, _tag("Body")), _tag("Fault"))
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = text
    if detail is not None:
        etree.SubElement(fault, "detail").append(detail)
    return _xml.to_bytes(root)


@dataclass(frozen=True)
class SoapCall:
    """How one operation travels: its SOAPAction, request element and token location."""

    action: str
    request: Codec[Any]
    """Reads and writes the request element (its root name and namespace)."""
    token_path: tuple[str, ...] = ()
    """Field path of the access token inside the request element (empty: none)."""
    fault_detail: Codec[Any] | None = None
    """Reads the detail element of the service's Faults, when the WSDL declares one."""
    faults: Mapping[str, type[SoapFaultError]] = field(default_factory=dict)
    """The documented fault kinds (``errors.SOAP_FAULTS``), by the text that names them."""

    def encode(self, values: dict[str, Any], token: str | None) -> bytes:
        """The request envelope for the call's arguments (``token`` placed at its path)."""
        document = dict(values)
        if self.token_path:
            nested: Any = token
            for step in reversed(self.token_path[1:]):
                nested = {step: nested}
            document[self.token_path[0]] = nested
        return envelope(self.request.element(self.request.validate(document)))

    def headers(self) -> dict[str, str]:
        """The headers of the request: its media type and SOAPAction."""
        return {"Content-Type": MEDIA_TYPE, "SOAPAction": f'"{self.action}"'}

    def payload(self, root: Any) -> Any:
        """The element inside a reply's envelope: the answer, or a Fault."""
        return body_child(root)

    def fault(self, payload: Any, **context: Any) -> SoapFaultError | None:
        """The typed error of a reply's payload when it is a Fault, else ``None``."""
        fault = fault_of(payload)
        return None if fault is None else self.error(fault, **context)

    def error(self, fault: Fault, **context: Any) -> SoapFaultError:
        """The typed error of a Fault: the documented kind its text names, if any."""
        detail = self._detail(fault)
        words = " ".join([fault.text, *_texts(fault.detail)])
        kind = f"SOAP Fault {fault.code}" if fault.code else "SOAP Fault"
        message = f"{fault.text} ({kind})" if fault.text else kind
        return error_for_fault(words, self.faults)(
            message,
            fault_code=fault.code,
            fault_string=fault.text,
            vendor_message=fault.text,
            vendor_code=fault.code,
            detail=detail,
            **context,
        )

    def _detail(self, fault: Fault) -> Any:
        codec = self.fault_detail
        if (
            codec is None
            or fault.detail is None
            or _xml.local(fault.detail.tag) != codec.root
        ):
            return None
        try:
            return codec.decode_xml(fault.detail)
        except (ValueError, ValidationError):
            return None


def _texts(elem: Any) -> list[str]:
    """Every piece of text inside ``elem`` (none when ``elem`` is ``None``)."""
    if elem is None:
        return []
    return [text.strip() for text in elem.itertext() if text.strip()]


def error_for_fault(
    text: str, faults: Mapping[str, type[SoapFaultError]]
) -> type[SoapFaultError]:
    """The exception class for a fault whose fault string and detail read ``text``."""
    lowered = text.lower()
    for name, cls in faults.items():
        if name in lowered:
            return cls
    return SoapFaultError
