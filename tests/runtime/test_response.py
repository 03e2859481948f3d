"""``lmsgen.runtime._response`` and ``_request``: how an answer becomes a typed error,
what is blotted out of it, and what a prepared request carries."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from lmsgen.runtime import _errors, _request, _response
from lmsgen.runtime._config import Config, Endpoint


def prepared(config: Config, endpoint: Endpoint[Any]) -> _request.Prepared:
    return _request.prepare(endpoint, config, endpoint.args(), None)


def test_the_request_carries_auth_and_the_base_url(
    config: Config, read: Endpoint[Any]
) -> None:
    request = prepared(config, read)
    assert request.url == "https://api.example/v1/thing"
    assert request.headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, _errors.AuthenticationError),
        (403, _errors.PermissionDeniedError),
        (404, _errors.NotFoundError),
        (409, _errors.ConflictError),
        (429, _errors.RateLimitedError),
        (418, _errors.ClientRequestError),
        (502, _errors.ServerError),
    ],
)
def test_statuses_map_to_typed_errors(
    config: Config, read: Endpoint[Any], status: int, error: type[_errors.ApiError]
) -> None:
    answer = httpx.Response(status)
    found = _response.status_error(prepared(config, read), answer, config, 3)
    assert type(found) is error
    assert found.status == status and found.attempts == 3


def test_secrets_are_blotted_out_of_excerpts_and_messages(
    config: Config, read: Endpoint[Any], secret: str
) -> None:
    answer = httpx.Response(400, content=f"wrong password {secret}".encode())
    error = _response.status_error(prepared(config, read), answer, config, 1)
    assert secret not in str(error) and "***" in error.body_excerpt
    said = _errors.ApiError(f"said {secret}", operation="x")
    hidden = _response.hide(said, (secret,))
    assert hidden.message == "said ***" and hidden.args == ("said ***",)


def test_excerpts_are_cut_short() -> None:
    text = _response.excerpt("é".encode() * 2000, ())
    assert len(text) == _response.EXCERPT_CHARS


def test_an_html_page_or_an_empty_body_is_not_a_document(
    config: Config, read: Endpoint[Any]
) -> None:
    from lmsgen.runtime._codecs import JsonValueCodec

    request = _request.Prepared(
        read, "GET", "u", (), {}, None, "json", JsonValueCodec()
    )
    page = httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>")
    with pytest.raises(_errors.ResponseParseError, match="HTML page"):
        _response.decode(request, page, config, 1)
    with pytest.raises(_errors.ResponseParseError, match="empty body"):
        _response.decode(request, httpx.Response(200, content=b" \n"), config, 1)
    ok = httpx.Response(
        200, headers={"content-type": "application/json"}, content=b"[1]"
    )
    assert _response.decode(request, ok, config, 1) == [1]
