"""The client's docstrings: its constructor's Args and every method's sections."""

from __future__ import annotations

from .. import ir
from ..pytypes import annotation, payload_type, record_type, typed_records
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


def secrets(scheme: ir.AuthScheme) -> set[str]:
    """The arguments of ``scheme`` that are secrets (never logged or shown)."""
    return (
        {scheme.params[0], scheme.params[-1]}
        if scheme.token_url
        else {scheme.params[-1]}
    )


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


def call(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> str:
    """The docstring of an operation's call."""
    if is_async:
        return f'"""{_summary(operation)}: the awaitable form of ``Client.{operation.name}``."""'
    if operation.result and operation.result.stream:
        return _docstring(
            provider,
            operation,
            f"Holds the whole reply in memory: ``{operation.download_name}`` and"
            f" ``{operation.iter_name}`` stream it.",
        )
    return _docstring(provider, operation)


def walk(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> str:
    """The docstring of a paged walk."""
    assert operation.pages is not None
    if is_async:
        return f'"""{_summary(operation)}, every page: see ``Client.{operation.stream_name}``."""'
    return _docstring(provider, operation, skip=operation.pages.token_arg)


def _summary(operation: ir.Operation) -> str:
    return (operation.summary or operation.name).strip(".")


def download(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> str:
    """The docstring of ``download_…``."""
    summary = _summary(operation)
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


def iterate(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> str:
    """The docstring of ``iter_…`` over a streamed reply."""
    summary = _summary(operation)
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


def stream(provider: ir.Provider, operation: ir.Operation, is_async: bool) -> str:
    """The docstring of ``iter_…`` over the records of an XML list."""
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
    doc = [f'"""{_summary(operation)}{", every page" if skip else ""}.']
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
