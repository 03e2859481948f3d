"""Any OpenAPI 3.0/3.1 document: every spec of tests/fixtures/openapi_corpus/ generates, imports and
passes ruff, black --check and mypy --strict; every spec of tests/fixtures/openapi_corpus/_unsupported/ fails with a clear
`file:line: message` at the line marked `# <- error`, writing nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, lint_package, run_lmsgen

CORPUS = REPO / "tests" / "fixtures" / "openapi_corpus"
SUPPORTED = sorted(p.parent.name for p in CORPUS.glob("*/openapi.yaml"))
UNSUPPORTED = sorted(
    p.parent.name for p in (CORPUS / "_unsupported").glob("*/openapi.yaml")
)

MESSAGES = {
    "all_of_array": "allOf is supported for object schemas only",
    "apikey_cookie": "apiKey in 'cookie' is not supported (header only)",
    "cookie_parameter": "parameter 'session': location 'cookie' is not supported",
    "csv_media_type": "media type 'text/csv' with this schema is not supported",
    "digest_auth": "http scheme 'digest' is not supported (basic or bearer)",
    "external_ref": "only local $ref are supported, got 'common.yaml#/components/schemas/A'",
    "inline_discriminated": "discriminator: every alternative must be a $ref to an object schema",
    "not_keyword": "schema keyword 'not' is not supported",
    "openapi_20": "not an OpenAPI 3.x document (no 'openapi: 3.x' at the top)",
    "scalar_body": "a body that is a int is not supported (only objects or arrays of them)",
    "union_body": (
        "a body that is a oneOf/anyOf union is not supported (only objects or arrays of them)"
    ),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every supported corpus spec generated in one run."""
    out = tmp_path_factory.mktemp("corpus") / "generated"
    result = run_lmsgen(
        "--specs", CORPUS, "--out", out, "generate", *SUPPORTED, cwd=REPO
    )
    assert result.code == 0, result.stderr
    return out


def test_corpus_covers_the_constructs() -> None:
    assert len(SUPPORTED) >= 12 and {"petstore_30", "tracker_31"} <= set(SUPPORTED)
    assert sorted(MESSAGES) == UNSUPPORTED


def test_every_spec_generates_and_imports(generated: Path) -> None:
    assert sorted(p.name for p in generated.iterdir()) == SUPPORTED
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n" + (
        "    for module in ('', '.client', '.models', '.fake_server'):\n"
        "        importlib.import_module(name + module)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, *SUPPORTED],
        env={"PYTHONPATH": ":".join(str(generated / name) for name in SUPPORTED)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_every_package_passes_mypy_strict(generated: Path) -> None:
    packages = [str(generated / name / name) for name in SUPPORTED]
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-5000:]


@pytest.mark.parametrize("name", SUPPORTED)
def test_every_package_passes_ruff_and_black(generated: Path, name: str) -> None:
    # mypy --strict runs once over all the packages above (one process is cheaper).
    lint_package(generated / name, mypy=False)


def test_constructs_reach_the_code(generated: Path) -> None:
    """A few spot checks that each construct is typed, not degraded to Any."""

    def models(name: str) -> str:
        return (generated / name / name / "models.py").read_text()

    assert "employee_number: int" in models("all_of") and "name: str\n" in models(
        "all_of"
    )
    one_of = models("one_of_discriminator")
    assert "pet: Cat | Dog | Lizard | None = None" in one_of
    assert (
        'CatPetType = Literal["cat"]' in one_of
        and 'LizardPetType = Literal["Lizard"]' in one_of
    )
    assert "favourite: str | int | None = None" in one_of
    assert "note: str | None" in models(
        "nullable_30"
    ) and "address: Address | None" in models("nullable_30")
    assert "level: RecordLevel | None = None" in models("nullable_31")
    recursive = models("recursive")
    assert "children: list[Category] | None = None" in recursive
    assert "\nCategory.__xml__ = XmlSpec(" in recursive
    maps = models("additional_properties")
    assert "counts: dict[str, int] | None = None" in maps
    assert "scores: dict[str, Score] | None = None" in maps
    assert "cube: list[list[list[bool]]] | None = None" in models("nested_arrays")
    awkward = models("awkward_names")
    for name in (
        "class N3dModel(Model):",
        "class_: str | None",
        "def_: int | None",
        "n1st_place: bool | None",
        '"in progress"',
        '"n/a"',
    ):
        assert name in awkward, name
    client = (
        generated / "servers_security" / "servers_security" / "client.py"
    ).read_text()
    for argument in (
        "partner_key_api_key",
        "user_key_api_key",
        "bearer_token",
        "oauth_token",
    ):
        assert f"{argument}: str | None = None" in client, argument


@pytest.mark.parametrize("case", UNSUPPORTED)
def test_unsupported_construct_is_a_located_error(case: str, tmp_path: Path) -> None:
    spec = CORPUS / "_unsupported" / case / "openapi.yaml"
    line = next(
        number
        for number, text in enumerate(spec.read_text().splitlines(), 1)
        if "# <- error" in text
    )
    out = tmp_path / "generated"
    result = run_lmsgen(
        "--specs", CORPUS / "_unsupported", "--out", out, "generate", case, cwd=REPO
    )
    assert result.code == 1
    assert result.stderr == (
        f"tests/fixtures/openapi_corpus/_unsupported/{case}/openapi.yaml:{line}: {MESSAGES[case]}\n"
    )
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("spec", "loads_xmlschema"),
    [
        (CORPUS / "petstore_30", False),
        (REPO / "specs" / "litmos", True),
    ],
)
def test_xmlschema_loads_only_for_specs_with_xsd_files(
    spec: Path, loads_xmlschema: bool
) -> None:
    """xmlschema holds about 15 MiB: an OpenAPI-only spec is read without it."""
    code = (
        "import sys; from pathlib import Path; from lmsgen import pipeline; "
        f"pipeline.load(Path({str(spec)!r})); print('xmlschema' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(loads_xmlschema)
