"""Request building, sending (with timeouts, retries and pacing) and response decoding.

The generated ``Client`` and ``AsyncClient`` describe each operation as an ``Endpoint``
(see ``_endpoints.py``); everything here is shared by all operations.
"""

from __future__ import annotations

import base64
import email.utils
import logging
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ValidationError

from . import _xml
from ._codecs import Codec, ListCodec, RecordError
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
logger = logging.getLogger("litmos")
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
    location: Literal["path", "query", "header", "form"]
    style: Literal["form", "deep"] = "form"


@dataclass(frozen=True)
class Body:
    """The argument sent as the request body, and the representations it may take."""

    arg: str
    codec: Codec[Any]
    formats: tuple[WireFormat, ...]


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """Everything the runtime needs to know about one operation."""

    operation: str
    method: str
    path: str
    args: type[BaseModel]
    params: tuple[Param, ...] = ()
    body: Body | None = None
    result: Codec[T] | None = None
    result_formats: tuple[WireFormat, ...] = ()
    idempotent: bool = False
    auth: tuple[str, ...] = ()

    def wire_format(self, wanted: WireFormat) -> WireFormat:
        """The representation to use: the one wanted, unless the spec only has another."""
        offered = self.result_formats or (self.body.formats if self.body else ())
        if not offered or wanted in offered:
            return wanted
        return offered[0]


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
    headers: dict[str, str] = {}
    for param in endpoint.params:
        value = getattr(args, param.arg)
        if value is None:
            continue
        if param.location == "form":
            items = value if isinstance(value, list | tuple) else [value]
            form.extend((param.wire, text_of(item)) for item in items)
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
        body_wire = wire if wire in endpoint.body.formats else endpoint.body.formats[0]
        value = getattr(args, endpoint.body.arg)
        if body_wire == "json":
            content = endpoint.body.codec.encode_json(value)
            headers["Content-Type"] = "application/json; charset=utf-8"
        else:
            content = endpoint.body.codec.encode_xml(value)
            headers["Content-Type"] = "application/xml; charset=utf-8"
    for name in endpoint.auth:
        scheme = config.auth.get(name)
        if scheme is not None:
            headers.update(scheme.headers())
            break
    url = config.base_url.rstrip("/") + path
    return Prepared(
        endpoint, endpoint.method, url, tuple(params), headers, content, wire
    )


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
    endpoint = prepared.endpoint
    if endpoint.result is None:
        return None
    body = response.content
    context: dict[str, Any] = {
        "operation": endpoint.operation,
        "status": response.status_code,
        "attempts": attempts,
        "body_excerpt": excerpt(body, config.secrets),
    }
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not body.strip():
        raise ResponseParseError("empty body where a payload was expected", **context)
    if media == "text/html" or _looks_like_html(body):
        raise ResponseParseError(
            f"expected {prepared.wire_format.upper()}, got an HTML page", **context
        )
    wire = (
        "json" if "json" in media else "xml" if "xml" in media else prepared.wire_format
    )
    try:
        if wire == "json":
            return endpoint.result.decode_json(body)
        return endpoint.result.decode_xml(_xml.parse(body))
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "(root)"
        raise ResponseValidationError(
            f"response does not match the spec at {where}: {error['msg']}", **context
        ) from None
    except _xml.XmlSafetyError as exc:
        raise UnsafeXmlError(f"unsafe XML refused: {exc}", **context) from None
    except ValueError as exc:
        raise ResponseParseError(
            f"malformed {wire.upper()}: {exc}", **context
        ) from None


def stream_errors(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
) -> Callable[[Exception], ApiError]:
    """How failures while reading a streamed body become typed errors."""
    context: dict[str, Any] = {
        "operation": prepared.endpoint.operation,
        "status": response.status_code,
        "attempts": attempts,
    }

    def convert(exc: Exception) -> ApiError:
        if isinstance(exc, RecordError):
            return ResponseValidationError(
                f"response does not match the spec at {exc.where}", **context
            )
        if isinstance(exc, _xml.XmlSafetyError):
            return UnsafeXmlError(f"unsafe XML refused: {exc}", **context)
        if isinstance(exc, httpx.HTTPError):
            return _transport_error(prepared, exc, attempts)
        return ResponseParseError(f"malformed XML: {exc}", **context)

    return convert


def check_stream_media(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
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
        "%s: HTTP %d %s, %d bytes",
        prepared.endpoint.operation,
        response.status_code,
        response.headers.get("content-type", "-"),
        len(response.content),
    )


class SyncTransport:
    """Sends prepared requests with ``httpx.Client``."""

    def __init__(self, config: Config, http: httpx.Client | None) -> None:
        self.config = config
        self.http = http or httpx.Client(timeout=config.timeout, follow_redirects=False)

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
        attempts = _Attempts(prepared, retry or self.config.retry)
        while True:
            attempts.count += 1
            response: httpx.Response | None = None
            if self.config.limiter is not None:
                time.sleep(self.config.limiter.reserve())
            _log_request(prepared, attempts.count)
            try:
                response = self.http.request(
                    prepared.method,
                    prepared.url,
                    params=prepared.params,
                    headers=prepared.headers,
                    content=prepared.content,
                    timeout=self.config.timeout,
                )
            except httpx.HTTPError as exc:
                error: ApiError = _transport_error(prepared, exc, attempts.count)
            else:
                self.http.cookies.clear()
                _log_response(prepared, response)
                if response.is_success:
                    result: T = decode(prepared, response, self.config, attempts.count)
                    return result
                error = status_error(prepared, response, self.config, attempts.count)
            delay = attempts.next_delay(error, response)
            if delay is None:
                raise error
            time.sleep(delay)

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
        checked = validate_args(endpoint, self.config, args)
        prepared = prepare(endpoint, self.config, checked, "xml")
        codec = endpoint.result
        assert isinstance(codec, ListCodec)
        attempts = _Attempts(prepared, retry or self.config.retry)
        while True:
            attempts.count += 1
            response: httpx.Response | None = None
            if self.config.limiter is not None:
                time.sleep(self.config.limiter.reserve())
            _log_request(prepared, attempts.count)
            try:
                with self.http.stream(
                    prepared.method,
                    prepared.url,
                    params=prepared.params,
                    headers=prepared.headers,
                    content=prepared.content,
                    timeout=self.config.timeout,
                ) as response:
                    if response.is_success:
                        check_stream_media(
                            prepared, response, self.config, attempts.count
                        )
                        convert = stream_errors(
                            prepared, response, self.config, attempts.count
                        )
                        reader = codec.reader()
                        try:
                            for chunk in response.iter_bytes():
                                yield from reader.feed(chunk)
                            yield from reader.close()
                        except (ValueError, httpx.HTTPError) as exc:
                            raise convert(exc) from None
                        return
                    response.read()
                    error: ApiError = status_error(
                        prepared, response, self.config, attempts.count
                    )
            except httpx.HTTPError as exc:
                error = _transport_error(prepared, exc, attempts.count)
            finally:
                self.http.cookies.clear()
            delay = attempts.next_delay(error, response)
            if delay is None:
                raise error
            time.sleep(delay)

    def close(self) -> None:
        self.http.close()


async def _sleep(seconds: float) -> None:
    # asyncio is imported here, not at the top: sync-only users skip its import cost.
    import asyncio

    await asyncio.sleep(seconds)


class AsyncTransport:
    """Sends prepared requests with ``httpx.AsyncClient``."""

    def __init__(self, config: Config, http: httpx.AsyncClient | None) -> None:
        self.config = config
        self.http = http or httpx.AsyncClient(
            timeout=config.timeout, follow_redirects=False
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
        attempts = _Attempts(prepared, retry or self.config.retry)
        while True:
            attempts.count += 1
            response: httpx.Response | None = None
            if self.config.limiter is not None:
                await _sleep(self.config.limiter.reserve())
            _log_request(prepared, attempts.count)
            try:
                response = await self.http.request(
                    prepared.method,
                    prepared.url,
                    params=prepared.params,
                    headers=prepared.headers,
                    content=prepared.content,
                    timeout=self.config.timeout,
                )
            except httpx.HTTPError as exc:
                error: ApiError = _transport_error(prepared, exc, attempts.count)
            else:
                self.http.cookies.clear()
                _log_response(prepared, response)
                if response.is_success:
                    result: T = decode(prepared, response, self.config, attempts.count)
                    return result
                error = status_error(prepared, response, self.config, attempts.count)
            delay = attempts.next_delay(error, response)
            if delay is None:
                raise error
            await _sleep(delay)

    async def stream(
        self,
        endpoint: Endpoint[list[T]],
        args: dict[str, Any],
        retry: RetryPolicy | None = None,
    ) -> AsyncIterator[T]:
        """The records of a list response as they arrive (see ``SyncTransport.stream``)."""
        checked = validate_args(endpoint, self.config, args)
        prepared = prepare(endpoint, self.config, checked, "xml")
        codec = endpoint.result
        assert isinstance(codec, ListCodec)
        attempts = _Attempts(prepared, retry or self.config.retry)
        while True:
            attempts.count += 1
            response: httpx.Response | None = None
            if self.config.limiter is not None:
                await _sleep(self.config.limiter.reserve())
            _log_request(prepared, attempts.count)
            try:
                async with self.http.stream(
                    prepared.method,
                    prepared.url,
                    params=prepared.params,
                    headers=prepared.headers,
                    content=prepared.content,
                    timeout=self.config.timeout,
                ) as response:
                    if response.is_success:
                        check_stream_media(
                            prepared, response, self.config, attempts.count
                        )
                        convert = stream_errors(
                            prepared, response, self.config, attempts.count
                        )
                        reader = codec.reader()
                        try:
                            async for chunk in response.aiter_bytes():
                                for record in reader.feed(chunk):
                                    yield record
                            for record in reader.close():
                                yield record
                        except (ValueError, httpx.HTTPError) as exc:
                            raise convert(exc) from None
                        return
                    await response.aread()
                    error: ApiError = status_error(
                        prepared, response, self.config, attempts.count
                    )
            except httpx.HTTPError as exc:
                error = _transport_error(prepared, exc, attempts.count)
            finally:
                self.http.cookies.clear()
            delay = attempts.next_delay(error, response)
            if delay is None:
                raise error
            await _sleep(delay)

    async def aclose(self) -> None:
        await self.http.aclose()
