"""iSpring module-results replies shaped like the vendor's real ones (issue 17, point 1).

A list reply is a page only when its records' container (``results``) is present: an
error object under status 200, a page wrapped once more or a page without the container
raise ``PageMissingError`` in whole-page calls and in ``iter_…`` walks, sync and async,
over real HTTP against the generated fake server; an empty container is an empty page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ispring_learn import AsyncClient, Client, RetryPolicy
from ispring_learn.errors import PageMissingError, ResponseParseError
from ispring_learn.fake_server import TOKEN, FakeServer, Fault

SHAPES = (
    Path(__file__).resolve().parents[2] / "fixtures" / "real_shapes" / "ispring_learn"
)
NO_RETRY = RetryPolicy(max_attempts=1)
MEDIA = {"xml": "text/xml", "json": "application/json"}

REFUSED = {
    "error_200.xml": "it says 'Access to the requested resource is denied'; found code, message",
    "error_200.json": "it says 'Access to the requested resource is denied'; found code, message",
    "double_wrapper.xml": "found response",
    "no_container.xml": "found next_page_token",
    "no_container.json": "found next_page_token",
}


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def serve(server: FakeServer, name: str) -> str:
    """Serve the fixture ``name`` with status 200 once; its wire format."""
    wire = name.rpartition(".")[2]
    body = (SHAPES / name).read_bytes()
    server.inject(Fault(status=200, body=body, content_type=MEDIA[wire]))
    return wire


def client(server: FakeServer) -> Client:
    return Client(base_url=server.base_url, token=TOKEN, retry=NO_RETRY)


def aclient(server: FakeServer) -> AsyncClient:
    return AsyncClient(base_url=server.base_url, token=TOKEN, retry=NO_RETRY)


def check_refusal(error: PageMissingError, name: str) -> None:
    assert isinstance(error, ResponseParseError)
    assert error.operation == "list_module_results"
    assert error.status == 200
    assert "not a page: the reply has no 'results'" in str(error)
    assert REFUSED[name] in str(error)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_reply_without_its_container_is_refused_in_a_page_call(
    server: FakeServer, name: str
) -> None:
    wire: Any = serve(server, name)
    with client(server) as sync, pytest.raises(PageMissingError) as caught:
        sync.list_module_results(wire_format=wire)
    check_refusal(caught.value, name)

    async def run() -> None:
        async with aclient(server) as async_client:
            await async_client.list_module_results(wire_format=wire)

    serve(server, name)
    with pytest.raises(PageMissingError) as caught:
        asyncio.run(run())
    check_refusal(caught.value, name)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_walk_stops_with_an_error_not_as_if_exhausted(
    server: FakeServer, name: str
) -> None:
    """The first page is real and promises another; the second is the bad shape."""
    server.records = 3
    wire: Any = name.rpartition(".")[2]
    with client(server) as sync:
        records = sync.iter_module_results(page_size=2, wire_format=wire)
        first = [next(records), next(records)]
        serve(server, name)
        with pytest.raises(PageMissingError) as caught:
            next(records)
    assert len(first) == 2
    check_refusal(caught.value, name)

    async def run() -> list[Any]:
        got: list[Any] = []
        async with aclient(server) as async_client:
            async for record in async_client.iter_module_results(
                page_size=2, wire_format=wire
            ):
                got.append(record)
                if len(got) == 2:
                    serve(server, name)
        return got

    with pytest.raises(PageMissingError) as caught:
        asyncio.run(run())
    check_refusal(caught.value, name)


@pytest.mark.parametrize("name", ["empty_container.xml", "empty_container.json"])
def test_an_empty_container_is_a_real_empty_page(server: FakeServer, name: str) -> None:
    wire: Any = serve(server, name)
    with client(server) as sync:
        page = sync.list_module_results(wire_format=wire)
        assert page.results == [] and not page.next_page_token
        serve(server, name)
        assert list(sync.iter_module_results(wire_format=wire)) == []

    async def run() -> list[Any]:
        async with aclient(server) as async_client:
            serve(server, name)
            page = await async_client.list_module_results(wire_format=wire)
            assert page.results == []
            serve(server, name)
            return [r async for r in async_client.iter_module_results(wire_format=wire)]

    assert asyncio.run(run()) == []
