"""``lmsgen.runtime._config``: timeouts, credentials that never show, token renewal,
pacing and the plain data an operation is."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from lmsgen.runtime import _errors
from lmsgen.runtime._config import (
    REFRESH_MARGIN,
    Body,
    ClientCredentials,
    Endpoint,
    RateLimiter,
    RetryPolicy,
    Secret,
    text_of,
    timeouts,
)
from pydantic import BaseModel


class NoArgs(BaseModel):
    pass


def test_default_timeouts_connect_within_10s_and_wait_at_most_30s() -> None:
    default = timeouts(None)
    assert default.connect == 10.0
    assert default.read == default.write == default.pool == 30.0
    assert timeouts(5).read == 5.0
    given = httpx.Timeout(1.0)
    assert timeouts(given) is given


def test_the_default_retry_policy() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.max_elapsed, policy.retry_writes) == (
        4,
        60.0,
        False,
    )
    assert policy.statuses == {429, 502, 503, 504}


def test_a_secret_never_shows_itself() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in f"{secret!r} {secret}"
    assert secret.reveal() == "hunter2"
    scheme = ClientCredentials(token_endpoint(), "id", secret)
    assert "hunter2" not in repr(scheme)


def test_query_texts_of_scalars() -> None:
    class Colour(Enum):
        RED = "red"

    assert [text_of(True), text_of(False), text_of(Colour.RED), text_of(3)] == [
        "true",
        "false",
        "red",
        "3",
    ]
    assert text_of(date(2024, 1, 2)) == "2024-01-02"
    assert text_of(datetime(2024, 1, 2, tzinfo=UTC)) == "2024-01-02T00:00:00+00:00"


def test_the_wire_format_is_the_one_wanted_unless_the_spec_has_only_another() -> None:
    both = Endpoint("a", "GET", "/", NoArgs, result_formats=("xml", "json"))
    assert both.wire_format("json") == "json"
    xml_only = Endpoint("a", "GET", "/", NoArgs, result_formats=("xml",))
    assert xml_only.wire_format("json") == "xml"
    body = Endpoint("a", "POST", "/", NoArgs, body=Body("b", Any, ("json",)))
    assert body.wire_format("xml") == "json"


def token_endpoint() -> Endpoint[Any]:
    return Endpoint("token", "POST", "/token", NoArgs)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_is_obtained_once_and_renewed_before_it_expires() -> None:
    clock = Clock()
    sent: list[dict[str, Any]] = []

    def send(endpoint: Endpoint[Any], form: dict[str, Any]) -> Any:
        sent.append(form)
        return SimpleNamespace(access_token=f"t{len(sent)}", expires_in=3600)

    scheme = ClientCredentials(token_endpoint(), "id", Secret("pw"), clock)
    scheme.renew(send)
    scheme.renew(send)
    assert scheme.headers() == {"Authorization": "Bearer t1"} and len(sent) == 1
    assert sent[0] == {
        "client_id": "id",
        "client_secret": "pw",
        "grant_type": "client_credentials",
    }
    clock.now += 3600 - REFRESH_MARGIN
    scheme.renew(send)
    assert scheme.access_token() == "t2"
    scheme.expire("t1")  # an old token refused: the current one stays
    assert scheme.current() == "t2"
    scheme.expire("t2")
    assert scheme.current() == "" and not scheme.fresh()


def test_a_failed_token_request_keeps_its_body_out_of_the_error() -> None:
    def send(endpoint: Endpoint[Any], form: dict[str, Any]) -> Any:
        raise _errors.AuthenticationError("no", operation="token", body_excerpt="tok")

    scheme = ClientCredentials(token_endpoint(), "id", Secret("pw"))
    with pytest.raises(_errors.AuthenticationError) as caught:
        scheme.renew(send)
    assert caught.value.body_excerpt == ""
    with pytest.raises(RuntimeError):
        scheme.access_token()


def test_the_rate_limiter_lets_a_burst_through_then_spaces_calls() -> None:
    limiter = RateLimiter(2, per_seconds=1.0)
    assert limiter.reserve() == 0.0 and limiter.reserve() == 0.0
    wait = limiter.reserve()
    assert 0.4 < wait <= 0.5
