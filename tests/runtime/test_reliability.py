"""Fault injection over real HTTP: every operation of every provider, every misbehaviour.

Each call must end within its deadline with the typed error; idempotent calls are
retried no more than configured, and a non-idempotent call is sent exactly once unless
the caller opted into retrying writes.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from generated_packages import (
    load,
    operations,
    parses_reply,
    provider_names,
    streamed_operations,
)

ALL_OPERATIONS = operations()
ATTEMPTS = 3
TIMEOUT = 0.3
SLOW = 0.8


@dataclass(frozen=True)
class Scenario:
    fault: dict[str, Any]
    error: str
    retried: bool
    needs_result: bool = False
    """The fault is in the body: only for calls whose reply is parsed (``parses_reply``)."""


SCENARIOS = {
    "429-retry-after": Scenario(
        {"status": 429, "headers": {"Retry-After": "0"}}, "RateLimitedError", True
    ),
    "503-burst": Scenario({"status": 503}, "ServerError", True),
    "connection-reset": Scenario({"kind": "reset"}, "TransportError", True),
    "truncated-body": Scenario({"kind": "truncate"}, "TransportError", True),
    "slower-than-timeout": Scenario(
        {"kind": "slow", "delay": SLOW}, "RequestTimeoutError", True
    ),
    "html-page": Scenario(
        {"kind": "html"}, "ResponseParseError", False, needs_result=True
    ),
    "invalid-body": Scenario(
        {"kind": "invalid"}, "ResponseParseError", False, needs_result=True
    ),
    "empty-body": Scenario(
        {"kind": "empty"}, "ResponseParseError", False, needs_result=True
    ),
}


def _policy(generated: Any, **changes: Any) -> Any:
    return generated.package.RetryPolicy(
        max_attempts=ATTEMPTS, backoff=0.01, max_backoff=0.05, **changes
    )


def _deadline() -> float:
    return ATTEMPTS * (TIMEOUT + 0.1) + 2.0


def _fault_cases() -> list[Any]:
    """Every (operation, scenario) pair that applies: body faults need a response body."""
    return [
        pytest.param(*param.values, scenario, id=f"{param.id}-{scenario}")
        for param in ALL_OPERATIONS
        for scenario, case in sorted(SCENARIOS.items())
        if not case.needs_result
        or parses_reply(load(param.values[0]).endpoint(param.values[1]))
    ]


@pytest.mark.parametrize(("provider", "operation", "scenario"), _fault_cases())
def test_fault_gives_typed_error_within_deadline(
    provider: str, operation: str, scenario: str
) -> None:
    case = SCENARIOS[scenario]
    generated = load(provider)
    endpoint, call, _ = generated.calls[operation]
    expected = getattr(generated.errors, case.error)
    with generated.fake.FakeServer() as server:
        server.inject(generated.fake.Fault(count=ATTEMPTS + 2, **case.fault))
        started = time.monotonic()
        with (
            server.client(retry=_policy(generated), timeout=TIMEOUT) as client,
            pytest.raises(expected) as caught,
        ):
            call(client)
        elapsed = time.monotonic() - started
        sent = len(server.calls(operation))
    assert elapsed < _deadline()
    assert caught.value.operation == operation
    tries = ATTEMPTS if case.retried and endpoint.idempotent else 1
    assert sent == tries
    assert caught.value.attempts == tries


@pytest.mark.parametrize(("provider", "operation"), ALL_OPERATIONS)
def test_recovery_after_a_burst(provider: str, operation: str) -> None:
    generated = load(provider)
    endpoint, call, _ = generated.calls[operation]
    with generated.fake.FakeServer() as server:
        server.inject(generated.fake.Fault(status=503, count=ATTEMPTS - 1))
        with server.client(retry=_policy(generated), timeout=TIMEOUT) as client:
            if endpoint.idempotent:
                call(client)
                assert len(server.calls(operation)) == ATTEMPTS
            else:
                with pytest.raises(generated.errors.ServerError):
                    call(client)
                assert len(server.calls(operation)) == 1


@pytest.mark.parametrize(
    ("provider", "operation"), operations(lambda endpoint: not endpoint.idempotent)
)
def test_writes_are_retried_only_when_opted_in(provider: str, operation: str) -> None:
    generated = load(provider)
    _, call, _ = generated.calls[operation]
    with generated.fake.FakeServer() as server:
        server.inject(generated.fake.Fault(status=503))
        with (
            server.client(retry=_policy(generated), timeout=TIMEOUT) as client,
            pytest.raises(generated.errors.ServerError),
        ):
            call(client)
        assert len(server.calls(operation)) == 1
        server.requests.clear()
        server.inject(generated.fake.Fault(status=503, count=ATTEMPTS - 1))
        opted_in = _policy(generated, retry_writes=True)
        with server.client(retry=opted_in, timeout=TIMEOUT) as client:
            call(client)
        assert len(server.calls(operation)) == ATTEMPTS


@pytest.mark.parametrize(("provider", "operation"), ALL_OPERATIONS)
def test_async_client_times_out_and_retries_like_the_sync_one(
    provider: str, operation: str
) -> None:
    generated = load(provider)
    endpoint, _, call = generated.calls[operation]

    async def run() -> Any:
        async with server.async_client(
            retry=_policy(generated), timeout=TIMEOUT
        ) as client:
            return await call(client)

    with generated.fake.FakeServer() as server:
        server.inject(generated.fake.Fault(kind="slow", delay=SLOW, count=ATTEMPTS + 2))
        started = time.monotonic()
        with pytest.raises(generated.errors.RequestTimeoutError) as caught:
            asyncio.run(run())
        assert time.monotonic() - started < _deadline()
        expected = ATTEMPTS if endpoint.idempotent else 1
        assert len(server.calls(operation)) == expected
        assert caught.value.attempts == expected


@pytest.mark.parametrize(("provider", "operation"), streamed_operations())
def test_stream_cut_short_raises_after_the_records_it_had(
    provider: str, operation: str
) -> None:
    generated = load(provider)
    endpoint, _, _ = generated.calls[operation]
    stream, _ = generated.streams[operation]
    records = [endpoint.result.model.model_validate({}) for _ in range(50)]
    whole = endpoint.result.encode_xml(records)
    cut = whole[: len(whole) * 3 // 4]
    headers = {"Content-Type": "application/xml"}
    with generated.fake.FakeServer() as server:
        server.inject(
            generated.fake.Fault(status=200, body=cut, headers=headers, count=5)
        )
        received: list[Any] = []
        with (
            server.client(retry=_policy(generated), timeout=TIMEOUT) as client,
            pytest.raises(generated.errors.ResponseParseError),
        ):
            received.extend(stream(client))
        assert len(server.calls(operation)) == 1
    assert (
        0 < len(received) < len(records)
    )  # the complete records came before the error


@pytest.mark.parametrize(
    "text", ["Permission denied", "Wrong parameters", "Internal error, try later"]
)
@pytest.mark.parametrize(
    ("provider", "operation"), operations(lambda endpoint: endpoint.soap is not None)
)
def test_soap_fault_gives_its_typed_error_once(
    provider: str, operation: str, text: str
) -> None:
    generated = load(provider)
    _, call, _ = generated.calls[operation]
    with generated.fake.FakeServer() as server:
        server.inject(server.soap_fault(text, count=ATTEMPTS + 2))
        started = time.monotonic()
        with (
            server.client(retry=_policy(generated), timeout=TIMEOUT) as client,
            pytest.raises(generated.errors.SoapFaultError) as caught,
        ):
            call(client)
        assert time.monotonic() - started < _deadline()
        assert len(server.calls(operation)) == 1  # a Fault is an answer: never retried
    assert caught.value.operation == operation
    assert text in caught.value.fault_string
    if text != "Internal error, try later":
        assert (
            type(caught.value) is not generated.errors.SoapFaultError
        )  # a documented kind


@pytest.mark.parametrize("provider", provider_names())
def test_fake_server_is_quiet_when_a_client_hangs_up_early(
    provider: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Timeout and oversized-reply tests cut connections on purpose: the broken pipe
    that follows is no server error (no traceback), while any other error still is."""
    with load(provider).fake.FakeServer() as server:
        http = server._server
        for error in (BrokenPipeError(), ConnectionResetError()):
            try:
                raise error
            except ConnectionError:
                http.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a bug in a handler")
        except ValueError:
            http.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: a bug in a handler" in capsys.readouterr().err


def _first_idempotent(provider: str) -> str:
    return next(
        name
        for name, (endpoint, _, _) in load(provider).calls.items()
        if endpoint.idempotent
    )


@pytest.mark.parametrize("provider", provider_names())
def test_with_options_changes_timeout_and_retries_of_the_copy_only(
    provider: str,
) -> None:
    """The copy times out sooner and tries once; the client keeps its own settings and
    its connections, which closing the copy leaves open."""
    generated = load(provider)
    operation = _first_idempotent(provider)
    _, call, _ = generated.calls[operation]
    with generated.fake.FakeServer() as server:
        with server.client(retry=_policy(generated), timeout=SLOW * 4) as client:
            once = generated.package.RetryPolicy(max_attempts=1)
            with client.with_options(timeout=TIMEOUT, retry=once) as quick:
                server.inject(generated.fake.Fault(kind="slow", delay=SLOW))
                with pytest.raises(generated.errors.RequestTimeoutError) as caught:
                    call(quick)
                assert caught.value.attempts == 1
            server.inject(generated.fake.Fault(kind="slow", delay=SLOW))
            call(client)  # within the client's own, longer timeout
            server.inject(generated.fake.Fault(status=503))
            call(client)  # retried: the client's policy
        assert len(server.calls(operation)) == 1 + 1 + 2


@pytest.mark.parametrize("provider", provider_names())
def test_async_with_options_changes_the_copy_only(provider: str) -> None:
    generated = load(provider)
    operation = _first_idempotent(provider)
    _, _, call = generated.calls[operation]

    async def run(server: Any) -> None:
        async with server.async_client(
            retry=_policy(generated), timeout=SLOW * 4
        ) as client:
            once = generated.package.RetryPolicy(max_attempts=1)
            async with client.with_options(timeout=TIMEOUT, retry=once) as quick:
                server.inject(generated.fake.Fault(kind="slow", delay=SLOW))
                with pytest.raises(generated.errors.RequestTimeoutError):
                    await call(quick)
            server.inject(generated.fake.Fault(status=503))
            await call(client)

    with generated.fake.FakeServer() as server:
        asyncio.run(run(server))
        assert len(server.calls(operation)) == 1 + 2


@pytest.mark.parametrize("provider", provider_names())
def test_a_given_http_client_carries_the_calls_and_closes_with_the_client(
    provider: str,
) -> None:
    """What the constructor documents: the client sends through it and closes it."""
    generated = load(provider)
    operation = _first_idempotent(provider)
    _, call, acall = generated.calls[operation]
    sent: list[str] = []

    async def hook(request: httpx.Request) -> None:
        sent.append("async")

    async def run(server: Any) -> httpx.AsyncClient:
        own = httpx.AsyncClient(event_hooks={"request": [hook]})
        async with server.async_client(http_client=own) as client:
            await acall(client)
        return own

    with generated.fake.FakeServer() as server:
        own = httpx.Client(event_hooks={"request": [lambda _: sent.append("sync")]})
        with server.client(http_client=own) as client:
            call(client)
        assert own.is_closed
        assert asyncio.run(run(server)).is_closed
    assert sent == ["sync", "async"]
