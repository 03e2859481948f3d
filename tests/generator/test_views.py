"""The view objects the templates print, computed from small hand-built IRs; and the
templates they keep thin (no accumulators, no long lines, no names special-cased)."""

from __future__ import annotations

from dataclasses import replace

from lmsgen import ir
from lmsgen.views import (
    client,
    contract,
    docstrings,
    examples,
    package,
    prose,
    readme,
    roundtrip,
    samples,
)

STR = ir.TypeRef("str")
WHEN = ir.TypeRef("datetime")


def _param(name: str, **changes: object) -> ir.Parameter:
    param = ir.Parameter(
        name=name, wire_name=name, location="query", type=STR, required=False
    )
    return replace(param, **changes)


def _operation(name: str = "get_users", **changes: object) -> ir.Operation:
    operation = ir.Operation(
        operation_id=name,
        name=name,
        method="GET",
        path="/users",
        summary="List users.",
        description="",
        tags=(),
        parameters=(),
        body=None,
        body_arg="body",
        body_description="",
        result=None,
        success=(200,),
        idempotent=True,
        auth=("apikey",),
        auth_optional=False,
        inventory="",
    )
    return replace(operation, **changes)


APIKEY = ir.AuthScheme("apikey", "apikey", header="apikey")
OAUTH = ir.AuthScheme(
    "oauth2", "bearer", token_url="/token", token_operation="get_token"
)


def _provider(*operations: ir.Operation, **changes: object) -> ir.Provider:
    provider = ir.Provider(
        name="acme",
        title="Acme API",
        description="",
        servers=(ir.Server("https://api.example", ""),),
        auth=(APIKEY,),
        operations=operations or (_operation(),),
        models=(),
        enums=(),
    )
    return replace(provider, **changes)


def test_examples_vary_with_n_and_respect_limits() -> None:
    listed = ir.TypeRef("list", item=ir.TypeRef("model", name="User"))
    assert examples.example(listed, "", "n", None, {}, "fake.") == (
        "[fake.example_user(n * 10 + 1), fake.example_user(n * 10 + 2)]"
    )
    assert examples.example(STR, "name", "1", 5, {}) == 'f"name-{1}"[:5]'
    assert (
        examples.example(
            ir.TypeRef("enum", name="Kind"), "", "1", None, {"Kind": ("b", "a")}
        )
        == "'b'"
    )
    assert examples.aware(examples.example(WHEN, "", "1", None, {}), WHEN) == (
        "datetime(2024, 1, 1 + (1) % 28, 9, 30, 15, tzinfo=UTC)"
    )


def test_an_args_entry_wraps_with_a_hanging_indent() -> None:
    text = "word " * 20
    first, *rest = prose.entry("name", text.strip(), width=30)
    assert first.startswith("name: word") and len(first) <= len("name: ") + 30
    assert rest and all(line.startswith("    word") for line in rest)


def test_signature_orders_path_body_then_keywords() -> None:
    operation = _operation(
        parameters=(
            _param("user_id", location="path", required=True),
            _param("limit", type=ir.TypeRef("int"), required=True, call_default=10),
            _param("name", required=True),
            _param("since", type=WHEN),
        ),
        body=ir.Payload(type=ir.TypeRef("model", name="User"), formats=("json",)),
    )
    assert client.signature(_provider(operation), operation) == (
        "user_id: str",
        "body: User",
        "*",
        "limit: int = 10",
        "name: str",
        "since: datetime | None = None",
        "retry: RetryPolicy | None = None",
    )


def test_an_overload_fixes_the_response_format() -> None:
    fmt = _param("format", required=True, call_default="json", response_format=True)
    operation = _operation(parameters=(fmt,))
    provider = _provider(operation)
    assert client.signature(provider, operation, ("xml",), with_default=False)[1] == (
        "format: Literal['xml']"
    )
    assert (
        client.signature(provider, operation, ("json",))[1]
        == "format: Literal['json'] = 'json'"
    )


def test_arguments_leave_out_the_page_token() -> None:
    operation = _operation(parameters=(_param("page"), _param("size")))
    assert client.arguments(operation) == '{"page": page, "size": size,}'
    assert client.arguments(operation, skip="page") == '{"size": size,}'
    assert client.arguments(_operation()) == "{}"


def test_constructor_takes_required_credentials_first() -> None:
    provider = _provider()
    assert provider.auth_required
    params = client.constructor(provider)
    assert params[:2] == ("api_key: str", "*")
    assert "base_url: str | None = None" in params
    optional = _provider(_operation(auth=()))
    assert client.constructor(optional)[:2] == ("*", "api_key: str | None = None")
    assert "base_url: str" in client.constructor(_provider(servers=()))


def test_every_secret_is_documented_as_never_shown_prefixed_or_not() -> None:
    prefixed = ir.AuthScheme("user", "basic", prefix="user_")
    doc = docstrings.constructor_doc(_provider(auth=(prefixed,)))
    assert (
        "user_password: Credential for the ``user`` scheme (never logged or shown)."
        in doc
    )
    assert "user_username: Credential for the ``user`` scheme." in doc


def test_token_scheme_checks_its_pair_and_names_what_it_needs() -> None:
    view = client.view(_provider(auth=(OAUTH,)), [])
    [scheme] = view.schemes
    assert (scheme.key, scheme.user, scheme.secret) == (
        "token",
        "client_id",
        "client_secret",
    )
    assert scheme.pair == '"client_id", "client_secret"'
    assert scheme.needs == "token, or client_id and client_secret"
    assert scheme.token_constant == "GET_TOKEN"


def test_a_paged_walk_sets_the_token_itself() -> None:
    pages = ir.Pagination(
        "page_token", "next", "items", ir.TypeRef("model", name="User")
    )
    result = ir.Payload(type=ir.TypeRef("model", name="UserPage"), formats=("xml",))
    operation = _operation(
        parameters=(_param("page_token"),), pages=pages, result=result
    )
    sync, walk = client.methods(_provider(operation), operation, is_async=False)
    assert sync.transport == "call" and "page_token: str | None = None" in sync.params
    assert walk.name == "iter_users" and walk.iterate == "iterate"
    assert "page_token" not in walk.arguments
    assert walk.returns == "Iterator[User]"
    assert "Yields:" in walk.docstring
    _, awalk = client.methods(_provider(operation), operation, is_async=True)
    assert awalk.returns == "AsyncIterator[User]" and awalk.iterate == "aiterate"


def test_test_clients_give_credentials_and_required_defaults() -> None:
    source = _param("source", required=True, client_default=True)
    provider = _provider(_operation(parameters=(source,)))
    assert contract.client_args(provider, {}) == (
        "API_KEY",
        "source=SOURCE",
        "base_url=server.base_url",
        "retry=RetryPolicy(max_attempts=1)",
    )
    view = contract.view(provider, {})
    assert view.wrong_client[0] == '"wrong-api_key"'
    assert view.required_credentials == ("API_KEY",)
    assert [parameter.name for parameter in view.required_defaults] == ["source"]


def test_token_clients_hold_a_ready_token() -> None:
    provider = _provider(
        _operation(auth=("oauth2",), auth_optional=True), auth=(OAUTH,)
    )
    assert contract.credentials(provider) == ["token"]
    assert contract.view(provider, {}).token == "TOKEN"
    assert contract.client_args(provider, {"token": "TOKEN"})[0] == "token=TOKEN"


def test_a_call_has_valid_arguments() -> None:
    get_token = _operation(
        "get_token",
        parameters=(
            _param("client_id", required=True),
            _param("since", type=WHEN, required=True),
        ),
    )
    provider = _provider(get_token, auth=(OAUTH,))
    assert contract.call(provider, get_token, {}) == (
        "client.get_token(client_id=fake.CLIENT_ID, "
        "since=datetime(2024, 1, 1 + (1) % 28, 9, 30, 15, tzinfo=UTC), **extra)"
    )


def test_cases_cover_every_representation() -> None:
    json_only = ir.Payload(type=ir.TypeRef("any"), formats=("json",), kind="json")
    both = ir.Payload(type=ir.TypeRef("model", name="U"), formats=("xml", "json"))
    variants = (
        ir.Payload(
            type=ir.TypeRef("any"),
            formats=("json",),
            kind="json",
            format_values=("json",),
        ),
        ir.Payload(
            type=ir.TypeRef("any"), formats=("xml",), kind="xml", format_values=("xml",)
        ),
    )
    fmt = _param("format", required=True, call_default="json", response_format=True)
    provider = _provider(
        _operation("a", result=json_only),
        _operation("b", result=both),
        _operation("c"),
        _operation("d", parameters=(fmt,), variants=variants, result=variants[0]),
    )
    view = contract.view(provider, {})
    assert view.cases == [
        ("a", "json"),
        ("b", "xml"),
        ("b", "json"),
        ("c", "xml"),
        ("d", "json"),
        ("d", "xml"),
    ]
    assert [call.variant for call in view.calls] == ["''", "''", "''", "'xml'"]
    assert [overload.check for overload in view.overloads] == [
        "dict",
        "dict",
        "XmlElement",
    ]


def test_contract_imports_follow_what_the_tests_use() -> None:
    provider = _provider(
        _operation(parameters=(_param("since", type=WHEN, required=True),))
    )
    stdlib, third, first = contract.imports(provider)
    assert "from datetime import UTC, datetime" in stdlib
    assert "import httpx" not in third  # one required scheme, no SOAP, no cookie
    assert (
        "from acme.fake_server import API_KEY, JSON_SCHEMAS, XSDS, FakeServer" in first
    )


def test_package_exports_and_model_imports() -> None:
    assert package.exports({"._feeds": ["Feed"]})[:4] == [
        "ApiError",
        "AsyncClient",
        "Client",
        "Feed",
    ]
    enum = ir.Enum("Level", (1, 2))
    model = ir.Model("User", "user", "", fields=())
    view = package.models(_provider(enums=(enum,), models=(model,)), {"datetime"})
    assert view.stdlib == ["from typing import Annotated, Literal"]
    assert view.local == [
        "from ._model import Model",
        "from ._types import DateTime, parse_int",
        "from ._xml import XmlField, XmlSpec",
    ]
    assert view.exports == ["Level", "User"]


def test_readme_quick_start_gives_what_has_no_default() -> None:
    provider = _provider(_operation(auth_optional=True), auth=(OAUTH,), servers=())
    assert readme.quick_start(provider) == [
        'client_id="…",',
        'client_secret="…",',
        'base_url="https://…",',
    ]
    view = readme.view(_provider(), {}, {})
    assert view.credentials == "`API_KEY`."
    assert view.usages[0].call == "client.get_users()"


def test_samples_table_knows_http_samples() -> None:
    sample = ir.Sample("a.http", "request", "http", "data")
    view = samples.view(_provider(_operation(samples=(sample,))))
    assert view.rows == [("get_users", "request", "http", "data", "a.http")]
    assert view.http and view.soap == ()


def test_roundtrip_strategies_follow_the_fields() -> None:
    node = ir.TypeRef("model", name="Node")
    fields = (
        ir.Field(
            "name",
            "name",
            ir.XmlName("name"),
            STR,
            True,
            constraints=ir.Constraints(max_length=8),
        ),
        ir.Field("child", "child", ir.XmlName("child"), node, False),
    )
    model = ir.Model("Node", "node", "", fields, checked=True, recursive=True)
    cell = ir.Field("day", "Day", ir.XmlName("Day"), STR, False, date_format="%Y-%m-%d")
    row = ir.Model("Row", "row", "", (cell,), csv=True)
    xml, csv = roundtrip.view(_provider(models=(row, model)), {})
    assert xml.fields == (
        ("name", "st.text(TEXT, max_size=8)"),
        ("child", "st.none() | st.deferred(nodes)"),
    )
    assert csv.csv and csv.fields == (
        (
            "day",
            "st.none() | st.just(CLEAR) | st.text(TEXT, min_size=1, max_size=20) | st.dates()",
        ),
    )
