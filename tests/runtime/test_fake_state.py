"""What the fake server remembers (``lmsgen.runtime._fake_state``): access tokens it
issued, page tokens it handed out, and the answers built on them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest
from lmsgen.runtime._fake import Rejected
from lmsgen.runtime._fake_state import AccessTokens, Paged, Pager, TokenGrant
from pydantic import BaseModel


def test_the_permanent_token_and_issued_ones_are_valid_until_revoked() -> None:
    tokens = AccessTokens("ready")
    issued, lifetime = tokens.issue()
    assert lifetime == 1800
    assert issued != tokens.issue()[0]
    assert tokens.valid("ready") and tokens.valid(issued)
    assert (
        not tokens.valid("forged") and not tokens.valid(None) and not tokens.valid("")
    )
    tokens.revoke()
    assert not tokens.valid(issued)
    assert tokens.valid("ready")


def test_issued_tokens_expire() -> None:
    tokens = AccessTokens("ready", lifetime=0.05)
    issued, lifetime = tokens.issue()
    assert lifetime == 0
    assert tokens.valid(issued)
    time.sleep(0.1)
    assert not tokens.valid(issued)


def test_pages_follow_their_tokens_to_the_end() -> None:
    pager = Pager()
    rows, token = pager.page("list", total=5, size=2, token=None)
    seen = list(rows)
    while token is not None:
        rows, token = pager.page("list", 5, 2, token)
        seen += rows
    assert seen == [0, 1, 2, 3, 4]
    assert pager.page("list", 0, 2, None) == (range(0, 0), None)


def test_page_tokens_are_checked() -> None:
    pager = Pager()
    _, token = pager.page("list", 5, 2, None)
    assert token is not None
    with pytest.raises(Rejected, match="unknown page token"):
        pager.page("other", 5, 2, token)
    with pytest.raises(Rejected, match="unknown page token"):
        pager.page("list", 5, 2, "guessed")
    with pytest.raises(Rejected, match="page size must be positive") as caught:
        pager.page("list", 5, 0, None)
    assert caught.value.status == 400


class Item(BaseModel):
    n: int


def example_item(n: int) -> Item:
    return Item(n=n)


class Page(BaseModel):
    items: list[Item] = []
    next: str | None = "example"
    label: str = "first"


class PageArgs(BaseModel):
    size: int | None = None
    token: str | None = None


@dataclass
class Server:
    records: int = 5
    pager: Pager = field(default_factory=Pager)
    tokens: AccessTokens = field(default_factory=lambda: AccessTokens("ready"))


def test_paged_answers_fill_the_example_page_with_one_page_of_records() -> None:
    paged = Paged(
        example_item, items_field="items", next_field="next", token_arg="token"
    )
    paged_by_size = Paged(
        example_item, "items", "next", "token", size_arg="size", default_size=3
    )
    server = Server()
    first = paged(server, "list", PageArgs(size=1), Page())
    assert isinstance(first, Page)
    assert ([item.n for item in first.items], first.label) == ([0, 1, 2, 3, 4], "first")
    assert first.next is None
    page = paged_by_size(server, "list", PageArgs(), Page())
    assert isinstance(page, Page)
    assert [item.n for item in page.items] == [0, 1, 2]
    page = paged_by_size(server, "list", PageArgs(size=4, token=page.next), Page())
    assert isinstance(page, Page)
    assert ([item.n for item in page.items], page.next) == ([3, 4], None)


class TokenArgs(BaseModel):
    client_id: str
    client_secret: str


class TokenReply(BaseModel):
    access_token: str = "example"
    expires_in: int = 1
    token_type: str = "example"


def test_a_token_is_granted_to_the_known_client_only() -> None:
    grant = TokenGrant(("id", "secret"))
    server = Server()
    reply = grant(
        server,
        "get_token",
        TokenArgs(client_id="id", client_secret="secret"),
        TokenReply(),
    )
    assert isinstance(reply, TokenReply)
    assert (reply.expires_in, reply.token_type) == (1800, "bearer")
    assert server.tokens.valid(reply.access_token)
    wrong = TokenArgs(client_id="id", client_secret="guess")
    with pytest.raises(Rejected, match="invalid_client") as caught:
        grant(server, "get_token", wrong, TokenReply())
    assert caught.value.status == 401
