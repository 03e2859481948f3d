"""What the fake server remembers between requests: access tokens and page tokens.

Both kinds of token are opaque random strings, as a real server's would be: a client
cannot guess or forge them, only pass back what it was given. ``Paged`` and
``TokenGrant`` answer the operations that hand them out (``STATEFUL`` of
``fake_server.py``).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from ._fake import Rejected


class AccessTokens:
    """The bearer tokens a fake server accepts: one permanent, and those it issued."""

    def __init__(self, permanent: str, lifetime: float = 1800.0) -> None:
        self.permanent = permanent
        self.lifetime = lifetime
        """Seconds an issued token lives (``expires_in``); tests may shorten it."""
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> tuple[str, int]:
        """A new token and its lifetime in seconds."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._issued[token] = time.monotonic() + self.lifetime
        return token, int(self.lifetime)

    def valid(self, token: str | None) -> bool:
        if not token:
            return False
        if token == self.permanent:
            return True
        with self._lock:
            expiry = self._issued.get(token)
        return expiry is not None and time.monotonic() < expiry

    def revoke(self) -> None:
        """Refuse every token issued so far (as if they had expired)."""
        with self._lock:
            self._issued.clear()


class Pager:
    """Cuts an operation's records into pages, linked by the tokens it hands out."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()

    def page(
        self, operation: str, total: int, size: int, token: str | None
    ) -> tuple[range, str | None]:
        """The record numbers of one page, and the token of the next page (``None``: last)."""
        if size < 1:
            raise Rejected(
                400, f"Wrong parameters: the page size must be positive, got {size}"
            )
        start = 0
        if token:
            with self._lock:
                found = self._tokens.get(token)
            if found is None or found[0] != operation:
                raise Rejected(400, f"Wrong parameters: unknown page token {token!r}")
            start = found[1]
        end = min(total, start + size)
        if end >= total:
            return range(start, end), None
        following = secrets.token_urlsafe(16)
        with self._lock:
            self._tokens[following] = (operation, end)
        return range(start, end), following


class PagedServer(Protocol):
    pager: Pager
    records: int


class TokenServer(Protocol):
    tokens: AccessTokens


@dataclass(frozen=True)
class Paged:
    """A paged operation's answer: its example page, holding the records of one page
    of ``server.records`` and the token of the next."""

    item: Callable[[int], BaseModel]
    """Example data of one record, by record number."""
    items_field: str
    next_field: str
    token_arg: str
    size_arg: str = ""
    """The argument that sets the page size (empty: the server picks it)."""
    default_size: int = 1000

    def __call__(
        self, server: PagedServer, operation: str, args: BaseModel, page: BaseModel
    ) -> BaseModel:
        values = args.model_dump()
        size = values[self.size_arg] if self.size_arg else None
        rows, following = server.pager.page(
            operation, server.records, size or self.default_size, values[self.token_arg]
        )
        records = [self.item(n) for n in rows]
        return page.model_copy(
            update={self.items_field: records, self.next_field: following}
        )


@dataclass(frozen=True)
class TokenGrant:
    """The OAuth 2.0 token operation's answer: a new access token, for the right
    client credentials (``client_id`` and ``client_secret``)."""

    client: tuple[str, str]
    """The client id and secret the server accepts."""

    def __call__(
        self, server: TokenServer, operation: str, args: BaseModel, example: BaseModel
    ) -> BaseModel:
        values = args.model_dump()
        if (values["client_id"], values["client_secret"]) != self.client:
            raise Rejected(401, "invalid_client: unknown client id or secret")
        issued, lifetime = server.tokens.issue()
        update: dict[str, Any] = {
            "access_token": issued,
            "expires_in": lifetime,
            "token_type": "bearer",
        }
        return example.model_copy(update=update)
