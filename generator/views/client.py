"""What ``client.py`` prints: imports, the constructor, and every method's signature,
docstring and call, for ``Client`` and ``AsyncClient``."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..ir import leaves
from ..pytypes import (
    annotation,
    arg_type,
    body_param_type,
    payload_type,
    record_type,
    result_type,
    typed_records,
)
from .imports import from_import, isort_names, payload_imports
from .prose import entry, indented, lines

ARGS = " " * 12
"""Where an Args entry of a method's docstring starts."""
BODY = " " * 8
"""The indentation of a method's body (and of its docstring's lines)."""

RETURNS = {
    "json": "The reply's JSON value (its shape is not documented).",
    "xml": "The reply's root XML element (its shape is not documented).",
    "feed": "The feed, read into a ``Feed`` whether it came as RSS 2.0 or Atom 1.0.",
    "entry": "The Atom 1.0 entry, read into an ``Entry``.",
    "binary": "The reply's bytes, read whole.",
    "csv-report": "The handler's report: a result per row (errors, warnings) and ``success``.",
    "model": "The decoded response.",
}
"""The Returns section of a call, by the kind of its result."""

AUTH_CLASSES = {"apikey": "ApiKeyHeader", "basic": "BasicAuth", "bearer": "BearerToken"}


@dataclass(frozen=True)
class Scheme:
    """One auth scheme as ``_config`` checks its arguments: ``key`` is the API key or
    ready token; ``user`` and ``secret`` the pair (user and password, or client id and
    secret) that only work together."""

    name: str
    kind: str
    header: str
    key: str
    user: str
    secret: str
    token_url: str
    token_constant: str
    pair: str
    needs: str
    """What the error for a call without these credentials asks for."""


@dataclass(frozen=True)
class Method:
    """One client method: ``transport`` is the transport method it returns through, with
    ``trailing`` arguments after the endpoint and its arguments; a paged walk has
    ``iterate`` (``iterate``/``aiterate``) instead."""

    define: str
    name: str
    params: tuple[str, ...]
    returns: str
    docstring: str
    constant: str
    arguments: str
    transport: str = ""
    awaiting: str = ""
    trailing: tuple[str, ...] = ()
    overloads: tuple[tuple[tuple[str, ...], str], ...] = ()
    iterate: str = ""
    operation: str = ""


@dataclass(frozen=True)
class Flavour:
    """``Client`` or ``AsyncClient``."""

    name: str
    is_async: bool
    transport: str
    http: str
    methods: tuple[Method, ...]


@dataclass(frozen=True)
class ClientView:
    imports: list[list[str]]
    """The imports needed at run time, in isort's sections."""
    typing_imports: list[list[str]]
    """The imports only annotations use (under ``TYPE_CHECKING``), in isort's sections."""
    regions: tuple[tuple[str, str], ...]
    """Each region's name and base URL."""
    region_names: str
    constructor: tuple[str, ...]
    """The constructor's parameters (``*`` included), as written in its signature."""
    constructor_args: tuple[str, ...]
    constructor_doc: tuple[str, ...]
    """The Args lines of the constructor's docstring (continuations indented by four)."""
    root: str
    """The expression of the base URL in ``_config``."""
    wire_format: str
    """What ``_config`` sets as the wire format; ``wire_format`` in the methods' calls."""
    wire_rules: tuple[str, ...]
    schemes: tuple[Scheme, ...]
    flavours: tuple[Flavour, ...]


def view(provider: ir.Provider, scalars: list[str]) -> ClientView:
    """Everything ``client.py.j2`` prints for ``provider`` (``scalars``: the kinds used)."""
    imports = client_imports(provider, scalars)
    wire = "wire_format" if provider.wire_choice else "None"
    return ClientView(
        imports=imports["runtime"],
        typing_imports=imports["typing"],
        regions=tuple((server.region, server.url) for server in provider.regions),
        region_names=", ".join(f'"{server.region}"' for server in provider.regions),
        constructor=constructor(provider),
        constructor_args=tuple(
            line.partition(":")[0] for line in constructor(provider) if line != "*"
        ),
        constructor_doc=tuple(constructor_doc(provider)),
        root=_root(provider),
        wire_format=wire if provider.wire_choice else repr(provider.default_format),
        wire_rules=tuple(
            f'"{wire}": WireRule(query={_pairs(rule.query)}, headers={_pairs(rule.headers)})'
            for wire, rule in provider.wire_rules
        ),
        schemes=tuple(_scheme(scheme) for scheme in provider.auth),
        flavours=tuple(
            Flavour(
                name="AsyncClient" if is_async else "Client",
                is_async=is_async,
                transport="AsyncTransport" if is_async else "SyncTransport",
                http="httpx.AsyncClient" if is_async else "httpx.Client",
                methods=tuple(
                    method
                    for operation in provider.operations
                    for method in methods(provider, operation, is_async)
                ),
            )
            for is_async in (False, True)
        ),
    )


def _pairs(pairs: tuple[tuple[str, str], ...]) -> str:
    inner = ", ".join(repr(pair) for pair in pairs)
    return f"({inner},)" if len(pairs) == 1 else f"({inner})"


def _root(provider: ir.Provider) -> str:
    if provider.regions:
        return "base_url or REGIONS[region]"
    if provider.default_base_url is None:
        return "base_url"
    return f'base_url or "{provider.default_base_url}"'


def _scheme(scheme: ir.AuthScheme) -> Scheme:
    names = scheme.params
    user, secret = scheme.pair or ("", "")
    return Scheme(
        name=scheme.name,
        kind=scheme.kind,
        header=scheme.header,
        key=names[0],
        user=user,
        secret=secret,
        token_url=scheme.token_url,
        token_constant=scheme.token_operation.upper(),
        pair=", ".join(f'"{name}"' for name in scheme.pair),
        needs=(
            f"{names[0]}, or {' and '.join(names[1:])}"
            if scheme.token_url
            else " and ".join(names)
        ),
    )


def secrets(scheme: ir.AuthScheme) -> set[str]:
    """The arguments of ``scheme`` that are secrets (never logged or shown)."""
    return (
        {scheme.params[0], scheme.params[-1]}
        if scheme.token_url
        else {scheme.params[-1]}
    )


def constructor(provider: ir.Provider) -> tuple[str, ...]:
    """The parameters of ``Client(...)`` (and of ``_config``), in order."""
    credentials = [name for scheme in provider.auth for name in scheme.params]
    given = [f"{name}: str" for name in credentials] if provider.auth_required else []
    params = [*given, "*"]
    if not provider.auth_required:
        params += [f"{name}: str | None = None" for name in credentials]
    params += [
        f"{parameter.name}: {annotation(parameter.type, True, True)} = None"
        for parameter in provider.client_defaults
    ]
    if provider.regions:
        params.append(f'region: Region = "{provider.regions[0].region}"')
    if provider.default_base_url is None and not provider.regions:
        params.append("base_url: str")
    else:
        params.append("base_url: str | None = None")
    if provider.has_soap:
        params.append("soap_url: str | None = None")
    if provider.wire_choice:
        params.append(f'wire_format: WireFormat = "{provider.default_format}"')
    params += [
        "timeout: float | httpx.Timeout | None = None",
        "retry: RetryPolicy | None = None",
    ]
    if provider.rate_limit:
        params.append("rate_limit: bool | RateLimiter = True")
    return tuple(params)


def constructor_doc(provider: ir.Provider) -> list[str]:
    """The Args entries of the constructor's docstring, one line each unless wrapped."""
    doc: list[str] = []
    for scheme in provider.auth:
        doc += [f"{name}: {_credential_doc(scheme, name)}" for name in scheme.params]
    for parameter in provider.client_defaults:
        text = (
            f"Default ``{parameter.wire_name}`` of every call: {parameter.description}"
        )
        first, *rest = lines(f"{parameter.name}: {text}", 76)
        doc += [first, *indented(rest, "    ")]
    if provider.regions:
        regions = ", ".join(
            f'``"{server.region}"`` ({server.description})'
            for server in provider.regions
        )
        doc.append(f"region: One of {regions}.")
    if provider.regions:
        root = "overrides ``region``."
    elif provider.default_base_url:
        root = f"defaults to ``{provider.default_base_url}``."
    else:
        root = "required: the vendor publishes no default."
    doc.append(f"base_url: The API root; {root}")
    if provider.has_soap:
        soap = (
            f"defaults to ``{provider.soap_endpoint}``."
            if provider.soap_endpoint
            else "required by the SOAP calls: the vendor does not document it."
        )
        doc.append(f"soap_url: The SOAP endpoint; {soap}")
    if provider.wire_choice:
        doc.append(
            'wire_format: ``"xml"`` or ``"json"``, for calls whose spec offers both.'
        )
    doc += [
        "timeout: Seconds, or an ``httpx.Timeout`` with connect/read/write/pool limits;",
        "    by default, connect within 10 s and wait no longer than 30 s for the rest.",
        "retry: When to retry; by default idempotent calls only (see ``RetryPolicy``).",
    ]
    if provider.rate_limit:
        limit = provider.rate_limit
        doc += [
            f"rate_limit: Pace calls to the documented {limit.requests} requests"
            f" per {int(limit.per_seconds)} s",
            "    (``True``), not at all (``False``), or with a ``RateLimiter`` of your own",
            "    (share one between clients that use the same key).",
        ]
    return doc


def _credential_doc(scheme: ir.AuthScheme, name: str) -> str:
    if scheme.token_url:
        token, client_id, client_secret = scheme.params
        return {
            token: f"A ready access token for the ``{scheme.name}`` scheme; or give"
            f" ``{client_id}`` and ``{client_secret}`` (never logged or shown).",
            client_id: f"The API client id: with ``{client_secret}``, tokens are obtained"
            f" from ``{scheme.token_url}``, reused and renewed before they expire.",
            client_secret: "The API client secret (never logged or shown).",
        }[name]
    about = f": {scheme.description.rstrip('.')}" if scheme.description else ""
    end = " (never logged or shown)." if name in secrets(scheme) else "."
    return f"Credential for the ``{scheme.name}`` scheme{about}{end}"


def signature(
    provider: ir.Provider,
    operation: ir.Operation,
    values: tuple[str, ...] | None = None,
    with_default: bool = True,
    to: bool = False,
    skip: str = "",
    with_format: bool = True,
) -> tuple[str, ...]:
    """A method's parameters after ``self`` (``*`` included).

    ``values``: the response-format values of an overload (``with_default``: its
    parameter keeps its default); ``to``: a download's target; ``skip``: the page-token
    argument a paged walk sets itself; ``with_format``: offer ``wire_format``.
    """
    params = [
        f"{parameter.name}: {annotation(parameter.type, False, True)}"
        for parameter in operation.parameters
        if parameter.location == "path"
    ]
    if operation.body:
        params.append(f"{operation.body_arg}: {body_param_type(operation.body)}")
    params.append("*")
    for parameter in operation.parameters:
        if parameter.location == "path" or parameter.name == skip:
            continue
        text = f"{parameter.name}: {arg_type(parameter, True)}"
        if parameter.response_format and values is not None:
            text = f"{parameter.name}: Literal[{', '.join(map(repr, values))}]"
            default = repr(parameter.call_default) if with_default else ""
        elif parameter.required and not parameter.client_default:
            default = (
                "" if parameter.call_default is None else repr(parameter.call_default)
            )
        else:
            default = "None"
        params.append(f"{text} = {default}" if default else text)
    if to:
        params.append("to: Target")
    if provider.wire_choice and with_format:
        params.append("wire_format: WireFormat | None = None")
    params.append("retry: RetryPolicy | None = None")
    return tuple(params)


def arguments(operation: ir.Operation, skip: str = "") -> str:
    """The dict of a call's arguments, as the transport takes them."""
    names = [param.name for param in operation.parameters if param.name != skip]
    if operation.body:
        names.append(operation.body_arg)
    return "{" + "".join(f'"{name}": {name}, ' for name in names).rstrip(" ") + "}"


def methods(
    provider: ir.Provider, operation: ir.Operation, is_async: bool
) -> list[Method]:
    """The methods of ``operation`` in ``Client`` or ``AsyncClient``: the call, then
    ``download_…``/``iter_…`` for a streamed reply or ``iter_…`` for records or pages.
    """
    define = "async def" if is_async else "def"
    awaiting = "await " if is_async else ""
    iterator = "AsyncIterator" if is_async else "Iterator"
    summary = (operation.summary or operation.name).strip(".")
    wire = "wire_format" if provider.wire_choice else "None"
    args = arguments(operation)
    result = operation.result
    overloads: tuple[tuple[tuple[str, ...], str], ...] = ()
    if len(operation.result_groups) > 1:
        assert operation.format_param is not None
        default = operation.format_param.call_default
        overloads = tuple(
            (
                signature(provider, operation, values, default in values),
                payload_type(payload),
            )
            for values, payload in operation.result_groups
        )
    doc = _docstring(provider, operation)
    if is_async:
        doc = f'"""{summary}: the awaitable form of ``Client.{operation.name}``."""'
    elif result and result.stream:
        doc = _docstring(
            provider,
            operation,
            f"Holds the whole reply in memory: ``{operation.download_name}`` and"
            f" ``{operation.iter_name}`` stream it.",
        )
    found = [
        Method(
            define,
            operation.name,
            signature(provider, operation),
            result_type(operation),
            doc,
            transport="call",
            awaiting=awaiting,
            trailing=(wire, "retry"),
            overloads=overloads,
            constant=operation.constant,
            arguments=args,
        )
    ]
    if result and result.stream:
        found += [
            Method(
                define,
                operation.download_name,
                signature(provider, operation, to=True),
                "int",
                _download_doc(provider, operation, summary, is_async),
                transport="download",
                awaiting=awaiting,
                trailing=("to", "retry"),
                constant=operation.constant,
                arguments=args,
            ),
            Method(
                "def",
                operation.iter_name,
                signature(provider, operation),
                f"{iterator}[{record_type(result)}]",
                _iter_doc(provider, operation, summary, is_async),
                transport="iter_bytes" if result.kind == "binary" else "iter_records",
                trailing=("retry",),
                constant=operation.constant,
                arguments=args,
            ),
        ]
    if operation.streamable:
        assert result is not None and result.type.item is not None
        found.append(
            Method(
                "def",
                operation.stream_name,
                signature(provider, operation, with_format=False),
                f"{iterator}[{annotation(result.type.item)}]",
                _stream_doc(provider, operation, is_async),
                transport="stream",
                trailing=("retry",),
                constant=operation.constant,
                arguments=args,
            )
        )
    if operation.pages:
        token = operation.pages.token_arg
        if is_async:
            pages_doc = (
                f'"""{summary}, every page: see ``Client.{operation.stream_name}``."""'
            )
        else:
            pages_doc = _docstring(provider, operation, skip=token)
        found.append(
            Method(
                "def",
                operation.stream_name,
                signature(provider, operation, skip=token),
                f"{iterator}[{annotation(operation.pages.item)}]",
                pages_doc,
                constant=operation.constant,
                arguments=arguments(operation, token),
                trailing=(wire, "retry"),
                iterate="aiterate" if is_async else "iterate",
                operation=operation.name,
            )
        )
    return found


def _download_doc(
    provider: ir.Provider, operation: ir.Operation, summary: str, is_async: bool
) -> str:
    if is_async:
        return (
            f'"""{summary}, streamed to ``to=``: the awaitable form of'
            f' ``Client.{operation.download_name}``."""'
        )
    return _docstring(
        provider,
        operation,
        "Streams the reply to ``to=`` as it arrives: it is never held whole in memory.",
        "The number of bytes written.",
        to=True,
    )


def _iter_doc(
    provider: ir.Provider, operation: ir.Operation, summary: str, is_async: bool
) -> str:
    result = operation.result
    assert result is not None
    if is_async:
        return f'"""{summary}, piece by piece: see ``Client.{operation.iter_name}``."""'
    if typed_records(result):
        return _docstring(
            provider,
            operation,
            f"Parses the reply as it arrives and hands out each <{result.xml_item}> record"
            f" as a ``{record_type(result)}`` as soon as it is complete, so memory does not"
            " grow with the reply. Elements the XSD does not know are kept as extra fields.",
            "The records, one model at a time.",
        )
    if result.kind != "binary":
        return _docstring(
            provider,
            operation,
            "Parses the reply as it arrives and hands out each child of its root element"
            " as soon as it is complete (detached from the document), so memory does not"
            " grow with the reply. Unknown elements are simply handed out.",
            "The records, one element at a time.",
        )
    return _docstring(
        provider,
        operation,
        "Hands out the reply's bytes in chunks as they arrive: it is never held whole"
        " in memory.",
        "The body, chunk by chunk.",
    )


def _stream_doc(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> str:
    name = operation.name
    if is_async:
        return f'"""``{name}`` record by record: see ``Client.{operation.stream_name}``."""'
    if provider.wire_choice:
        rest = [
            f"errors are as for ``{name}``, but there is no ``wire_format``:",
            "records are always read from XML. A failure after the first record is raised",
            "rather than retried, since a retry would repeat records.",
        ]
    else:
        rest = [
            f"errors are as for ``{name}``; a failure after the first record is",
            "raised rather than retried, since a retry would repeat records.",
        ]
    body = [
        "",
        "The response is parsed incrementally and each record is released once yielded,",
        "so memory stays flat however many records come back. Arguments, retries and",
        *rest,
        "",
    ]
    return (
        "\n".join(
            [
                f'"""``{name}``, record by record as the XML arrives.',
                *indented(body, BODY),
            ]
        )
        + '"""'
    )


def _docstring(
    provider: ir.Provider,
    operation: ir.Operation,
    extra: str = "",
    returns: str = "",
    to: bool = False,
    skip: str = "",
) -> str:
    """A method's docstring: summary, the spec's description, Args, Returns (or Yields
    for a paged walk, whose ``skip`` is the token argument it sets) and Raises."""
    summary = (operation.summary or operation.name).strip(".")
    doc = [f'"""{summary}{", every page" if skip else ""}.']
    for paragraph in (operation.description, extra):
        if paragraph:
            doc += ["", *indented(lines(paragraph, 80), BODY)]
    args: list[str] = []
    for parameter in operation.parameters:
        if parameter.name == skip:
            continue
        args += entry(
            parameter.name,
            parameter.description or f"Sent as ``{parameter.wire_name}``.",
        )
        if parameter.client_default:
            args.append(f"    Defaults to the client's ``{parameter.name}``.")
        if parameter.is_upload:
            args.append(
                "    A path (streamed from disk), an open binary file or bytes."
            )
    if operation.body:
        args += entry(
            operation.body_arg, operation.body_description or "The request body."
        )
    if to:
        args += [
            "to: A path (written through ``<path>.part``, renamed when complete) or a",
            "    binary file object.",
        ]
    if provider.wire_choice:
        args.append('wire_format: ``"xml"`` or ``"json"``; defaults to the client\'s.')
    args.append("retry: Overrides the client's retry policy for this call.")
    doc += ["", BODY + "Args:", *indented(args, ARGS), ""]
    doc += _yields(operation) if skip else _returns(operation, returns)
    return "\n".join(doc) + "\n" + BODY + '"""'


def _yields(operation: ir.Operation) -> list[str]:
    assert operation.pages is not None
    text = [
        "Yields:",
        f"    Every ``{annotation(operation.pages.item)}`` of every page. A page is fetched"
        " when the",
        "    previous one is used up; the walk ends on an empty or absent",
        f"    ``{operation.pages.next_field}``.",
        "",
        "Raises:",
        "    RequestValidationError: An argument breaks the spec (nothing was sent).",
        "    PaginationError: The server sent a page token again (it would loop).",
        "    ApiError: A subclass for the HTTP status, transport or parse failure.",
    ]
    return indented(text, BODY)


def _returns(operation: ir.Operation, returns: str) -> list[str]:
    text = ["Returns:"]
    groups = operation.result_groups
    if returns:
        text.append(f"    {returns}")
    elif len(groups) > 1:
        assert operation.format_param is not None
        name = operation.format_param.name
        for index, (values, payload) in enumerate(groups):
            end = "." if index == len(groups) - 1 else ";"
            choice = " or ".join(map(repr, values))
            text.append(f"    {payload_type(payload)} when ``{name}`` is {choice}{end}")
    elif operation.result:
        text.append(f"    {RETURNS[operation.result.kind]}")
    else:
        text.append("    Nothing: the call succeeded.")
    text += [
        "",
        "Raises:",
        "    RequestValidationError: An argument breaks the spec (nothing was sent).",
    ]
    if operation.soap:
        text += [
            "    ConfigurationError: The client has no SOAP endpoint or credentials.",
            "    SoapFaultError: The service answered with a Fault (a subclass for the",
            "        documented kinds).",
        ]
    text.append(
        "    ApiError: A subclass for the HTTP status, transport or parse failure."
    )
    return indented(text, BODY)


def _type_names(kind: ir.TypeRef | None, into: set[str]) -> None:
    into.update(leaf.name for leaf in leaves(kind) if leaf.kind in ("model", "enum"))


def client_imports(
    provider: ir.Provider, scalars: list[str]
) -> dict[str, list[list[str]]]:
    """The import lines of ``client.py``, in isort's sections and order.

    ``runtime`` ones, and ``typing`` ones that only annotations use: those go under
    ``TYPE_CHECKING``, so that importing the client loads neither httpx nor pydantic nor
    the models (the first client and the first call do).
    """
    names: set[str] = set()
    for operation in provider.operations:
        for payload in (operation.body, operation.result, *operation.variants):
            if payload is not None:
                _type_names(payload.type, names)
        for parameter in operation.parameters:
            _type_names(parameter.type, names)
        if operation.pages:
            names.add(operation.pages.item.name)
    used = _used_types(provider)
    overloads = any(
        len(operation.result_groups) > 1 for operation in provider.operations
    )
    typing = {"TYPE_CHECKING"} | (
        {"Literal"} if provider.regions or overloads else set()
    )
    if overloads:
        typing.add("overload")
    stdlib = []
    iterators = any(operation.streamable for operation in provider.operations)
    if provider.streams or iterators or provider.paginated:
        stdlib.append("from collections.abc import AsyncIterator, Iterator")
    dates = [kind for kind in ("date", "datetime") if kind in scalars]
    if dates:
        stdlib.append(f"from datetime import {', '.join(dates)}")
    if "decimal" in scalars:
        stdlib.append("from decimal import Decimal")
    stdlib.append("from types import TracebackType")
    third = ["import httpx"]
    if "JsonValue" in used:
        third.append("from pydantic import JsonValue")
    config = {"Auth", "Config", "RetryPolicy", "Secret", "LazyModule", "timeouts"}
    config |= {AUTH_CLASSES[scheme.kind] for scheme in provider.auth}
    if provider.token_scheme:
        config.add("ClientCredentials")
    if provider.rate_limit:
        config.add("RateLimiter")
    if provider.wire_choice:
        config.add("WireFormat")
    if provider.wire_rules:
        config.add("WireRule")
    runtime = [from_import("._config", config)]
    if provider.paginated:
        runtime.append("from ._paging import aiterate, iterate")
    found = dict(value_types(provider, used))
    if names:
        found[".models"] = isort_names(names)
    first = ["from . import _endpoints"] + [
        f"from {module} import {', '.join(items)}"
        for module, items in sorted(found.items())
    ]
    return {
        "runtime": [[from_import("typing", typing)], runtime],
        "typing": [stdlib, third, first],
    }


def _used_types(provider: ir.Provider) -> set[str]:
    """The type names the client's results and bodies are written with."""
    return {
        name
        for operation in provider.operations
        for text in (
            result_type(operation),
            *((body_param_type(operation.body),) if operation.body else ()),
        )
        for name in text.split(" | ")
    }


def value_types(
    provider: ir.Provider, used: set[str] | None = None
) -> dict[str, list[str]]:
    """The types of the client's signatures that live in private modules (``Feed``,
    ``Upload``…), by module: the package re-exports them for callers' annotations."""
    found: dict[str, set[str]] = {}
    used = _used_types(provider) if used is None else used
    payload_imports(provider, used, found, upload="Upload")
    if provider.streams:
        found["._stream"] = {"Target"}
    return {module: isort_names(names) for module, names in sorted(found.items())}
