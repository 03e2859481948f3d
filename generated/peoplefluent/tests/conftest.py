"""Fixtures of the PeopleFluent LMS Legacy API contract tests: a fake server on loopback and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from peoplefluent import Client, RetryPolicy
from peoplefluent.fake_server import (
    PASSWORD,
    SYSTEM_KEY,
    SYSTEM_USER,
    TOKEN,
    USERNAME,
    FakeServer,
)

SOURCE = "contract-tests"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def make_client(server: FakeServer) -> Callable[[str], Client]:
    """Clients of the fake server with every credential (no retries: one request per call)."""
    return lambda wire: Client(
        username=USERNAME,
        password=PASSWORD,
        token=TOKEN,
        system_user=SYSTEM_USER,
        system_key=SYSTEM_KEY,
        base_url=server.base_url,
        retry=RetryPolicy(max_attempts=1),
    )
