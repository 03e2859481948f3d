"""No credential ever shows: every operation of every provider, on success and failure.

Debug logging is on for every logger (the package's, httpx's, httpcore's); everything
captured — log records, reprs, exception messages, tracebacks, body excerpts — is scanned
for each secret the fake server accepts, in clear and inside base64 (HTTP Basic).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import traceback
from typing import Any

import pytest
from generated_packages import load, operations

ALL_OPERATIONS = operations()
BASE64 = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")


def _leaks(text: str, secrets: tuple[str, ...]) -> list[str]:
    found = [secret for secret in secrets if secret in text]
    for token in BASE64.findall(text):
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4)).decode(
                "utf-8", "ignore"
            )
        except (binascii.Error, ValueError):
            continue
        found += [f"base64({secret})" for secret in secrets if secret in decoded]
    return found


def _secret_fields(value: Any) -> tuple[str, ...]:
    """Values of a result's credential fields (declared ``format: password``)."""
    fields = getattr(type(value), "model_fields", {})
    return tuple(
        str(getattr(value, name))
        for name, info in fields.items()
        if not info.repr and getattr(value, name)
    )


def _captured(caplog: pytest.LogCaptureFixture, *things: Any) -> str:
    parts = [f"{record.getMessage()} {record.args!r}" for record in caplog.records]
    for thing in things:
        parts.append(repr(thing))
        if isinstance(thing, BaseException):
            parts.append(str(thing))
            parts.append("".join(traceback.format_exception(thing)))
            parts.append(str(getattr(thing, "body_excerpt", "")))
    return "\n".join(parts)


@pytest.mark.parametrize(("provider", "operation"), ALL_OPERATIONS)
def test_no_secret_in_logs_reprs_or_errors(
    provider: str, operation: str, caplog: pytest.LogCaptureFixture
) -> None:
    generated = load(provider)
    secrets = generated.fake.SECRETS
    assert secrets, f"{provider}: the fake server names no secret to look for"
    _, call, _ = generated.calls[operation]
    caplog.set_level(logging.DEBUG)
    retry = generated.package.RetryPolicy(max_attempts=2, backoff=0.01)
    errors: list[Any] = []
    with (
        generated.fake.FakeServer() as server,
        server.client(retry=retry) as client,
    ):
        result = call(client)
        # The server echoes the credentials this client holds (it can only hide those).
        held = [
            secret for secret in secrets if secret in server.client_options().values()
        ]
        echo = ("server error; credentials were " + " ".join(held)).encode()
        for fault in (
            generated.fake.Fault(status=500, body=echo, count=2),
            generated.fake.Fault(status=401, body=echo),
            generated.fake.Fault(kind="reset", count=2),
        ):
            server.inject(fault)
            try:
                call(client)
            except generated.errors.ApiError as exc:
                errors.append(exc)
        text = _captured(caplog, client, result, *errors)
    assert len(errors) == 3
    assert any(record.name == generated.name for record in caplog.records)
    issued = _secret_fields(result)  # e.g. an access token the server handed out
    assert _leaks(text, secrets + issued) == []
    assert "***" in errors[0].body_excerpt  # the echoed secret was blotted out


def test_the_scan_finds_clear_and_base64_secrets() -> None:
    basic = base64.b64encode(b"admin:hunter2-key").decode()
    assert _leaks("apikey=hunter2-key", ("hunter2-key",)) == ["hunter2-key"]
    assert _leaks(f"Authorization: Basic {basic}", ("hunter2-key",)) == [
        "base64(hunter2-key)"
    ]
    assert _leaks("nothing here", ("hunter2-key",)) == []


def test_credentials_passed_as_arguments_are_hidden_too() -> None:
    generated = load("ispring_learn")
    fake = generated.fake
    retry = generated.package.RetryPolicy(max_attempts=1)
    with fake.FakeServer() as server, server.client(retry=retry) as client:
        server.inject(
            fake.Fault(status=500, body=b"refused: " + fake.CLIENT_SECRET.encode())
        )
        with pytest.raises(generated.errors.ServerError) as caught:
            client.get_token(
                client_id=fake.CLIENT_ID,
                client_secret=fake.CLIENT_SECRET,
                grant_type="client_credentials",
            )
    assert fake.CLIENT_SECRET not in str(caught.value)
    assert caught.value.body_excerpt == "refused: ***"
