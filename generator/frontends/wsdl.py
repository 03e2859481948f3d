"""WSDL 1.1 → IR: the SOAP operations of a provider (document/literal, SOAP 1.1).

xmlschema's WSDL reader (``Wsdl11Document``) resolves messages, port types, bindings and
services; the types in ``wsdl:types`` become models through ``xsd``. What a WSDL
cannot say — how calls authenticate, pagination, inventory rows, the documented fault
kinds, server-side defaults — comes from the SOAP settings block (``extensions.SOAP``)
of the provider's ``openapi.yaml`` (see ``specs/README.md``), handed in here as
``SoapSettings``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from xmlschema import XMLSchemaException
from xmlschema.extras.wsdl import Wsdl11Document
from xmlschema.validators import XsdElement

from .. import ir
from ..errors import SpecError
from ..extensions import DEFAULTS, IDEMPOTENT, INVENTORY, PAGINATE
from ..naming import pascal, snake
from ..yamlsource import pointer
from . import paging
from .xsd import XsdModels, documentation

WSDL_NAMESPACE = "http://schemas.xmlsoap.org/wsdl/"
SOAP11_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP_HTTP = "http://schemas.xmlsoap.org/soap/http"

Fail = Callable[[str, str], SpecError]
"""Builds a spec error at a JSON pointer inside the settings block."""
open_wsdl: Callable[[str], Any] = Wsdl11Document
"""xmlschema's WSDL 1.1 reader (untyped, hence this typed alias)."""


@dataclass(frozen=True)
class SoapSettings:
    """The SOAP settings block (checked with the document), and how to report a problem in it."""

    raw: Mapping[str, Any]
    fail: Fail


@dataclass(frozen=True)
class WsdlResult:
    """What the WSDL frontend contributes to a provider."""

    title: str
    description: str
    file: str
    endpoint: str
    operations: tuple[ir.Operation, ...]
    models: tuple[ir.Model, ...]
    enums: tuple[ir.Enum, ...]
    faults: tuple[ir.SoapFault, ...]
    fault_detail: ir.Payload | None


def read(
    path: Path,
    display: Path,
    settings: SoapSettings,
    known_models: Mapping[str, ir.Model],
    known_enums: Mapping[str, ir.Enum],
) -> WsdlResult:
    """Read one WSDL file into IR operations, models and enums."""
    text = path.read_text(encoding="utf-8")

    def fail_at(component: Any, message: str) -> SpecError:
        return SpecError(
            display, _line(text, getattr(component, "local_name", None)), message
        )

    try:
        document = open_wsdl(str(path))
    except (XMLSchemaException, ParseError, SyntaxError, OSError) as exc:
        message = " ".join(str(exc).split())
        raise SpecError(display, 1, f"invalid WSDL: {message}") from None
    binding, endpoint = _soap_port(document, fail_at)
    xsd = XsdModels(fail_at, known_models, known_enums)
    raw = settings.raw
    blocks = raw.get("operations", {})
    unknown = sorted(set(blocks) - {key[0] for key in binding.operations})
    if unknown:
        raise settings.fail(
            pointer("operations", unknown[0]),
            f"the WSDL has no operation {unknown[0]!r}",
        )
    reader = _Reader(display, text, binding, xsd, settings, fail_at)
    operations = tuple(
        reader.operation(key, op) for key, op in binding.operations.items()
    )
    detail = reader.fault_detail()
    namespaces = {
        payload.namespace
        for operation in operations
        for payload in (operation.result, detail)
        if payload is not None
    } | {operation.soap.namespace for operation in operations if operation.soap}
    if len(namespaces) > 1:
        raise SpecError(
            display,
            1,
            f"the SOAP payloads use several namespaces: {sorted(namespaces)}",
        )
    return WsdlResult(
        title=str(document.root.get("name", "")),
        description=_doc_of(document.root),
        file=path.name,
        endpoint=endpoint,
        operations=tuple(reader.finish(operation) for operation in operations),
        models=tuple(xsd.models.values()),
        enums=tuple(xsd.enums.values()),
        faults=tuple(
            ir.SoapFault(
                str(text_), pascal(str(text_)) + "Fault", " ".join(str(doc).split())
            )
            for text_, doc in (raw.get("faults", {}) or {}).items()
        ),
        fault_detail=detail,
    )


def _soap_port(
    document: Any, fail_at: Callable[[Any, str], SpecError]
) -> tuple[Any, str]:
    """The one SOAP 1.1 document/literal binding and its address (``""``: unknown)."""
    ports = [
        port
        for service in document.services.values()
        for port in service.ports.values()
        if port.soap_location is not None
    ]
    if len(ports) != 1:
        raise fail_at(
            None, f"expected one SOAP 1.1 port in the WSDL services, found {len(ports)}"
        )
    binding = ports[0].binding
    soap = binding.soap_binding
    if soap is None or soap.tag != f"{{{SOAP11_BINDING}}}binding":
        raise fail_at(binding, "only SOAP 1.1 bindings (soap:binding) are supported")
    if binding.soap_transport != SOAP_HTTP:
        raise fail_at(binding, f"unsupported SOAP transport {binding.soap_transport!r}")
    return binding, str(ports[0].soap_location)


def _doc_of(elem: Any) -> str:
    found = elem.find(f"{{{WSDL_NAMESPACE}}}documentation")
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _line(text: str, name: str | None) -> int:
    """The line that declares ``name`` (for messages), else 1."""
    if not name:
        return 1
    match = re.search(rf'\bname="{re.escape(name)}"', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _summary(text: str) -> str:
    """The first sentence of a documentation text."""
    head, dot, _ = text.partition(". ")
    return head if dot else text.rstrip(".")


class _Reader:
    """Builds the IR operations of one binding."""

    def __init__(
        self,
        display: Path,
        text: str,
        binding: Any,
        xsd: XsdModels,
        settings: SoapSettings,
        fail_at: Callable[[Any, str], SpecError],
    ) -> None:
        self.display = display
        self.text = text
        self.binding = binding
        self.xsd = xsd
        self.settings = settings
        self.fail_at = fail_at
        self.fault_elements: dict[str, Any] = {}

    def _block(self, name: str) -> dict[str, Any]:
        """The settings of one WSDL operation (its entry under ``operations``)."""
        block: dict[str, Any] = self.settings.raw.get("operations", {}).get(name, {})
        return block

    def _element(self, name: str, reference: Any, direction: str) -> Any:
        """The element of a document/literal message (one part, declared by element)."""
        message = getattr(reference, "message", None)
        parts = list(message.parts.values()) if message is not None else []
        body = getattr(reference, "soap_body", None)
        if len(parts) != 1 or not isinstance(parts[0], XsdElement):
            raise self.fail_at(
                reference,
                f"{name}: the {direction} message must have one part declared by element",
            )
        if body is not None and body.use != "literal":
            raise self.fail_at(
                reference, f'{name}: only use="literal" bodies are supported'
            )
        return parts[0]

    def operation(self, key: tuple[str, Any, Any], op: Any) -> ir.Operation:
        name = key[0]
        if op.soap_style not in (None, "document"):
            raise self.fail_at(op, f"{name}: only document-style SOAP is supported")
        block = self._block(name)
        request_element = self._element(name, op.input, "input")
        response_element = self._element(name, op.output, "output")
        for fault in op.faults.values():
            element = self._element(name, fault, "fault")
            self.fault_elements[element.name] = element
        request = self.xsd.payload(request_element)
        if not request.type.is_model:
            raise self.fail_at(
                request_element, f"{name}: the request element must be an object"
            )
        self.xsd.mark_request(request.type)
        result = self.xsd.payload(response_element)
        port_operation = self.binding.port_type.operations.get(key)
        summary_text = (
            _doc_of(port_operation.elem) if port_operation is not None else ""
        )
        security = self.settings.raw.get("security", []) or []
        return ir.Operation(
            operation_id=name,
            name=snake(name),
            method="POST",
            path="",
            summary=_summary(summary_text) or name,
            description=documentation(request_element),
            tags=tuple(block.get("tags", ())),
            parameters=(),
            body=None,
            body_arg="",
            body_description="",
            result=result,
            success=(200,),
            idempotent=IDEMPOTENT.read(block),
            auth=tuple(scheme for requirement in security for scheme in requirement),
            auth_optional=not security
            or any(not requirement for requirement in security),
            inventory=INVENTORY.read(block),
            source=f"{self.display}:{_line(self.text, name)}",
            soap=ir.SoapCall(
                action=str(op.soap_action or ""),
                element=request_element.local_name,
                namespace=request.namespace,
                request=request.type.name,
            ),
        )

    def finish(self, operation: ir.Operation) -> ir.Operation:
        """Parameters, token path and pagination: they need every model to be known."""
        assert operation.soap is not None
        models = self.xsd.every_model()
        request = models[operation.soap.request]
        token_path = self._token_path(operation, request, models)
        block = self._block(operation.operation_id)
        defaults = dict(DEFAULTS.read(block))
        where = pointer("operations", operation.operation_id)
        parameters = []
        for item in request.fields:
            if token_path and item.name == token_path[0]:
                continue
            parameters.append(
                ir.Parameter(
                    name=item.name,
                    wire_name=item.json_name,
                    location="body",
                    type=item.type,
                    required=item.required,
                    description=item.description,
                    default=defaults.pop(item.json_name, None),
                    constraints=item.constraints,
                )
            )
        if defaults:
            raise self.settings.fail(
                where + pointer(DEFAULTS.name),
                f"{operation.operation_id}: no request element {sorted(defaults)[0]!r}",
            )
        pages = paging.pagination(
            PAGINATE.read(block),
            tuple(parameters),
            operation.result,
            models,
            lambda message: self.settings.fail(where + pointer(PAGINATE.name), message),
        )
        return replace(
            operation,
            parameters=tuple(parameters),
            pages=pages,
            soap=replace(operation.soap, token_path=token_path),
        )

    def _token_path(
        self, operation: ir.Operation, request: ir.Model, models: Mapping[str, ir.Model]
    ) -> tuple[str, ...]:
        """Where the access token goes in the request (``token-element``), as field names."""
        wire = str(self.settings.raw.get("token-element", "") or "")
        if not wire or not operation.auth:
            return ()
        path: list[str] = []
        model: ir.Model | None = request
        for step in wire.split("/"):
            found = next(
                (
                    item
                    for item in (model.fields if model else ())
                    if item.xml.name == step
                ),
                None,
            )
            if found is None:
                raise self.settings.fail(
                    "/token-element",
                    f"{operation.operation_id}: the request element has no {wire!r}",
                )
            path.append(found.name)
            model = models.get(found.type.name) if found.type.is_model else None
        return tuple(path)

    def fault_detail(self) -> ir.Payload | None:
        """The one fault detail element every operation declares (if any)."""
        if not self.fault_elements:
            return None
        if len(self.fault_elements) > 1:
            raise self.fail_at(
                None,
                f"operations declare different fault elements: {sorted(self.fault_elements)}",
            )
        return self.xsd.payload(next(iter(self.fault_elements.values())))
