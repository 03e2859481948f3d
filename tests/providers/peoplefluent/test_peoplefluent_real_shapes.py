"""PeopleFluent training-history replies shaped like the vendor's real ones (issue 17,
point 5): the record element is declared (``x-lmsgen-record``), so a header before the
records (``<dateCreated>``) or a trailer after them is never yielded by the streamed
``iter_…`` methods, sync and async, over real HTTP against the generated fake server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peoplefluent import AsyncClient, Client, RetryPolicy
from peoplefluent.fake_server import SYSTEM_KEY, SYSTEM_USER, FakeServer, Fault

SHAPES = (
    Path(__file__).resolve().parents[2] / "fixtures" / "real_shapes" / "peoplefluent"
)
HEADER = (SHAPES / "training_history_header.xml").read_bytes()
STREAMS = ["training_history_xml", "completed_training_records_xml"]
OPTIONS: dict[str, Any] = {
    "system_user": SYSTEM_USER,
    "system_key": SYSTEM_KEY,
    "retry": RetryPolicy(max_attempts=1),
}


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def serve(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=HEADER, content_type="application/xml"))


def users(records: list[Any]) -> list[str]:
    return [record.tag + ":" + record.findtext("userId") for record in records]


@pytest.mark.parametrize("operation", STREAMS)
def test_only_record_elements_are_streamed(server: FakeServer, operation: str) -> None:
    expected = ["trainingRecord:jdoe", "trainingRecord:asmith"]
    serve(server)
    with Client(base_url=server.base_url, **OPTIONS) as client:
        assert users(list(getattr(client, "iter_" + operation)())) == expected
        serve(server)
        whole = getattr(client, operation)()  # the whole reply keeps its header
    assert whole.findtext("dateCreated") == "2024-03-01T02:00:00"

    async def run() -> list[Any]:
        async with AsyncClient(base_url=server.base_url, **OPTIONS) as client:
            serve(server)
            return [record async for record in getattr(client, "iter_" + operation)()]

    assert users(asyncio.run(run())) == expected


def test_the_fake_streams_declared_records(server: FakeServer) -> None:
    server.record_count = 3
    with Client(base_url=server.base_url, **OPTIONS) as client:
        records = list(client.iter_training_history_xml())
    assert [record.tag for record in records] == ["trainingRecord"] * 3
