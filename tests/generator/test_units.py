"""Unit tests of naming, the line-tracking YAML loader and the OpenAPI frontend."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lmsgen import ir, naming, yamlsource
from lmsgen.errors import SpecError
from lmsgen.frontends import openapi

# --- naming -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("getUserCourses", "get_user_courses"),
        ("learning-id", "learning_id"),
        ("userIds[]", "user_ids"),
        ("accessDate[startDate]", "access_date_start_date"),
        ("HTTPServerURL", "http_server_url"),
        ("X-Trace-Id", "x_trace_id"),
        ("1stPlace", "n1st_place"),
        ("2", "n2"),
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),  # soft keyword
        ("self", "self_"),  # reserved by the generated code
        ("json", "json_"),
        ("model_config", "model_config_"),
        ("__dunder__", "dunder"),
        ("", "value"),
        ("[]", "value"),
    ],
)
def test_snake(wire: str, python: str) -> None:
    assert naming.snake(wire) == python


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("course list", "CourseList"),
        ("course_list", "CourseList"),
        ("courseList", "CourseList"),
        ("CourseList", "CourseList"),
        ("learning-path", "LearningPath"),
        ("userIds[]", "UserIds"),
        ("class", "Class"),
        ("3dModel", "N3dModel"),
        ("", "Value"),
    ],
)
def test_pascal(wire: str, python: str) -> None:
    assert naming.pascal(wire) == python


def test_unique_numbers_repeats_and_records_them() -> None:
    taken: set[str] = set()
    assert naming.unique("name", taken) == "name"
    assert naming.unique("name", taken) == "name_2"
    assert naming.unique("name", taken) == "name_3"
    assert taken == {"name", "name_2", "name_3"}


def test_unique_keyword_names_drop_the_underscore_before_the_number() -> None:
    taken = {naming.snake("class")}
    assert taken == {"class_"}
    assert naming.unique(naming.snake("class"), taken) == "class_2"
    assert naming.unique("id", taken) == "id"


def test_unique_after_snake_collisions() -> None:
    taken: set[str] = set()
    names = [
        naming.unique(naming.snake(wire), taken)
        for wire in ("userId", "user-id", "user_id")
    ]
    assert names == ["user_id", "user_id_2", "user_id_3"]


# --- yamlsource ---------------------------------------------------------------------

NESTED = """\
openapi: 3.1.0
paths:
  /users/{id}:
    get:
      operationId: getUser
      parameters:
        - name: id
          in: path
        - name: fields
          in: query
"""


def write(tmp_path: Path, text: str, name: str = "openapi.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_pointer_escapes_slash_and_tilde() -> None:
    assert yamlsource.pointer("paths", "/a/{b}", "x~y") == "/paths/~1a~1{b}/x~0y"


def test_line_of_nested_pointer(tmp_path: Path) -> None:
    doc = yamlsource.load(write(tmp_path, NESTED))
    operation = yamlsource.pointer("paths", "/users/{id}", "get")
    assert doc.line(operation + "/operationId") == 5
    assert doc.line(operation + "/parameters/1/in") == 10
    assert doc.line(operation + "/parameters/1") == 9
    assert doc.data["paths"]["/users/{id}"]["get"]["parameters"][1]["in"] == "query"


def test_line_of_unknown_pointer_is_the_nearest_ancestor(tmp_path: Path) -> None:
    doc = yamlsource.load(write(tmp_path, NESTED))
    where = yamlsource.pointer("paths", "/users/{id}", "get", "parameters", 0, "schema")
    assert doc.line(where) == 7
    assert doc.line("/nothing/here") == 1


def test_error_names_display_path_and_line(tmp_path: Path) -> None:
    doc = yamlsource.load(write(tmp_path, NESTED), Path("specs/x/openapi.yaml"))
    error = doc.error("/paths/~1users~1{id}/get/operationId", "bad id")
    assert str(error) == "specs/x/openapi.yaml:5: bad id"
    assert (error.line, error.message) == (5, "bad id")


def test_key_error_names_the_key_line_above_a_block(tmp_path: Path) -> None:
    doc = yamlsource.load(write(tmp_path, NESTED), Path("specs/x/openapi.yaml"))
    operation = yamlsource.pointer("paths", "/users/{id}", "get")
    assert doc.line(operation) == 5  # a block value starts at its first key
    assert str(doc.key_error(operation, "bad")) == "specs/x/openapi.yaml:4: bad"
    assert doc.key_error(operation + "/operationId", "bad").line == 5
    assert doc.key_error("/nothing/here", "bad").line == 1


def test_duplicate_key_is_an_error_at_the_second_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        NESTED.replace(
            "      operationId: getUser\n",
            "      operationId: getUser\n      operationId: again\n",
        ),
    )
    with pytest.raises(SpecError) as caught:
        yamlsource.load(path, Path("shown.yaml"))
    assert str(caught.value) == "shown.yaml:6: duplicate key 'operationId'"


def test_duplicate_key_in_nested_list_item(tmp_path: Path) -> None:
    path = write(tmp_path, NESTED + "          in: header\n")
    with pytest.raises(SpecError) as caught:
        yamlsource.load(path)
    assert caught.value.line == 11
    assert caught.value.message == "duplicate key 'in'"


def test_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, NESTED.replace("operationId: getUser", "operationId: [getUser")
    )
    with pytest.raises(SpecError) as caught:
        yamlsource.load(path)
    assert caught.value.message.startswith("YAML syntax error")
    assert caught.value.line >= 5


# --- the OpenAPI frontend -----------------------------------------------------------

TINY = """\
openapi: 3.1.0
info:
  title: Tiny LMS
  version: "1"
paths:
  /things/{thing-id}:
    get:
      operationId: getThing
      parameters:
        - name: thing-id
          in: path
          required: true
          schema:
            type: string
        - name: userIds[]
          in: query
          style: form
          explode: true
          schema:
            type: array
            items:
              type: integer
        - name: accessDate
          in: query
          style: deepObject
          schema:
            $ref: "#/components/schemas/DateRange"
        - name: X-Trace-Id
          in: header
          schema:
            type: string
      responses:
        "200":
          description: The thing.
          content:
            application/xml:
              schema:
                $ref: "#/components/schemas/Thing"
            application/json:
              schema:
                $ref: "#/components/schemas/Thing"
components:
  schemas:
    DateRange:
      type: object
      properties:
        startDate:
          type: string
          format: date
        endDate:
          type: string
          format: date
    Thing:
      type: object
      xml:
        name: thing
      required: [id]
      properties:
        id:
          type: string
          xml:
            attribute: true
        display-name:
          type: [string, "null"]
          maxLength: 40
          x-xml-nil: true
        status:
          type: [string, "null"]
          enum: [active, in_progress, null]
        class:
          type: integer
        Tags:
          type: array
          xml:
            wrapped: true
          items:
            type: string
            xml:
              name: Tag
        parts:
          type: array
          items:
            type: string
            xml:
              name: Part
"""


@pytest.fixture
def tiny(tmp_path: Path) -> openapi.OpenApiResult:
    doc = yamlsource.load(write(tmp_path, TINY))
    return openapi.read(doc, tmp_path)


def fields_of(result: openapi.OpenApiResult, model: str) -> dict[str, ir.Field]:
    found = {item.name: item for item in result.models}
    assert model in found, sorted(found)
    return {field.json_name: field for field in found[model].fields}


def test_model_field_names_and_types(tiny: openapi.OpenApiResult) -> None:
    fields = fields_of(tiny, "Thing")
    assert [field.name for field in fields.values()] == [
        "id",
        "display_name",
        "status",
        "class_",
        "tags",
        "parts",
    ]
    assert fields["id"].required
    assert not fields["display-name"].required
    assert fields["id"].type == ir.TypeRef("str")
    assert fields["class"].type == ir.TypeRef("int")
    assert fields["Tags"].type == ir.TypeRef("list", item=ir.TypeRef("str"))


def test_nullable_field(tiny: openapi.OpenApiResult) -> None:
    fields = fields_of(tiny, "Thing")
    display = fields["display-name"]
    assert display.type == ir.TypeRef("str", nullable=True)
    assert display.xml == ir.XmlName("display-name", "scalar", nil=True)
    assert display.constraints.max_length == 40
    assert not fields["id"].type.nullable


def test_enum(tiny: openapi.OpenApiResult) -> None:
    status = fields_of(tiny, "Thing")["status"]
    assert status.type.kind == "enum"
    assert status.type.nullable  # null is a member of the type, not of the enum
    enums = {enum.name: enum for enum in tiny.enums}
    assert status.type.name in enums
    assert enums[status.type.name].values == ("active", "in_progress")
    assert enums[status.type.name].base == "str"


def test_xml_names_and_kinds(tiny: openapi.OpenApiResult) -> None:
    fields = fields_of(tiny, "Thing")
    assert fields["id"].xml == ir.XmlName("id", "attribute")
    assert fields["Tags"].xml == ir.XmlName("Tags", "wrapped", "Tag")
    assert fields["parts"].xml == ir.XmlName("Part", "repeated")
    models = {model.name: model for model in tiny.models}
    assert models["Thing"].xml_name == "thing"
    assert models["DateRange"].xml_name == "DateRange"


def test_parameters(tiny: openapi.OpenApiResult) -> None:
    (operation,) = tiny.operations
    assert (
        operation.operation_id,
        operation.name,
        operation.method,
        operation.path,
    ) == (
        "getThing",
        "get_thing",
        "GET",
        "/things/{thing-id}",
    )
    params = {param.wire_name: param for param in operation.parameters}
    assert list(params) == ["thing-id", "userIds[]", "accessDate", "X-Trace-Id"]

    path = params["thing-id"]
    assert (path.name, path.location, path.required, path.style) == (
        "thing_id",
        "path",
        True,
        "form",
    )
    php = params["userIds[]"]
    assert (php.name, php.location, php.required, php.style) == (
        "user_ids",
        "query",
        False,
        "form",
    )
    assert php.type == ir.TypeRef("list", item=ir.TypeRef("int"))
    deep = params["accessDate"]
    assert (deep.name, deep.location, deep.style) == ("access_date", "query", "deep")
    assert deep.type == ir.TypeRef("model", "DateRange")
    header = params["X-Trace-Id"]
    assert (header.name, header.location, header.style) == (
        "x_trace_id",
        "header",
        "form",
    )


def test_deep_object_model_is_checked(tiny: openapi.OpenApiResult) -> None:
    models = {model.name: model for model in tiny.models}
    assert models["DateRange"].checked  # sent in a request: limits enforced
    assert not models["Thing"].checked  # only received


def test_response_payload(tiny: openapi.OpenApiResult) -> None:
    (operation,) = tiny.operations
    assert operation.body is None
    assert operation.result is not None
    assert operation.result.type == ir.TypeRef("model", "Thing")
    assert operation.result.formats == ("xml", "json")
    assert operation.result.xml_root == "thing"
    assert operation.success == (200,)
    assert operation.source.endswith("openapi.yaml:8")


FORM = """\
openapi: 3.1.0
info: {title: Form, version: "1"}
paths:
  /token:
    post:
      operationId: getToken
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [client_id, grant_type]
              properties:
                client_id: {type: string, description: The client.}
                grant_type: {type: string, enum: [client_credentials]}
                scope-list: {type: array, items: {type: string}}
      responses:
        "200": {description: ok}
"""


def test_form_body_fields_become_form_arguments(tmp_path: Path) -> None:
    result = openapi.read(yamlsource.load(write(tmp_path, FORM)), tmp_path)
    [operation] = result.operations
    assert operation.body is None
    fields = {parameter.wire_name: parameter for parameter in operation.parameters}
    assert list(fields) == ["client_id", "grant_type", "scope-list"]
    assert {parameter.location for parameter in fields.values()} == {"form"}
    assert (
        fields["client_id"].required
        and fields["client_id"].description == "The client."
    )
    assert not fields["scope-list"].required
    assert fields["scope-list"].name == "scope_list"
    assert fields["scope-list"].type.is_list
    assert fields["grant_type"].type.kind == "enum"


def test_draft_marker_is_read_from_the_top_level_block_only(tmp_path: Path) -> None:
    from lmsgen.loader import is_draft

    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1', description: 'x-lmsgen: {draft: no}'}\n"
        "x-lmsgen:\n"
        "  json-dates: iso\n"
        "  # a comment inside the block\n"
        '  draft: "frontend missing"\n'
        "paths: {}\n",
        encoding="utf-8",
    )
    assert is_draft(tmp_path) == "frontend missing"
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\npaths: {}\n", encoding="utf-8"
    )
    assert is_draft(tmp_path) == ""
