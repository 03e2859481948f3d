"""Adding a provider: `lmsgen new` scaffolds a spec folder whose package, once the draft
marker is removed, passes the lint and its own contract tests; and a fourth provider written
for this test (tests/fixtures/coursehub: REST, JSON and XML) generates and passes its own
contract tests with the generator and templates exactly as they are."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from helpers import REPO, lint_package, run_lmsgen, run_ok

COURSEHUB = REPO / "tests" / "fixtures" / "coursehub"


def contract_tests(package: Path) -> str:
    """Run a generated package's own tests from its folder; return pytest's output."""
    pytest_run = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    return run_ok(*pytest_run, cwd=package, timeout=300).stdout


def test_new_scaffolds_a_draft_spec_that_generates(tmp_path: Path) -> None:
    created = run_lmsgen("new", "acme", cwd=tmp_path)
    assert created.code == 0, created.stderr
    folder = tmp_path / "specs" / "acme"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "examples",
        "examples/getItem.response.json",
        "examples/getItem.response.xml",
        "openapi.yaml",
    ]
    spec = folder / "openapi.yaml"
    text = spec.read_text()
    assert "draft:" in text
    # A draft stays out of `generate` (all providers), said so, but builds when named.
    skipped = run_lmsgen("generate", cwd=tmp_path)
    assert (skipped.code, skipped.stdout) == (0, "acme: draft, skipped\n")
    assert not (tmp_path / "generated" / "acme").exists()
    named = run_lmsgen("generate", "acme", cwd=tmp_path)
    assert named.code == 0, named.stderr
    # Without its draft marker it is an ordinary provider: lint-clean, its tests pass.
    spec.write_text(
        "".join(line for line in text.splitlines(True) if "draft:" not in line)
    )
    ready = run_lmsgen("generate", cwd=tmp_path)
    assert ready.code == 0, ready.stderr
    assert re.fullmatch(r"acme: \d+ files\n", ready.stdout), ready.stdout
    package = tmp_path / "generated" / "acme"
    assert "Acme API" in (package / "README.md").read_text()
    lint_package(package)
    assert " passed" in contract_tests(package)


def test_new_refuses_bad_names_and_existing_folders(tmp_path: Path) -> None:
    for name in ("Acme", "9lives", "class", "my-lms"):
        result = run_lmsgen("new", name, cwd=tmp_path)
        assert result.code == 1
        assert "must be lower case letters" in result.stderr, result.stderr
    assert run_lmsgen("new", "acme", cwd=tmp_path).code == 0
    again = run_lmsgen("new", "acme", cwd=tmp_path)
    assert again.code == 1
    assert "specs/acme already exists" in again.stderr


def test_fourth_provider_passes_its_contract_tests(tmp_path: Path) -> None:
    for provider in ("litmos", "coursehub"):
        source = COURSEHUB if provider == "coursehub" else REPO / "specs" / provider
        shutil.copytree(source, tmp_path / "specs" / provider)
    result = run_lmsgen("generate", cwd=tmp_path)
    assert result.code == 0, result.stderr
    package = tmp_path / "generated" / "coursehub"
    client = (package / "coursehub" / "client.py").read_text()
    for method in (
        "def list_learners(",
        "def get_learner(",
        "def enroll(",
        "def withdraw(",
    ):
        assert method in client
    # Same generator and templates as the reference provider: nothing was adapted.
    manifests = {
        name: json.loads(
            (tmp_path / "generated" / name / ".lmsgen-manifest.json").read_text()
        )
        for name in ("litmos", "coursehub")
    }
    shared = [
        {
            key: value
            for key, value in manifest["inputs"].items()
            if not key.startswith("specs/")
        }
        for manifest in manifests.values()
    ]
    assert shared[0] == shared[1]
    output = contract_tests(package)
    assert "failed" not in output and " passed" in output
