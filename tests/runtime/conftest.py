"""What the unit tests of the runtime's call path share: a client's configuration with
a secret, and operations that use it."""

from __future__ import annotations

from typing import Any

import pytest
from lmsgen.runtime._config import (
    BasicAuth,
    Config,
    Endpoint,
    RetryPolicy,
    Secret,
    timeouts,
)
from pydantic import BaseModel


class NoArgs(BaseModel):
    pass


@pytest.fixture
def secret() -> str:
    """The client's password: no error text may show it."""
    return "s3cr3t-password"


@pytest.fixture
def config(secret: str) -> Config:
    return Config(
        base_url="https://api.example/v1/",
        wire_format="json",
        wire_rules={},
        auth={"basic": BasicAuth("me", Secret(secret))},
        defaults={},
        timeout=timeouts(None),
        retry=RetryPolicy(),
        secrets=(secret,),
    )


@pytest.fixture
def read() -> Endpoint[Any]:
    """``GET /thing`` with HTTP basic auth: idempotent."""
    return Endpoint(
        "get_thing", "GET", "/thing", NoArgs, idempotent=True, auth=("basic",)
    )


@pytest.fixture
def write() -> Endpoint[Any]:
    """``POST /thing``: not idempotent."""
    return Endpoint("add_thing", "POST", "/thing", NoArgs, auth=("basic",))
