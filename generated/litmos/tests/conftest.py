"""Fixtures of the Litmos API contract tests: a fake server on loopback and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from litmos import Client, RetryPolicy
from litmos.fake_server import API_KEY, FakeServer

SOURCE = "contract-tests"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def make_client(server: FakeServer) -> Callable[[str], Client]:
    """Clients of the fake server with every credential (no retries: one request per call)."""
    return lambda wire: Client(
        API_KEY,
        source=SOURCE,
        base_url=server.base_url,
        wire_format="json" if wire == "json" else "xml",
        retry=RetryPolicy(max_attempts=1),
    )
