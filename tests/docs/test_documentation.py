"""``make docs-check``: the repository's copy of the documentation against the seeds.

``make test`` compares the specs and the generated code with ``tests/data/``; this suite
checks that ``tests/data/`` (and the samples the specs copied) still say what the vendor
documentation in ``DOCS`` says, so the two cannot drift apart silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import seeds
import yaml
from documented import INVENTORY, ISPRING_LEARN, PEOPLEFLUENT, read_json
from helpers import REPO

UPDATE = "run `python tests/docs/seeds.py {docs}`, review the diff, then fix the specs"


def without_date(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the extraction date (when, not what)."""
    source = {k: v for k, v in data["source"].items() if k != "extracted"}
    return {**data, "source": source}


@pytest.mark.parametrize("path", [PEOPLEFLUENT, ISPRING_LEARN], ids=lambda p: p.name)
def test_data_file_says_what_the_seeds_say(docs: Path, path: Path) -> None:
    expected = without_date(seeds.data_files(docs)[path])
    stored = without_date(read_json(path))
    assert stored == expected, f"{path.name} differs from {docs}: " + UPDATE.format(
        docs=docs
    )


# --- the operation inventory ------------------------------------------------------------


def test_inventory_is_the_one_beside_the_seeds(docs: Path) -> None:
    beside = docs.parent / "inventory.csv"
    assert beside.is_file(), f"no operation inventory beside the seeds: {beside}"
    assert INVENTORY.read_bytes() == beside.read_bytes(), (
        f"tests/data/inventory.csv differs from {beside}: copy it over, review the "
        "diff, then fix the specs"
    )


def normalised(text: str) -> str:
    """Seed text with runs of (no-break) spaces as one space and ``[id]`` as ``{id}``."""
    return re.sub(r"\[(\w+)\]", r"{\1}", re.sub(r"\s+", " ", text))


def test_every_inventory_row_is_in_its_seed(docs: Path) -> None:
    functions = seeds.parse_peoplefluent(docs)
    problems = []
    for row in seeds.inventory_rows(INVENTORY):
        where = f"{row['provider']}: {row['operation']}"
        seed = docs / row["seed"]
        if not seed.is_file():
            problems.append(f"{where}: seed {row['seed']} is not in {docs}")
        elif row["provider"] == "peoplefluent":
            function = functions.get(row["operation"])
            if function is None:
                problems.append(f"{where}: not a function of {row['seed']}")
            elif (row["auth"], row["request_body"]) != (
                function.auth,
                function.body_media or "",
            ):
                problems.append(
                    f"{where}: auth/body {row['auth']!r}/{row['request_body']!r}, "
                    f"seed {function.auth!r}/{function.body_media!r}"
                )
        else:
            text = normalised(seed.read_text(encoding="utf-8"))
            named = (
                row["operation"]
                if row["protocol"] == "soap"
                else f"{row['method']} {row['path']}"
            )
            if named not in text:
                problems.append(f"{where}: {named!r} is not in {row['seed']}")
    assert problems == []


# --- the samples the specs copied --------------------------------------------------------

ISPRING_SPEC = REPO / "specs" / "ispring_learn"


def index_entries() -> list[dict[str, str]]:
    index = ISPRING_SPEC / "examples" / "index.yaml"
    return list(yaml.safe_load(index.read_text(encoding="utf-8"))["files"])


@pytest.mark.parametrize("entry", index_entries(), ids=lambda entry: entry["file"])
def test_samples_are_the_seed_lines_verbatim(docs: Path, entry: dict[str, str]) -> None:
    first, last = (int(part) for part in entry["seed-lines"].split("-"))
    lines = (docs / entry["seed"]).read_text(encoding="utf-8").splitlines(keepends=True)
    sample = (ISPRING_SPEC / "examples" / entry["file"]).read_text(encoding="utf-8")
    assert sample == "".join(lines[first - 1 : last])
