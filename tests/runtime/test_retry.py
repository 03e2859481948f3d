"""``lmsgen.runtime._retry``: backoff and ``Retry-After``, and when an attempt is tried
again (statuses, attempts, writes, the time budget)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from lmsgen.runtime import _errors, _retry
from lmsgen.runtime._config import Config, Endpoint, RetryPolicy


def attempts(config: Config, endpoint: Endpoint[Any], **policy: Any) -> _retry.Attempts:
    """A call's attempts, started, its first one under way."""
    attempt = _retry.Attempts(
        config, endpoint, endpoint.args(), None, RetryPolicy(**policy)
    )
    attempt.start()
    attempt.pace()
    return attempt


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert _retry.parse_retry_after(" 7 ") == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    seconds = _retry.parse_retry_after(later)
    assert seconds is not None and 28 <= seconds <= 30
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert _retry.parse_retry_after(past) == 0.0
    assert _retry.parse_retry_after("soon") is None


def test_backoff_is_full_jitter_under_a_doubling_capped_ceiling() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=4.0)
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (9, 4.0)):
        delays = {_retry.retry_delay(policy, attempt, None) for _ in range(50)}
        assert all(0 <= delay <= ceiling for delay in delays) and len(delays) > 1


def test_a_server_asked_delay_is_honoured_in_full() -> None:
    policy = RetryPolicy(max_backoff=1.0)
    asked = httpx.Response(503, headers={"Retry-After": "20"})
    assert _retry.retry_delay(policy, 1, asked) == 20
    unreadable = httpx.Response(503, headers={"Retry-After": "later"})
    assert _retry.retry_delay(policy, 1, unreadable) <= 1.0


def test_only_retryable_statuses_are_retried_and_only_so_often(
    config: Config, read: Endpoint[Any]
) -> None:
    attempt = attempts(config, read, max_attempts=2, backoff=0.01)
    assert attempt.rejected(httpx.Response(503)) <= 0.01
    with pytest.raises(_errors.ServerError):
        attempt.rejected(httpx.Response(500))  # not in RETRY_STATUSES
    attempt.pace()
    with pytest.raises(_errors.ServerError):
        attempt.rejected(httpx.Response(503))  # the last attempt


def test_writes_are_not_retried_unless_asked(
    config: Config, write: Endpoint[Any]
) -> None:
    with pytest.raises(_errors.TransportError):
        attempts(config, write).failed(httpx.ConnectError("down"))
    allowed = attempts(config, write, retry_writes=True, backoff=0.01)
    assert allowed.failed(httpx.ConnectError("down")) <= 0.01


def test_a_wait_past_the_time_budget_ends_the_retries(
    config: Config, read: Endpoint[Any]
) -> None:
    attempt = attempts(config, read, max_elapsed=5.0)
    with pytest.raises(_errors.RateLimitedError):
        attempt.rejected(httpx.Response(429, headers={"Retry-After": "10"}))


def test_a_timeout_is_its_own_error(config: Config, read: Endpoint[Any]) -> None:
    attempt = attempts(config, read, max_attempts=1)
    with pytest.raises(_errors.RequestTimeoutError, match="ReadTimeout while calling"):
        attempt.failed(httpx.ReadTimeout("slow"))


def test_only_an_obtained_token_is_renewed_on_a_401(
    config: Config, read: Endpoint[Any]
) -> None:
    assert attempts(config, read).refused(httpx.Response(401)) is None
