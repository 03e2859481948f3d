"""Retry policy, Retry-After, deadlines, per-call settings, timeouts and rate limiting.

Through a generated client and its fake server (the policies alone are tested in
``test_transport.py``); Litmos is the provider with a documented rate limit (100
requests per minute per key).
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from generated_packages import load

litmos = load("litmos")
RetryPolicy = litmos.package.RetryPolicy
RateLimiter = litmos.package.RateLimiter
Fault = litmos.fake.Fault
FAST = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.05)


def test_server_asked_delay_is_honoured() -> None:
    with litmos.fake.FakeServer() as server:
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
        server.inject(Fault(status=503, headers={"Retry-After": when}))
        started = time.monotonic()
        with server.client(retry=RetryPolicy(max_attempts=2, max_backoff=5)) as client:
            assert client.get_user_courses("u1")
        waited = time.monotonic() - started
    assert 0.9 <= waited < 4  # the HTTP-date is second-precise


def test_total_time_cap_stops_retrying() -> None:
    policy = RetryPolicy(max_attempts=10, max_elapsed=0.5, backoff=0.2, max_backoff=0.2)
    with litmos.fake.FakeServer() as server:
        server.inject(Fault(status=503, headers={"Retry-After": "1"}, count=10))
        started = time.monotonic()
        with (
            server.client(retry=policy) as client,
            pytest.raises(litmos.errors.ServerError),
        ):
            client.get_user_courses("u1")
        assert time.monotonic() - started < 1.0
        assert len(server.requests) == 1  # waiting 1 s would break the 0.5 s budget


def test_per_call_policy_overrides_the_client() -> None:
    with litmos.fake.FakeServer() as server:
        server.inject(Fault(status=503, count=2))
        with server.client(retry=RetryPolicy(max_attempts=1)) as client:
            assert client.get_user_courses("u1", retry=FAST)
        assert len(server.requests) == 3


def test_default_timeouts_are_set() -> None:
    with litmos.package.Client("k", source="s") as client:
        timeout = client._transport.config.timeout
    assert timeout == httpx.Timeout(30.0, connect=10.0)
    with litmos.package.Client("k", source="s", timeout=2.5) as client:
        assert client._transport.config.timeout == httpx.Timeout(2.5)


def test_documented_limit_is_the_default() -> None:
    with litmos.package.Client("k", source="s") as client:
        limiter = client._transport.config.limiter
    assert (limiter.capacity, limiter.rate) == (100, 100 / 60)
    with litmos.package.Client("k", source="s", rate_limit=False) as client:
        assert client._transport.config.limiter is None


def test_token_bucket_paces_threads_and_tasks_together() -> None:
    """20 requests per second, burst 20: 60 calls from threads and tasks need about 2 s."""
    limiter = RateLimiter(20, 1.0)
    with (
        litmos.fake.FakeServer() as server,
        server.client(rate_limit=limiter) as client,
    ):

        def worker() -> None:
            for _ in range(10):
                client.get_user_courses("u1")

        async def tasks() -> None:
            async with server.async_client(rate_limit=limiter) as other:
                await asyncio.gather(*(other.get_user_courses("u1") for _ in range(20)))

        started = time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        asyncio.run(tasks())
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert len(server.requests) == 60
    assert 1.8 <= elapsed < 6
