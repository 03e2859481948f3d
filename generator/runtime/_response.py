"""Reading an answer: a success decoded into the operation's result type, anything else
turned into the package's typed errors, with every known secret blotted out. No I/O."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from . import _xml
from ._codecs import Codec, MediaCodec, RecordError
from ._config import Config, Endpoint, Soap
from ._errors import (
    ApiError,
    PageMissingError,
    RequestTimeoutError,
    ResponseParseError,
    ResponseValidationError,
    SoapFaultError,
    TransportError,
    UnsafeXmlError,
    error_for_status,
)
from ._request import Prepared
from ._vendor import vendor_words

EXCERPT_CHARS = 500


def excerpt(body: bytes, secrets: tuple[str, ...]) -> str:
    """The start of a body as text, with every known secret blotted out."""
    text = body[: EXCERPT_CHARS * 4].decode("utf-8", "replace")[:EXCERPT_CHARS]
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


_LEADING_SPACE = re.compile(rb"\s*")


def decode(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
) -> Any:
    """Read a successful response into the operation's result type."""
    codec = prepared.result
    if codec is None:
        return None
    body = response.content
    context = error_context(prepared, response, config, attempts, body)
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if isinstance(codec, MediaCodec):
        if codec.parsed:
            _check_document(body, media, codec.media, context)
        with parse_errors(context, codec.media):
            return codec.decode(body)
    _check_document(body, media, prepared.wire_format.upper(), context)
    wire = (
        "json" if "json" in media else "xml" if "xml" in media else prepared.wire_format
    )
    with parse_errors(context, wire.upper()):
        if wire == "json":
            value = codec.decode_json(body)
        else:
            # Read in a call of its own, so that the parsed tree is freed before the
            # models are built: they reuse its memory instead of touching new pages (a
            # 1000-record page decodes about 10 % faster).
            value = codec.validate(_read_xml(codec, prepared, config, context, body))
    proof = prepared.endpoint.page_field
    if proof and proof not in value.model_fields_set:
        error = not_a_page(value, proof, body, context)
        raise hide(error, _secrets(prepared, config))
    return value


def not_a_page(
    value: Any, proof: str, body: bytes, context: dict[str, Any]
) -> PageMissingError:
    """Why a reply that lacks its records' container is refused, with what it held.

    A page without it would read as "no records" and end a walk as if the data were
    exhausted; the usual causes are an error object sent with status 200 or a page
    wrapped once more.
    """
    found = sorted(value.model_fields_set | set(value.model_extra or {}))
    said, code = vendor_words(body)
    return PageMissingError(
        f"not a page: the reply has no {proof!r} (the records' container)"
        + (f"; it says {said!r}" if said else "")
        + f"; found {', '.join(found) or 'nothing'}",
        vendor_message=said,
        vendor_code=code,
        **context,
    )


def _read_xml(
    codec: Codec[Any],
    prepared: Prepared,
    config: Config,
    context: dict[str, Any],
    body: bytes,
) -> Any:
    """The field data of an XML reply; a SOAP fault is raised as the operation's error."""
    root = _xml.parse(body)
    soap = prepared.endpoint.soap
    if soap is not None:
        root = soap.payload(root)
        fault = soap.fault(root, **context)
        if fault is not None:
            raise hide(fault, _secrets(prepared, config))
    return codec.read_xml(root)


def _check_document(
    body: bytes, media: str, expected: str, context: dict[str, Any]
) -> None:
    """Refuse an empty body or an HTML error page where a document was expected."""
    leading = _LEADING_SPACE.match(body)  # an offset, not a stripped copy of the body
    start = leading.end() if leading else 0
    if start == len(body):
        raise ResponseParseError("empty body where a payload was expected", **context)
    head = body[start : start + 100].lower()
    if media == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        raise ResponseParseError(
            f"an HTML page where {expected} was expected (a proxy or login page?)",
            **context,
        )


def _secrets(prepared: Prepared, config: Config) -> tuple[str, ...]:
    """Every value to blot out of this call's error texts."""
    return config.hidden() + prepared.secrets


def error_context(
    prepared: Prepared,
    response: httpx.Response,
    config: Config,
    attempts: int,
    body: bytes,
) -> dict[str, Any]:
    return {
        "operation": prepared.endpoint.operation,
        "status": response.status_code,
        "reason": response.reason_phrase,
        "attempts": attempts,
        "body_excerpt": excerpt(body, _secrets(prepared, config)),
    }


@contextmanager
def parse_errors(context: dict[str, Any], what: str) -> Iterator[None]:
    """Turn what a codec raises on a bad body into the package's typed errors, each
    saying truthfully what the body is: not JSON, not XML, of the wrong root, malformed
    at a line, unsafe, or well-formed but unlike the spec."""
    try:
        yield
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["type"] == "json_invalid":
            raise _not_json(context, error["msg"]) from None
        where = ".".join(str(part) for part in error["loc"]) or "(root)"
        raise ResponseValidationError(
            f"response does not match the spec at {where}: {error['msg']}", **context
        ) from None
    except RecordError as exc:
        raise ResponseValidationError(
            f"response does not match the spec at {exc.where}", **context
        ) from None
    except _xml.XmlSafetyError as exc:
        raise UnsafeXmlError(f"unsafe XML refused: {exc}", **context) from None
    except _xml.WrongRootError as exc:
        raise ResponseParseError(str(exc), **context) from None
    except _xml.XmlSyntaxError as exc:
        raise _bad_xml(context, exc) from None
    except json.JSONDecodeError as exc:
        raise _not_json(context, str(exc)) from None
    except ValueError as exc:
        raise ResponseParseError(f"malformed {what}: {exc}", **context) from None


def _starts_with(context: dict[str, Any], mark: str) -> bool:
    return str(context.get("body_excerpt", "")).lstrip().startswith(mark)


def _not_json(context: dict[str, Any], why: str) -> ResponseParseError:
    kind = "an XML document" if _starts_with(context, "<") else why
    return ResponseParseError(f"not JSON: {kind}", **context)


def _bad_xml(context: dict[str, Any], exc: _xml.XmlSyntaxError) -> ResponseParseError:
    if context.get("body_excerpt") and not _starts_with(context, "<"):
        kind = "a JSON document" if _starts_with(context, "{") else str(exc)
        return ResponseParseError(f"not XML: {kind}", **context)
    return ResponseParseError(f"malformed XML at line {exc.line}: {exc}", **context)


def check_stream_media(
    prepared: Prepared, response: httpx.Response, attempts: int
) -> None:
    """Refuse, before reading it, a streamed body that is not XML."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "text/html" or (media and "xml" not in media):
        kind = "an HTML page" if media == "text/html" else f"not XML: {media}"
        raise ResponseParseError(
            f"{kind} where XML was expected",
            operation=prepared.endpoint.operation,
            status=response.status_code,
            reason=response.reason_phrase,
            attempts=attempts,
        )


def status_error(
    prepared: Prepared, response: httpx.Response, config: Config, attempts: int
) -> ApiError:
    """The typed error for a non-2xx answer: a SOAP Fault's own, or the status's."""
    endpoint = prepared.endpoint
    status = response.status_code
    context = error_context(prepared, response, config, attempts, response.content)
    secrets = _secrets(prepared, config)
    if endpoint.soap is not None:
        fault = _fault_in(endpoint.soap, response.content, context)
        if fault is not None:
            return hide(fault, secrets)
    detail = _error_detail(endpoint, response)
    text, code = vendor_words(response.content)
    text = str(getattr(detail, "message", None) or text)
    code = str(getattr(detail, "code", None) or code)
    error = error_for_status(status)(
        text or f"HTTP {status} {response.reason_phrase}",
        detail=detail,
        vendor_message=text,
        vendor_code=code,
        **context,
    )
    return hide(error, secrets)


E = TypeVar("E", bound=ApiError)


def hide(error: E, secrets: tuple[str, ...]) -> E:
    """``error`` with every secret blotted out of the texts the server put in it."""
    for secret in filter(None, secrets):
        error.message = error.message.replace(secret, "***")
        error.vendor_message = error.vendor_message.replace(secret, "***")
        error.vendor_code = error.vendor_code.replace(secret, "***")
        if isinstance(error, SoapFaultError):
            error.fault_string = error.fault_string.replace(secret, "***")
    error.args = (error.message,)
    return error


def _fault_in(
    soap: Soap, body: bytes, context: dict[str, Any]
) -> SoapFaultError | None:
    """The typed error of the SOAP Fault a body holds, if it is one."""
    try:
        payload = soap.payload(_xml.parse(body))
    except ValueError:
        return None
    return soap.fault(payload, **context)


def _error_detail(endpoint: Endpoint[Any], response: httpx.Response) -> Any:
    """The documented error body (``{code, message}``…), decoded; ``None`` if it is not one."""
    if endpoint.error is None or not response.content.strip():
        return None
    media = response.headers.get("content-type", "")
    try:
        if "json" in media:
            return endpoint.error.decode_json(response.content)
        return endpoint.error.decode_xml(_xml.parse(response.content))
    except (ValueError, ValidationError):
        return None


def transport_error(
    prepared: Prepared, exc: httpx.HTTPError, attempts: int
) -> TransportError:
    cls = (
        RequestTimeoutError
        if isinstance(exc, httpx.TimeoutException)
        else TransportError
    )
    return cls(
        f"{type(exc).__name__} while calling {prepared.method} {prepared.endpoint.path}",
        operation=prepared.endpoint.operation,
        attempts=attempts,
    )
