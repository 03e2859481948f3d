"""What importing a generated package loads, and what waits until it is used.

``import <package>`` (and every name of its ``__all__``) loads neither httpx, pydantic,
lxml nor asyncio, nor the package's transport, operations, models, codecs or fake
server: the first client loads the transport, the first call of an operation builds that
operation alone, and asyncio waits for the async client. Each check runs in a fresh
interpreter, since this one has loaded everything already. These are behaviour checks;
how long an import takes is measured in ``tests/benchmarks``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from generated_packages import GENERATED, load, provider_names

LAZY = ("httpx", "pydantic", "lxml", "asyncio")
"""Libraries that importing a package must not load."""
OWN_LAZY = (
    "_transport",
    "_endpoints",
    "models",
    "_codecs",
    "_xml",
    "_soap",
    "_csv",
    "_feeds",
    "_multipart",
    "_stream",
    "_fake",
    "fake_server",
)
"""A package's own modules that load when first used, not with the package."""


def _probe(provider: str, code: str, *argv: str) -> Any:
    """Run ``code`` in a fresh interpreter that can import ``provider``; its JSON output."""
    folder = str(GENERATED / provider)
    script = f"import json, sys\nsys.path.insert(0, {folder!r})\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _lazy(provider: str) -> set[str]:
    return {*LAZY, *(f"{provider}.{name}" for name in OWN_LAZY)}


@pytest.mark.parametrize("provider", provider_names())
def test_importing_the_package_loads_none_of_the_runtime(provider: str) -> None:
    code = (
        f"import {provider} as package\n"
        "lazy = getattr(package, '_VALUE_TYPES', {})\n"
        "public = [getattr(package, name) for name in package.__all__ if name not in lazy]\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    loaded = set(_probe(provider, code))
    assert f"{provider}.client" in loaded
    assert loaded & _lazy(provider) == set()


VALUE_TYPES = {
    "peoplefluent": ["CsvReport", "Entry", "Feed", "Target", "Upload", "XmlElement"]
}
"""The types of client signatures that live in private modules, re-exported lazily."""


@pytest.mark.parametrize("provider", provider_names())
def test_value_types_are_exported_and_load_their_module_when_asked_for(
    provider: str,
) -> None:
    code = (
        "import importlib\n"
        f"import {provider} as package\n"
        "lazy = getattr(package, '_VALUE_TYPES', {})\n"
        "before = sorted(set(lazy.values()) & {m[len(package.__name__):] for m in sys.modules})\n"
        "same = {\n"
        "    name: getattr(package, name)\n"
        "    is getattr(importlib.import_module(module, package.__name__), name)\n"
        "    for name, module in lazy.items()\n"
        "}\n"
        "try:\n"
        "    package.NotAType\n"
        "except AttributeError as error:\n"
        "    unknown = str(error)\n"
        "print(json.dumps({'before': before, 'same': same, 'all': package.__all__,"
        " 'unknown': unknown}))"
    )
    found = _probe(provider, code)
    assert sorted(found["same"]) == VALUE_TYPES.get(provider, [])
    assert all(found["same"].values())
    assert set(found["same"]) <= set(found["all"])
    assert found["before"] == []
    assert found["unknown"] == f"module {provider!r} has no attribute 'NotAType'"


@pytest.mark.parametrize("provider", provider_names())
def test_a_client_loads_the_transport_but_no_operation_nor_asyncio(
    provider: str,
) -> None:
    code = (
        "import inspect\n"
        f"import {provider} as package\n"
        "needed = [\n"
        "    name for name, parameter in inspect.signature(package.Client).parameters.items()\n"
        "    if parameter.default is inspect.Parameter.empty\n"
        "]\n"
        "values = {name: 'http://127.0.0.1:9' if name == 'base_url' else 'x' for name in needed}\n"
        "package.Client(**values).close()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    loaded = set(_probe(provider, code))
    assert {"httpx", f"{provider}._transport"} <= loaded
    waiting = {"asyncio", f"{provider}._endpoints", f"{provider}.fake_server"}
    assert loaded & waiting == set()


@pytest.mark.parametrize("provider", provider_names())
def test_an_operation_is_built_when_first_read_and_kept(provider: str) -> None:
    code = (
        "import importlib\n"
        "endpoints = importlib.import_module(sys.argv[1] + '._endpoints')\n"
        "def built():\n"
        "    return [name for name in endpoints.BUILDERS if name in vars(endpoints)]\n"
        "before = built()\n"
        "first = next(iter(endpoints.BUILDERS))\n"
        "endpoint = getattr(endpoints, first)\n"
        "print(json.dumps({\n"
        "    'before': before,\n"
        "    'after': built(),\n"
        "    'first': first,\n"
        "    'kept': getattr(endpoints, first) is endpoint,\n"
        "    'args': sorted(endpoint.args.model_fields),\n"
        "    'unknown': hasattr(endpoints, 'NOT_AN_OPERATION'),\n"
        "}))"
    )
    found = _probe(provider, code, provider)
    assert found["before"] == []
    assert found["after"] == [found["first"]]
    assert found["kept"] is True
    assert found["unknown"] is False
    endpoint = getattr(load(provider).contract, found["first"])
    assert found["args"] == sorted(endpoint.args.model_fields)


def test_a_sync_call_builds_its_operation_only_and_never_loads_asyncio() -> None:
    code = (
        "import litmos\n"
        "from litmos import _endpoints\n"
        "with litmos.Client(**json.loads(sys.argv[1])) as client:\n"
        "    courses = client.get_user_courses('u1')\n"
        "print(json.dumps({\n"
        "    'courses': len(courses),\n"
        "    'built': [name for name in _endpoints.BUILDERS if name in vars(_endpoints)],\n"
        "    'modules': sorted(sys.modules),\n"
        "}))"
    )
    with load("litmos").fake.FakeServer() as server:
        found = _probe("litmos", code, json.dumps(server.client_options()))
        assert [request.path for request in server.requests] == [
            "/v1.svc/users/u1/courses"
        ]
    assert found["courses"] > 0
    assert found["built"] == ["GET_USER_COURSES"]
    assert {"asyncio", "litmos.fake_server", "litmos._fake"} & set(
        found["modules"]
    ) == set()
