"""The declared ``x-lmsgen`` vocabulary (``generator/extensions.py``).

Every declared key is read by a frontend, and only through its declaration; a misspelt
key, a key in the wrong place and a value of the wrong type each stop ``lmsgen
validate`` at their ``file:line``; the specs of the repository pass; ``specs/README.md``
shows the declaration's own table.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, CliResult, edit, line_of, run_lmsgen
from lmsgen import extensions, loader
from lmsgen.extensions import KEYS, Extension, Place

SPEC = "specs/litmos/openapi.yaml"


def validate(litmos_copy: Path) -> CliResult:
    """``lmsgen validate litmos`` on the copy; it must fail."""
    result = run_lmsgen(
        "--specs", "specs", "validate", "litmos", cwd=litmos_copy.parents[1]
    )
    assert result.code == 1, result.stdout + result.stderr
    return result


def spec_folders() -> list[Path]:
    """The repository's providers and the test fixture provider."""
    return [*loader.provider_dirs(REPO / "specs"), REPO / "tests/fixtures/coursehub"]


def test_every_declared_key_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    read: set[str] = set()
    original = Extension.read

    def recording(self: Extension[Any], node: Any) -> Any:
        read.add(self.name)
        return original(self, node)

    monkeypatch.setattr(Extension, "read", recording)
    for folder in spec_folders():
        loader.is_draft(folder)
        loader.load_provider(folder, Path(folder.name))
    assert sorted(set(KEYS) - read) == []


def test_keys_are_spelt_only_in_the_declaration() -> None:
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "generator").rglob("*.py"))
        if path.name != "extensions.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if extensions.PREFIX in line
    ]
    assert found == [], "read them through generator/extensions.py"


def test_repository_specs_validate_clean() -> None:
    result = run_lmsgen("validate", cwd=REPO)
    assert (result.code, result.stderr) == (0, "")
    providers = [folder.name for folder in loader.provider_dirs(REPO / "specs")]
    assert result.stdout.splitlines() == [f"{name}: ok" for name in providers]


def test_misspelt_key_names_the_known_one(litmos_copy: Path) -> None:
    spec = litmos_copy / "openapi.yaml"
    line = edit(spec, "x-lmsgen-client-default: true", "x-lmsgen-client-defualt: true")
    assert validate(litmos_copy).stderr.splitlines() == [
        f"{SPEC}:{line}: unknown extension 'x-lmsgen-client-defualt' "
        "(did you mean x-lmsgen-client-default?)"
    ]


def test_key_in_the_wrong_place(litmos_copy: Path) -> None:
    spec = litmos_copy / "openapi.yaml"
    line = edit(spec, "x-lmsgen-idempotent: true", "x-lmsgen-stream: true")
    assert validate(litmos_copy).stderr.splitlines() == [
        f"{SPEC}:{line}: x-lmsgen-stream does not belong on an operation: "
        "only on a media type"
    ]


def test_value_of_the_wrong_type(litmos_copy: Path) -> None:
    spec = litmos_copy / "openapi.yaml"
    line = edit(spec, "x-lmsgen-idempotent: true", "x-lmsgen-idempotent: 'true'")
    assert validate(litmos_copy).stderr.splitlines() == [
        f"{SPEC}:{line}: x-lmsgen-idempotent must be true or false, got 'true'"
    ]


def test_every_problem_is_reported_in_line_order(litmos_copy: Path) -> None:
    """A misspelt key inside a block: it is unknown, and the one it meant is missing."""
    spec = litmos_copy / "openapi.yaml"
    line = edit(spec, "    per-seconds: 60", "    per-second: 60")
    block = line_of(spec.read_text(), "  rate-limit:")
    assert validate(litmos_copy).stderr.splitlines() == [
        f"{SPEC}:{block}: x-lmsgen.rate-limit needs per-seconds",
        f"{SPEC}:{line}: x-lmsgen.rate-limit: unknown key 'per-second' "
        "(did you mean per-seconds?)",
    ]


def test_soap_operation_settings_are_checked(tmp_path: Path) -> None:
    folder = tmp_path / "specs" / "ispring_learn"
    shutil.copytree(REPO / "specs" / "ispring_learn", folder)
    spec = folder / "openapi.yaml"
    tags = edit(spec, "      tags: [Enrollments]", "      tag: [Enrollments]")
    paging = edit(
        spec,
        "x-lmsgen-idempotent: true\n",
        "x-lmsgen-pagination: {}\n",
        "GetEnrollments:",
    )
    result = run_lmsgen("--specs", "specs", "validate", "ispring_learn", cwd=tmp_path)
    where = "specs/ispring_learn/openapi.yaml"
    assert result.stderr.splitlines() == [
        f"{where}:{tags}: x-lmsgen-soap.operations.GetEnrollments: unknown key 'tag' "
        "(did you mean tags?)",
        f"{where}:{paging}: unknown extension 'x-lmsgen-pagination' "
        "(did you mean x-lmsgen-paginate?)",
    ]


def test_other_vendors_extensions_are_left_alone(litmos_copy: Path) -> None:
    spec = litmos_copy / "openapi.yaml"
    edit(
        spec,
        "x-lmsgen-idempotent: true",
        "x-lmsgen-idempotent: true\n      x-acme: [1]",
    )
    result = run_lmsgen(
        "--specs", "specs", "validate", "litmos", cwd=litmos_copy.parents[1]
    )
    assert (result.code, result.stdout) == (0, "litmos: ok\n")


@pytest.mark.parametrize(
    ("node", "place", "expected"),
    [
        (
            {"x-lmsgen-client-default": 1},
            Place.PARAMETER,
            "must be true or false, got 1",
        ),
        (
            {"x-lmsgen-feed": "item"},
            Place.MEDIA_TYPE,
            "must be feed or entry, got 'item'",
        ),
        ({"x-lmsgen-format-values": "rss"}, Place.MEDIA_TYPE, "must be [a scalar, …]"),
        (
            {"x-lmsgen-xsd": {"file": "a.xsd"}},
            Place.MEDIA_TYPE,
            "x-lmsgen-xsd needs element",
        ),
        (
            {"x-lmsgen": {"rate-limit": {"requests": True, "per-seconds": 1}}},
            Place.ROOT,
            "requests must be an integer, got True",
        ),
        ({"x-lmsgen": {"json-dates": "unix"}}, Place.ROOT, "must be iso or microsoft"),
        (
            {"x-lmsgen-soap": {"operations": {"A": {"x-lmsgen-stream": True}}}},
            Place.ROOT,
            "does not belong on a SOAP operation",
        ),
        ({"x-lmsgen-csv": {"header": True}}, Place.PROPERTY, "only on a schema"),
        ({"x-lmsgen-zzz": True}, Place.SCHEMA, "unknown extension 'x-lmsgen-zzz'"),
    ],
)
def test_problems_of_one_object(
    node: dict[str, Any], place: Place, expected: str
) -> None:
    messages = [problem.message for problem in extensions.problems(node, place)]
    assert len(messages) == 1 and expected in messages[0], messages


def test_values_that_fit_raise_nothing() -> None:
    node = {
        "x-lmsgen": {"rate-limit": {"requests": 5, "per-seconds": 1.5}, "draft": "why"},
        "x-lmsgen-soap": {
            "operations": {"A": {"tags": ["T"], "x-lmsgen-defaults": {"n": 1}}}
        },
        "x-foo": object(),
    }
    assert list(extensions.problems(node, Place.ROOT)) == []


def table() -> list[str]:
    """The README's table of keys, as the declaration has it."""
    rows = ["| key | where | value | meaning |", "| --- | --- | --- | --- |"]
    for key in KEYS.values():
        where = ", ".join(place.value for place in key.places)
        rows.append(f"| `{key.name}` | {where} | {key.shape.label} | {key.meaning} |")
    return rows


def test_readme_table_is_the_declaration() -> None:
    lines = (REPO / "specs" / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| key | where | value | meaning |")
    end = lines.index("", start)
    expected = "\n".join(table())
    assert (
        lines[start:end] == table()
    ), f"replace the table in specs/README.md with:\n{expected}"
