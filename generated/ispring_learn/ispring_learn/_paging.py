"""Token pagination: every record of an operation, fetched page by page, lazily.

A page is requested only when the records of the previous one are used up. The walk
ends when the server sends no next-page token (absent or empty); a token it has sent
before ends it with ``PaginationError`` instead of a loop that never stops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ._errors import PaginationError


@dataclass(frozen=True)
class Pages:
    """Where an operation takes its page token, and where a page holds the next one."""

    token_arg: str
    next_field: str
    items_field: str


def _next_token(page: Any, pages: Pages, seen: set[str], operation: str) -> str | None:
    token = getattr(page, pages.next_field)
    if not token:
        return None
    if token in seen:
        raise PaginationError(
            f"the server sent the page token {token!r} again after {len(seen) + 1} "
            "pages; stopping instead of fetching the same pages forever",
            operation=operation,
        )
    seen.add(token)
    return str(token)


def iterate(
    fetch: Callable[[dict[str, Any]], Any],
    args: dict[str, Any],
    pages: Pages,
    operation: str,
) -> Iterator[Any]:
    """The records of every page; ``fetch`` sends one call with the given arguments."""
    seen: set[str] = set()
    token: str | None = None
    while True:
        page = fetch({**args, pages.token_arg: token})
        yield from getattr(page, pages.items_field) or ()
        token = _next_token(page, pages, seen, operation)
        if token is None:
            return


async def aiterate(
    fetch: Callable[[dict[str, Any]], Awaitable[Any]],
    args: dict[str, Any],
    pages: Pages,
    operation: str,
) -> AsyncIterator[Any]:
    """``iterate`` for the asynchronous client."""
    seen: set[str] = set()
    token: str | None = None
    while True:
        page = await fetch({**args, pages.token_arg: token})
        for record in getattr(page, pages.items_field) or ():
            yield record
        token = _next_token(page, pages, seen, operation)
        if token is None:
            return
