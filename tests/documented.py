"""What the vendor documentation says, as the repository keeps it in ``tests/data/``.

The tests compare the specs and the generated code with these files, so ``make test``
needs nothing beside the repository. ``make docs-check DOCS=…`` checks that the files
still say what the documentation says (tests/docs/); ``tests/data/README.md`` names the
source of each file.

Imported as ``from documented import …``, like ``helpers``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
INVENTORY = DATA / "inventory.csv"
"""The operation inventory: one row per documented operation of every provider."""
PEOPLEFLUENT = DATA / "peoplefluent_documented.json"
ISPRING_LEARN = DATA / "ispring_learn_documented.json"
ISPRING_LEARN_BEYOND = DATA / "ispring_learn_beyond_seeds.json"


@dataclass(frozen=True)
class SeedParam:
    """One documented parameter of a PeopleFluent function (seed 004)."""

    name: str
    required: bool
    type: str
    format: str | None
    has_default: bool
    default: Any
    enum: list[Any] | None
    description: str


@dataclass
class SeedFunction:
    """One documented PeopleFluent function (seed 004), keyed by its seed name."""

    name: str
    section: str
    description: str
    auth: str
    location: str | None = None  # "query" | "body" | None (no parameters at all)
    body_media: str | None = None
    body_required: bool = False
    raw_body_type: str | None = None  # a body documented as one unnamed value
    raw_body_description: str = ""
    params: list[SeedParam] = field(default_factory=list)
    response_xsd: str | None = None
    request_xsd: str | None = None
    csv_rows: list[str] = field(default_factory=list)
    sample_media: str | None = None


def inventory(provider: str) -> list[dict[str, str]]:
    """The inventory rows of ``provider``, in file order."""
    with INVENTORY.open(newline="", encoding="utf-8") as stream:
        return [row for row in csv.DictReader(stream) if row["provider"] == provider]


def read_json(path: Path) -> dict[str, Any]:
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{path}: not a JSON object"
    return loaded


@cache
def peoplefluent_functions() -> dict[str, SeedFunction]:
    """Every function of seed 004, keyed by the seed's name (``contentHandler/…``)."""
    return {
        name: SeedFunction(
            **{key: value for key, value in raw.items() if key != "params"},
            params=[SeedParam(**param) for param in raw["params"]],
        )
        for name, raw in read_json(PEOPLEFLUENT)["functions"].items()
    }


@cache
def ispring_learn() -> dict[str, Any]:
    """The facts of seeds 000, 001 and 003, by operation (see the file's ``source``)."""
    operations: dict[str, Any] = read_json(ISPRING_LEARN)["operations"]
    return operations


@cache
def ispring_learn_beyond() -> dict[str, Any]:
    """Facts the seeds lack, from the vendor's wider documentation, by operation."""
    operations: dict[str, Any] = read_json(ISPRING_LEARN_BEYOND)["operations"]
    return operations
