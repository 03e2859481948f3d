"""What ``client.py`` prints: imports, the constructor, and every method's signature,
docstring and call, for ``Client`` and ``AsyncClient``."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..pytypes import (
    annotation,
    arg_type,
    body_param_type,
    payload_type,
    record_type,
    result_type,
)
from . import docstrings
from .imports import client_imports


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
    return ClientView(
        imports=imports["runtime"],
        typing_imports=imports["typing"],
        regions=tuple((server.region, server.url) for server in provider.regions),
        region_names=", ".join(f'"{server.region}"' for server in provider.regions),
        constructor=constructor(provider),
        constructor_args=tuple(
            line.partition(":")[0] for line in constructor(provider) if line != "*"
        ),
        constructor_doc=tuple(docstrings.constructor_doc(provider)),
        root=_root(provider),
        wire_format=(
            "wire_format" if provider.wire_choice else repr(provider.default_format)
        ),
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
    found = [_call(provider, operation, is_async)]
    result = operation.result
    iterator = "AsyncIterator" if is_async else "Iterator"
    if result and result.stream:
        found += _reply_streams(provider, operation, is_async)
    if operation.streamable:
        assert result is not None and result.type.item is not None
        found.append(
            Method(
                "def",
                operation.stream_name,
                signature(provider, operation, with_format=False),
                f"{iterator}[{annotation(result.type.item)}]",
                docstrings.stream(provider, operation, is_async),
                operation.constant,
                arguments(operation),
                transport="stream",
                trailing=("retry",),
            )
        )
    if operation.pages:
        token = operation.pages.token_arg
        found.append(
            Method(
                "def",
                operation.stream_name,
                signature(provider, operation, skip=token),
                f"{iterator}[{annotation(operation.pages.item)}]",
                docstrings.walk(provider, operation, is_async),
                operation.constant,
                arguments(operation, token),
                trailing=(_wire_format(provider), "retry"),
                iterate="aiterate" if is_async else "iterate",
                operation=operation.name,
            )
        )
    return found


def _wire_format(provider: ir.Provider) -> str:
    """What a method passes the transport as the wire format."""
    return "wire_format" if provider.wire_choice else "None"


def _call(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> Method:
    """The method named for the operation, with an overload per return type."""
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
    return Method(
        "async def" if is_async else "def",
        operation.name,
        signature(provider, operation),
        result_type(operation),
        docstrings.call(provider, operation, is_async),
        operation.constant,
        arguments(operation),
        transport="call",
        awaiting="await " if is_async else "",
        trailing=(_wire_format(provider), "retry"),
        overloads=overloads,
    )


def _reply_streams(
    provider: ir.Provider, operation: ir.Operation, is_async: bool
) -> list[Method]:
    """``download_…`` and ``iter_…`` of a large reply."""
    result = operation.result
    assert result is not None
    iterator = "AsyncIterator" if is_async else "Iterator"
    return [
        Method(
            "async def" if is_async else "def",
            operation.download_name,
            signature(provider, operation, to=True),
            "int",
            docstrings.download(provider, operation, is_async),
            operation.constant,
            arguments(operation),
            transport="download",
            awaiting="await " if is_async else "",
            trailing=("to", "retry"),
        ),
        Method(
            "def",
            operation.iter_name,
            signature(provider, operation),
            f"{iterator}[{record_type(result)}]",
            docstrings.iterate(provider, operation, is_async),
            operation.constant,
            arguments(operation),
            transport="iter_bytes" if result.kind == "binary" else "iter_records",
            trailing=("retry",),
        ),
    ]
