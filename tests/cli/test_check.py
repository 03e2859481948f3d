"""``lmsgen check``: the repository's generated/ is fresh, and staleness is reported."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from helpers import CliResult, run_lmsgen, snapshot

FIX_HINT = "run `make generate`"


def test_repository_check_passes(repo: Path) -> None:
    """What CI runs: `lmsgen check` on the real specs/ and generated/."""
    result = run_lmsgen("check", cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert "generated/ is up to date" in result.stdout


def test_generated_litmos_is_fresh(repo: Path, litmos_copy: Path) -> None:
    """The freshness test: generated/litmos is what specs/litmos + templates/ give.

    `check` has no provider filter, so the spec is checked from a specs tree holding only
    litmos (the manifest names inputs relative to the specs folder, so this is the same
    comparison as in the repository).
    """
    result = run_lmsgen(
        "--specs",
        litmos_copy.parent,
        "--out",
        repo / "generated",
        "check",
        cwd=litmos_copy.parents[1],
    )
    assert (
        result.code == 0
    ), f"generated/litmos is stale:\n{result.stdout}{result.stderr}"
    assert result.stdout.endswith("is up to date\n")


@pytest.fixture(scope="module")
def generated_project(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Path:
    """specs/litmos and a fresh generated/litmos, made once, `check` passing on it."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(repo / "specs" / "litmos", root / "specs" / "litmos")
    result = run_lmsgen("generate", cwd=root)
    assert result.code == 0, result.stderr
    baseline = check(root)
    assert baseline.code == 0, baseline.stdout + baseline.stderr
    assert baseline.stdout == "generated/ is up to date\n"
    return root


@pytest.fixture
def project(generated_project: Path, tmp_path: Path) -> Path:
    """A copy of ``generated_project`` that a test may break."""
    root = tmp_path / "project"
    shutil.copytree(generated_project, root)
    return root


def check(root: Path) -> CliResult:
    return run_lmsgen("check", cwd=root)


def stale(root: Path) -> CliResult:
    """Run `check`, expecting a stale report; `check` itself must not touch the tree."""
    before = snapshot(root / "generated")
    result = check(root)
    assert snapshot(root / "generated") == before, "`check` modified generated/"
    assert result.code == 1, result.stdout + result.stderr
    assert FIX_HINT in result.stdout
    return result


def listed(result: CliResult) -> list[str]:
    """The `differs:` / `missing:` / `extra:` lines of a check report."""
    return [
        line
        for line in result.stdout.splitlines()
        if line.startswith(("differs: ", "missing: ", "extra: "))
    ]


def test_hand_edited_file_differs(project: Path) -> None:
    client = project / "generated" / "litmos" / "litmos" / "client.py"
    text = client.read_text(encoding="utf-8")
    assert "\nclass Client:\n" in text
    client.write_text(
        text.replace("\nclass Client:\n", "\n# hand edit\nclass Client:\n", 1),
        encoding="utf-8",
    )
    result = stale(project)
    assert listed(result) == ["differs: generated/litmos/litmos/client.py"]
    lines = result.stdout.splitlines()
    assert "--- a/generated/litmos/litmos/client.py" in lines
    assert "+++ b/generated/litmos/litmos/client.py" in lines
    assert "-# hand edit" in lines  # the edit is what a regeneration would remove
    assert "1 file(s) in generated/ differ" in result.stdout


def test_deleted_file_is_missing(project: Path) -> None:
    (project / "generated" / "litmos" / "litmos" / "errors.py").unlink()
    result = stale(project)
    assert listed(result) == ["missing: generated/litmos/litmos/errors.py"]


def test_added_file_is_extra(project: Path) -> None:
    (project / "generated" / "litmos" / "litmos" / "notes.py").write_text("x = 1\n")
    result = stale(project)
    assert listed(result) == ["extra: generated/litmos/litmos/notes.py"]


def test_stale_manifest_differs(project: Path) -> None:
    """A spec edit that changes no output still changes the manifest's input hashes."""
    spec = project / "specs" / "litmos" / "openapi.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8"
    )
    result = stale(project)
    assert listed(result) == ["differs: generated/litmos/.lmsgen-manifest.json"]


def test_caches_are_not_extra(project: Path) -> None:
    cache = project / "generated" / "litmos" / "litmos" / "__pycache__"
    cache.mkdir()
    (cache / "client.cpython-311.pyc").write_bytes(b"\0")
    shutil.copytree(cache, project / "generated" / "litmos" / ".pytest_cache")
    result = check(project)
    assert result.code == 0, result.stdout
    assert listed(result) == []


def test_check_is_not_fooled_by_the_incremental_skip(project: Path) -> None:
    """A hand edit whose manifest entry was doctored too: `generate` would skip the
    provider, but `check` rebuilds everything and still reports the edit."""
    package = project / "generated" / "litmos"
    client = package / "litmos" / "client.py"
    client.write_bytes(client.read_bytes() + b"# hand edit\n")
    manifest_path = package / ".lmsgen-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["litmos/client.py"] = hashlib.sha256(
        client.read_bytes()
    ).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    skipped = run_lmsgen("generate", cwd=project)
    assert skipped.stdout == "litmos: up to date\n"
    result = stale(project)
    # The doctored manifest records output that a fresh build does not give, so the
    # fresh build also counts as a patch release (version and CHANGES.md differ).
    assert "differs: generated/litmos/litmos/client.py" in listed(result)
    assert "differs: generated/litmos/.lmsgen-manifest.json" in listed(result)
    assert "+++ b/generated/litmos/litmos/client.py" in result.stdout
    assert "-# hand edit" in result.stdout.splitlines()
