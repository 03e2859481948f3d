"""What a client is set up with, and what an operation is: plain data, no I/O.

``Client`` and ``AsyncClient`` are configured with these, and ``_endpoints.py``
describes each operation as an ``Endpoint``; ``_transport.py`` sends with them. Only the
standard library is imported here, so importing the package needs neither httpx nor
pydantic: the first client loads the transport, and ``LazyModule`` puts the operations
off until the first call (see ``client.py``).
"""

from __future__ import annotations

import base64
import importlib
import math
import threading
import time
from collections.abc import (
    AsyncIterable,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from ._errors import ApiError

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel

    from ._codecs import Codec, MediaCodec
    from ._errors import SoapFaultError

T = TypeVar("T")
R_co = TypeVar("R_co", covariant=True)
WireFormat = Literal["xml", "json"]
RETRY_STATUSES = frozenset({429, 502, 503, 504})


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


REFRESH_MARGIN = 60.0
"""Seconds before a token's announced expiry at which it is renewed."""


class ClientCredentials:
    """OAuth 2.0 client credentials: obtains a bearer token, reuses it, renews it.

    The token comes from the spec's token operation (``endpoint``) and is renewed
    ``REFRESH_MARGIN`` seconds before the lifetime the server announced runs out, or at
    once when the server refuses it. A lock per flavour (threads, asyncio tasks) makes
    concurrent calls share one token request.
    """

    def __init__(
        self,
        endpoint: Endpoint[Any],
        client_id: str,
        client_secret: Secret,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.endpoint = endpoint
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        self._token: Secret | None = None
        self._renew_at = math.inf
        self._lock = threading.Lock()
        self._async_lock: Any = None  # an asyncio.Lock, made on first async use

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r}, client_secret=Secret('***'))"

    def access_token(self) -> str:
        """The current token (``renew`` or ``arenew`` first obtains one)."""
        if self._token is None:
            raise RuntimeError("no access token yet: renew() must run before a call")
        return self._token.reveal()

    def current(self) -> str:
        """The current token, or ``""`` before the first one (for redaction)."""
        return self._token.reveal() if self._token is not None else ""

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token()}"}

    def fresh(self) -> bool:
        return self._token is not None and self.clock() < self._renew_at

    def renew(self, send: Callable[[Endpoint[Any], dict[str, Any]], Any]) -> None:
        """Obtain a token through ``send`` unless the current one is still fresh."""
        with self._lock:
            if not self.fresh():
                try:
                    result = send(self.endpoint, self._form())
                except ApiError as exc:
                    exc.body_excerpt = ""  # the body of a token answer may hold a token
                    raise
                self._store(result)

    async def arenew(
        self, send: Callable[[Endpoint[Any], dict[str, Any]], Awaitable[Any]]
    ) -> None:
        """``renew`` for the asynchronous client."""
        if self._async_lock is None:
            import asyncio

            self._async_lock = asyncio.Lock()
        async with self._async_lock:
            if not self.fresh():
                try:
                    result = await send(self.endpoint, self._form())
                except ApiError as exc:
                    exc.body_excerpt = ""  # the body of a token answer may hold a token
                    raise
                self._store(result)

    def expire(self, token: str) -> None:
        """Forget ``token`` (the server refused it) unless it was renewed meanwhile."""
        with self._lock:
            if self._token is not None and self._token.reveal() == token:
                self._token = None

    def _form(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret.reveal(),
            "grant_type": "client_credentials",
        }

    def _store(self, result: Any) -> None:
        """Keep the token of an RFC 6749 answer (``access_token``, ``expires_in``)."""
        lifetime = getattr(result, "expires_in", None)
        self._token = Secret(str(result.access_token))
        if lifetime:
            seconds = float(lifetime)
            self._renew_at = self.clock() + seconds - min(REFRESH_MARGIN, seconds / 2)
        else:
            self._renew_at = math.inf


Auth = ApiKeyHeader | BasicAuth | BearerToken | ClientCredentials


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
    location: Literal["path", "query", "header", "form", "multipart", "file", "body"]
    style: Literal["form", "deep"] = "form"
    secret: bool = False
    """Its value is a credential: blotted out of error texts like the client's own."""


@dataclass(frozen=True)
class Body:
    """The argument sent as the request body, and the representations it may take."""

    arg: str
    codec: Codec[Any] | MediaCodec[Any]
    formats: tuple[WireFormat, ...] = ()


class Feedable(Protocol[R_co]):
    """A reader fed a reply chunk by chunk (``_xml.ItemReader`` and the validating
    ``_codecs.RecordReader``): each call returns the records it completed."""

    def feed(self, chunk: bytes) -> Sequence[R_co]: ...

    def close(self) -> Sequence[R_co]: ...


class Records(Protocol):
    """How a streamed XML reply is read record by record (``_stream.RecordStream``)."""

    def reader(self) -> Feedable[Any]: ...


class Download(Protocol):
    """Writes a streamed reply where the caller asked (``_stream.DOWNLOAD``)."""

    def write(self, chunks: Iterable[bytes], to: Any) -> int: ...

    async def awrite(self, chunks: AsyncIterable[bytes], to: Any) -> int: ...


class Soap(Protocol):
    """How a SOAP operation travels (``_soap.SoapCall``): what the runtime asks of it.

    Declared here, so that a package without SOAP operations has no ``_soap`` module.
    """

    @property
    def action(self) -> str: ...

    @property
    def request(self) -> Codec[Any]: ...

    @property
    def token_path(self) -> tuple[str, ...]: ...

    @property
    def fault_detail(self) -> Codec[Any] | None: ...

    def encode(self, values: dict[str, Any], token: str | None) -> bytes: ...

    def headers(self) -> dict[str, str]: ...

    def payload(self, root: Any) -> Any: ...

    def fault(self, payload: Any, **context: Any) -> SoapFaultError | None: ...


PartOpener = Callable[[tuple[tuple[str, Any, bool], ...], ExitStack], Any]
"""Opens a call's multipart fields for sending (``_multipart.open_parts``)."""


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
    records: Records | None = None
    """How ``iter_…`` reads the records of a streamed XML reply."""
    download: Download | None = None
    """How ``download_…`` writes a streamed reply."""
    open_parts: PartOpener | None = None
    """Opens the multipart fields of a call that sends a multipart form."""
    soap: Soap | None = None
    """Set for SOAP operations: the body is an envelope sent to the SOAP endpoint."""
    error: Codec[Any] | None = None
    """Reads the documented body of error answers, when the spec has one."""
    page_field: str = ""
    """The result field whose presence proves a reply is a page (the records'
    container of a paginated operation); a reply without it is refused."""

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
    soap_url: str = ""
    """The SOAP endpoint (``""``: not configured)."""

    def hidden(self) -> tuple[str, ...]:
        """Every secret to blot out of excerpts, the tokens obtained so far included."""
        live = tuple(
            scheme.current()
            for scheme in self.auth.values()
            if isinstance(scheme, ClientCredentials) and scheme.current()
        )
        return self.secrets + live

    def scheme(self, endpoint: Endpoint[Any]) -> Auth | None:
        """The configured auth scheme an endpoint uses, if any."""
        return next(
            (self.auth[name] for name in endpoint.auth if name in self.auth), None
        )


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


def timeouts(value: float | httpx.Timeout | None) -> httpx.Timeout:
    """The caller's timeouts; by default, connect within 10 s and no read, write or pool
    wait longer than 30 s."""
    import httpx  # with the first client: importing the package does not load httpx

    if value is None:
        return httpx.Timeout(30.0, connect=10.0)
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


class LazyModule:
    """Stands for a module, and imports it when one of its attributes is first read."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self.name), attribute)
