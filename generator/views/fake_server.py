"""What a package's ``fake_server.py`` prints: its imports, tables and example builders.

The fake server's behaviour is the runtime's (``runtime/_fake*.py``); a provider gives it
tables. Every decision about a provider — which credentials are secrets, which codecs
answer, which operations page or issue tokens — is made here, so that the template only
lays the tables out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import ir, pytypes
from .examples import example, imports_of
from .imports import date_imports, isort_names

Rows = tuple[tuple[str, str], ...]
"""Entries of a printed ``dict``: key and value, each a Python expression."""
Imports = dict[str, set[str]]
"""The names a module imports, by the module they come from."""

AUTH_HEADERS = {
    "apikey": "ApiKeyHeader({header!r}, Secret({0})).headers()",
    "bearer": "BearerToken(Secret({0})).headers()",
    "basic": "BasicAuth({0}, Secret({1})).headers()",
}
"""The request headers of each kind of auth scheme, from its credential constants."""
AUTH_CLASSES = {"apikey": "ApiKeyHeader", "basic": "BasicAuth", "bearer": "BearerToken"}
MEDIA = (
    ("binary", "BinaryCodec", "._fake_media", "file_body"),
    ("json", "JsonValueCodec", "._fake_media", "json_body"),
    ("xml", "XmlElementCodec", "._fake_media", "xml_body"),
    ("feed", "FeedCodec", "._fake_feeds", "feed_body"),
    ("entry", "EntryCodec", "._fake_feeds", "entry_body"),
    ("csv-report", "CsvReportCodec", "._fake_csv", "report_body"),
)
"""Each kind of reply that is not a typed model: its codec, and what makes its body."""
PLAIN = frozenset(
    {"str", "int", "float", "decimal", "bool", "date", "datetime", "binary", "enum"}
)
"""Kinds whose example needs no other example builder."""


@dataclass(frozen=True)
class ExampleModel:
    """An ``example_…(n)`` builder of schema-valid data of one model."""

    name: str
    function: str
    fields: Rows
    """Each field's keyword argument and value."""


@dataclass(frozen=True)
class FakeServerView:
    """Everything ``fake_server.py.j2`` prints, in the order it prints it."""

    title: str
    name: str
    imports: tuple[tuple[str, ...], ...]
    """Import lines, in isort's sections."""
    exports: list[str]
    constants: Rows
    """The credential constants and their fake values."""
    token_note: str
    """What the credential constants of an OAuth 2.0 scheme are for (empty: none)."""
    credentials: Rows
    auth_headers: Rows
    secrets: tuple[str, ...]
    endpoints: tuple[str, ...]
    status: Rows
    samples: Rows
    repairs: Rows
    xsds: Rows
    json_schemas: Rows
    wire_choices: tuple[str, ...]
    models: tuple[ExampleModel, ...]
    examples: Rows
    stateful: Rows
    records: Rows
    media: Rows
    base: str
    attributes: Rows
    """``FakeServer``'s class attributes: the tables and settings the runtime reads."""
    state: tuple[str, ...]
    """What ``FakeServer.__init__`` sets up besides the base class (tokens, pages)."""
    tokens: bool


def fake_server_view(provider: ir.Provider) -> FakeServerView:
    """The view of ``provider``'s ``fake_server.py``."""
    imports = _base_imports(provider)
    enums = {enum.name: enum.values for enum in provider.enums}
    used: set[str] = set()
    models = tuple(
        _example_model(model, enums, used) for model in provider.models if not model.csv
    )
    examples = tuple(
        (repr(op.name), "lambda: " + example(_result(op).type, "", "1", None, enums))
        for op in provider.operations
        if _model_result(op)
    )
    stateful = _stateful(provider, imports)
    records = _records(provider, imports)
    media = _media(provider, imports)
    choices = _wire_choices(provider)
    present = {
        attribute: name
        for attribute, name, rows in (
            ("examples", "EXAMPLES", examples),
            ("stateful", "STATEFUL", stateful),
            ("streams", "RECORDS", records),
            ("media", "MEDIA", media),
            ("wire_choices", "WIRE_CHOICES", choices),
        )
        if rows
    }
    constants, secrets = _credentials(provider)
    return FakeServerView(
        title=provider.title,
        name=provider.name,
        imports=_import_lines(imports, used, models, present),
        exports=[*_exports(constants), "FakeServer", "Fault", "Recorded"],
        constants=constants,
        token_note=_token_note(provider.token_scheme),
        credentials=tuple(
            (repr(name), name.upper())
            for scheme in provider.auth
            for name in (scheme.params[:1] if scheme.token_url else scheme.params)
        ),
        auth_headers=tuple(
            (repr(scheme.name), _auth_headers(scheme)) for scheme in provider.auth
        ),
        secrets=secrets,
        endpoints=tuple(f"_endpoints.{op.constant}" for op in provider.operations),
        status=tuple(
            (repr(op.name), str(op.success[0] if op.success else 200))
            for op in provider.operations
        ),
        samples=tuple(
            (repr((op.name, sample.wire_format)), repr(sample.file))
            for op in provider.operations
            if not op.pages
            for sample in op.samples
            if sample.direction == "response" and sample.kind == "data"
        ),
        repairs=tuple(
            (repr(sample.file), pytypes.tuple_literal(list(sample.repairs)))
            for op in provider.operations
            for sample in op.samples
            if sample.repairs
        ),
        xsds=tuple(
            (repr(op.name), repr(op.body.xsd[0]))
            for op in provider.operations
            if op.body and op.body.xsd
        ),
        json_schemas=tuple(
            (repr(op.name), repr(op.body.json_schema))
            for op in provider.operations
            if op.body and op.body.json_schema and "json" in op.body.formats
        ),
        wire_choices=choices,
        models=models,
        examples=examples,
        stateful=stateful,
        records=records,
        media=media,
        base="SoapFakeServer" if provider.has_soap else "BaseFakeServer",
        attributes=_attributes(provider) + tuple(present.items()),
        state=_state(provider),
        tokens=provider.token_scheme is not None,
    )


def _exports(constants: Rows) -> list[str]:
    """The constants of ``__all__``, with ``SPEC`` (tests read the spec files there)."""
    return sorted([name for name, _ in constants] + ["CREDENTIALS", "SECRETS", "SPEC"])


def _example_model(
    model: ir.Model, enums: Mapping[str, tuple[str, ...]], used: set[str]
) -> ExampleModel:
    fields = []
    for field in model.fields:
        optional = not field.required
        if model.recursive and optional and field.type.kind not in PLAIN:
            value = "None"  # a cycle of examples would never end
        else:
            length = field.constraints.max_length
            value = example(field.type, field.json_name, "n", length, enums)
            used |= imports_of(field.type)
            if field.type.nullable and optional:
                value = f"None if n % 3 == 0 else {value}"
        fields.append((field.name, value))
    return ExampleModel(model.name, f"example_{model.name.lower()}", tuple(fields))


def _model_result(operation: ir.Operation) -> bool:
    return operation.result is not None and operation.result.kind == "model"


def _result(operation: ir.Operation) -> ir.Payload:
    assert operation.result is not None
    return operation.result


def _credentials(provider: ir.Provider) -> tuple[Rows, tuple[str, ...]]:
    """The credential constants, and those that are secrets: all but the first of a
    pair (a user name, a client id)."""
    constants: dict[str, str] = {}
    secrets: list[str] = []
    for scheme in provider.auth:
        for name in scheme.params:
            if name.upper() not in constants:
                constants[name.upper()] = repr("fake-" + name.replace("_", "-"))
                if scheme.pair[:1] != (name,):
                    secrets.append(name.upper())
    return tuple(constants.items()), tuple(secrets)


def _token_note(scheme: ir.AuthScheme | None) -> str:
    if scheme is None:
        return ""
    ready, *client = (name.upper() for name in scheme.params)
    return (
        f"{ready}: a ready access token that never expires (besides those the server"
        f" issues);\n{' and '.join(client)}: the client credentials"
        f" ``{scheme.token_url}`` accepts."
    )


def _auth_headers(scheme: ir.AuthScheme) -> str:
    names = [name.upper() for name in scheme.params]
    return AUTH_HEADERS[scheme.kind].format(*names, header=scheme.header)


def _wire_choices(provider: ir.Provider) -> tuple[str, ...]:
    """The signs of a request for another representation than the default, in order."""
    choices = []
    for wire, rule in provider.wire_rules:
        if wire == provider.default_format:
            continue
        choices += [f"WireChoice({wire!r}, query={pair!r})" for pair in rule.query]
        choices += [
            f"WireChoice({wire!r}, accept={value!r})"
            for key, value in rule.headers
            if key == "Accept"
        ]
    return tuple(choices)


def _stateful(provider: ir.Provider, imports: Imports) -> Rows:
    """The token operation and the paged ones: answers that the server's state makes."""
    rows = []
    scheme = provider.token_scheme
    for operation in provider.operations:
        pages = operation.pages
        if scheme is not None and operation.name == scheme.token_operation:
            client = ", ".join(name.upper() for name in scheme.params[1:])
            rows.append((repr(operation.name), f"TokenGrant(({client}))"))
            imports.setdefault("._fake_state", set()).add("TokenGrant")
        elif pages is not None and _model_result(operation):
            imports.setdefault("._fake_state", set()).add("Paged")
            size = f", size_arg={pages.size_arg!r}" if pages.size_arg else ""
            rows.append(
                (
                    repr(operation.name),
                    f"Paged(example_{pages.item.name.lower()},"
                    f" items_field={pages.items_field!r},"
                    f" next_field={pages.next_field!r},"
                    f" token_arg={pages.token_arg!r}{size},"
                    f" default_size={pages.default_size or 1000})",
                )
            )
    return tuple(rows)


def _records(provider: ir.Provider, imports: Imports) -> Rows:
    """The root element and record writer of each streamed XML answer."""
    rows = []
    for operation in provider.operations:
        result = operation.result
        if result is None or not result.stream or result.kind == "binary":
            continue
        if pytypes.typed_records(result):
            assert result.type.item is not None
            item = f"example_{result.type.item.name.lower()}"
            writer = f"typed_records({item}, {result.xml_item!r})"
            imports.setdefault("._fake_media", set()).add("typed_records")
            rows.append((repr(operation.name), f"({result.xml_root!r}, {writer})"))
        else:
            root = operation.operation_id
            if result.xml_item:
                writer = f"untyped_records({result.xml_item!r})"
                imports.setdefault("._fake_media", set()).add("untyped_records")
            else:
                writer = "untyped_record"
                imports.setdefault("._fake_media", set()).add("untyped_record")
            rows.append((repr(operation.name), f"({root!r}, {writer})"))
    return tuple(rows)


def _media(provider: ir.Provider, imports: Imports) -> Rows:
    """The maker of each kind of reply that is not a typed model, by its codec."""
    kinds = {
        payload.kind
        for operation in provider.operations
        for payload in (operation.result, *operation.variants)
        if payload is not None and payload.kind != "model"
    }
    rows = []
    for kind, codec, module, body in MEDIA:
        if kind in kinds:
            imports.setdefault("._codecs", {"MediaCodec"}).add(codec)
            imports.setdefault(module, set()).add(body)
            imports["._fake"].add("MediaAnswer")
            rows.append((codec, body))
    return tuple(rows)


def _attributes(provider: ir.Provider) -> Rows:
    """``FakeServer``'s class attributes that differ from the base class's."""
    found: list[tuple[str, str]] = []
    path = (
        provider.servers[0].url.split("://", 1)[1].partition("/")[2]
        if provider.servers
        else ""
    )
    if path:
        found.append(("prefix", repr("/" + path)))
    if provider.has_soap:
        found.append(("wsdl", repr(provider.wsdl_file)))
    if provider.session_cookie:
        found.append(("session_cookie", "True"))
    if provider.multipart:
        found.append(("multipart", "True"))
    if provider.token_scheme is not None:
        found.append(("token_scheme", repr(provider.token_scheme.name)))
    if provider.default_format != "xml":
        found.append(("default_wire", repr(provider.default_format)))
    defaults = [
        (parameter.name, "fake-server-client")
        for parameter in provider.client_defaults
        if parameter.required
    ]
    if defaults:
        found.append(("client_defaults", pytypes.tuple_literal(defaults)))
    found += [
        ("credentials", "CREDENTIALS"),
        ("auth_headers", "AUTH_HEADERS"),
        ("status", "STATUS"),
        ("samples", "SAMPLES"),
        ("repairs", "REPAIRS"),
        ("xsds", "XSDS"),
        ("json_schemas", "JSON_SCHEMAS"),
    ]
    return tuple(found)


def _state(provider: ir.Provider) -> tuple[str, ...]:
    found = []
    if provider.token_scheme is not None:
        token = provider.token_scheme.params[0].upper()
        found.append(f"self.tokens = AccessTokens({token})")
    if provider.paginated:
        found.append("self.pager = Pager()")
    return tuple(found)


def _base_imports(provider: ir.Provider) -> Imports:
    """The imports every ``fake_server.py`` has, as the provider's auth and protocol
    make them (``_stateful``, ``_records`` and ``_media`` add theirs)."""
    auth = {AUTH_CLASSES[scheme.kind] for scheme in provider.auth}
    imports: Imports = {
        ".": {"_endpoints"},
        "._config": {"Endpoint", *auth, *(["Secret"] if auth else [])},
        "._fake": {"SPEC", "Fault", "Recorded"},
        ".client": {"AsyncClient", "Client"},
    }
    if provider.has_soap:
        imports["._fake_soap"] = {"SoapFakeServer"}
    else:
        imports["._fake"].add("BaseFakeServer")
    state = set()
    if provider.token_scheme is not None:
        state.add("AccessTokens")
    if provider.paginated:
        state.add("Pager")
    if state:
        imports["._fake_state"] = state
    return imports


def _import_lines(
    imports: Imports,
    used: set[str],
    models: tuple[ExampleModel, ...],
    tables: Mapping[str, str],
) -> tuple[tuple[str, ...], ...]:
    """The import lines of ``fake_server.py`` in isort's sections: exactly what it
    refers to."""
    stdlib = []
    if {"examples", "streams"} & set(tables):
        stdlib.append("from collections.abc import Callable")
    stdlib += date_imports(used)
    stdlib.append("from typing import Any")
    imports = {module: set(names) for module, names in imports.items()}
    if "wire_choices" in tables:
        imports["._fake"].add("WireChoice")
    if "stateful" in tables:
        imports["._fake"].add("Stateful")
    if models:
        imports[".models"] = {model.name for model in models}
    first = tuple(
        f"from {module} import {', '.join(isort_names(names))}"
        for module, names in sorted(imports.items())
    )
    return tuple(stdlib), first
