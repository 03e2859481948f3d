"""Seed-drift test: specs/peoplefluent/openapi.yaml against the vendor documentation.

Seed 004 is a plain-text Redoc rendering of the vendor's OpenAPI; its functions
(parameters with their required flag, type, format, default and enum; request body
media type; authentication mode; named XSDs; CSV field tables) are kept in
``tests/data/peoplefluent_documented.json`` (``make docs-check`` compares that file with
the seed). This module checks that the hand-written spec says the same, function by
function, so that a drift names the function and the parameter. It also ties every
PeopleFluent row of the operation inventory to exactly one operation.

Only pyyaml is used: this test must not depend on the generator.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from documented import SeedParam, inventory, peoplefluent_functions

REPO_ROOT = Path(__file__).resolve().parents[3]
SPEC_PATH = REPO_ROOT / "specs" / "peoplefluent" / "openapi.yaml"

EXPECTED_FUNCTIONS = 80
COMMON_PARAMETERS = ("assignmentId", "onBehalfOf")
FROM_PUBLIC_CLIENTS = " (from public clients)"

# The seed's "Authentication: …" label -> the spec's `security` requirement list.
AUTH_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "Not supported": [],
    "User Authentication (required)": [{"userBasic": []}, {"userBearer": []}],
    "User Authentication (supported)": [{}, {"userBasic": []}, {"userBearer": []}],
    "System authentication": [{"systemBasic": []}],
}


# --------------------------------------------------------------------------- spec


@cache
def _load_spec(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    assert isinstance(loaded, dict), f"{path}: not a YAML mapping"
    return loaded


def load_spec() -> dict[str, Any]:
    return _load_spec(str(SPEC_PATH))


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (``#/components/...``) until a non-reference node."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise KeyError(f"unresolvable $ref {ref!r}")
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise KeyError(f"unresolvable $ref {ref!r}")
            target = target[part]
        node = target
    return node


def _walk_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _walk_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_refs(item)


def operation_id(seed_name: str) -> str:
    first, *rest = seed_name.split("/")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def spec_operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """x-lmsgen-inventory -> (METHOD, path, operation)."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {
                "get",
                "post",
                "put",
                "patch",
                "delete",
                "head",
                "options",
            }:
                continue
            key = operation.get("x-lmsgen-inventory")
            assert key not in found, f"x-lmsgen-inventory {key!r} used twice"
            found[key] = (method.upper(), path, operation)
    return found


@dataclass(frozen=True)
class SpecParam:
    name: str
    required: bool
    schema: dict[str, Any]
    description: str
    extensions: dict[str, Any]


def _spec_params(
    spec: dict[str, Any], operation: dict[str, Any], problems: list[str], where: str
) -> tuple[str | None, list[SpecParam]]:
    """The operation's documented inputs, in order, and where they travel."""
    params: list[SpecParam] = []
    for raw in operation.get("parameters", []):
        param = resolve(spec, raw)
        if param.get("in") != "query":
            problems.append(
                f"{where}: parameter {param.get('name')!r} is not in: query"
            )
        schema = resolve(spec, param.get("schema", {}))
        params.append(
            SpecParam(
                name=param["name"],
                required=bool(param.get("required", False)),
                schema=schema,
                description=param.get("description", ""),
                extensions={k: v for k, v in param.items() if k.startswith("x-")},
            )
        )
    body = operation.get("requestBody")
    if body is None:
        return ("query" if params else None), params
    if params:
        problems.append(f"{where}: has both query parameters and a request body")
    body = resolve(spec, body)
    for media in body.get("content", {}).values():
        schema = resolve(spec, media.get("schema", {}))
        if schema.get("type") != "object":
            continue
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            resolved = resolve(spec, prop)
            params.append(
                SpecParam(
                    name=name,
                    required=name in required,
                    schema=resolved,
                    description=resolved.get("description", ""),
                    extensions={
                        k: v for k, v in resolved.items() if k.startswith("x-")
                    },
                )
            )
    return "body", params


def compare_function(name: str) -> list[str]:
    """Every difference between the seed's function `name` and the spec's operation."""
    seed = peoplefluent_functions()[name]
    spec = load_spec()
    problems: list[str] = []
    where = f"{name}"
    operations = spec_operations(spec)
    if name not in operations:
        return [f"{where}: no operation with x-lmsgen-inventory {name!r}"]
    method, _path, op = operations[name]

    if op.get("operationId") != operation_id(name):
        problems.append(
            f"{where}: operationId {op.get('operationId')!r} != {operation_id(name)!r}"
        )
    if op.get("tags") != [seed.section]:
        problems.append(f"{where}: tags {op.get('tags')!r} != {[seed.section]!r}")
    description = op.get("description", "")
    if not description.startswith(seed.description):
        problems.append(f"{where}: description does not start with the seed's text")
    if f"Authentication: {seed.auth}." not in description:
        problems.append(f"{where}: description lacks 'Authentication: {seed.auth}.'")
    if seed.auth not in AUTH_SECURITY:
        problems.append(
            f"{where}: unknown authentication mode {seed.auth!r} in the seed"
        )
    elif op.get("security") != AUTH_SECURITY[seed.auth]:
        problems.append(
            f"{where}: security {op.get('security')!r} != {AUTH_SECURITY[seed.auth]!r} "
            f"for {seed.auth!r}"
        )

    location, params = _spec_params(spec, op, problems, where)
    expected_location = (
        seed.location if (seed.params or seed.location == "body") else None
    )
    if location != expected_location:
        problems.append(
            f"{where}: inputs travel in {location!r}, seed says {expected_location!r}"
        )
    if (method == "GET") != (seed.location != "body"):
        problems.append(
            f"{where}: method {method} does not fit a {seed.location!r} function"
        )

    # Request body: media type, required flag, named XSD, raw (CSV/XML) bodies.
    body = resolve(spec, op.get("requestBody", {}))
    if seed.location == "body":
        media_types = list(body.get("content", {}))
        if media_types != [seed.body_media]:
            problems.append(
                f"{where}: request body media {media_types!r} != [{seed.body_media!r}]"
            )
        if bool(body.get("required", False)) != seed.body_required:
            problems.append(f"{where}: requestBody.required != {seed.body_required}")
        media = body.get("content", {}).get(seed.body_media, {})
        if seed.request_xsd:
            xsd = media.get("x-lmsgen-xsd", {})
            if xsd.get("file") != seed.request_xsd:
                problems.append(
                    f"{where}: request x-lmsgen-xsd {xsd!r} "
                    f"does not name {seed.request_xsd}"
                )
        if seed.raw_body_type is not None:
            if not body.get("description", "").startswith(seed.raw_body_description):
                problems.append(
                    f"{where}: request body description differs from the seed"
                )
            schema = resolve(spec, media.get("schema", {}))
            if seed.csv_rows:
                problems += _compare_csv(spec, where, schema, seed.csv_rows)

    # Parameters, in the seed's order.
    seed_names = [p.name for p in seed.params]
    spec_names = [p.name for p in params]
    if seed_names != spec_names:
        problems.append(f"{where}: parameters {spec_names!r} != seed {seed_names!r}")
    spec_by_name = {p.name: p for p in params}
    for expected in seed.params:
        actual = spec_by_name.get(expected.name)
        if actual is not None:
            problems += _compare_param(
                f"{where}: parameter {expected.name!r}", expected, actual
            )

    # Responses.
    ok = resolve(spec, op.get("responses", {}).get("200", {}))
    content = ok.get("content", {})
    if seed.response_xsd:
        xsd = content.get("application/xml", {}).get("x-lmsgen-xsd", {})
        if xsd.get("file") != seed.response_xsd:
            problems.append(
                f"{where}: response x-lmsgen-xsd {xsd!r} "
                f"does not name {seed.response_xsd}"
            )
    if seed.sample_media and seed.sample_media not in content:
        problems.append(
            f"{where}: response lacks the sample's media type {seed.sample_media}"
        )
    format_param = next((p for p in seed.params if p.name == "format"), None)
    if format_param is not None and format_param.enum:
        media_for = {
            "json": "application/json",
            "xml": "application/xml",
            "rss": "application/rss+xml",
            "rssteasers": "application/rss+xml",
            "rssfull": "application/rss+xml",
            "atom": "application/atom+xml",
        }
        wanted = {
            media_for.get(str(v), f"<unknown format {v}>") for v in format_param.enum
        }
        if set(content) != wanted:
            problems.append(
                f"{where}: response media {sorted(content)!r} != {sorted(wanted)!r}"
            )
    return problems


def _compare_param(where: str, seed: SeedParam, spec: SpecParam) -> list[str]:
    problems: list[str] = []
    if spec.required != seed.required:
        problems.append(f"{where}: required {spec.required} != seed {seed.required}")
    if spec.schema.get("type") != seed.type:
        problems.append(
            f"{where}: type {spec.schema.get('type')!r} != seed {seed.type!r}"
        )
    if spec.schema.get("format") != seed.format:
        problems.append(
            f"{where}: format {spec.schema.get('format')!r} != seed {seed.format!r}"
        )
    if ("default" in spec.schema) != seed.has_default:
        problems.append(
            f"{where}: default present={'default' in spec.schema}, "
            f"seed={seed.has_default}"
        )
    elif seed.has_default and spec.schema["default"] != seed.default:
        problems.append(
            f"{where}: default {spec.schema['default']!r} != seed {seed.default!r}"
        )
    if spec.schema.get("enum") != seed.enum:
        problems.append(
            f"{where}: enum {spec.schema.get('enum')!r} != seed {seed.enum!r}"
        )
    if not spec.description.startswith(seed.description):
        problems.append(
            f"{where}: description {spec.description!r} != seed {seed.description!r}"
        )
    if seed.name in COMMON_PARAMETERS:
        if spec.extensions.get("x-lmsgen-client-default") is not True:
            problems.append(f"{where}: lacks x-lmsgen-client-default: true")
    elif "x-lmsgen-client-default" in spec.extensions:
        problems.append(f"{where}: x-lmsgen-client-default on a per-call parameter")
    if seed.name == "format":
        if spec.extensions.get("x-lmsgen-response-format") is not True:
            problems.append(f"{where}: lacks x-lmsgen-response-format: true")
    elif "x-lmsgen-response-format" in spec.extensions:
        problems.append(f"{where}: x-lmsgen-response-format on a non-format parameter")
    return problems


def _compare_csv(
    spec: dict[str, Any], where: str, schema: dict[str, Any], rows: list[str]
) -> list[str]:
    problems: list[str] = []
    if schema.get("type") != "array" or "x-lmsgen-csv" not in schema:
        return [f"{where}: CSV body is not an array schema with x-lmsgen-csv"]
    row = resolve(spec, schema.get("items", {}))
    columns = list(row.get("properties", {}))
    if len(columns) != len(rows):
        problems.append(
            f"{where}: {len(columns)} CSV columns, the seed's table has {len(rows)}"
        )
    for index, (column, text) in enumerate(zip(columns, rows, strict=False)):
        if not text.startswith(column + " "):
            problems.append(
                f"{where}: CSV column {index + 1} is {column!r}, "
                f"seed row reads {text!r}"
            )
    return problems


# --------------------------------------------------------------------------- tests


def test_documentation_has_80_functions() -> None:
    assert len(peoplefluent_functions()) == EXPECTED_FUNCTIONS


def test_spec_has_80_operations() -> None:
    operations = spec_operations(load_spec())
    assert len(operations) == EXPECTED_FUNCTIONS
    assert set(operations) == set(peoplefluent_functions())
    ids = [op.get("operationId") for _m, _p, op in operations.values()]
    assert len(set(ids)) == len(ids), "operationIds are not unique"


def test_every_ref_resolves() -> None:
    spec = load_spec()
    for ref in _walk_refs(spec):
        resolve(spec, {"$ref": ref})


def test_common_parameters_are_components() -> None:
    spec = load_spec()
    seed_text = {
        p.name: p.description
        for f in peoplefluent_functions().values()
        for p in f.params
        if p.name in COMMON_PARAMETERS
    }
    components = spec["components"]["parameters"]
    for name in COMMON_PARAMETERS:
        param = components[name]
        assert param["name"] == name and param["in"] == "query"
        assert param["description"] == seed_text[name]
        assert param["x-lmsgen-client-default"] is True
    for method, _path, op in spec_operations(spec).values():
        if method == "GET":
            for raw in op.get("parameters", []):
                if resolve(spec, raw)["name"] in COMMON_PARAMETERS:
                    assert (
                        "$ref" in raw
                    ), f"{op['operationId']}: inline common parameter"


@pytest.mark.parametrize("function", sorted(peoplefluent_functions()))
def test_function_matches_seed(function: str) -> None:
    problems = compare_function(function)
    assert not problems, "\n".join(problems)


def test_inventory_maps_to_operations() -> None:
    rows = inventory("peoplefluent")
    assert len(rows) == EXPECTED_FUNCTIONS
    operations = spec_operations(load_spec())
    seed = peoplefluent_functions()
    for row in rows:
        name = row["operation"]
        matches = [key for key in operations if key == name]
        assert len(matches) == 1, f"{name}: {len(matches)} operations"
        method, path, op = operations[name]
        assert row["method"] == method, f"{name}: method {method} != {row['method']}"
        assert (
            row["path"].removesuffix(FROM_PUBLIC_CLIENTS) == path
        ), f"{name}: path {path}"
        media = list(resolve(load_spec(), op.get("requestBody", {})).get("content", {}))
        assert media == ([row["request_body"]] if row["request_body"] else []), name
        assert (
            row["auth"] == seed[name].auth
        ), f"{name}: inventory and seed disagree on auth"
    paths = [(m, p) for m, p, _op in operations.values()]
    assert len(set(paths)) == len(paths), "two operations share a method and path"


def test_drift_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed default, enum or auth in a copy of the spec is reported by name."""
    drifted = copy.deepcopy(load_spec())
    articles = drifted["paths"]["/api/articles"]["get"]
    max_param = next(p for p in articles["parameters"] if p.get("name") == "max")
    max_param["schema"]["default"] = 50
    adder = drifted["paths"]["/api/externalRecordAdder"]["post"]
    body = adder["requestBody"]["content"]["multipart/form-data"]["schema"]
    body["properties"]["durationUnit"]["enum"].append("minute")
    drifted["paths"]["/api/publicNews"]["get"]["security"] = [{"userBasic": []}]
    copy_path = tmp_path / "openapi.yaml"
    copy_path.write_text(yaml.safe_dump(drifted, sort_keys=False), encoding="utf-8")

    monkeypatch.setattr(sys.modules[__name__], "SPEC_PATH", copy_path)
    assert load_spec()["paths"]["/api/articles"]["get"] == articles

    articles_problems = compare_function("articles")
    assert any("'max'" in p and "default 50 != seed 25" in p for p in articles_problems)
    adder_problems = compare_function("externalRecordAdder")
    assert any("'durationUnit'" in p and "enum" in p for p in adder_problems)
    assert any("security" in p for p in compare_function("publicNews"))
    assert compare_function("userNews") == []
