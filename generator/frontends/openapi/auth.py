"""Security schemes → ``ir.AuthScheme``: how each operation's client call authenticates.

Only what the generated client can apply is accepted (an API key in a header, HTTP
basic or bearer, OAuth 2.0 client credentials); anything else is refused at its line.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ... import ir
from ...extensions import SYSTEM_KEY
from ...naming import snake
from ...yamlsource import YamlDocument, pointer
from .document import prose, resolve


def auth_schemes(
    doc: YamlDocument, operations: tuple[ir.Operation, ...]
) -> tuple[ir.AuthScheme, ...]:
    """The document's security schemes; an OAuth token URL is tied to its operation."""
    schemes = []
    declared = doc.data.get("components", {}).get("securitySchemes", {})
    for name, raw in declared.items():
        scheme, where = resolve(
            doc, raw, pointer("components", "securitySchemes", name)
        )
        _check_scheme(doc, scheme, where)
        kind = scheme.get("type")
        if kind == "apiKey":
            schemes.append(
                ir.AuthScheme(
                    name,
                    "apikey",
                    scheme.get("name", ""),
                    prose(scheme.get("description")),
                )
            )
        elif kind == "http":
            schemes.append(
                ir.AuthScheme(
                    name,
                    (
                        "bearer"
                        if scheme.get("scheme", "").lower() == "bearer"
                        else "basic"
                    ),
                    description=prose(scheme.get("description")),
                    system_key=SYSTEM_KEY.read(scheme),
                )
            )
        elif kind in ("oauth2", "openIdConnect"):
            token_url = str(
                scheme.get("flows", {}).get("clientCredentials", {}).get("tokenUrl", "")
            )
            where += "/flows"
            token_operation = _token_operation(doc, where, token_url, operations)
            schemes.append(
                ir.AuthScheme(
                    name,
                    "bearer",
                    description=prose(scheme.get("description")),
                    token_url=token_url if token_operation else "",
                    token_operation=token_operation,
                )
            )
    return _prefixed(schemes)


def _check_scheme(doc: YamlDocument, scheme: dict[str, Any], where: str) -> None:
    """Refuse the security schemes the client cannot apply."""
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") != "header":
        raise doc.error(
            where + "/in",
            f"apiKey in {scheme.get('in')!r} is not supported (header only)",
        )
    if kind == "http" and str(scheme.get("scheme", "")).lower() not in (
        "basic",
        "bearer",
    ):
        raise doc.error(
            where + "/scheme",
            f"http scheme {scheme.get('scheme')!r} is not supported (basic or bearer)",
        )
    if kind == "mutualTLS":
        raise doc.error(
            where + "/type", "security scheme type 'mutualTLS' is not supported"
        )


def _prefixed(schemes: list[ir.AuthScheme]) -> tuple[ir.AuthScheme, ...]:
    """Schemes sharing a kind get their own argument names (``admin_api_key``…)."""
    kinds = [(scheme.kind, scheme.system_key) for scheme in schemes]
    return tuple(
        (
            replace(scheme, prefix=snake(scheme.name) + "_")
            if kinds.count((scheme.kind, scheme.system_key)) > 1
            else scheme
        )
        for scheme in schemes
    )


TOKEN_FIELDS = ("client_id", "client_secret", "grant_type")
"""The form fields of an OAuth 2.0 client-credentials token request (RFC 6749, 4.4)."""


def _token_operation(
    doc: YamlDocument, where: str, token_url: str, operations: tuple[ir.Operation, ...]
) -> str:
    """The operation that serves ``token_url``: the client obtains tokens through it.

    A token URL the spec does not describe (another host, say) gives ``""``: the client
    then takes a ready token.
    """
    if not token_url:
        return ""
    found = [op for op in operations if op.method == "POST" and op.path == token_url]
    if not found:
        return ""
    if len(found) > 1:
        raise doc.error(
            where, f"tokenUrl {token_url!r}: expected one POST operation with that path"
        )
    operation = found[0]
    fields = {parameter.wire_name for parameter in operation.parameters}
    result = operation.result
    if not set(TOKEN_FIELDS) <= fields or result is None or not result.type.is_model:
        raise doc.error(
            where,
            f"{operation.operation_id} must take the form fields {', '.join(TOKEN_FIELDS)} "
            "and answer an object with access_token (RFC 6749)",
        )
    return operation.name
