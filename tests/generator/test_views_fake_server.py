"""The view of ``fake_server.py`` (``lmsgen.views.fake_server``): the tables a provider
gives the fake server's runtime, and exactly the imports they need."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from helpers import REPO
from lmsgen import ir
from lmsgen.views.examples import example, imports_of
from lmsgen.views.fake_server import fake_server_view

TEXT = ir.TypeRef("str")
ITEM = ir.TypeRef("model", "Item")


def field(name: str, kind: ir.TypeRef, required: bool = True, **more: Any) -> ir.Field:
    return ir.Field(name, name, ir.XmlName(name), kind, required, **more)


def operation(name: str, **more: Any) -> ir.Operation:
    base = ir.Operation(
        operation_id=name,
        name=name,
        method="GET",
        path=f"/{name}",
        summary="",
        description="",
        tags=(),
        parameters=(),
        body=None,
        body_arg="",
        body_description="",
        result=None,
        success=(200,),
        idempotent=True,
        auth=(),
        auth_optional=False,
        inventory="",
    )
    return replace(base, **more)


def provider(*operations: ir.Operation, **more: Any) -> ir.Provider:
    base = ir.Provider(
        name="acme",
        title="Acme LMS",
        description="",
        servers=(ir.Server("https://lms.example.com/api/v2", ""),),
        auth=(),
        operations=operations,
        models=(ir.Model("Item", "item", "", (field("id", TEXT),)),),
        enums=(),
    )
    return replace(base, **more)


def model_result(shape: ir.TypeRef = ITEM, **more: Any) -> ir.Payload:
    return ir.Payload(shape, ("xml",), **more)


BASIC = ir.AuthScheme("userBasic", "basic")
TOKENS = ir.AuthScheme(
    "oauth2", "bearer", token_url="/token", token_operation="get_token"
)


def test_credentials_are_constants_and_all_but_ids_are_secrets() -> None:
    view = fake_server_view(provider(operation("get_token"), auth=(BASIC, TOKENS)))
    assert view.constants == (
        ("USERNAME", "'fake-username'"),
        ("PASSWORD", "'fake-password'"),
        ("TOKEN", "'fake-token'"),
        ("CLIENT_ID", "'fake-client-id'"),
        ("CLIENT_SECRET", "'fake-client-secret'"),
    )
    assert view.secrets == ("PASSWORD", "TOKEN", "CLIENT_SECRET")
    # the client of a token scheme takes the ready token; the others are the token call's
    assert [value for _, value in view.credentials] == ["USERNAME", "PASSWORD", "TOKEN"]
    assert view.auth_headers == (
        ("'userBasic'", "BasicAuth(USERNAME, Secret(PASSWORD)).headers()"),
        ("'oauth2'", "BearerToken(Secret(TOKEN)).headers()"),
    )
    assert view.token_note.startswith("TOKEN: a ready access token")
    assert (
        "CLIENT_ID and CLIENT_SECRET: the client credentials ``/token``"
        in view.token_note
    )
    assert view.exports[:6] == [
        "CLIENT_ID",
        "CLIENT_SECRET",
        "CREDENTIALS",
        "PASSWORD",
        "SECRETS",
        "SPEC",
    ]


def test_an_api_key_header_carries_its_name() -> None:
    key = ir.AuthScheme("apikey", "apikey", header="X-Key")
    view = fake_server_view(provider(auth=(key,)))
    assert view.auth_headers == (
        ("'apikey'", "ApiKeyHeader('X-Key', Secret(API_KEY)).headers()"),
    )
    assert view.token_note == ""
    assert "from ._config import ApiKeyHeader, Endpoint, Secret" in view.imports[1]


def test_examples_vary_with_n_and_name_what_they_use() -> None:
    enums = {"Status": ("done", "open")}
    used: set[str] = set()

    def of(kind: ir.TypeRef, max_length: int | None = None) -> str:
        used.update(imports_of(kind))
        return example(kind, "Label", "n", max_length, enums)

    assert of(TEXT) == 'f"Label-{n}"'
    assert of(TEXT, 20) == 'f"Label-{n}"[:20]'
    assert of(ir.TypeRef("int")) == "n"
    assert of(ir.TypeRef("enum", "Status")) == "'done'"
    assert (
        of(ir.TypeRef("list", item=ITEM))
        == "[example_item(n * 10 + 1), example_item(n * 10 + 2)]"
    )
    assert of(ir.TypeRef("map", item=ir.TypeRef("float"))) == '{"key": n + 0.5}'
    assert of(ir.TypeRef("union", options=(ir.TypeRef("bool"), TEXT))) == "(n) % 2 == 0"
    assert of(ir.TypeRef("any")) == '{"value": str(n)}'
    assert used == set()
    assert of(ir.TypeRef("decimal")) == 'Decimal(n) + Decimal("0.25")'
    assert of(ir.TypeRef("date_or_datetime")) == "date(2024, 1, 1 + (n) % 28)"
    assert of(ir.TypeRef("datetime")) == "datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)"
    assert used == {"Decimal", "date", "datetime"}


def test_example_models_leave_out_cycles_and_sometimes_nulls() -> None:
    node = ir.TypeRef("model", "Node")
    nullable = ir.TypeRef("datetime", nullable=True)
    models = (
        ir.Model(
            "Node",
            "node",
            "",
            (field("parent", node, False), field("seen", nullable, False)),
            recursive=True,
        ),
        ir.Model("Row", "row", "", (field("cell", TEXT),), csv=True),
    )
    view = fake_server_view(provider(models=models))
    (built,) = view.models
    assert (built.name, built.function) == ("Node", "example_node")
    assert built.fields == (
        ("parent", "None"),
        ("seen", "None if n % 3 == 0 else datetime(2024, 1, 1 + (n) % 28, 9, 30, 15)"),
    )
    assert view.imports[0] == (
        "from datetime import datetime",
        "from typing import Any",
    )
    assert "from .models import Node" in view.imports[1]


def test_tokens_and_pages_are_answered_from_the_servers_state() -> None:
    pages = ir.Pagination("page_token", "next", "items", ITEM, size_arg="size")
    view = fake_server_view(
        provider(
            operation("get_token", result=model_result()),
            operation("list_items", result=model_result(), pages=pages),
            operation("get_item", result=model_result()),
            auth=(TOKENS,),
        )
    )
    assert [key for key, _ in view.examples] == [
        "'get_token'",
        "'list_items'",
        "'get_item'",
    ]
    assert view.stateful == (
        ("'get_token'", "TokenGrant((CLIENT_ID, CLIENT_SECRET))"),
        (
            "'list_items'",
            "Paged(example_item, items_field='items', next_field='next',"
            " token_arg='page_token', size_arg='size', default_size=1000)",
        ),
    )
    assert view.state == ("self.tokens = AccessTokens(TOKEN)", "self.pager = Pager()")
    assert view.tokens
    assert ("token_scheme", "'oauth2'") in view.attributes
    assert ("stateful", "STATEFUL") in view.attributes
    state = "from ._fake_state import AccessTokens, Paged, Pager, TokenGrant"
    assert state in view.imports[1]


def test_streams_and_media_replies_have_their_writers() -> None:
    typed = model_result(
        ir.TypeRef("list", item=ITEM), stream=True, xml_root="items", xml_item="item"
    )
    view = fake_server_view(
        provider(
            operation("export", result=typed),
            operation(
                "dump", result=model_result(ir.TypeRef("any"), kind="xml", stream=True)
            ),
            operation("news", result=model_result(ir.TypeRef("any"), kind="feed")),
            operation(
                "file",
                result=model_result(ir.TypeRef("any"), kind="binary", stream=True),
            ),
            operation("send", body=model_result(ir.TypeRef("any"), kind="json")),
        )
    )
    assert view.records == (
        ("'export'", "('items', typed_records(example_item, 'item'))"),
        ("'dump'", "('dump', untyped_record)"),
    )
    # only replies are answered: the JSON request body needs no maker
    assert view.media == (
        ("BinaryCodec", "file_body"),
        ("XmlElementCodec", "xml_body"),
        ("FeedCodec", "feed_body"),
    )
    lines = view.imports[1]
    assert (
        "from ._codecs import BinaryCodec, FeedCodec, MediaCodec, XmlElementCodec"
        in lines
    )
    assert "from ._fake_feeds import feed_body" in lines
    media = (
        "from ._fake_media import file_body, typed_records, untyped_record, xml_body"
    )
    assert media in lines
    assert (
        "from ._fake import SPEC, BaseFakeServer, Fault, MediaAnswer, Recorded" in lines
    )


def test_class_attributes_say_what_differs_from_the_runtimes_defaults() -> None:
    source = ir.Parameter("source", "source", "query", TEXT, True, client_default=True)
    rule = ir.WireRule(
        query=(("format", "json"),), headers=(("Accept", "application/json"),)
    )
    view = fake_server_view(
        provider(
            operation("get", parameters=(source,)),
            session_cookie=True,
            default_format="xml",
            wire_rules=(
                ("json", rule),
                ("xml", ir.WireRule(query=(("format", "xml"),))),
            ),
            soap_endpoint="",
            wsdl_file="acme.wsdl",
        )
    )
    attributes = dict(view.attributes)
    assert attributes["prefix"] == "'/api/v2'"
    assert attributes["wsdl"] == "'acme.wsdl'"
    assert attributes["session_cookie"] == "True"
    assert attributes["client_defaults"] == "(('source', 'fake-server-client'),)"
    assert "multipart" not in attributes and "default_wire" not in attributes
    assert view.wire_choices == (
        "WireChoice('json', query=('format', 'json'))",
        "WireChoice('json', accept='application/json')",
    )
    assert view.base == "SoapFakeServer"
    assert view.imports[0] == ("from typing import Any",)
    assert view.imports[1][0] == "from . import _endpoints"
    assert "from ._fake import SPEC, Fault, Recorded, WireChoice" in view.imports[1]


def test_the_template_is_layout() -> None:
    text = (REPO / "templates" / "package" / "fake_server.py.j2").read_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 160
    assert sum("{%" in line or "{{" in line for line in lines) <= 124  # half of 249
    assert not re.search(r"\.append\(|== \"", text)
