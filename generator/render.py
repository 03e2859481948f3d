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

import io
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ir, pytypes
from .ir import leaves
from .views.fake_server import fake_server_view

if TYPE_CHECKING:
    from jinja2 import Environment


def _templates() -> Path:
    """Templates travel inside the installed package; a source checkout keeps them on top."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


TEMPLATES = _templates()
RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
RUNTIME = (
    "errors.py",
    "_types.py",
    "_xml.py",
    "_model.py",
    "_codecs.py",
    "_soap.py",
    "_paging.py",
    "_config.py",
    "_transport.py",
)
PACKAGE = (
    "__init__.py",
    "models.py",
    "_endpoints.py",
    "client.py",
    "fake_server.py",
)
FAKE_RUNTIME = (
    "_fake.py",
    "_fake_state.py",
    "_fake_soap.py",
    "_fake_media.py",
    "_fake_feeds.py",
    "_fake_csv.py",
)
"""The fake server's runtime: copied verbatim from ``runtime/`` (those OPTIONAL wants)."""
OPTIONAL: dict[str, Callable[[ir.Provider], bool]] = {
    "_paging.py": lambda provider: bool(provider.paginated),
    "_fake_state.py": lambda provider: bool(
        provider.paginated or provider.token_scheme
    ),
    "_fake_soap.py": lambda provider: provider.has_soap,
    "_fake_media.py": lambda provider: provider.media_results
    or provider.record_streams,
    "_fake_feeds.py": lambda provider: bool(provider.payload_kinds & {"feed", "entry"}),
    "_fake_csv.py": lambda provider: "csv-report" in provider.payload_kinds,
}
"""Modules only a provider that needs them gets (the client and fake import them then)."""
TESTS = ("conftest.py", "test_samples.py", "test_contract.py", "test_roundtrip.py")
ROOT = ("README.md", "pyproject.toml")


def environment() -> Environment:
    # jinja2 is imported on first use: a no-op regeneration renders nothing.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from .templatecache import TemplateCache

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=TemplateCache(),
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
    for name in (
        "payload_type",
        "codec_class",
        "result_type",
        "body_arg_type",
        "body_param_type",
        "record_type",
    ):
        env.filters[name] = getattr(pytypes, name)
    env.filters["arg_type"] = pytypes.arg_type
    env.filters["csv_column_type"] = pytypes.csv_column_type
    env.tests["containing"] = lambda value, needle: needle in value
    env.tests["typed_records"] = pytypes.typed_records
    env.filters["arg_default"] = pytypes.arg_default
    return env


def scalars_used(provider: ir.Provider) -> set[str]:
    """The scalar kinds the models and payloads use (for exact imports)."""
    found: set[str] = set()

    def add(kind: ir.TypeRef | None) -> None:
        for leaf in leaves(kind):
            found.add(leaf.kind)

    for model in provider.models:
        for field in model.fields:
            add(field.type)
    for payload in provider.payloads:
        if payload.kind in ("model", "csv"):
            add(payload.type)
    return found


def fake_scalars(provider: ir.Provider) -> set[str]:
    """The scalar kinds the fake server's example builders use (CSV rows have none)."""
    found: set[str] = set()
    for model in provider.models:
        if not model.csv:
            for field in model.fields:
                found.update(leaf.kind for leaf in leaves(field.type))
    return found


def _names(kind: ir.TypeRef | None, into: set[str]) -> None:
    into.update(leaf.name for leaf in leaves(kind) if leaf.kind in ("model", "enum"))


def endpoint_imports(provider: ir.Provider) -> dict[str, Any]:
    """What ``_endpoints.py`` refers to, so that it imports exactly that."""
    models: set[str] = set()
    scalars: set[str] = set()
    runtime = {"Endpoint"}
    codecs: set[str] = set()
    pydantic = {"BaseModel", "ConfigDict"}
    namespaces: set[str] = set()
    payloads: list[ir.Payload | None] = [provider.soap_fault_detail]
    for operation in provider.operations:
        if operation.parameters:
            runtime.add("Param")
        for parameter in operation.parameters:
            _names(parameter.type, models)
            if not parameter.is_upload:
                scalars.update(leaf.kind for leaf in leaves(parameter.type))
        payloads += [
            operation.body,
            operation.result,
            *operation.variants,
            operation.error,
        ]
        if operation.body is not None:
            runtime.add("Body")
        if operation.soap is not None:
            models.add(operation.soap.request)
            codecs.add("ModelCodec")
            namespaces.add(operation.soap.namespace)
    for payload in payloads:
        if payload is not None:
            _names(payload.type, models)
            codecs.add(pytypes.codec_class(payload))
            namespaces.add(payload.namespace)
    namespaces.discard("")  # the WSDL frontend allows one service namespace
    if _args_use_field(provider):
        pydantic.add("Field")
    sections = _endpoint_sections(provider, scalars, pydantic, codecs, runtime, models)
    return {
        "models": sorted(models),
        "runtime": sorted(runtime),
        "codecs": sorted(codecs),
        "scalars": sorted(scalars),
        "sections": sections,
        "namespace": min(namespaces, default=""),
    }


def _endpoint_sections(
    provider: ir.Provider,
    scalars: set[str],
    pydantic: set[str],
    codecs: set[str],
    runtime: set[str],
    models: set[str],
) -> list[list[tuple[str, list[str]]]]:
    """The ``from … import …`` lines of ``_endpoints.py``, in isort's sections and order."""
    results = {pytypes.result_type(operation) for operation in provider.operations}
    used = {name for text in results for name in text.split(" | ")}
    found: dict[str, set[str]] = {
        "._codecs": codecs,
        "._config": runtime,
        "._types": {name for name, kind in SCALAR_ALIASES if kind in scalars},
        "pydantic": pydantic | ({"JsonValue"} & used),
    }
    _payload_imports(provider, used, found, upload="UploadArg")
    streamed = [payload for payload in provider.payloads if payload.stream]
    readers = {
        "model_record" if pytypes.typed_records(payload) else "element_record"
        for payload in streamed
        if payload.kind != "binary"
    }
    if readers:
        found["._stream"] = {"RecordStream", *readers}
    if "xml" in provider.body_kinds:
        found["._types"].add("XmlDocument")
    if provider.paginated:
        found["._paging"] = {"Pages"}
    if provider.has_soap:
        found["._soap"] = {"SoapCall"}
    if models:
        found[".models"] = models
    stdlib = [("collections.abc", ["Callable"]), ("typing", ["Any"])]
    third = [("pydantic", isort_names(found.pop("pydantic")))]
    first = [
        (module, isort_names(names)) for module, names in sorted(found.items()) if names
    ]
    return [section for section in (stdlib, third, first) if section]


SCALAR_ALIASES = (
    ("Date", "date"),
    ("DateOrDateTime", "date_or_datetime"),
    ("DateTime", "datetime"),
    ("Number", "decimal"),
)
"""The validating aliases of ``_types`` and the scalar kinds they stand for."""


def isort_names(names: set[str]) -> list[str]:
    """Names in the order isort (and ruff) keep them: constants, classes, then the rest."""

    def key(name: str) -> tuple[int, str]:
        rank = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
        return rank, name.lower()

    return sorted(names, key=key)


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
                _names(payload.type, names)
        for parameter in operation.parameters:
            _names(parameter.type, names)
        if operation.pages:
            names.add(operation.pages.item.name)
    used = _used_types(provider)
    overloads = any(
        len(operation.result_groups) > 1 for operation in provider.operations
    )
    typing = {"TYPE_CHECKING"} | (
        {"Literal"} if provider.regions or overloads else set()
    )
    stdlib = []
    iterators = any(operation.streamable for operation in provider.operations)
    if provider.streams or iterators or provider.paginated:
        stdlib.append("from collections.abc import AsyncIterator, Iterator")
    dates = [kind for kind in ("date", "datetime") if kind in scalars]
    if dates:
        stdlib.append(f"from datetime import {', '.join(dates)}")
    if "decimal" in scalars:
        stdlib.append("from decimal import Decimal")
    stdlib.append("from types import TracebackType")
    if overloads:
        typing.add("overload")
    third = ["import httpx"]
    if "JsonValue" in used:
        third.append("from pydantic import JsonValue")
    config = {"Auth", "Config", "RetryPolicy", "Secret", "LazyModule", "timeouts"}
    config |= {AUTH_CLASSES[scheme.kind] for scheme in provider.auth}
    if provider.token_scheme:
        config.add("ClientCredentials")
    if provider.rate_limit:
        config.add("RateLimiter")
    if provider.wire_choice:
        config.add("WireFormat")
    if provider.wire_rules:
        config.add("WireRule")
    runtime = [f"from ._config import {', '.join(isort_names(config))}"]
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
        "runtime": [[f"from typing import {', '.join(isort_names(typing))}"], runtime],
        "typing": [stdlib, third, first],
    }


def _used_types(provider: ir.Provider) -> set[str]:
    """The type names the client's results and bodies are written with."""
    return {
        name
        for operation in provider.operations
        for text in (pytypes.result_type(operation), *_body_types(operation))
        for name in text.split(" | ")
    }


def value_types(
    provider: ir.Provider, used: set[str] | None = None
) -> dict[str, list[str]]:
    """The types of the client's signatures that live in private modules (``Feed``,
    ``Upload``…), by module: the package re-exports them for callers' annotations."""
    found: dict[str, set[str]] = {}
    used = _used_types(provider) if used is None else used
    _payload_imports(provider, used, found, upload="Upload")
    if provider.streams:
        found["._stream"] = {"Target"}
    return {module: isort_names(names) for module, names in sorted(found.items())}


AUTH_CLASSES = {"apikey": "ApiKeyHeader", "basic": "BasicAuth", "bearer": "BearerToken"}


def _body_types(operation: ir.Operation) -> tuple[str, ...]:
    return (pytypes.body_param_type(operation.body),) if operation.body else ()


def _args_use_field(provider: ir.Provider) -> bool:
    """Whether an arguments class needs ``Field(...)`` (limits, or a required body)."""
    for operation in provider.operations:
        for parameter in operation.parameters:
            args = pytypes.field_args(
                parameter.name,
                parameter.name,
                parameter.constraints,
                True,
                pytypes.arg_default(parameter),
            )
            if _needs_field(args):
                return True
        if operation.body is not None:
            body = operation.body
            args = pytypes.field_args(
                operation.body_arg, operation.body_arg, body.constraints, True, None
            )
            if _needs_field(args):
                return True
    return False


def _needs_field(args: str) -> bool:
    """Whether ``field_args`` output is written as ``Field(...)`` (see ``macros.assignment``)."""
    return bool(args) and not (args.startswith("default=") and ", " not in args)


def render(
    provider: ir.Provider, env: Environment | None = None, version: str = "0.1.0"
) -> dict[str, bytes]:
    """Every file of ``generated/<provider>/``, by relative path (``version``: the package's)."""
    return {
        path: source if isinstance(source, bytes) else source()
        for path, source in renderers(provider, env, version).items()
    }


def renderers(
    provider: ir.Provider, env: Environment | None = None, version: str = "0.1.0"
) -> dict[str, bytes | Callable[[], bytes]]:
    """Every file of ``generated/<provider>/``: its content, or the function rendering
    it (called where it is formatted). The files that grow with the operations first."""
    env = env or environment()
    context: dict[str, Any] = {
        "provider": provider,
        "version": version,
        "scalars": scalars_used(provider),
        "fake_scalars": fake_scalars(provider),
        "imports": endpoint_imports(provider),
        "client_imports": client_imports(
            provider, endpoint_imports(provider)["scalars"]
        ),
        "enum_values": {enum.name: enum.values for enum in provider.enums},
        "value_types": value_types(provider),
    }
    package = provider.package
    templates: dict[str, str] = {}
    for name in RUNTIME + optional_runtime(provider) + PACKAGE:
        if name not in OPTIONAL or OPTIONAL[name](provider):
            templates[f"{package}/{name}"] = f"package/{name}.j2"
    for name in TESTS:
        if name in wanted_tests(provider):
            templates[f"tests/{name}"] = f"tests/{name}.j2"
    for name in ROOT:
        templates[name] = f"{name}.j2"
    files: dict[str, bytes | Callable[[], bytes]] = {
        path: (
            partial(_render_view, env, template, provider)
            if template in VIEWS
            else partial(_render, env, template, context)
        )
        for path, template in sorted(
            templates.items(), key=lambda item: item[0].rpartition("/")[2] not in LARGE
        )
    }
    for name in FAKE_RUNTIME:
        if name not in OPTIONAL or OPTIONAL[name](provider):
            files[f"{package}/{name}"] = (RUNTIME_DIR / name).read_bytes()
    files[f"{package}/py.typed"] = b""
    for relative, content in provider.files:
        files[f"{package}/_spec/{relative}"] = content
    return files


LARGE = frozenset(
    {"client.py", "_endpoints.py", "models.py", "fake_server.py"}
    | {"test_contract.py", "test_roundtrip.py", "test_samples.py"}
)
"""The modules with a part per operation or model: started first when in parallel."""


def wanted_tests(provider: ir.Provider) -> tuple[str, ...]:
    """The test modules a provider has something to test with (no empty parametrizations)."""
    skip = set()
    if not any(operation.samples for operation in provider.operations):
        skip.add("test_samples.py")
    if not provider.models:
        skip.add("test_roundtrip.py")
    return tuple(name for name in TESTS if name not in skip)


def optional_runtime(provider: ir.Provider) -> tuple[str, ...]:
    """The runtime modules only some providers need (feeds, CSV, multipart, streaming)."""
    kinds = provider.payload_kinds
    wanted = (
        ("_csv.py", bool(kinds & {"csv", "csv-report"})),
        ("_feeds.py", bool(kinds & {"feed", "entry"})),
        ("_multipart.py", provider.multipart),
        ("_stream.py", provider.streams),
    )
    return tuple(name for name, needed in wanted if needed)


VIEWS: dict[str, Callable[[ir.Provider], object]] = {
    "package/fake_server.py.j2": fake_server_view,
}
"""The templates that print a view object (``view``) rather than read the IR."""


def _render_view(env: Environment, template: str, provider: ir.Provider) -> bytes:
    # The view is built here, where the file is formatted: in parallel, when it is.
    return _render(env, template, {"view": VIEWS[template](provider)})


def _render(env: Environment, template: str, context: dict[str, Any]) -> bytes:
    # Written as it is generated: joining the pieces of a 1000-operation module at
    # once would hold hundreds of thousands of small strings.
    out = io.StringIO()
    for chunk in env.get_template(template).generate(context):
        out.write(chunk)
    return out.getvalue().encode("utf-8")


def _payload_imports(
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
