"""Request building, sending (with timeouts, retries and pacing) and response decoding.

The generated ``Client`` and ``AsyncClient`` describe each operation as an ``Endpoint``
(see ``_endpoints.py``); everything here is shared by all operations.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import functools
import logging
import random
import ssl
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ValidationError

from . import _xml
from ._codecs import Codec, MediaCodec
from ._multipart import open_parts
from ._stream import RecordStream, Target, awrite_chunks, write_chunks
from .errors import (
    ApiError,
    RequestTimeoutError,
    RequestValidationError,
    ResponseParseError,
    ResponseValidationError,
    TransportError,
    UnsafeXmlError,
    error_for_status,
)

T = TypeVar("T")
WireFormat = Literal["xml", "json"]
logger = logging.getLogger("peoplefluent")
RETRY_STATUSES = frozenset({429, 502, 503, 504})
EXCERPT_CHARS = 500


class Secret:
    """A credential that never shows itself in ``repr``, ``str`` or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True)
class ApiKeyHeader:
    """An API key sent in a request header."""

    header: str
    key: Secret

    def headers(self) -> dict[str, str]:
        return {self.header: self.key.reveal()}


@dataclass(frozen=True)
class BasicAuth:
    """HTTP Basic authentication."""

    username: str
    password: Secret

    def headers(self) -> dict[str, str]:
        raw = f"{self.username}:{self.password.reveal()}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


@dataclass(frozen=True)
class BearerToken:
    """A ready-made bearer token."""

    token: Secret

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token.reveal()}"}


Auth = ApiKeyHeader | BasicAuth | BearerToken


@dataclass(frozen=True)
class WireRule:
    """What a request carries to ask for one representation."""

    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Param:
    """One operation argument sent in the path, query or a header."""

    arg: str
    wire: str
    location: Literal["path", "query", "header", "form", "multipart", "file"]
    style: Literal["form", "deep"] = "form"


@dataclass(frozen=True)
class Body:
    """The argument sent as the request body, and the representations it may take."""

    arg: str
    codec: Codec[Any] | MediaCodec[Any]
    formats: tuple[WireFormat, ...] = ()


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """Everything the runtime needs to know about one operation."""

    operation: str
    method: str
    path: str
    args: type[BaseModel]
    params: tuple[Param, ...] = ()
    body: Body | None = None
    result: Codec[T] | MediaCodec[T] | None = None
    result_formats: tuple[WireFormat, ...] = ()
    idempotent: bool = False
    auth: tuple[str, ...] = ()
    auth_optional: bool = False
    """Credentials are sent when the client has them, but the call works without."""
    variants: Mapping[str, MediaCodec[Any]] = field(default_factory=dict)
    """The reply's codec for each value of the ``format_arg`` argument."""
    format_arg: str = ""
    records: RecordStream[Any] | None = None
    """How ``iter_…`` reads the records of a streamed XML reply."""

    def wire_format(self, wanted: WireFormat) -> WireFormat:
        """The representation to use: the one wanted, unless the spec only has another."""
        offered = self.result_formats or (
            self.body.formats if self.body and self.body.formats else ()
        )
        if not offered or wanted in offered:
            return wanted
        return offered[0]

    def result_codec(self, args: BaseModel) -> Codec[Any] | MediaCodec[Any] | None:
        """The codec of the reply to a call with ``args``: the variant it asks for."""
        if self.format_arg:
            return self.variants[text_of(getattr(args, self.format_arg))]
        return self.result


@dataclass(frozen=True)
class RetryPolicy:
    """When and how often to try a request again.

    Only idempotent operations are retried unless ``retry_writes`` is set, so a write is
    never sent twice by accident.
    """

    max_attempts: int = 4
    max_elapsed: float = 60.0
    backoff: float = 0.5
    max_backoff: float = 30.0
    retry_writes: bool = False
    statuses: frozenset[int] = RETRY_STATUSES


NO_RETRY = RetryPolicy(max_attempts=1)


class RateLimiter:
    """A token bucket shared by every call of one client, across threads and tasks."""

    def __init__(self, requests: int, per_seconds: float) -> None:
        self.capacity = float(requests)
        self.rate = requests / per_seconds
        self._tokens = float(requests)
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one token; return how long the caller must wait before sending."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(
                self.capacity, self._tokens + (now - self._stamp) * self.rate
            )
            self._stamp = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


@dataclass
class Config:
    """The settings of one client, shared by its sync and async transports."""

    base_url: str
    wire_format: WireFormat
    wire_rules: Mapping[str, WireRule]
    auth: Mapping[str, Auth]
    defaults: dict[str, Any]
    timeout: httpx.Timeout
    retry: RetryPolicy
    limiter: RateLimiter | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)
    credentials: Mapping[str, str] = field(default_factory=dict)
    """What the constructor needs for each auth scheme (``"username and password"``)."""


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


def text_of(value: Any) -> str:
    """The query-string text of a scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


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
        return endpoint.args.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise RequestValidationError(
            f"invalid arguments: {problems}", operation=endpoint.operation
        ) from None


def prepare(
    endpoint: Endpoint[Any], config: Config, args: BaseModel, wanted: WireFormat | None
) -> Prepared:
    """Build the method, URL, query, headers and body of a call."""
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
        raise RequestValidationError(
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


def _looks_like_html(body: bytes) -> bool:
    head = body.lstrip()[:100].lower()
    return head.startswith((b"<!doctype html", b"<html"))


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
        return codec.decode_xml(_xml.parse(body))


def _check_document(
    body: bytes, media: str, expected: str, context: dict[str, Any]
) -> None:
    """Refuse an empty body or an HTML error page where a document was expected."""
    if not body.strip():
        raise ResponseParseError("empty body where a payload was expected", **context)
    if media == "text/html" or _looks_like_html(body):
        raise ResponseParseError(f"expected {expected}, got an HTML page", **context)


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
        "body_excerpt": excerpt(body, config.secrets),
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
    except _xml.XmlSafetyError as exc:
        raise UnsafeXmlError(f"unsafe XML refused: {exc}", **context) from None
    except ValueError as exc:
        raise ResponseParseError(f"malformed {what}: {exc}", **context) from None


def status_error(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
) -> ApiError:
    """The typed error for a non-2xx answer."""
    status = response.status_code
    return error_for_status(status)(
        f"HTTP {status} {response.reason_phrase}",
        operation=prepared.endpoint.operation,
        status=status,
        attempts=attempts,
        body_excerpt=excerpt(response.content, config.secrets),
    )


def retry_delay(
    policy: RetryPolicy, attempt: int, response: httpx.Response | None
) -> float:
    """Backoff with full jitter, or what the server asked for in ``Retry-After``."""
    if response is not None:
        asked = response.headers.get("retry-after")
        if asked:
            seconds = parse_retry_after(asked)
            if seconds is not None:
                return min(seconds, policy.max_backoff)
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
    """Decides, attempt after attempt, whether to try again and how long to wait."""

    def __init__(self, prepared: Prepared, policy: RetryPolicy) -> None:
        self.prepared = prepared
        self.policy = policy
        self.count = 0
        self.started = time.monotonic()
        self.may_retry = prepared.endpoint.idempotent or policy.retry_writes

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
            self.prepared.endpoint.operation,
            self.count,
            type(error).__name__,
            delay,
        )
        return delay


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


class SyncTransport:
    """Sends prepared requests with ``httpx.Client``."""

    def __init__(self, config: Config, http: httpx.Client | None) -> None:
        self.config = config
        self.http = http or httpx.Client(
            timeout=config.timeout,
            follow_redirects=False,
            cookies=no_cookies(),
            verify=tls_context(),
        )

    def call(
        self,
        endpoint: Endpoint[T],
        args: dict[str, Any],
        wire_format: WireFormat | None = None,
        retry: RetryPolicy | None = None,
    ) -> T:
        """Validate, send (retrying where allowed) and decode one call."""
        checked = validate_args(endpoint, self.config, args)
        prepared = prepare(endpoint, self.config, checked, wire_format)
        with self._exchange(prepared, retry, stream=False) as (response, attempts):
            result: T = decode(prepared, response, self.config, attempts)
            return result

    def iter_bytes(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> Iterator[bytes]:
        """The reply's body in chunks, as they arrive (arguments are checked at once)."""
        prepared = prepare(
            endpoint, self.config, validate_args(endpoint, self.config, args), None
        )
        return self._chunks(prepared, retry)

    def _chunks(self, prepared: Prepared, retry: RetryPolicy | None) -> Iterator[bytes]:
        with self._exchange(prepared, retry, stream=True) as (response, attempts):
            try:
                yield from response.iter_bytes()
            except httpx.HTTPError as exc:
                raise _transport_error(prepared, exc, attempts) from None

    def download(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        to: Target,
        retry: RetryPolicy | None = None,
    ) -> int:
        """Write the reply's body to ``to`` as it arrives; return its size in bytes."""
        return write_chunks(self.iter_bytes(endpoint, args, retry), to)

    def iter_records(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> Iterator[Any]:
        """The records of a streamed XML reply, each handed out once it is parsed."""
        prepared = prepare(
            endpoint, self.config, validate_args(endpoint, self.config, args), None
        )
        return self._records(prepared, retry)

    def _records(self, prepared: Prepared, retry: RetryPolicy | None) -> Iterator[Any]:
        assert prepared.endpoint.records is not None
        reader = prepared.endpoint.records.reader()
        with self._exchange(prepared, retry, stream=True) as (response, attempts):
            context = _context(prepared, response, self.config, attempts, b"")
            try:
                for chunk in response.iter_bytes():
                    with parse_errors(context, "XML"):
                        found = reader.feed(chunk)
                    yield from found
                with parse_errors(context, "XML"):
                    found = reader.close()
                yield from found
            except httpx.HTTPError as exc:
                raise _transport_error(prepared, exc, attempts) from None

    @contextmanager
    def _exchange(
        self, prepared: Prepared, retry: RetryPolicy | None, stream: bool
    ) -> Iterator[tuple[httpx.Response, int]]:
        """Send until a success (retrying where allowed); yield it with the attempt count.

        With ``stream`` the body of the success is left unread for the caller.
        """
        attempts = _Attempts(prepared, retry or self.config.retry)
        while True:
            attempts.count += 1
            response: httpx.Response | None = None
            if self.config.limiter is not None:
                time.sleep(self.config.limiter.reserve())
            _log_request(prepared, attempts.count)
            try:
                response = self._send(prepared, stream)
            except httpx.HTTPError as exc:
                error: ApiError = _transport_error(prepared, exc, attempts.count)
            else:
                self.http.cookies.clear()
                _log_response(prepared, response)
                if response.is_success:
                    try:
                        yield response, attempts.count
                    finally:
                        response.close()
                    return
                response.read()
                response.close()
                error = status_error(prepared, response, self.config, attempts.count)
            delay = attempts.next_delay(error, response)
            if delay is None:
                raise error
            time.sleep(delay)

    def _send(self, prepared: Prepared, stream: bool) -> httpx.Response:
        with ExitStack() as files:
            request = self.http.build_request(
                prepared.method,
                prepared.url,
                params=prepared.params,
                headers=prepared.headers,
                content=prepared.content,
                files=open_parts(prepared.parts, files) or None,
                timeout=self.config.timeout,
            )
            return self.http.send(request, stream=stream)

    def close(self) -> None:
        self.http.close()


class AsyncTransport:
    """Sends prepared requests with ``httpx.AsyncClient``."""

    def __init__(self, config: Config, http: httpx.AsyncClient | None) -> None:
        self.config = config
        self.http = http or httpx.AsyncClient(
            timeout=config.timeout,
            follow_redirects=False,
            cookies=no_cookies(),
            verify=tls_context(),
        )

    async def call(
        self,
        endpoint: Endpoint[T],
        args: dict[str, Any],
        wire_format: WireFormat | None = None,
        retry: RetryPolicy | None = None,
    ) -> T:
        """Validate, send (retrying where allowed) and decode one call."""
        checked = validate_args(endpoint, self.config, args)
        prepared = prepare(endpoint, self.config, checked, wire_format)
        async with self._exchange(prepared, retry, stream=False) as (
            response,
            attempts,
        ):
            result: T = decode(prepared, response, self.config, attempts)
            return result

    def iter_bytes(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> AsyncIterator[bytes]:
        """The reply's body in chunks, as they arrive (arguments are checked at once)."""
        prepared = prepare(
            endpoint, self.config, validate_args(endpoint, self.config, args), None
        )
        return self._chunks(prepared, retry)

    async def _chunks(
        self, prepared: Prepared, retry: RetryPolicy | None
    ) -> AsyncIterator[bytes]:
        async with self._exchange(prepared, retry, stream=True) as (response, attempts):
            try:
                async for chunk in response.aiter_bytes():
                    yield chunk
            except httpx.HTTPError as exc:
                raise _transport_error(prepared, exc, attempts) from None

    async def download(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        to: Target,
        retry: RetryPolicy | None = None,
    ) -> int:
        """Write the reply's body to ``to`` as it arrives; return its size in bytes."""
        return await awrite_chunks(self.iter_bytes(endpoint, args, retry), to)

    def iter_records(
        self,
        endpoint: Endpoint[Any],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> AsyncIterator[Any]:
        """The records of a streamed XML reply, each handed out once it is parsed."""
        prepared = prepare(
            endpoint, self.config, validate_args(endpoint, self.config, args), None
        )
        return self._records(prepared, retry)

    async def _records(
        self, prepared: Prepared, retry: RetryPolicy | None
    ) -> AsyncIterator[Any]:
        assert prepared.endpoint.records is not None
        reader = prepared.endpoint.records.reader()
        async with self._exchange(prepared, retry, stream=True) as (response, attempts):
            context = _context(prepared, response, self.config, attempts, b"")
            try:
                async for chunk in response.aiter_bytes():
                    with parse_errors(context, "XML"):
                        found = reader.feed(chunk)
                    for record in found:
                        yield record
                with parse_errors(context, "XML"):
                    found = reader.close()
                for record in found:
                    yield record
            except httpx.HTTPError as exc:
                raise _transport_error(prepared, exc, attempts) from None

    @asynccontextmanager
    async def _exchange(
        self, prepared: Prepared, retry: RetryPolicy | None, stream: bool
    ) -> AsyncIterator[tuple[httpx.Response, int]]:
        """Send until a success (retrying where allowed); yield it with the attempt count.

        With ``stream`` the body of the success is left unread for the caller.
        """
        attempts = _Attempts(prepared, retry or self.config.retry)
        while True:
            attempts.count += 1
            response: httpx.Response | None = None
            if self.config.limiter is not None:
                await asyncio.sleep(self.config.limiter.reserve())
            _log_request(prepared, attempts.count)
            try:
                response = await self._send(prepared, stream)
            except httpx.HTTPError as exc:
                error: ApiError = _transport_error(prepared, exc, attempts.count)
            else:
                self.http.cookies.clear()
                _log_response(prepared, response)
                if response.is_success:
                    try:
                        yield response, attempts.count
                    finally:
                        await response.aclose()
                    return
                await response.aread()
                await response.aclose()
                error = status_error(prepared, response, self.config, attempts.count)
            delay = attempts.next_delay(error, response)
            if delay is None:
                raise error
            await asyncio.sleep(delay)

    async def _send(self, prepared: Prepared, stream: bool) -> httpx.Response:
        with ExitStack() as files:
            request = self.http.build_request(
                prepared.method,
                prepared.url,
                params=prepared.params,
                headers=prepared.headers,
                content=prepared.content,
                files=open_parts(prepared.parts, files) or None,
                timeout=self.config.timeout,
            )
            return await self.http.send(request, stream=stream)

    async def aclose(self) -> None:
        await self.http.aclose()
