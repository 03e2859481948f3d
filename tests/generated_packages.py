"""The generated packages, loaded for the repository's cross-provider test suites.

Each package's generated ``tests/test_contract.py`` holds ``CALLS``: for every operation,
its ``Endpoint`` and a call with valid arguments. The reliability, secrets and hostile-XML
suites drive every operation of every provider through those calls.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
GENERATED = REPO / "generated"
MANIFEST = ".lmsgen-manifest.json"


def provider_names() -> list[str]:
    return sorted(
        path.name for path in GENERATED.iterdir() if (path / MANIFEST).is_file()
    )


@dataclass(frozen=True)
class Generated:
    """One generated provider package and its modules."""

    name: str
    package: ModuleType
    fake: ModuleType
    errors: ModuleType
    xml: ModuleType
    contract: ModuleType

    @property
    def calls(
        self,
    ) -> dict[str, tuple[Any, Callable[[Any], Any], Callable[[Any], Any]]]:
        calls: dict[str, tuple[Any, Callable[[Any], Any], Callable[[Any], Any]]]
        calls = self.contract.CALLS
        return calls

    @property
    def streams(self) -> dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]]:
        """The ``iter_…`` call of every operation that streams its records."""
        streams: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]]
        streams = self.contract.STREAMS
        return streams

    @property
    def record_streams(self) -> dict[str, Callable[[Any], Any]]:
        """The ``iter_…`` call of every operation whose reply is a stream of XML records
        (``DOWNLOADS`` of the contract tests, where the endpoint reads records)."""
        downloads: dict[str, tuple[Any, Any]] = getattr(self.contract, "DOWNLOADS", {})
        return {
            operation: partial(iterate, variant="")
            for operation, (_, iterate) in downloads.items()
            if self.endpoint(operation).records is not None
        }

    def endpoint(self, operation: str) -> Any:
        return self.calls[operation][0]


@cache
def load(name: str) -> Generated:
    root = GENERATED / name
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    spec = importlib.util.spec_from_file_location(
        f"_{name}_contract", root / "tests" / "test_contract.py"
    )
    assert spec is not None and spec.loader is not None
    contract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(contract)
    return Generated(
        name=name,
        package=importlib.import_module(name),
        fake=importlib.import_module(f"{name}.fake_server"),
        errors=importlib.import_module(f"{name}.errors"),
        xml=importlib.import_module(f"{name}._xml"),
        contract=contract,
    )


def parses_reply(endpoint: Any) -> bool:
    """Whether every reply of a call is parsed as a document: raw bytes (a file) are not,
    so an empty body or an HTML page is no error there."""
    codecs = (
        list(endpoint.variants.values()) if endpoint.format_arg else [endpoint.result]
    )
    return all(codec is not None and getattr(codec, "parsed", True) for codec in codecs)


def operations(select: Callable[[Any], bool] = lambda endpoint: True) -> list[Any]:
    """``(provider, operation)`` pairs of every generated operation whose endpoint passes."""
    return [
        pytest.param(name, operation, id=f"{name}.{operation}")
        for name in provider_names()
        for operation, (endpoint, _, _) in load(name).calls.items()
        if select(endpoint)
    ]


def streamed_operations() -> list[Any]:
    """``(provider, operation)`` pairs of every operation with an ``iter_…`` method."""
    return [
        pytest.param(name, operation, id=f"{name}.{operation}.stream")
        for name in provider_names()
        for operation in load(name).streams
    ]


def record_stream_operations() -> list[Any]:
    """``(provider, operation)`` pairs of every operation whose reply is a record stream."""
    return [
        pytest.param(name, operation, id=f"{name}.{operation}.records")
        for name in provider_names()
        for operation in load(name).record_streams
    ]


def consumes_xml(endpoint: Any) -> bool:
    """Whether the operation's reply, as its ``CALLS`` entry asks for it, is parsed XML.

    Typed XML results, and media payloads (format variants, feeds, XML elements and
    record streams) whose media type is XML; the calls pick the XML variant when there
    is one.
    """
    if endpoint.result is not None and "xml" in endpoint.result_formats:
        return True
    codecs = list(getattr(endpoint, "variants", {}).values())
    if endpoint.result is not None:
        codecs.append(endpoint.result)
    return any(
        "xml" in str(getattr(codec, "media", "")) and getattr(codec, "parsed", True)
        for codec in codecs
    )
