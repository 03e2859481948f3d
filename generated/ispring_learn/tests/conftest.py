"""Fixtures of the iSpring Learn API contract tests: a fake server on loopback and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ispring_learn import Client, RetryPolicy
from ispring_learn.fake_server import TOKEN, FakeServer

SOURCE = "contract-tests"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def make_client(server: FakeServer) -> Callable[[str], Client]:
    """Clients of the fake server (no retries, so every request is seen once)."""
    return lambda wire: Client(
        token=TOKEN,
        base_url=server.base_url,
        soap_url=server.soap_url,
        wire_format="json" if wire == "json" else "xml",
        retry=RetryPolicy(max_attempts=1),
    )
