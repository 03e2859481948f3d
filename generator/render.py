"""IR → file contents, through the Jinja2 templates in ``templates/``.

Models are rendered by ``templates/package/models.py.j2`` rather than by
datamodel-code-generator: its input is JSON Schema, which has nowhere to carry what our
models need besides the JSON shape — XML element names and kinds (wrapped or repeated
lists, attributes, ``xsi:nil`` versus omission, aliases for vendor typos), the
provider's date formats and which models enforce request limits. Those come from the
IR; bolting them onto datamodel-code-generator's output would mean parsing and
rewriting the code it emits. One template that reads the IR is shorter and keeps the
single source of naming decisions in the IR.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ir, pytypes
from .ir import leaves

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RUNTIME = (
    "errors.py",
    "_types.py",
    "_xml.py",
    "_model.py",
    "_codecs.py",
    "_soap.py",
    "_paging.py",
    "_transport.py",
)
PACKAGE = (
    "__init__.py",
    "models.py",
    "_endpoints.py",
    "client.py",
    "_fake.py",
    "_fake_state.py",
    "_fake_soap.py",
    "fake_server.py",
)
OPTIONAL: dict[str, Callable[[ir.Provider], bool]] = {
    "_paging.py": lambda provider: bool(provider.paginated),
    "_fake_state.py": lambda provider: bool(provider.paginated or provider.token_scheme),
    "_fake_soap.py": lambda provider: provider.has_soap,
}
"""Modules only a provider that needs them gets (the client and fake import them then)."""
TESTS = ("conftest.py", "test_samples.py", "test_contract.py", "test_roundtrip.py")
ROOT = ("README.md", "pyproject.toml")


def environment() -> Environment:
    # jinja2 is imported on first use: a no-op regeneration renders nothing.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["annotation"] = pytypes.annotation
    env.filters["literal"] = pytypes.literal
    env.filters["tuple_literal"] = pytypes.tuple_literal
    env.globals["field_args"] = pytypes.field_args
    return env


def scalars_used(provider: ir.Provider) -> set[str]:
    """The scalar kinds the models and arguments use (for exact imports)."""
    found: set[str] = set()

    def add(kind: ir.TypeRef | None) -> None:
        for leaf in leaves(kind):
            found.add(leaf.kind)

    for model in provider.models:
        for field in model.fields:
            add(field.type)
    for operation in provider.operations:
        for parameter in operation.parameters:
            add(parameter.type)
        for payload in (operation.body, operation.result):
            if payload is not None:
                add(payload.type)
    return found


def _names(kind: ir.TypeRef | None, into: set[str]) -> None:
    into.update(leaf.name for leaf in leaves(kind) if leaf.kind in ("model", "enum"))


def endpoint_imports(provider: ir.Provider) -> dict[str, Any]:
    """What ``_endpoints.py`` refers to, so that it imports exactly that."""
    models: set[str] = set()
    scalars: set[str] = set()
    runtime = {"Endpoint"}
    codecs: set[str] = set()
    namespaces: set[str] = set()
    payloads: list[ir.Payload | None] = [provider.soap_fault_detail]
    for operation in provider.operations:
        if operation.parameters:
            runtime.add("Param")
        for parameter in operation.parameters:
            _names(parameter.type, models)
            scalars.update(leaf.kind for leaf in leaves(parameter.type))
        payloads += [operation.body, operation.result, operation.error]
        if operation.body is not None:
            runtime.add("Body")
        if operation.soap is not None:
            models.add(operation.soap.request)
            codecs.add("ModelCodec")
            namespaces.add(operation.soap.namespace)
    for payload in payloads:
        if payload is not None:
            _names(payload.type, models)
            codecs.add("ListCodec" if payload.type.is_list else "ModelCodec")
            namespaces.add(payload.namespace)
    namespaces.discard("")  # the WSDL frontend allows one service namespace
    return {
        "field": _args_use_field(provider),
        "models": sorted(models),
        "runtime": sorted(runtime),
        "codecs": sorted(codecs),
        "scalars": sorted(scalars),
        "pages": bool(provider.paginated),
        "namespace": min(namespaces, default=""),
    }


def _args_use_field(provider: ir.Provider) -> bool:
    """Whether an arguments class needs ``Field(...)`` (limits, or a required body)."""
    for operation in provider.operations:
        for parameter in operation.parameters:
            default = None if parameter.required else "None"
            args = pytypes.field_args(
                parameter.name, parameter.name, parameter.constraints, True, default
            )
            if args not in ("", "default=None"):
                return True
        if operation.body is not None:
            body = operation.body
            args = pytypes.field_args(
                operation.body_arg, operation.body_arg, body.constraints, True, None
            )
            if args:
                return True
    return False


def render(
    provider: ir.Provider, env: Environment | None = None, version: str = "0.1.0"
) -> dict[str, bytes]:
    """Every file of ``generated/<provider>/``, by relative path (``version``: the package's)."""
    env = env or environment()
    context: dict[str, Any] = {
        "provider": provider,
        "version": version,
        "scalars": scalars_used(provider),
        "imports": endpoint_imports(provider),
        "enum_values": {enum.name: enum.values for enum in provider.enums},
    }
    package = provider.package
    files: dict[str, bytes] = {}
    for name in RUNTIME + PACKAGE:
        if name not in OPTIONAL or OPTIONAL[name](provider):
            files[f"{package}/{name}"] = _render(env, f"package/{name}.j2", context)
    for name in TESTS:
        files[f"tests/{name}"] = _render(env, f"tests/{name}.j2", context)
    for name in ROOT:
        files[name] = _render(env, f"{name}.j2", context)
    files[f"{package}/py.typed"] = b""
    for relative, content in provider.files:
        files[f"{package}/_spec/{relative}"] = content
    return files


def _render(env: Environment, template: str, context: dict[str, Any]) -> bytes:
    return env.get_template(template).render(context).encode("utf-8")
