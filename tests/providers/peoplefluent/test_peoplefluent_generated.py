"""The documented PeopleFluent functions (seed 004, kept in tests/data/) against what the
generator makes of the PeopleFluent spec.

``test_peoplefluent_seed.py`` compares the hand-written spec with the documentation; this
module compares the documentation with the IR and with the generated client's signatures, so that a
parameter the generator drops, renames, retypes or loses the default of is caught too.
"""

from __future__ import annotations

import inspect
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from documented import SeedFunction, SeedParam, peoplefluent_functions
from helpers import REPO
from lmsgen import ir
from lmsgen.pipeline import load
from test_peoplefluent_seed import operation_id

sys.path.insert(0, str(REPO / "generated" / "peoplefluent"))

from peoplefluent import AsyncClient, Client

SEED_TYPES = {
    ("string", None): "str",
    ("string", "date"): "date",
    ("string", "date-time"): "datetime",
    ("string", "binary"): "binary",
    ("integer", None): "int",
    ("number", None): "float",
    ("boolean", None): "bool",
}
AUTH_MODES = {
    "Not supported": ((), True),
    "User Authentication (required)": (("userBasic", "userBearer"), False),
    "User Authentication (supported)": (("userBasic", "userBearer"), True),
    "System authentication": (("systemBasic",), False),
}


@cache
def provider() -> ir.Provider:
    return load(Path(REPO / "specs" / "peoplefluent"))


def operation(name: str) -> ir.Operation:
    wanted = operation_id(name)
    [found] = [op for op in provider().operations if op.operation_id == wanted]
    return found


def _enum(parameter: ir.Parameter) -> list[Any] | None:
    if parameter.type.kind != "enum":
        return None
    [enum] = [enum for enum in provider().enums if enum.name == parameter.type.name]
    return list(enum.values)


def _problems(seed: SeedParam, parameter: ir.Parameter) -> list[str]:
    found = []
    kind = "enum" if seed.enum else SEED_TYPES[(seed.type, seed.format)]
    if parameter.type.kind != kind:
        found.append(f"type {parameter.type.kind}, seed {kind}")
    if parameter.required != seed.required:
        found.append(f"required {parameter.required}, seed {seed.required}")
    if parameter.default != (seed.default if seed.has_default else None):
        found.append(f"default {parameter.default!r}, seed {seed.default!r}")
    if _enum(parameter) != seed.enum:
        found.append(f"enum {_enum(parameter)}, seed {seed.enum}")
    return found


@pytest.mark.parametrize("name", sorted(peoplefluent_functions()))
def test_ir_parameters_match_the_seed(name: str) -> None:
    seed: SeedFunction = peoplefluent_functions()[name]
    op = operation(name)
    wires = [parameter.wire_name for parameter in op.parameters]
    if seed.csv_rows or seed.raw_body_type:
        assert (
            wires == [] and op.body is not None
        ), f"{name}: body expected, got {wires}"
    else:
        assert wires == [param.name for param in seed.params], name
    problems = [
        f"{name}.{seed_param.name}: {problem}"
        for seed_param, parameter in zip(seed.params, op.parameters, strict=False)
        for problem in _problems(seed_param, parameter)
    ]
    assert problems == []
    assert (op.auth, op.auth_optional or not op.auth) == AUTH_MODES[seed.auth]


def _signature_default(parameter: ir.Parameter, seed: SeedParam) -> Any:
    """What the generated method takes when the caller omits the argument."""
    if not seed.required or parameter.client_default:
        return None
    if seed.has_default and (not seed.enum or seed.default in seed.enum):
        return seed.default
    return inspect.Parameter.empty


@pytest.mark.parametrize("name", sorted(peoplefluent_functions()))
@pytest.mark.parametrize("client", [Client, AsyncClient])
def test_generated_methods_take_every_documented_parameter(
    name: str, client: type
) -> None:
    seed = peoplefluent_functions()[name]
    op = operation(name)
    method = getattr(client, op.name)
    signature = inspect.signature(method)
    for seed_param, parameter in zip(seed.params, op.parameters, strict=True):
        argument = signature.parameters[parameter.name]
        assert argument.kind is inspect.Parameter.KEYWORD_ONLY
        assert argument.default == _signature_default(
            parameter, seed_param
        ), f"{op.name}({parameter.name}=…) default {argument.default!r}"
    assert [
        value for value in signature.parameters if value not in ("self", "retry")
    ] == [
        *([op.body_arg] if op.body else []),
        *(parameter.name for parameter in op.parameters),
    ]


def test_non_identifier_names_become_python_names() -> None:
    names = {
        parameter.wire_name: parameter.name
        for op in provider().operations
        for parameter in op.parameters
    }
    assert names["learning-id"] == "learning_id"
    assert names["group-name"] == "group_name"
    assert names["request-id"] == "request_id"
    assert names["onBehalfOf"] == "on_behalf_of"
    assert names["assignmentId"] == "assignment_id"
