"""The exceptions raised by the PeopleFluent LMS Legacy API client.

Every error carries the operation it came from, the HTTP status (when there was a
response), the number of attempts made and a redacted excerpt of the response body.
"""

from ._errors import (
    ApiError,
    AuthenticationError,
    ClientRequestError,
    ConfigurationError,
    ConflictError,
    HttpStatusError,
    NotFoundError,
    PageMissingError,
    PaginationError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeoutError,
    RequestValidationError,
    ResponseParseError,
    ResponseValidationError,
    ServerError,
    SoapFaultError,
    TransportError,
    UnsafeXmlError,
)

__all__ = [
    "ApiError",
    "AuthenticationError",
    "ClientRequestError",
    "ConfigurationError",
    "ConflictError",
    "HttpStatusError",
    "NotFoundError",
    "PageMissingError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RequestTimeoutError",
    "RequestValidationError",
    "ResponseParseError",
    "ResponseValidationError",
    "ServerError",
    "SoapFaultError",
    "TransportError",
    "UnsafeXmlError",
]
