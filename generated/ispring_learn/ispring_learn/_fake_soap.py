"""SOAP 1.1 in the fake server: dispatch, envelope and payload validation, faults.

A SOAP request is routed by the element inside its Body, and its ``SOAPAction`` header
must name the same operation. The envelope is validated against the SOAP 1.1 envelope
schema, the payload against the WSDL's own schema, both with xmlschema. Problems are
answered as a SOAP server answers them: HTTP 500 with a Client fault.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import _soap, _xml
from ._codecs import Codec
from ._config import Endpoint, WireFormat
from ._fake import SPEC, Answer, BaseFakeServer, Fault, Recorded, Rejected

HTTPS_ENVELOPE = "https://schemas.xmlsoap.org/soap/envelope/"


@cache
def _envelope_schema() -> Any:
    import xmlschema

    folder = Path(xmlschema.__file__).parent / "schemas" / "WSDL"
    return xmlschema.XMLSchema(str(folder / "soap-envelope.xsd"))


@cache
def _wsdl_elements(name: str) -> Any:
    """The global elements of a WSDL's schema, by Clark name."""
    from xmlschema.extras.wsdl import Wsdl11Document

    read: Callable[[str], Any] = Wsdl11Document  # untyped in xmlschema
    return read(str(SPEC / name)).schema.maps.elements


def _field_at(model: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        model = getattr(model, step, None)
    return model


class SoapFakeServer(BaseFakeServer):
    """A fake server that also answers SOAP 1.1 requests at ``soap_path``."""

    soap_path = "/soap"
    wsdl = ""
    """The WSDL (a file of ``_spec``) whose schema validates the payloads."""

    def __init__(self, endpoints: list[Endpoint[Any]], host: str, port: int) -> None:
        super().__init__([item for item in endpoints if item.soap is None], host, port)
        self.soap_endpoints = {
            item.soap.request.root: item for item in endpoints if item.soap is not None
        }
        # Loaded now rather than on the first SOAP request, which they would slow down
        # past the short timeouts that tests give their calls (once per process).
        _envelope_schema()
        _wsdl_elements(self.wsdl)

    @property
    def soap_url(self) -> str:
        """Where the SOAP operations are served (give it to the client as ``soap_url``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.soap_path}"

    def soap_fault(
        self,
        text: str,
        *,
        code: str = "soap:Client",
        operation: str = "",
        count: int = 1,
    ) -> Fault:
        """A Fault answer to ``inject``: HTTP 500 with a SOAP Fault saying ``text``."""
        answer = self._fault_answer(500, code, text)
        return Fault(
            status=answer.status,
            body=answer.body,
            content_type=answer.content_type,
            operation=operation,
            count=count,
        )

    def client_options(self, **options: Any) -> dict[str, Any]:
        return super().client_options(**{"soap_url": self.soap_url, **options})

    def operation_of(self, request: Recorded) -> str:
        if request.path != self.soap_path:
            return super().operation_of(request)
        try:
            return self._endpoint_for(
                _soap.body_child(_xml.parse(request.body))
            ).operation
        except (ValueError, Rejected):
            return ""

    def handle(self, request: Recorded) -> Answer:
        if request.path != self.soap_path:
            return super().handle(request)
        try:
            endpoint, payload = self.soap_request(request)
            assert endpoint.soap is not None
            model = endpoint.soap.request.decode_xml(payload)
            token_path = endpoint.soap.token_path
            if token_path and not self.accepts_token(_field_at(model, token_path)):
                return self._fault_answer(
                    401, "soap:Client", "Unauthorized: wrong or expired token"
                )
            args = endpoint.args.model_validate(
                {param.arg: getattr(model, param.arg) for param in endpoint.params}
            )
            return self.answer(endpoint, args, "xml")
        except Rejected as exc:
            return self._fault_answer(500, "soap:Client", str(exc))
        except (ValueError, ValidationError) as exc:
            reason = " ".join(str(exc).split())
            return self._fault_answer(500, "soap:Client", f"Wrong parameters: {reason}")

    def model_answer(
        self,
        endpoint: Endpoint[Any],
        codec: Codec[Any],
        args: BaseModel,
        wire: WireFormat,
        status: int,
    ) -> Answer:
        if endpoint.soap is None:
            return super().model_answer(endpoint, codec, args, wire, status)
        raw = self.sample(endpoint.operation, wire)
        if raw is not None:  # the vendor's payload, in a standard envelope
            body = _soap.envelope(_soap.body_child(_xml.parse(raw)))
        else:
            body = _soap.envelope(codec.element(self.data(endpoint.operation, args)))
        return Answer(status, body, _soap.MEDIA_TYPE)

    def soap_request(self, request: Recorded) -> tuple[Endpoint[Any], Any]:
        """The operation a SOAP request calls and its payload element, both checked."""
        # Every problem is a Client fault (HTTP 500, as SOAP 1.1 wants), whatever its kind.
        if request.method != "POST":
            raise Rejected(
                400, f"SOAP requests are POSTed, not sent with {request.method}"
            )
        media = request.headers.get("content-type", "").split(";")[0].strip()
        if media != "text/xml":
            raise Rejected(400, f"SOAP 1.1 requests are text/xml, not {media!r}")
        try:
            root = _xml.parse(request.body)
            self.check_envelope(root)
            payload = _soap.body_child(root)
        except ValueError as exc:
            raise Rejected(400, f"not a SOAP 1.1 envelope: {exc}") from None
        endpoint = self._endpoint_for(payload)
        assert endpoint.soap is not None
        action = request.headers.get("soapaction", "").strip().strip('"')
        if action != endpoint.soap.action:
            raise Rejected(
                400,
                f"SOAPAction {action!r} does not match <{_xml.local(payload.tag)}> "
                f"(expected {endpoint.soap.action!r})",
            )
        self.check_payload(payload)
        return endpoint, payload

    def check_envelope(self, root: Any) -> None:
        """Validate the envelope against the SOAP 1.1 schema.

        The ``https://`` envelope namespace the vendor's documentation prints is read as
        the standard one, so the vendor's own samples pass.
        """
        document = copy.deepcopy(root)
        for elem in document.iter():
            if isinstance(elem.tag, str) and elem.tag.startswith(
                "{" + HTTPS_ENVELOPE + "}"
            ):
                elem.tag = "{" + _soap.ENVELOPE + "}" + _xml.local(elem.tag)
        error = next(iter(_envelope_schema().iter_errors(document)), None)
        if error is not None:
            raise ValueError(error.reason)

    def check_payload(self, payload: Any) -> None:
        """Validate the Body's element against its declaration in the WSDL's schema."""
        element = _wsdl_elements(self.wsdl).get(payload.tag)
        if element is None:
            raise Rejected(400, f"the WSDL declares no element {payload.tag}")
        error = next(iter(element.iter_errors(payload)), None)
        if error is not None:
            raise Rejected(400, f"Wrong parameters: {error.reason}")

    def _endpoint_for(self, payload: Any) -> Endpoint[Any]:
        endpoint = self.soap_endpoints.get(_xml.local(payload.tag))
        if endpoint is None:
            raise Rejected(400, f"no SOAP operation takes <{_xml.local(payload.tag)}>")
        return endpoint

    def _fault_answer(self, status: int, code: str, text: str) -> Answer:
        detail = None
        codec = next(
            (
                item.soap.fault_detail
                for item in self.soap_endpoints.values()
                if item.soap is not None and item.soap.fault_detail is not None
            ),
            None,
        )
        if codec is not None:
            detail = codec.element(
                codec.validate({"code": str(status), "message": text})
            )
        return Answer(
            status, _soap.fault_envelope(code, text, detail), _soap.MEDIA_TYPE
        )
