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
from .runtime import _errors
from .views import client, contract, readme, roundtrip, samples
from .views import package as package_view
from .views.fake_server import fake_server_view
from .views.imports import isort_names, payload_imports, value_types

if TYPE_CHECKING:
    from jinja2 import Environment


def _templates() -> Path:
    """Templates travel inside the installed package; a source checkout keeps them on top."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


TEMPLATES = _templates()
RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
"""The runtime as plain Python (``lmsgen.runtime``), copied into the packages as is."""
RUNTIME = (
    "_errors.py",
    "_types.py",
    "_xml.py",
    "_model.py",
    "_codecs.py",
    "_config.py",
    "_request.py",
    "_response.py",
    "_vendor.py",
    "_retry.py",
    "_transport.py",
    "_fake.py",
)
"""The runtime modules every package carries (the client's and the fake server's)."""
OPTIONAL_RUNTIME: dict[str, Callable[[ir.Provider], bool]] = {
    "_soap.py": lambda provider: provider.has_soap,
    "_paging.py": lambda provider: bool(provider.paginated),
    "_csv.py": lambda provider: bool(provider.payload_kinds & {"csv", "csv-report"}),
    "_feeds.py": lambda provider: bool(provider.payload_kinds & {"feed", "entry"}),
    "_multipart.py": lambda provider: provider.multipart,
    "_stream.py": lambda provider: provider.streams,
    "_fake_state.py": lambda provider: bool(
        provider.paginated or provider.token_scheme
    ),
    "_fake_soap.py": lambda provider: provider.has_soap,
    "_fake_media.py": lambda provider: provider.media_results
    or provider.record_streams,
    "_fake_feeds.py": lambda provider: bool(provider.payload_kinds & {"feed", "entry"}),
    "_fake_csv.py": lambda provider: "csv-report" in provider.payload_kinds,
}
"""The runtime modules only a provider that uses them gets: no generic module imports
one; the generated ``_endpoints.py`` hands what they hold to the generic runtime."""
PACKAGE = (
    "__init__.py",
    "_settings.py",
    "errors.py",
    "models.py",
    "_endpoints.py",
    "client.py",
    "fake_server.py",
)
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
    env.globals["assignment"] = pytypes.assignment
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
    env.filters["handed_in"] = handed_in
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
    handed: dict[str, set[str]] = {}
    for operation in provider.operations:
        for _, module, name in handed_in(operation):
            handed.setdefault(module, set()).add(name)
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
            module, name = CODEC_FACTORIES.get(payload.kind, ("", ""))
            if module:
                handed.setdefault(module, set()).add(name)
            else:
                codecs.add(pytypes.codec_class(payload))
            namespaces.add(payload.namespace)
    namespaces.discard("")  # the WSDL frontend allows one service namespace
    if _args_use_field(provider):
        pydantic.add("Field")
    sections = _endpoint_sections(
        provider, scalars, pydantic, codecs, runtime, models, handed
    )
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
    handed: dict[str, set[str]],
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
    payload_imports(provider, used, found, upload="UploadArg")
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
    for module, names in handed.items():
        found.setdefault(module, set()).update(names)
    if provider.soap_faults:
        found[".errors"] = {"SOAP_FAULTS"}
    if models:
        found[".models"] = models
    stdlib = [("collections.abc", ["Callable"]), ("typing", ["Any"])]
    third = [("pydantic", isort_names(found.pop("pydantic")))]
    first = [
        (module, isort_names(names)) for module, names in sorted(found.items()) if names
    ]
    return [section for section in (stdlib, third, first) if section]


CODEC_FACTORIES = {
    "feed": ("._feeds", "feed_codec"),
    "entry": ("._feeds", "entry_codec"),
    "csv-report": ("._csv", "report_codec"),
}
"""The codecs an optional runtime module builds (the generic ``_codecs`` imports none
of those modules): by payload kind, the module and the function."""


def handed_in(operation: ir.Operation) -> list[tuple[str, str, str]]:
    """What ``_endpoints.py`` hands the generic runtime from optional modules for one
    operation, as (``Endpoint`` field, module, name)."""
    found = []
    if operation.result is not None and operation.result.stream:
        found.append(("download", "._stream", "DOWNLOAD"))
    if any(param.location == "multipart" for param in operation.parameters):
        found.append(("open_parts", "._multipart", "open_parts"))
    return found


SCALAR_ALIASES = (
    ("Date", "date"),
    ("DateOrDateTime", "date_or_datetime"),
    ("DateTime", "datetime"),
    ("Number", "decimal"),
)
"""The validating aliases of ``_types`` and the scalar kinds they stand for."""


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
            if pytypes.needs_field(args):
                return True
        if operation.body is not None:
            body = operation.body
            args = pytypes.field_args(
                operation.body_arg, operation.body_arg, body.constraints, True, None
            )
            if pytypes.needs_field(args):
                return True
    return False


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
        "enum_values": {enum.name: enum.values for enum in provider.enums},
        "value_types": value_types(provider),
    }
    context["client"] = client.view(provider, context["imports"]["scalars"])
    context["contract"] = contract.view(provider, context["enum_values"])
    context["exports"] = package_view.exports(context["value_types"])
    context["models"] = package_view.models(provider, context["scalars"])
    context["samples"] = samples.view(provider)
    context["strategies"] = roundtrip.view(provider, context["enum_values"])
    context["readme"] = readme.view(
        provider, context["value_types"], context["enum_values"]
    )
    context["error_names"] = ERROR_NAMES
    package = provider.package
    templates: dict[str, str] = {}
    for name in PACKAGE:
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
    for name in runtime_modules(provider):
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


def runtime_modules(provider: ir.Provider) -> tuple[str, ...]:
    """The runtime modules copied into a provider's package: the generic ones, and the
    optional ones it uses."""
    optional = (name for name, used in OPTIONAL_RUNTIME.items() if used(provider))
    return RUNTIME + tuple(optional)


ERROR_NAMES = isort_names(
    {
        name
        for name, value in vars(_errors).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
)
"""The exception classes of the runtime, which each package's ``errors`` re-exports."""


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
