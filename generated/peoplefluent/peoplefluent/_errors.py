"""The exceptions every generated client raises (re-exported by its ``errors`` module).

Every error carries the operation it came from, the HTTP status (when there was a
response), the number of attempts made and a redacted excerpt of the response body.
When the server's answer states its own error text, that text leads the message and is
kept as ``vendor_message`` (and its code, if any, as ``vendor_code``).
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base class of every error raised by this package."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        status: int | None = None,
        reason: str = "",
        attempts: int = 1,
        body_excerpt: str = "",
        detail: Any = None,
        vendor_message: str = "",
        vendor_code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status = status
        self.reason = reason
        """The HTTP reason phrase (``Conflict``…)."""
        self.attempts = attempts
        self.body_excerpt = body_excerpt
        self.detail = detail
        """The decoded error body (``{code, message}``…) or SOAP fault detail, when the
        spec describes one."""
        self.vendor_message = vendor_message
        """The error text the server's answer states (``Detail``, ``message``,
        ``error_description``, ``faultstring``…), secrets blotted out; "" if none."""
        self.vendor_code = vendor_code
        """The error code stated beside it (``code``, OAuth ``error``…); "" if none."""

    def __str__(self) -> str:
        parts = [f"{self.operation}: {self.message}"]
        if self.status is not None:
            status = f"HTTP {self.status} {self.reason}".rstrip()
            parts.append(f"({status}, attempt {self.attempts})")
        if self.body_excerpt:
            parts.append(f"body: {self.body_excerpt!r}")
        return " ".join(parts)


class RequestValidationError(ApiError, ValueError):
    """The arguments of a call break the spec; nothing was sent."""


class ConfigurationError(ApiError, ValueError):
    """The client lacks a setting this call needs (an endpoint, credentials); nothing was sent."""


class TransportError(ApiError):
    """The request could not be sent or the response could not be read."""


class RequestTimeoutError(TransportError):
    """The server did not answer within the timeout."""


class HttpStatusError(ApiError):
    """The server answered with an unexpected HTTP status."""


class ClientRequestError(HttpStatusError):
    """A 4xx answer without a more specific class."""


class AuthenticationError(ClientRequestError):
    """401: the credentials were missing or refused."""


class PermissionDeniedError(ClientRequestError):
    """403: the credentials may not perform this call."""


class NotFoundError(ClientRequestError):
    """404: the resource does not exist."""


class ConflictError(ClientRequestError):
    """409: the request conflicts with the resource's state."""


class RateLimitedError(ClientRequestError):
    """429: too many requests."""


class ServerError(HttpStatusError):
    """5xx: the server failed."""


class SoapFaultError(ApiError):
    """The SOAP service answered with a Fault."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        fault_code: str = "",
        fault_string: str = "",
        **context: Any,
    ) -> None:
        super().__init__(message, operation=operation, **context)
        self.fault_code = fault_code
        self.fault_string = fault_string


class PaginationError(ApiError):
    """The server sent a page token it had sent before: following it would never end."""


class ResponseParseError(ApiError):
    """The response body is not what the spec describes. The message says which way:
    ``not JSON``, ``not XML``, ``an HTML page``, ``wrong root element <x>, expected
    <y>``, ``malformed XML at line L``, or (``ResponseValidationError``) ``does not
    match the spec at PATH``; the excerpt shows the first bytes of the body."""


class ResponseValidationError(ResponseParseError):
    """The response parsed but a field does not match the spec; names the field path."""


class PageMissingError(ResponseParseError):
    """A list reply lacks its records' container (an error object under status 200, a
    page wrapped once more): refused, as reading it as an empty page would end a walk
    as if the data were exhausted. An empty container is a real empty page."""


class UnsafeXmlError(ResponseParseError):
    """The XML carries a DTD or entities, nests too deeply or is too large."""


STATUS_ERRORS: dict[int, type[HttpStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


def error_for_status(status: int) -> type[HttpStatusError]:
    """The exception class for an HTTP status."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return ServerError if status >= 500 else ClientRequestError
