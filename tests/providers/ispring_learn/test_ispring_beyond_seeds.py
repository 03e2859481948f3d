"""iSpring module results as the vendor's wider documentation has them, over real HTTP.

Seed 001 writes ``isOverdue`` as 0/1; iSpring's OpenAPI reference types it boolean and
adds ``awardedScore``/``passingScore`` (numbers); ``timeSpent`` is in seconds
(tests/data/ispring_learn_beyond_seeds.json). Pages are served verbatim by the fake
server, through the sync and the async client, in XML and JSON.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from ispring_learn import AsyncClient, Client, RetryPolicy
from ispring_learn.fake_server import TOKEN, FakeServer, Fault

SPELLINGS = [
    ("0", False),
    ("1", True),
    ("true", True),
    ("false", False),
    ("True", True),
]
"""How ``isOverdue`` comes (seed 001, the reference, .NET-style capitals): as bool."""


def xml_page(flag: str) -> bytes:
    return (
        "<response><results><result><userId>u1</userId><courseId>c1</courseId>"
        "<moduleId>m1</moduleId><timeSpent>125</timeSpent>"
        "<awardedScore>87.5</awardedScore><passingScore>80</passingScore>"
        f"<isOverdue>{flag}</isOverdue></result></results></response>"
    ).encode()


def json_page(flag: str) -> bytes:
    value = flag.lower() if flag.lower() in ("true", "false") else flag
    return (
        '{"results": [{"userId": "u1", "courseId": "c1", "moduleId": "m1", '
        '"timeSpent": 125, "awardedScore": 87.5, "passingScore": 80, '
        f'"isOverdue": {value}}}]}}'
    ).encode()


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        yield fake


def serve(server: FakeServer, wire: str, flag: str) -> None:
    body = xml_page(flag) if wire == "xml" else json_page(flag)
    server.inject(Fault(status=200, body=body, content_type=f"application/{wire}"))


def check(page: Any, expected: bool) -> None:
    assert page.results is not None
    [result] = page.results
    assert result.is_overdue is expected
    assert result.time_spent == 125  # seconds
    assert (result.awarded_score, result.passing_score) == (87.5, 80)
    assert isinstance(result.awarded_score, float)
    assert result.model_extra == {}  # typed fields, nothing left over


@pytest.mark.parametrize("wire", ["xml", "json"])
@pytest.mark.parametrize(("flag", "expected"), SPELLINGS)
def test_is_overdue_in_both_spellings_and_the_scores(
    server: FakeServer, wire: str, flag: str, expected: bool
) -> None:
    serve(server, wire, flag)
    with Client(
        base_url=server.base_url,
        token=TOKEN,
        wire_format=wire,
        retry=RetryPolicy(max_attempts=1),
    ) as client:
        check(client.list_module_results(), expected)


@pytest.mark.parametrize("wire", ["xml", "json"])
@pytest.mark.parametrize(("flag", "expected"), SPELLINGS)
def test_is_overdue_in_both_spellings_and_the_scores_async(
    server: FakeServer, wire: str, flag: str, expected: bool
) -> None:
    serve(server, wire, flag)

    async def run() -> Any:
        async with AsyncClient(
            base_url=server.base_url,
            token=TOKEN,
            wire_format=wire,
            retry=RetryPolicy(max_attempts=1),
        ) as client:
            return await client.list_module_results()

    check(asyncio.run(run()), expected)


def test_user_status_5_terminated_is_sent(server: FakeServer) -> None:
    with Client(
        base_url=server.base_url, token=TOKEN, retry=RetryPolicy(max_attempts=1)
    ) as client:
        client.list_module_results(user_statuses=[1, 3, 5])
    [call] = server.calls("list_module_results")
    assert [value for key, value in call.query if key == "userStatuses[]"] == [
        "1",
        "3",
        "5",
    ]


def test_user_status_5_terminated_is_sent_async(server: FakeServer) -> None:
    async def run() -> None:
        async with AsyncClient(
            base_url=server.base_url, token=TOKEN, retry=RetryPolicy(max_attempts=1)
        ) as client:
            await client.list_module_results(user_statuses=[5])

    asyncio.run(run())
    [call] = server.calls("list_module_results")
    assert ("userStatuses[]", "5") in call.query


TOKEN_REPLY = b'{"access_token": "t-1", "expires_in": 1800, "token_type": "bearer"}'


def test_token_reply_carries_its_lifetime_and_type(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=TOKEN_REPLY, content_type="application/json"))
    with Client(base_url=server.base_url, retry=RetryPolicy(max_attempts=1)) as client:
        reply = client.get_token(
            client_id="id", client_secret="secret", grant_type="client_credentials"
        )
    assert (reply.expires_in, reply.token_type) == (1800, "bearer")
    assert reply.model_extra == {}


def test_token_reply_carries_its_lifetime_and_type_async(server: FakeServer) -> None:
    server.inject(Fault(status=200, body=TOKEN_REPLY, content_type="application/json"))

    async def run() -> Any:
        async with AsyncClient(
            base_url=server.base_url, retry=RetryPolicy(max_attempts=1)
        ) as client:
            return await client.get_token(
                client_id="id", client_secret="secret", grant_type="client_credentials"
            )

    reply = asyncio.run(run())
    assert (reply.expires_in, reply.token_type) == (1800, "bearer")
