"""What ``tests/test_contract.py`` prints: its imports and its tables of test cases
(every operation's call with valid arguments, representations, auth schemes…)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..pytypes import payload_type
from .examples import EnumValues, aware, example
from .imports import isort_names

CHECKS = {
    "json": "dict",
    "xml": "XmlElement",
    "feed": "Feed",
    "entry": "Entry",
    "binary": "bytes",
    "csv-report": "CsvReport",
}
"""The run-time class of each kind of result, for ``isinstance``."""
SOURCE = "SOURCE"
"""The constant (``"contract-tests"``) the tests give every required client default."""


@dataclass(frozen=True)
class Call:
    """An operation's entry in a table of calls: ``expression`` calls it on ``client``."""

    name: str
    constant: str
    variant: str
    """The literal of the representation a call defaults to (XML's, or the first)."""
    expression: str


@dataclass(frozen=True)
class Download:
    name: str
    download: str
    iterate: str


@dataclass(frozen=True)
class Overload:
    """A call with one response-format value, the type its overload returns and the
    class that type is at run time."""

    call: str
    returns: str
    check: str


@dataclass(frozen=True)
class Paged:
    name: str
    walk: str
    """The ``iter_…`` call, with ``size`` records a page where the spec allows."""
    items_field: str
    next_field: str
    example: str


@dataclass(frozen=True)
class CsvRow:
    """A builder of valid CSV rows (``fields``: name and value expression of ``n``)."""

    model: str
    function: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ContractView:
    imports: list[list[str]]
    csv_rows: tuple[CsvRow, ...]
    calls: tuple[Call, ...]
    streams: tuple[Call, ...]
    cases: list[tuple[str, str]]
    """Every operation with each of its representations (the tables print as literals)."""
    schemes: list[tuple[str, str]]
    auth_modes: dict[str, str]
    client_with: tuple[tuple[str, tuple[str, ...]], ...]
    """Per auth scheme, the arguments of a client holding only its credentials."""
    client: tuple[str, ...]
    """The arguments of a client of the fake server with every credential."""
    wrong_client: tuple[str, ...]
    bare_client: tuple[str, ...]
    """Without credentials."""
    required_credentials: tuple[str, ...]
    """The positional credentials of a client whose one scheme every call needs."""
    required_defaults: tuple[ir.Parameter, ...]
    token: str
    """The fake server's access token constant (``None`` without a token scheme)."""
    downloads: tuple[Download, ...]
    overloads: tuple[Overload, ...]
    paged: tuple[Paged, ...]
    soap_operations: list[str]


def view(provider: ir.Provider, enums: EnumValues) -> ContractView:
    """Everything ``test_contract.py.j2`` prints for ``provider``."""
    every = {name: name.upper() for name in credentials(provider)}
    operations = provider.operations
    rest = [operation for operation in operations if not operation.soap]
    return ContractView(
        imports=imports(provider),
        csv_rows=tuple(
            _csv_row(model, enums) for model in provider.models if model.csv
        ),
        calls=tuple(
            Call(
                op.name,
                op.constant,
                repr(_first_variant(op)),
                call(provider, op, enums),
            )
            for op in operations
        ),
        streams=tuple(
            Call(
                op.name,
                op.constant,
                "",
                call(provider, op, enums, op.stream_name, extra="", literal=""),
            )
            for op in operations
            if op.streamable
        ),
        cases=[(op.name, variant) for op in operations for variant in _variants(op)],
        schemes=[(op.name, scheme) for op in rest for scheme in op.auth],
        auth_modes={op.name: _auth_mode(op) for op in rest},
        client_with=tuple(
            (scheme.name, client_args(provider, {n: n.upper() for n in given(scheme)}))
            for scheme in provider.auth
        ),
        client=client_args(provider, every),
        wrong_client=client_args(provider, {name: f'"wrong-{name}"' for name in every}),
        bare_client=client_args(provider, {}),
        required_credentials=tuple(every.values()) if provider.auth_required else (),
        required_defaults=tuple(p for p in provider.client_defaults if p.required),
        token=(
            provider.token_scheme.params[0].upper() if provider.token_scheme else "None"
        ),
        downloads=tuple(
            Download(
                op.name,
                call(provider, op, enums, op.download_name),
                call(provider, op, enums, op.iter_name),
            )
            for op in operations
            if op.result and op.result.stream
        ),
        overloads=tuple(_overloads(provider, enums)),
        paged=tuple(_paged(op, enums) for op in provider.paginated),
        soap_operations=[op.name for op in operations if op.soap],
    )


def given(scheme: ir.AuthScheme) -> tuple[str, ...]:
    """The credentials a test client gives for ``scheme``: a ready token rather than
    the client id and secret that would fetch one."""
    return scheme.params[:1] if scheme.token_url else scheme.params


def credentials(provider: ir.Provider) -> list[str]:
    """Every credential argument a test client gives (the fake server's constants)."""
    return [name for scheme in provider.auth for name in given(scheme)]


def client_args(provider: ir.Provider, values: dict[str, str]) -> tuple[str, ...]:
    """The arguments of a test client of the fake server holding ``values`` (credential
    expressions by argument)."""
    args = []
    for name in credentials(provider):
        if provider.auth_required:
            args.append(values.get(name, name.upper()))
        elif name in values:
            args.append(f"{name}={values[name]}")
    args += [
        f"{parameter.name}={SOURCE}"
        for parameter in provider.client_defaults
        if parameter.required
    ]
    args.append("base_url=server.base_url")
    if provider.has_soap:
        args.append("soap_url=server.soap_url")
    args.append("retry=RetryPolicy(max_attempts=1)")
    return tuple(args)


def call(
    provider: ir.Provider,
    operation: ir.Operation,
    enums: EnumValues,
    method: str = "",
    extra: str = "**extra",
    literal: str | None = None,
) -> str:
    """``client.<method>(…)`` with valid arguments: required ones, the response format
    (``variant``, or ``literal`` when given: empty for its default) and ``extra``."""
    args = [
        f'"{param.name}-1"'
        for param in operation.parameters
        if param.location == "path"
    ]
    if operation.body:
        args.append(_body(operation, enums))
    token = provider.token_scheme
    # The token operation takes the client id and secret the fake server knows.
    known = token.params if token and operation.name == token.token_operation else ()
    for param in operation.parameters:
        if param.location == "path":
            continue
        if param.response_format:
            if literal is None:
                args.append(f"{param.name}=cast(Any, variant)")
            elif literal:
                args.append(f'{param.name}="{literal}"')
        elif param.required and not param.client_default and param.call_default is None:
            if param.name in known:
                value = f"fake.{param.name.upper()}"
            else:
                value = aware(
                    example(
                        param.type,
                        param.wire_name,
                        "1",
                        param.constraints.max_length,
                        enums,
                        "fake.",
                    ),
                    param.type,
                )
            args.append(f"{param.name}={value}")
    return (
        f"client.{method or operation.name}("
        + "".join(a + ", " for a in args)
        + extra
        + ")"
    )


def _body(operation: ir.Operation, enums: EnumValues) -> str:
    body = operation.body
    assert body is not None
    if body.kind == "xml":
        return f'b"<{operation.body_arg}><item>1</item></{operation.body_arg}>"'
    if body.kind == "csv":
        assert body.type.item is not None
        row = f"example_{body.type.item.name.lower()}"
        return f"[{row}(1), {row}(2)]"
    return example(body.type, "", "1", body.constraints.max_length, enums, "fake.")


def _first_variant(operation: ir.Operation) -> str:
    values = [
        value for payload in operation.variants for value in payload.format_values
    ]
    if not values:
        return ""
    return "xml" if "xml" in values else values[0]


def _variants(operation: ir.Operation) -> list[str]:
    """Every representation of ``operation``: a response-format value or a wire format."""
    if operation.variants:
        return [
            value for payload in operation.variants for value in payload.format_values
        ]
    wires = (operation.result.formats if operation.result else ()) + (
        operation.body.formats if operation.body else ()
    )
    return list(dict.fromkeys(wires)) or ["xml"]


def _auth_mode(operation: ir.Operation) -> str:
    if not operation.auth:
        return "none"
    return "optional" if operation.auth_optional else "required"


def _overloads(provider: ir.Provider, enums: EnumValues) -> list[Overload]:
    found = []
    for operation in provider.operations:
        groups = operation.result_groups
        if len(groups) < 2:
            continue
        assert operation.format_param is not None
        for values, payload in groups:
            literals = [""] if operation.format_param.call_default in values else []
            found += [
                Overload(
                    call(provider, operation, enums, extra="", literal=value),
                    payload_type(payload),
                    CHECKS[payload.kind],
                )
                for value in literals + list(values)
            ]
    return found


def _paged(operation: ir.Operation, enums: EnumValues) -> Paged:
    pages = operation.pages
    assert pages is not None and operation.result is not None
    size = f"{pages.size_arg}=size" if pages.size_arg else ""
    return Paged(
        operation.name,
        f"client.{operation.stream_name}({size})",
        pages.items_field,
        pages.next_field,
        "fake." + example(operation.result.type, "", "1", None, enums),
    )


def _csv_row(model: ir.Model, enums: EnumValues) -> CsvRow:
    fields = []
    for field in model.fields:
        if field.constraints.pattern:
            continue
        limit = field.constraints.max_length
        if field.type.kind == "str":
            cut = f"[:{limit}]" if limit else ""
            value = f"f'{field.json_name}, \"{{n}}\"'{cut}"
        else:
            value = example(field.type, field.json_name, "n", limit, enums)
        fields.append((field.name, value))
    return CsvRow(model.name, f"example_{model.name.lower()}", tuple(fields))


def _argument_kinds(provider: ir.Provider) -> set[str]:
    """The kinds of the values the tests write: required arguments and CSV cells."""
    kinds = {
        param.type.kind
        for operation in provider.operations
        for param in operation.parameters
        if param.required and not param.client_default and param.call_default is None
    }
    kinds |= {
        field.type.kind
        for model in provider.models
        if model.csv
        for field in model.fields
    }
    return kinds


def imports(provider: ir.Provider) -> list[list[str]]:
    """The import lines of ``test_contract.py``, in isort's sections and order."""
    package = provider.package
    kinds = _argument_kinds(provider)
    overloaded = [op for op in provider.operations if len(op.result_groups) > 1]
    results = {payload.kind for op in overloaded for _, payload in op.result_groups}
    typing = {"Any"} | ({"assert_type"} if overloaded else set())
    if any(op.variants for op in provider.operations):
        typing.add("cast")
    dates = [
        name
        for name, kind in (
            ("UTC", "datetime"),
            ("date", "date"),
            ("datetime", "datetime"),
        )
        if kind in kinds
    ]
    stdlib = [
        "import asyncio",
        *(["import io"] if provider.streams else []),
        "import json",
        "import re",
        "from collections.abc import AsyncIterator, Awaitable, Callable, Iterator",
        *([f"from datetime import {', '.join(dates)}"] if dates else []),
        *(["from decimal import Decimal"] if "decimal" in kinds else []),
        f"from typing import {', '.join(sorted(typing, key=str.lower))}",
        *(["from urllib.parse import parse_qsl"] if provider.multipart else []),
    ]
    third = ["import jsonschema", "import pytest", "import xmlschema"]
    if not provider.auth_required or provider.session_cookie or provider.has_soap:
        third.insert(0, "import httpx")
    if provider.has_soap:
        third.append("from lxml import etree")
    if "json" in results:
        third.append("from pydantic import JsonValue")
    top = ["AsyncClient", "Client", "RetryPolicy"] + (
        ["_soap", "_xml"] if provider.has_soap else []
    )
    fake = ["SPEC", *(["Fault"] if provider.paginated else []), "Recorded"]
    if provider.multipart:
        fake.append("parse_multipart")
    constants = sorted((op.constant for op in provider.operations), key=str.lower)
    first = [
        f"from {package} import {', '.join(top)}",
        f"from {package} import fake_server as fake",
        f"from {package}._codecs import MediaCodec",
        f"from {package}._config import Endpoint",
        f"from {package}._endpoints import ({', '.join(constants)},)",
        f"from {package}._fake import {', '.join(fake)}",
    ]
    feeds = sorted({"Entry", "Feed"} & {CHECKS.get(kind, "") for kind in results})
    if feeds:
        first.append(f"from {package}._feeds import {', '.join(feeds)}")
    if "xml" in results:
        first.append(f"from {package}._xml import XmlElement")
    first.append(
        f"from {package}.errors import {', '.join(sorted(_errors(provider), key=str.lower))}"
    )
    served = isort_names(
        {*(name.upper() for name in credentials(provider)), "JSON_SCHEMAS", "XSDS"}
    )
    first.append(f"from {package}.fake_server import {', '.join(served)}, FakeServer")
    rows = sorted((model.name for model in provider.models if model.csv), key=str.lower)
    if rows:
        first.append(f"from {package}.models import {', '.join(rows)}")
    return [stdlib, third, first]


def _errors(provider: ir.Provider) -> set[str]:
    """The error classes the tests expect."""
    errors = {"AuthenticationError", "ServerError"}
    if provider.credential_pairs or provider.has_soap or not provider.auth_required:
        errors.add("ConfigurationError")
    if any(parameter.required for parameter in provider.client_defaults):
        errors.add("RequestValidationError")
    if provider.has_soap:
        errors |= {"SoapFaultError", *(fault.name for fault in provider.soap_faults)}
    if provider.paginated:
        errors.add("PaginationError")
    return errors
