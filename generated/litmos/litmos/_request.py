"""Building a request: arguments checked and filled, then method, URL, query, headers
and body, for REST and SOAP calls alike. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ValidationError

from ._codecs import Codec, MediaCodec
from ._config import (
    BearerToken,
    ClientCredentials,
    Config,
    Endpoint,
    WireFormat,
    WireRule,
    text_of,
)
from ._errors import ConfigurationError, RequestValidationError


@dataclass(frozen=True)
class Prepared:
    """A request ready to send, and how its answer must be read."""

    endpoint: Endpoint[Any]
    method: str
    url: str
    params: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    content: bytes | None
    wire_format: WireFormat
    result: Codec[Any] | MediaCodec[Any] | None = None
    parts: tuple[tuple[str, Any, bool], ...] = ()
    """Multipart fields as ``(name, value, is_file)``; files are opened when sent."""
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Secret argument values of this call (a client secret…), blotted out like the rest."""


def check_config(endpoint: Endpoint[Any], config: Config) -> None:
    """Refuse a call the client is not configured for, before any I/O."""
    if endpoint.soap is None:
        return
    if not config.soap_url:
        raise ConfigurationError(
            "no SOAP endpoint configured: the vendor does not document its URL, so pass "
            "soap_url=... to the client",
            operation=endpoint.operation,
        )
    if endpoint.soap.token_path and config.scheme(endpoint) is None:
        raise ConfigurationError(
            "no credentials configured: this call carries an access token in its body, "
            "so pass token=... (or client_id=... and client_secret=...) to the client",
            operation=endpoint.operation,
        )


def _naive_datetimes(value: Any) -> bool:
    """Whether a query value holds a date-time without a zone (not RFC 3339)."""
    if isinstance(value, datetime):
        return value.tzinfo is None
    if isinstance(value, list | tuple):
        return any(_naive_datetimes(item) for item in value)
    if isinstance(value, BaseModel):
        return any(
            _naive_datetimes(getattr(value, name)) for name in type(value).model_fields
        )
    return False


def validate_args(
    endpoint: Endpoint[Any], config: Config, args: dict[str, Any]
) -> BaseModel:
    """Fill client defaults and check the arguments against the spec, before any I/O."""
    values = {key: value for key, value in args.items() if value is not None}
    for key, value in config.defaults.items():
        if (
            key in endpoint.args.model_fields
            and values.get(key) is None
            and value is not None
        ):
            values[key] = value
    try:
        checked = endpoint.args.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise RequestValidationError(
            f"invalid arguments: {problems}", operation=endpoint.operation
        ) from None
    for param in endpoint.params:
        if param.location in ("query", "form") and _naive_datetimes(
            getattr(checked, param.arg)
        ):
            raise RequestValidationError(
                f"invalid arguments: {param.arg}: date-times in a URL are RFC 3339 and need a "
                "time zone (for example tzinfo=datetime.UTC)",
                operation=endpoint.operation,
            )
    return checked


def token_of(endpoint: Endpoint[Any], config: Config) -> str | None:
    """The access token an endpoint sends in its body (SOAP credentials), if any."""
    scheme = config.scheme(endpoint)
    if isinstance(scheme, BearerToken):
        return scheme.token.reveal()
    if isinstance(scheme, ClientCredentials):
        return scheme.access_token()
    return None


def prepare_soap(endpoint: Endpoint[Any], config: Config, args: BaseModel) -> Prepared:
    """A SOAP call: the arguments as the request element, in an envelope, with SOAPAction."""
    assert endpoint.soap is not None
    values = {param.arg: getattr(args, param.arg) for param in endpoint.params}
    try:
        content = endpoint.soap.encode(values, token_of(endpoint, config))
    except ValidationError as exc:
        raise RequestValidationError(
            f"invalid request element: {exc.errors()[0]['msg']}",
            operation=endpoint.operation,
        ) from None
    return Prepared(
        endpoint,
        "POST",
        config.soap_url,
        (),
        endpoint.soap.headers(),
        content,
        "xml",
        endpoint.result,
    )


def prepare(
    endpoint: Endpoint[Any], config: Config, args: BaseModel, wanted: WireFormat | None
) -> Prepared:
    """Build the method, URL, query, headers and body of a call."""
    if endpoint.soap is not None:
        return prepare_soap(endpoint, config, args)
    wire = endpoint.wire_format(wanted or config.wire_format)
    path = endpoint.path
    params: list[tuple[str, str]] = []
    form: list[tuple[str, str]] = []
    parts: list[tuple[str, Any, bool]] = []
    headers: dict[str, str] = {}
    for param in endpoint.params:
        value = getattr(args, param.arg)
        if value is None:
            continue
        if param.location == "form":
            items = value if isinstance(value, list | tuple) else [value]
            form.extend((param.wire, text_of(item)) for item in items)
        elif param.location == "multipart":
            items = value if isinstance(value, list | tuple) else [value]
            parts.extend((param.wire, text_of(item), False) for item in items)
        elif param.location == "file":
            parts.append((param.wire, value, True))
        elif param.location == "path":
            path = path.replace("{" + param.wire + "}", quote(text_of(value), safe=""))
        elif param.location == "header":
            headers[param.wire] = text_of(value)
        elif param.style == "deep":
            data = (
                value.model_dump(by_alias=True)
                if isinstance(value, BaseModel)
                else value
            )
            params.extend(
                (f"{param.wire}[{key}]", text_of(item))
                for key, item in data.items()
                if item is not None
            )
        elif isinstance(value, list | tuple):
            params.extend((param.wire, text_of(item)) for item in value)
        else:
            params.append((param.wire, text_of(value)))
    rule = config.wire_rules.get(wire, WireRule())
    params.extend(rule.query)
    headers.update(rule.headers)
    content = None
    if form:
        content = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if endpoint.body is not None:
        codec = endpoint.body.codec
        value = getattr(args, endpoint.body.arg)
        if isinstance(codec, MediaCodec):
            content = codec.encode(value)
            headers["Content-Type"] = codec.media
        elif (
            wire if wire in endpoint.body.formats else endpoint.body.formats[0]
        ) == "json":
            content = codec.encode_json(value)
            headers["Content-Type"] = "application/json; charset=utf-8"
        else:
            content = codec.encode_xml(value)
            headers["Content-Type"] = "application/xml; charset=utf-8"
    headers.update(auth_headers(endpoint, config))
    url = config.base_url.rstrip("/") + path
    secrets = tuple(
        text_of(getattr(args, param.arg))
        for param in endpoint.params
        if param.secret and getattr(args, param.arg) is not None
    )
    return Prepared(
        endpoint,
        endpoint.method,
        url,
        tuple(params),
        headers,
        content,
        wire,
        endpoint.result_codec(args),
        tuple(parts),
        secrets,
    )


def auth_headers(endpoint: Endpoint[Any], config: Config) -> dict[str, str]:
    """The auth headers of a call: the first of its schemes the client has credentials for.

    A call that needs credentials the client lacks is refused before anything is sent.
    """
    for name in endpoint.auth:
        scheme = config.auth.get(name)
        if scheme is not None:
            return scheme.headers()
    if endpoint.auth and not endpoint.auth_optional:
        needed = ", or ".join(
            config.credentials.get(name, name) for name in endpoint.auth
        )
        raise ConfigurationError(
            f"this call needs credentials the client was not given: {needed}",
            operation=endpoint.operation,
        )
    return {}
