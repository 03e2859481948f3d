"""The I/O-free policies of ``lmsgen.runtime._transport``: backoff and ``Retry-After``,
when an attempt is retried, how an answer becomes a typed error, and what is redacted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from lmsgen.runtime import _errors, _transport
from lmsgen.runtime._config import (
    BasicAuth,
    Config,
    Endpoint,
    RetryPolicy,
    Secret,
    timeouts,
)
from pydantic import BaseModel

SECRET = "s3cr3t-password"


class NoArgs(BaseModel):
    pass


def endpoint(idempotent: bool = True) -> Endpoint[Any]:
    return Endpoint(
        "get_thing", "GET", "/thing", NoArgs, idempotent=idempotent, auth=("basic",)
    )


def config(**changes: Any) -> Config:
    settings: dict[str, Any] = {
        "base_url": "https://api.example/v1/",
        "wire_format": "json",
        "wire_rules": {},
        "auth": {"basic": BasicAuth("me", Secret(SECRET))},
        "defaults": {},
        "timeout": timeouts(None),
        "retry": RetryPolicy(),
        "secrets": (SECRET,),
    }
    return Config(**{**settings, **changes})


def attempts(policy: RetryPolicy, idempotent: bool = True) -> Any:
    attempt = _transport._Attempts(
        config(), endpoint(idempotent), NoArgs(), None, policy
    )
    attempt.start()
    return attempt


def response(
    status: int, headers: dict[str, str] | None = None, body: bytes = b""
) -> Any:
    return httpx.Response(status, headers=headers, content=body)


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert _transport.parse_retry_after(" 7 ") == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    seconds = _transport.parse_retry_after(later)
    assert seconds is not None and 28 <= seconds <= 30
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert _transport.parse_retry_after(past) == 0.0
    assert _transport.parse_retry_after("soon") is None


def test_backoff_is_full_jitter_under_a_doubling_capped_ceiling() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=4.0)
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (9, 4.0)):
        delays = {_transport.retry_delay(policy, attempt, None) for _ in range(50)}
        assert all(0 <= delay <= ceiling for delay in delays) and len(delays) > 1


def test_a_server_asked_delay_is_honoured_in_full() -> None:
    policy = RetryPolicy(max_backoff=1.0)
    assert _transport.retry_delay(policy, 1, response(503, {"Retry-After": "20"})) == 20
    unreadable = response(503, {"Retry-After": "later"})
    assert _transport.retry_delay(policy, 1, unreadable) <= 1.0


def test_only_retryable_statuses_are_retried_and_only_so_often() -> None:
    attempt = attempts(RetryPolicy(max_attempts=2, backoff=0.01))
    attempt.pace()
    assert attempt.rejected(response(503)) <= 0.01
    with pytest.raises(_errors.ServerError):
        attempt.rejected(response(500))  # not in RETRY_STATUSES
    attempt.pace()
    with pytest.raises(_errors.ServerError):
        attempt.rejected(response(503))  # the last attempt


def test_writes_are_not_retried_unless_asked() -> None:
    write = attempts(RetryPolicy(), idempotent=False)
    write.pace()
    with pytest.raises(_errors.TransportError):
        write.failed(httpx.ConnectError("down"))
    allowed = attempts(RetryPolicy(retry_writes=True, backoff=0.01), idempotent=False)
    allowed.pace()
    assert allowed.failed(httpx.ConnectError("down")) <= 0.01


def test_a_wait_past_the_time_budget_ends_the_retries() -> None:
    attempt = attempts(RetryPolicy(max_elapsed=5.0))
    attempt.pace()
    with pytest.raises(_errors.RateLimitedError):
        attempt.rejected(response(429, {"Retry-After": "10"}))


def test_a_timeout_is_its_own_error() -> None:
    attempt = attempts(RetryPolicy(max_attempts=1))
    attempt.pace()
    with pytest.raises(_errors.RequestTimeoutError, match="ReadTimeout while calling"):
        attempt.failed(httpx.ReadTimeout("slow"))


def test_the_request_carries_auth_and_the_base_url() -> None:
    prepared = attempts(RetryPolicy()).sending()
    assert prepared.url == "https://api.example/v1/thing"
    assert prepared.headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, _errors.AuthenticationError),
        (403, _errors.PermissionDeniedError),
        (404, _errors.NotFoundError),
        (409, _errors.ConflictError),
        (429, _errors.RateLimitedError),
        (418, _errors.ClientRequestError),
        (502, _errors.ServerError),
    ],
)
def test_statuses_map_to_typed_errors(
    status: int, error: type[_errors.ApiError]
) -> None:
    prepared = attempts(RetryPolicy()).prepared
    found = _transport.status_error(prepared, response(status), config(), 3)
    assert type(found) is error
    assert found.status == status and found.attempts == 3


def test_secrets_are_blotted_out_of_excerpts_and_messages() -> None:
    prepared = attempts(RetryPolicy()).prepared
    body = f"wrong password {SECRET}".encode()
    error = _transport.status_error(prepared, response(400, body=body), config(), 1)
    assert SECRET not in str(error) and "***" in error.body_excerpt
    hidden = _transport.hide(
        _errors.ApiError(f"said {SECRET}", operation="x"), (SECRET,)
    )
    assert hidden.message == "said ***" and hidden.args == ("said ***",)


def test_excerpts_are_cut_short() -> None:
    text = _transport.excerpt("é".encode() * 2000, ())
    assert len(text) == _transport.EXCERPT_CHARS
