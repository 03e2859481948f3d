"""Sending with httpx, synchronously and asynchronously: timeouts, retries, pacing,
token renewal, streamed replies.

The generated ``Client`` and ``AsyncClient`` describe each operation as an ``Endpoint``
(see ``_config.py`` and ``_endpoints.py``). What needs no I/O is elsewhere: building the
request (``_request``), reading the answer (``_response``), deciding on retries
(``_retry``); ``SyncTransport`` and ``AsyncTransport`` only do the sending, over one
shared base. Imported with the first client, not with the package: it is what needs
httpx, pydantic and the codecs.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import ExitStack, asynccontextmanager, contextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, Generic, TypeVar

import httpx

from ._codecs import ListCodec
from ._config import Config, Download, Endpoint, Feedable, RetryPolicy, WireFormat
from ._errors import TransportError
from ._request import Prepared, check_config, validate_args
from ._response import (
    check_stream_media,
    decode,
    error_context,
    parse_errors,
    transport_error,
)
from ._retry import Attempts, Exchange

T = TypeVar("T")
R = TypeVar("R")


class _Records(Generic[R]):
    """The records a reader makes of a streamed success, chunk by chunk. With a wire
    format asked for, a reply that is not XML is refused before it is read."""

    def __init__(
        self, exchange: Exchange, attempts: Attempts, reader: Feedable[R]
    ) -> None:
        prepared, response, count = exchange
        if attempts.wire_format is not None:
            check_stream_media(prepared, response, count)
        self.prepared = prepared
        self.count = count
        self.reader = reader
        self.context = error_context(prepared, response, attempts.config, count, b"")

    def feed(self, chunk: bytes) -> Sequence[R]:
        with parse_errors(self.context, "XML"):
            return self.reader.feed(chunk)

    def close(self) -> Sequence[R]:
        with parse_errors(self.context, "XML"):
            return self.reader.close()

    def broken(self, exc: httpx.HTTPError) -> TransportError:
        """The error of a reply cut off while it was read."""
        return transport_error(self.prepared, exc, self.count)


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
    ) -> Attempts:
        """A call whose arguments are checked, with the client's configuration, now."""
        check_config(endpoint, self.config)
        checked = validate_args(endpoint, self.config, args)
        return Attempts(
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

    def _records(self, attempts: Attempts, reader: Feedable[R]) -> Iterator[R]:
        with self._exchange(attempts, stream=True) as exchange:
            records = _Records(exchange, attempts, reader)
            try:
                for chunk in exchange[1].iter_bytes():
                    yield from records.feed(chunk)
                yield from records.close()
            except httpx.HTTPError as exc:
                raise records.broken(exc) from None

    def _chunks(self, attempts: Attempts) -> Iterator[bytes]:
        with self._exchange(attempts, stream=True) as (prepared, response, count):
            try:
                yield from response.iter_bytes()
            except httpx.HTTPError as exc:
                raise transport_error(prepared, exc, count) from None

    @contextmanager
    def _exchange(self, attempts: Attempts, stream: bool) -> Iterator[Exchange]:
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
        self, attempts: Attempts, reader: Feedable[R]
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

    async def _chunks(self, attempts: Attempts) -> AsyncIterator[bytes]:
        async with self._exchange(attempts, stream=True) as (prepared, response, n):
            try:
                async for chunk in response.aiter_bytes():
                    yield chunk
            except httpx.HTTPError as exc:
                raise transport_error(prepared, exc, n) from None

    @asynccontextmanager
    async def _exchange(
        self, attempts: Attempts, stream: bool
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
