"""Fixtures of the iSpring Learn API contract tests: a fake server on loopback and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ispring_learn import Client, RetryPolicy
from ispring_learn.fake_server import FakeServer

SOURCE = "contract-tests"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def make_client(server: FakeServer) -> Callable[[str], Client]:
    """Clients of the fake server (no retries, so every request is seen once)."""
    return lambda wire: server.client(
        wire_format="json" if wire == "json" else "xml",
        retry=RetryPolicy(max_attempts=1),
    )
