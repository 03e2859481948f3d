"""``lmsgen.runtime._errors`` and the SOAP fault mapping of ``_soap``: what an error
says about itself, and which class an answer gets."""

from __future__ import annotations

from lmsgen.runtime import _errors, _soap, _xml
from lmsgen.runtime._errors import ApiError, SoapFaultError


def test_an_error_names_its_operation_status_attempts_and_excerpt() -> None:
    error = ApiError("HTTP 503", operation="get_user", status=503, attempts=3)
    assert str(error) == "get_user: HTTP 503 (HTTP 503, attempt 3)"
    error.body_excerpt = "busy"
    assert str(error).endswith("body: 'busy'")
    assert str(ApiError("no answer", operation="x")) == "x: no answer"


def test_statuses_without_a_class_of_their_own() -> None:
    assert _errors.error_for_status(418) is _errors.ClientRequestError
    assert _errors.error_for_status(599) is _errors.ServerError
    assert _errors.error_for_status(429) is _errors.RateLimitedError


class DeniedFault(SoapFaultError):
    pass


FAULTS = {"permission denied": DeniedFault}


def test_a_documented_fault_is_found_by_its_text_in_any_case() -> None:
    assert _soap.error_for_fault("Error: Permission Denied.", FAULTS) is DeniedFault
    assert _soap.error_for_fault("something else", FAULTS) is SoapFaultError


def fault(text: str, detail: str = "") -> bytes:
    extra = _xml.parse(f"<why>{detail}</why>".encode()) if detail else None
    return _soap.fault_envelope("soap:Server", text, extra)


def test_a_fault_reply_becomes_its_typed_error_with_the_detail_texts() -> None:
    call = _soap.SoapCall("urn:act", request=None, faults=FAULTS)  # type: ignore[arg-type]
    payload = call.payload(_xml.parse(fault("Refused", "permission denied")))
    error = call.fault(payload, operation="get_user", status=500)
    assert isinstance(error, DeniedFault)
    assert (error.fault_code, error.fault_string) == ("soap:Server", "Refused")
    assert str(error).startswith("get_user: Refused (SOAP Fault soap:Server)")
    assert (error.vendor_message, error.vendor_code) == ("Refused", "soap:Server")
    answer = _xml.parse(_soap.envelope(_xml.parse(b"<ok/>")))
    assert call.fault(call.payload(answer), operation="x") is None
    assert call.headers() == {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": '"urn:act"',
    }
