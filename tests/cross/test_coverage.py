"""Every row of the operation inventory (tests/data/inventory.csv) is one generated
operation, and back.

Only the providers in ``PROVIDERS`` are covered: the others' specs cannot be generated
yet.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from documented import INVENTORY, inventory
from helpers import REPO
from lmsgen import ir
from lmsgen.pipeline import load

# Every provider's generator support has landed.
PROVIDERS = ("ispring_learn", "litmos", "peoplefluent")
# How many inventory rows each covered provider has (a lost row must not pass silently).
EXPECTED_ROWS = {"ispring_learn": 3, "litmos": 9, "peoplefluent": 80}

FROM_PUBLIC_CLIENTS = " (from public clients)"
SOAP_ENDPOINT = "(SOAP endpoint)"


ROWS = [row for provider in PROVIDERS for row in inventory(provider)]


def _row_param(row: dict[str, str]) -> Any:
    return pytest.param(row, id=f"{row['provider']}:{row['operation']}")


@cache
def operations(provider: str) -> tuple[ir.Operation, ...]:
    folder = REPO / "specs" / provider
    assert (
        folder.is_dir()
    ), f"{provider} is in PROVIDERS but specs/{provider} is missing"
    return load(folder).operations


def inventory_path(row: dict[str, str]) -> str:
    return row["path"].removesuffix(FROM_PUBLIC_CLIENTS)


def matches(row: dict[str, str], operation: ir.Operation) -> bool:
    """Whether ``operation`` is the one the inventory row describes."""
    if row["path"] == SOAP_ENDPOINT:
        return operation.operation_id == row["operation"]
    return operation.method == row[
        "method"
    ].upper() and operation.path == inventory_path(row)


def test_inventory_is_present() -> None:
    assert ROWS, f"{INVENTORY} has no rows for {PROVIDERS}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_row_count(provider: str) -> None:
    rows = [row for row in ROWS if row["provider"] == provider]
    assert len(rows) == EXPECTED_ROWS[provider]


@pytest.mark.parametrize("row", [_row_param(row) for row in ROWS])
def test_row_maps_to_one_operation(row: dict[str, str]) -> None:
    found = [op for op in operations(row["provider"]) if matches(row, op)]
    described = f"{row['method']} {inventory_path(row)} ({row['operation']})"
    assert len(found) == 1, (
        f"inventory row {described} maps to {len(found)} operations: "
        f"{[op.operation_id for op in found]}"
    )
    assert found[0].inventory == row["operation"], (
        f"{found[0].operation_id} (at {found[0].source}) has x-lmsgen-inventory "
        f"{found[0].inventory!r}, the row is {row['operation']!r}"
    )
    assert (found[0].protocol == "soap") == (
        row["protocol"] == "soap"
    ), f"{found[0].operation_id} is {found[0].protocol}, the row says {row['protocol']}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_operations_map_back_to_one_row(provider: str) -> None:
    rows = [row for row in ROWS if row["provider"] == provider]
    tagged = [op for op in operations(provider) if op.inventory]
    assert tagged, f"no {provider} operation carries x-lmsgen-inventory"
    problems = []
    for op in tagged:
        named = [row for row in rows if row["operation"] == op.inventory]
        if len(named) != 1:
            problems.append(
                f"{op.operation_id}: {len(named)} rows named {op.inventory!r}"
            )
        elif not matches(named[0], op):
            row = named[0]
            problems.append(
                f"{op.operation_id} is {op.method} {op.path}, its row "
                f"{row['operation']!r} is {row['method']} {inventory_path(row)}"
            )
    assert problems == []
