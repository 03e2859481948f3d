"""Fixtures of the PeopleFluent LMS Legacy API contract tests: a fake server on loopback and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from peoplefluent import Client, RetryPolicy
from peoplefluent.fake_server import FakeServer

SOURCE = "contract-tests"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def make_client(server: FakeServer) -> Callable[[str], Client]:
    """Clients of the fake server (no retries, so every request is seen once)."""
    return lambda wire: server.client(
        retry=RetryPolicy(max_attempts=1),
    )
