"""Import lines as isort (and ruff) keep them, and the runtime types payloads need."""

from __future__ import annotations

from collections.abc import Iterable

from .. import ir
from ..ir import leaves
from ..pytypes import body_param_type, result_type


def isort_names(names: Iterable[str]) -> list[str]:
    """Names in the order isort (and ruff) keep them: constants, classes, then the rest."""

    def key(name: str) -> tuple[int, str]:
        rank = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
        return rank, name.lower()

    return sorted(names, key=key)


def date_imports(names: Iterable[str]) -> list[str]:
    """The ``datetime`` and ``decimal`` import lines of examples or signatures that use
    ``names`` (``date``, ``datetime``, ``Decimal``)."""
    wanted = set(names)
    dates = [name for name in ("date", "datetime") if name in wanted]
    lines = [f"from datetime import {', '.join(dates)}"] if dates else []
    return lines + (["from decimal import Decimal"] if "Decimal" in wanted else [])


def from_import(module: str, names: set[str]) -> str:
    """``from module import a, B`` with the names in isort's order."""
    return f"from {module} import {', '.join(isort_names(names))}"


def payload_imports(
    provider: ir.Provider, used: set[str], found: dict[str, set[str]], upload: str
) -> None:
    """Add the runtime types that payloads other than models need (reports, feeds…)."""
    for module, name in (
        ("._csv", "CsvReport"),
        ("._feeds", "Entry"),
        ("._feeds", "Feed"),
    ):
        if name in used:
            found.setdefault(module, set()).add(name)
    if "XmlElement" in used:
        found["._xml"] = {"XmlElement"}
    if any(operation.uploads for operation in provider.operations):
        found["._multipart"] = {upload}


AUTH_CLASSES = {"apikey": "ApiKeyHeader", "basic": "BasicAuth", "bearer": "BearerToken"}


def _type_names(kind: ir.TypeRef | None, into: set[str]) -> None:
    into.update(leaf.name for leaf in leaves(kind) if leaf.kind in ("model", "enum"))


def client_imports(
    provider: ir.Provider, scalars: list[str]
) -> dict[str, list[list[str]]]:
    """The import lines of ``client.py``, in isort's sections and order.

    ``runtime`` ones, and ``typing`` ones that only annotations use: those go under
    ``TYPE_CHECKING``, so that importing the client loads neither httpx nor pydantic nor
    the models (the first client and the first call do).
    """
    names: set[str] = set()
    for operation in provider.operations:
        for payload in (operation.body, operation.result, *operation.variants):
            if payload is not None:
                _type_names(payload.type, names)
        for parameter in operation.parameters:
            _type_names(parameter.type, names)
        if operation.pages:
            names.add(operation.pages.item.name)
    used = _used_types(provider)
    overloads = any(
        len(operation.result_groups) > 1 for operation in provider.operations
    )
    typing = {"TYPE_CHECKING"} | (
        {"Literal"} if provider.regions or overloads else set()
    )
    if overloads:
        typing.add("overload")
    stdlib = []
    iterators = any(operation.streamable for operation in provider.operations)
    if provider.streams or iterators or provider.paginated:
        stdlib.append("from collections.abc import AsyncIterator, Iterator")
    stdlib += date_imports("Decimal" if kind == "decimal" else kind for kind in scalars)
    stdlib.append("from types import TracebackType")
    third = ["import httpx"]
    if "JsonValue" in used:
        third.append("from pydantic import JsonValue")
    config = {"Auth", "Config", "RetryPolicy", "LazyModule", "timeouts"}
    config |= {AUTH_CLASSES[scheme.kind] for scheme in provider.auth}
    if provider.auth:  # every scheme wraps its credential in a Secret
        config.add("Secret")
    if provider.token_scheme:
        config.add("ClientCredentials")
    if provider.rate_limit:
        config.add("RateLimiter")
    if provider.wire_choice:
        config.add("WireFormat")
    if provider.wire_rules:
        config.add("WireRule")
    runtime = [from_import("._config", config)]
    if provider.paginated:
        runtime.append("from ._paging import aiterate, iterate")
    found = dict(value_types(provider, used))
    if names:
        found[".models"] = isort_names(names)
    first = ["from . import _endpoints"] + [
        f"from {module} import {', '.join(items)}"
        for module, items in sorted(found.items())
    ]
    return {
        "runtime": [[from_import("typing", typing)], runtime],
        "typing": [stdlib, third, first],
    }


def _used_types(provider: ir.Provider) -> set[str]:
    """The type names the client's results and bodies are written with."""
    return {
        name
        for operation in provider.operations
        for text in (
            result_type(operation),
            *((body_param_type(operation.body),) if operation.body else ()),
        )
        for name in text.split(" | ")
    }


def value_types(
    provider: ir.Provider, used: set[str] | None = None
) -> dict[str, list[str]]:
    """The types of the client's signatures that live in private modules (``Feed``,
    ``Upload``…), by module: the package re-exports them for callers' annotations."""
    found: dict[str, set[str]] = {}
    used = _used_types(provider) if used is None else used
    payload_imports(provider, used, found, upload="Upload")
    if provider.streams:
        found["._stream"] = {"Target"}
    return {module: isort_names(names) for module, names in sorted(found.items())}
