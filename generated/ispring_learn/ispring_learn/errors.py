"""The exceptions raised by the iSpring Learn API client.

Every error carries the operation it came from, the HTTP status (when there was a
response), the number of attempts made and a redacted excerpt of the response body.
The documented SOAP Faults have classes of their own, below.
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


class PermissionDeniedFault(SoapFaultError):
    """SOAP Fault "Permission denied": The user doesn't have permission to complete the request (for example, a Department Administrator asking for users of a department they don't manage)."""


class WrongParametersFault(SoapFaultError):
    """SOAP Fault "Wrong parameters": The request's parameters are wrong."""


SOAP_FAULTS: dict[str, type[SoapFaultError]] = {
    "permission denied": PermissionDeniedFault,
    "wrong parameters": WrongParametersFault,
}
"""The documented fault kinds, by the (lower-case) text that names them."""

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
    "PermissionDeniedFault",
    "RateLimitedError",
    "RequestTimeoutError",
    "RequestValidationError",
    "ResponseParseError",
    "ResponseValidationError",
    "ServerError",
    "SoapFaultError",
    "TransportError",
    "UnsafeXmlError",
    "WrongParametersFault",
]
