"""Request building, sending (with timeouts, retries and pacing) and response decoding.

The generated ``Client`` and ``AsyncClient`` describe each operation as an ``Endpoint``
(see ``_config.py`` and ``_endpoints.py``); everything here is shared by all operations.
Imported with the first client, not with the package: it is what needs httpx, pydantic
and the codecs.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import random
import re
import ssl
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ValidationError

from . import _xml
from ._codecs import Codec, ListCodec, MediaCodec, RecordError
from ._config import (
    BearerToken,
    ClientCredentials,
    Config,
    Download,
    Endpoint,
    Feedable,
    RetryPolicy,
    Soap,
    WireFormat,
    WireRule,
    text_of,
)
from ._errors import (
    ApiError,
    ConfigurationError,
    RequestTimeoutError,
    RequestValidationError,
    ResponseParseError,
    ResponseValidationError,
    SoapFaultError,
    TransportError,
    UnsafeXmlError,
    error_for_status,
)

T = TypeVar("T")
R = TypeVar("R")
logger = logging.getLogger(__package__)
"""The package's logger: each call's attempts and answers, at DEBUG level."""
EXCERPT_CHARS = 500


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


def excerpt(body: bytes, secrets: tuple[str, ...]) -> str:
    """The start of a body as text, with every known secret blotted out."""
    text = body[: EXCERPT_CHARS * 4].decode("utf-8", "replace")[:EXCERPT_CHARS]
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


_LEADING_SPACE = re.compile(rb"\s*")


def decode(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
) -> Any:
    """Read a successful response into the operation's result type."""
    codec = prepared.result
    if codec is None:
        return None
    body = response.content
    context = _context(prepared, response, config, attempts, body)
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if isinstance(codec, MediaCodec):
        if codec.parsed:
            _check_document(body, media, codec.media, context)
        with parse_errors(context, codec.media):
            return codec.decode(body)
    _check_document(body, media, prepared.wire_format.upper(), context)
    wire = (
        "json" if "json" in media else "xml" if "xml" in media else prepared.wire_format
    )
    with parse_errors(context, wire.upper()):
        if wire == "json":
            return codec.decode_json(body)
        # Read in a call of its own, so that the parsed tree is freed before the models
        # are built: they reuse its memory instead of touching new pages (a 1000-record
        # page decodes about 10 % faster).
        return codec.validate(_read_xml(codec, prepared, config, context, body))


def _read_xml(
    codec: Codec[Any],
    prepared: Prepared,
    config: Config,
    context: dict[str, Any],
    body: bytes,
) -> Any:
    """The field data of an XML reply; a SOAP fault is raised as the operation's error."""
    root = _xml.parse(body)
    soap = prepared.endpoint.soap
    if soap is not None:
        root = soap.payload(root)
        fault = soap.fault(root, **context)
        if fault is not None:
            raise hide(fault, _secrets(prepared, config))
    return codec.read_xml(root)


def _check_document(
    body: bytes, media: str, expected: str, context: dict[str, Any]
) -> None:
    """Refuse an empty body or an HTML error page where a document was expected."""
    leading = _LEADING_SPACE.match(body)  # an offset, not a stripped copy of the body
    start = leading.end() if leading else 0
    if start == len(body):
        raise ResponseParseError("empty body where a payload was expected", **context)
    head = body[start : start + 100].lower()
    if media == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        raise ResponseParseError(f"expected {expected}, got an HTML page", **context)


def _secrets(prepared: Prepared, config: Config) -> tuple[str, ...]:
    """Every value to blot out of this call's error texts."""
    return config.hidden() + prepared.secrets


def _context(
    prepared: Prepared,
    response: httpx.Response,
    config: Config,
    attempts: int,
    body: bytes,
) -> dict[str, Any]:
    return {
        "operation": prepared.endpoint.operation,
        "status": response.status_code,
        "attempts": attempts,
        "body_excerpt": excerpt(body, _secrets(prepared, config)),
    }


@contextmanager
def parse_errors(context: dict[str, Any], what: str) -> Iterator[None]:
    """Turn what a codec raises on a bad body into the package's typed errors."""
    try:
        yield
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "(root)"
        raise ResponseValidationError(
            f"response does not match the spec at {where}: {error['msg']}", **context
        ) from None
    except RecordError as exc:
        raise ResponseValidationError(
            f"response does not match the spec at {exc.where}", **context
        ) from None
    except _xml.XmlSafetyError as exc:
        raise UnsafeXmlError(f"unsafe XML refused: {exc}", **context) from None
    except ValueError as exc:
        raise ResponseParseError(f"malformed {what}: {exc}", **context) from None


def check_stream_media(
    prepared: Prepared, response: httpx.Response, attempts: int
) -> None:
    """Refuse, before reading it, a streamed body that is not XML."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "text/html" or (media and "xml" not in media):
        raise ResponseParseError(
            f"expected XML, got {media}",
            operation=prepared.endpoint.operation,
            status=response.status_code,
            attempts=attempts,
        )


def status_error(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
) -> ApiError:
    """The typed error for a non-2xx answer: a SOAP Fault's own, or the status's."""
    endpoint = prepared.endpoint
    status = response.status_code
    context = _context(prepared, response, config, attempts, response.content)
    secrets = _secrets(prepared, config)
    if endpoint.soap is not None:
        fault = _fault_in(endpoint.soap, response.content, context)
        if fault is not None:
            return hide(fault, secrets)
    detail = _error_detail(endpoint, response)
    said = getattr(detail, "message", None)
    message = f"HTTP {status} {response.reason_phrase}" + (f": {said}" if said else "")
    return hide(error_for_status(status)(message, detail=detail, **context), secrets)


E = TypeVar("E", bound=ApiError)


def hide(error: E, secrets: tuple[str, ...]) -> E:
    """``error`` with every secret blotted out of the texts the server put in it."""
    for secret in secrets:
        if secret and secret in error.message:
            error.message = error.message.replace(secret, "***")
            error.args = (error.message,)
        if (
            isinstance(error, SoapFaultError)
            and secret
            and secret in error.fault_string
        ):
            error.fault_string = error.fault_string.replace(secret, "***")
    return error


def _fault_in(
    soap: Soap, body: bytes, context: dict[str, Any]
) -> SoapFaultError | None:
    """The typed error of the SOAP Fault a body holds, if it is one."""
    try:
        payload = soap.payload(_xml.parse(body))
    except ValueError:
        return None
    return soap.fault(payload, **context)


def _error_detail(endpoint: Endpoint[Any], response: httpx.Response) -> Any:
    """The documented error body (``{code, message}``…), decoded; ``None`` if it is not one."""
    if endpoint.error is None or not response.content.strip():
        return None
    media = response.headers.get("content-type", "")
    try:
        if "json" in media:
            return endpoint.error.decode_json(response.content)
        return endpoint.error.decode_xml(_xml.parse(response.content))
    except (ValueError, ValidationError):
        return None


def retry_delay(
    policy: RetryPolicy, attempt: int, response: httpx.Response | None
) -> float:
    """Backoff with full jitter, or what the server asked for in ``Retry-After``."""
    if response is not None:
        asked = response.headers.get("retry-after")
        if asked:
            seconds = parse_retry_after(asked)
            if seconds is not None:
                # Honoured in full: retrying sooner would only be refused again. A wait
                # longer than the time budget left ends the retries instead.
                return seconds
    ceiling = min(policy.max_backoff, policy.backoff * 2 ** (attempt - 1))
    return random.uniform(0, ceiling)


def parse_retry_after(value: str) -> float | None:
    """``Retry-After`` in seconds or as an HTTP date, as seconds from now."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _Attempts:
    """One call on its way to a success: its request, and after each failure, whether
    to try again and how long to wait first. No I/O: the transports do that."""

    def __init__(
        self,
        config: Config,
        endpoint: Endpoint[Any],
        checked: BaseModel,
        wire_format: WireFormat | None,
        policy: RetryPolicy,
    ) -> None:
        self.config = config
        self.endpoint = endpoint
        self.checked = checked
        self.wire_format = wire_format
        self.policy = policy
        self.renewable = _renewable(endpoint, config)
        """The client-credentials scheme of the call: its token may need renewing."""
        self.count = 0
        self.renewed = False
        self.started = 0.0
        self.may_retry = endpoint.idempotent or policy.retry_writes
        self.prepared: Prepared
        self.sent = ""
        """The token the request carries (to forget it if the server refuses it)."""

    def start(self) -> None:
        """Build the request; the time budget starts now (any token obtained)."""
        self.started = time.monotonic()
        self.prepare()

    def prepare(self) -> None:
        """Build the request (again, with the renewed token)."""
        self.prepared = prepare(
            self.endpoint, self.config, self.checked, self.wire_format
        )
        self.sent = self.renewable.current() if self.renewable is not None else ""

    def pace(self) -> float | None:
        """Count one more attempt; the wait the rate limiter asks for before it."""
        self.count += 1
        limiter = self.config.limiter
        return None if limiter is None else limiter.reserve()

    def sending(self) -> Prepared:
        """The request to send now (logged)."""
        _log_request(self.prepared, self.count)
        return self.prepared

    def answered(self, response: httpx.Response) -> bool:
        """Log an answer; whether it is a success."""
        _log_response(self.prepared, response)
        return response.is_success

    def exchange(self, response: httpx.Response) -> Exchange:
        return self.prepared, response, self.count

    def failed(self, exc: httpx.HTTPError) -> float:
        """The wait before trying again after a send failed; raises when it is over."""
        return self._again(_transport_error(self.prepared, exc, self.count), None)

    def refused(self, response: httpx.Response) -> ClientCredentials | None:
        """After a 401 on an obtained token: the scheme to renew it with, the refused
        token forgotten, to try once more (once per call)."""
        renewable = self.renewable
        if renewable is None or response.status_code != 401 or self.renewed:
            return None
        self.renewed = True
        renewable.expire(self.sent)
        return renewable

    def rejected(self, response: httpx.Response) -> float:
        """The wait before trying again after an error status; raises when it is over."""
        error = status_error(self.prepared, response, self.config, self.count)
        return self._again(error, response)

    def _again(self, error: ApiError, response: httpx.Response | None) -> float:
        delay = self.next_delay(error, response)
        if delay is None:
            raise error
        return delay

    def next_delay(
        self, error: ApiError, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to give up."""
        if not self.may_retry or self.count >= self.policy.max_attempts:
            return None
        if response is not None and response.status_code not in self.policy.statuses:
            return None
        delay = retry_delay(self.policy, self.count, response)
        if time.monotonic() - self.started + delay > self.policy.max_elapsed:
            return None
        logger.debug(
            "%s: attempt %d failed (%s); retrying in %.2fs",
            self.endpoint.operation,
            self.count,
            type(error).__name__,
            delay,
        )
        return delay


class _Records(Generic[R]):
    """The records a reader makes of a streamed success, chunk by chunk. With a wire
    format asked for, a reply that is not XML is refused before it is read."""

    def __init__(
        self, exchange: Exchange, attempts: _Attempts, reader: Feedable[R]
    ) -> None:
        prepared, response, count = exchange
        if attempts.wire_format is not None:
            check_stream_media(prepared, response, count)
        self.prepared = prepared
        self.count = count
        self.reader = reader
        self.context = _context(prepared, response, attempts.config, count, b"")

    def feed(self, chunk: bytes) -> Sequence[R]:
        with parse_errors(self.context, "XML"):
            return self.reader.feed(chunk)

    def close(self) -> Sequence[R]:
        with parse_errors(self.context, "XML"):
            return self.reader.close()

    def broken(self, exc: httpx.HTTPError) -> TransportError:
        """The error of a reply cut off while it was read."""
        return _transport_error(self.prepared, exc, self.count)


def _renewable(endpoint: Endpoint[Any], config: Config) -> ClientCredentials | None:
    """The client-credentials scheme an endpoint uses (its token may need renewing)."""
    scheme = config.scheme(endpoint)
    return scheme if isinstance(scheme, ClientCredentials) else None


def _transport_error(
    prepared: Prepared, exc: httpx.HTTPError, attempts: int
) -> TransportError:
    cls = (
        RequestTimeoutError
        if isinstance(exc, httpx.TimeoutException)
        else TransportError
    )
    return cls(
        f"{type(exc).__name__} while calling {prepared.method} {prepared.endpoint.path}",
        operation=prepared.endpoint.operation,
        attempts=attempts,
    )


def _log_request(prepared: Prepared, attempt: int) -> None:
    logger.debug(
        "%s: %s %s (attempt %d)",
        prepared.endpoint.operation,
        prepared.method,
        prepared.endpoint.path,
        attempt,
    )


def _log_response(prepared: Prepared, response: httpx.Response) -> None:
    logger.debug(
        "%s: HTTP %d %s, %s bytes",
        prepared.endpoint.operation,
        response.status_code,
        response.headers.get("content-type", "-"),
        response.headers.get("content-length", "?"),
    )


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client: building one (loading the CA bundle) is slow."""
    return httpx.create_ssl_context()


def no_cookies() -> CookieJar:
    """A cookie jar that keeps nothing: a session cookie must not pin later calls."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


async def _sleep(seconds: float) -> None:
    # asyncio is imported on first use: sync-only users do not pay for its import.
    import asyncio

    await asyncio.sleep(seconds)


Exchange = tuple[Prepared, httpx.Response, int]
"""A successful answer: the request as last sent, the response, the attempt count."""


class _Transport:
    """What both transports do without I/O: check a call's arguments before anything
    is sent, and find what reads or writes a streamed reply."""

    def __init__(self, config: Config, shared: bool) -> None:
        self.config = config
        self.shared = shared
        """Whether ``http`` belongs to another transport, which closes it."""

    def _http_options(self) -> dict[str, Any]:
        """How the transport's own httpx client is set up."""
        return {
            "timeout": self.config.timeout,
            "follow_redirects": False,
            "cookies": no_cookies(),
            "verify": tls_context(),
        }

    def _attempts(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        wire_format: WireFormat | None,
        retry: RetryPolicy | None,
    ) -> _Attempts:
        """A call whose arguments are checked, with the client's configuration, now."""
        check_config(endpoint, self.config)
        checked = validate_args(endpoint, self.config, args)
        return _Attempts(
            self.config, endpoint, checked, wire_format, retry or self.config.retry
        )

    def _list_reader(self, endpoint: Endpoint[Any]) -> Feedable[Any]:
        """A reader of the records of a list reply (its XML form)."""
        codec = endpoint.result
        assert isinstance(codec, ListCodec)
        return codec.reader()

    def _record_reader(self, endpoint: Endpoint[Any]) -> Feedable[Any]:
        """A reader of the records of a streamed XML reply."""
        assert endpoint.records is not None
        return endpoint.records.reader()

    def _download(self, endpoint: Endpoint[Any]) -> Download:
        assert endpoint.download is not None
        return endpoint.download

    def _request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        prepared: Prepared,
        files: ExitStack,
    ) -> httpx.Request:
        """The request to send; multipart files are opened on ``files``."""
        opener = prepared.endpoint.open_parts
        return http.build_request(
            prepared.method,
            prepared.url,
            params=prepared.params,
            headers=prepared.headers,
            content=prepared.content,
            files=(opener(prepared.parts, files) or None) if opener else None,
            timeout=self.config.timeout,
        )


class SyncTransport(_Transport):
    """Sends prepared requests with ``httpx.Client``."""

    def __init__(
        self, config: Config, http: httpx.Client | None, shared: bool = False
    ) -> None:
        super().__init__(config, shared)
        self.http = http or httpx.Client(**self._http_options())

    def call(
        self,
        endpoint: Endpoint[T],
        args: dict[str, Any],
        wire_format: WireFormat | None = None,
        retry: RetryPolicy | None = None,
    ) -> T:
        """Validate, send (retrying where allowed) and decode one call."""
        attempts = self._attempts(endpoint, args, wire_format, retry)
        with self._exchange(attempts, stream=False) as (prepared, response, count):
            result: T = decode(prepared, response, self.config, count)
            return result

    def stream(
        self,
        endpoint: Endpoint[list[T]],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> Iterator[T]:
        """The records of a list response as they arrive (XML, parsed incrementally).

        A failure before the first record is retried like ``call``; after it, the
        error is raised, since trying again would repeat records.
        """
        attempts = self._attempts(endpoint, args, "xml", retry)
        return self._records(attempts, self._list_reader(endpoint))

    def iter_records(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> Iterator[Any]:
        """The records of a streamed XML reply, each handed out once it is parsed."""
        attempts = self._attempts(endpoint, args, None, retry)
        return self._records(attempts, self._record_reader(endpoint))

    def iter_bytes(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> Iterator[bytes]:
        """The reply's body in chunks, as they arrive (arguments are checked at once)."""
        return self._chunks(self._attempts(endpoint, args, None, retry))

    def download(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        to: Any,
        retry: RetryPolicy | None = None,
    ) -> int:
        """Write the reply's body to ``to`` as it arrives; return its size in bytes."""
        chunks = self.iter_bytes(endpoint, args, retry)
        return self._download(endpoint).write(chunks, to)

    def _records(self, attempts: _Attempts, reader: Feedable[R]) -> Iterator[R]:
        with self._exchange(attempts, stream=True) as exchange:
            records = _Records(exchange, attempts, reader)
            try:
                for chunk in exchange[1].iter_bytes():
                    yield from records.feed(chunk)
                yield from records.close()
            except httpx.HTTPError as exc:
                raise records.broken(exc) from None

    def _chunks(self, attempts: _Attempts) -> Iterator[bytes]:
        with self._exchange(attempts, stream=True) as (prepared, response, count):
            try:
                yield from response.iter_bytes()
            except httpx.HTTPError as exc:
                raise _transport_error(prepared, exc, count) from None

    @contextmanager
    def _exchange(self, attempts: _Attempts, stream: bool) -> Iterator[Exchange]:
        """Send until a success (retrying where allowed); yield it with the attempt count.

        An obtained access token is renewed first when due, and once more when the
        server refuses it. With ``stream`` the body of the success is left unread.
        """
        if attempts.renewable is not None:
            attempts.renewable.renew(self.call)
        attempts.start()
        while True:
            wait = attempts.pace()
            if wait is not None:
                time.sleep(wait)
            try:
                response = self._send(attempts.sending(), stream)
            except httpx.HTTPError as exc:
                time.sleep(attempts.failed(exc))
                continue
            self.http.cookies.clear()
            if attempts.answered(response):
                try:
                    yield attempts.exchange(response)
                finally:
                    response.close()
                return
            response.read()
            response.close()
            renewable = attempts.refused(response)
            if renewable is not None:
                renewable.renew(self.call)
                attempts.prepare()
                continue
            time.sleep(attempts.rejected(response))

    def _send(self, prepared: Prepared, stream: bool) -> httpx.Response:
        with ExitStack() as files:
            request = self._request(self.http, prepared, files)
            return self.http.send(request, stream=stream)

    def close(self) -> None:
        if not self.shared:
            self.http.close()


class AsyncTransport(_Transport):
    """Sends prepared requests with ``httpx.AsyncClient``."""

    def __init__(
        self, config: Config, http: httpx.AsyncClient | None, shared: bool = False
    ) -> None:
        super().__init__(config, shared)
        self.http = http or httpx.AsyncClient(**self._http_options())

    async def call(
        self,
        endpoint: Endpoint[T],
        args: dict[str, Any],
        wire_format: WireFormat | None = None,
        retry: RetryPolicy | None = None,
    ) -> T:
        """``SyncTransport.call``, awaitable."""
        attempts = self._attempts(endpoint, args, wire_format, retry)
        async with self._exchange(attempts, stream=False) as (prepared, response, n):
            result: T = decode(prepared, response, self.config, n)
            return result

    def stream(
        self,
        endpoint: Endpoint[list[T]],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> AsyncIterator[T]:
        """``SyncTransport.stream``, asynchronous."""
        reader = self._list_reader(endpoint)
        return self._records(self._attempts(endpoint, args, "xml", retry), reader)

    def iter_records(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> AsyncIterator[Any]:
        """``SyncTransport.iter_records``, asynchronous."""
        reader = self._record_reader(endpoint)
        return self._records(self._attempts(endpoint, args, None, retry), reader)

    def iter_bytes(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> AsyncIterator[bytes]:
        """``SyncTransport.iter_bytes``, asynchronous."""
        return self._chunks(self._attempts(endpoint, args, None, retry))

    async def download(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        to: Any,
        retry: RetryPolicy | None = None,
    ) -> int:
        """``SyncTransport.download``, awaitable."""
        download = self._download(endpoint)
        return await download.awrite(self.iter_bytes(endpoint, args, retry), to)

    async def _records(
        self, attempts: _Attempts, reader: Feedable[R]
    ) -> AsyncIterator[R]:
        async with self._exchange(attempts, stream=True) as exchange:
            records = _Records(exchange, attempts, reader)
            try:
                async for chunk in exchange[1].aiter_bytes():
                    for record in records.feed(chunk):
                        yield record
                for record in records.close():
                    yield record
            except httpx.HTTPError as exc:
                raise records.broken(exc) from None

    async def _chunks(self, attempts: _Attempts) -> AsyncIterator[bytes]:
        async with self._exchange(attempts, stream=True) as (prepared, response, n):
            try:
                async for chunk in response.aiter_bytes():
                    yield chunk
            except httpx.HTTPError as exc:
                raise _transport_error(prepared, exc, n) from None

    @asynccontextmanager
    async def _exchange(
        self, attempts: _Attempts, stream: bool
    ) -> AsyncIterator[Exchange]:
        """``SyncTransport._exchange``, asynchronous."""
        if attempts.renewable is not None:
            await attempts.renewable.arenew(self.call)
        attempts.start()
        while True:
            wait = attempts.pace()
            if wait is not None:
                await _sleep(wait)
            try:
                response = await self._send(attempts.sending(), stream)
            except httpx.HTTPError as exc:
                await _sleep(attempts.failed(exc))
                continue
            self.http.cookies.clear()
            if attempts.answered(response):
                try:
                    yield attempts.exchange(response)
                finally:
                    await response.aclose()
                return
            await response.aread()
            await response.aclose()
            renewable = attempts.refused(response)
            if renewable is not None:
                await renewable.arenew(self.call)
                attempts.prepare()
                continue
            await _sleep(attempts.rejected(response))

    async def _send(self, prepared: Prepared, stream: bool) -> httpx.Response:
        with ExitStack() as files:
            request = self._request(self.http, prepared, files)
            return await self.http.send(request, stream=stream)

    async def aclose(self) -> None:
        if not self.shared:
            await self.http.aclose()
