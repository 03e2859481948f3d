"""Feeds and feed entries in the fake server (``MEDIA`` of ``fake_server.py``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from ._codecs import MediaCodec
from ._config import Endpoint
from ._fake import BaseFakeServer
from ._feeds import Entry, Feed


def example_entry(n: int) -> Entry:
    """A feed entry whose values derive from ``n``."""
    return Entry(
        id=f"urn:fake:entry:{n}",
        title=f"Entry {n}",
        link=f"https://lms.example.com/ekp/news/{n}",
        summary=f"Teaser {n}",
        content=f"Full text {n}",
        published=datetime(2024, 1, n, 9, 30, tzinfo=UTC),
        authors=(f"author-{n}",),
        categories=("news",),
    )


def feed_body(
    server: BaseFakeServer,
    endpoint: Endpoint[Any],
    codec: MediaCodec[Any],
    args: BaseModel,
) -> bytes:
    """An RSS or Atom feed (as the codec's media type says) of two entries."""
    operation = endpoint.operation
    feed = Feed(
        format="atom" if "atom" in codec.media else "rss",
        title=f"{operation} feed",
        link=server.base_url,
        id=f"urn:fake:{operation}",
        entries=(example_entry(1), example_entry(2)),
    )
    return codec.encode(feed)


def entry_body(
    server: BaseFakeServer,
    endpoint: Endpoint[Any],
    codec: MediaCodec[Any],
    args: BaseModel,
) -> bytes:
    """A single feed entry."""
    return codec.encode(example_entry(1))
