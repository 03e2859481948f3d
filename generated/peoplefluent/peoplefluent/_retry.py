"""When to try a call again, and how long to wait first: backoff with jitter,
``Retry-After``, the time budget, one renewal of a refused token. No I/O."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import BaseModel

from ._config import ClientCredentials, Config, Endpoint, RetryPolicy, WireFormat
from ._errors import ApiError
from ._request import Prepared, prepare
from ._response import status_error, transport_error

logger = logging.getLogger(__package__)
"""The package's logger: each call's attempts and answers, at DEBUG level."""


Exchange = tuple[Prepared, httpx.Response, int]
"""A successful answer: the request as last sent, the response, the attempt count."""


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


class Attempts:
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
        return self._again(transport_error(self.prepared, exc, self.count), None)

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


def _renewable(endpoint: Endpoint[Any], config: Config) -> ClientCredentials | None:
    """The client-credentials scheme an endpoint uses (its token may need renewing)."""
    scheme = config.scheme(endpoint)
    return scheme if isinstance(scheme, ClientCredentials) else None


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
