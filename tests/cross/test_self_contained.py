"""A clone of the repository runs its tests with nothing beside it.

The vendor documentation lives outside the repository (beside the clone in CI); only
``make docs-check`` may read it. Here the repository's tracked files, as they are in the
working tree (what a clone of the next commit holds), are copied alone into an empty
folder, and the suite is collected there and the tests that compare the specs with the
documented facts are run there: any test that reads outside the clone fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

DOCUMENTED_FACTS = [
    "tests/cross/test_coverage.py",
    "tests/providers/ispring_learn/test_ispring_spec.py",
    "tests/providers/peoplefluent/test_peoplefluent_seed.py",
    "tests/providers/peoplefluent/test_peoplefluent_generated.py",
]
"""The test modules that compare the specs and the IR with the documentation's facts."""


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracked files of the repository, alone in an empty folder."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    target = tmp_path_factory.mktemp("alone") / "lmsgen"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # deleted in the working tree: not in the next commit
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    assert [path.name for path in target.parent.iterdir()] == ["lmsgen"]  # alone
    return target


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest with this interpreter in ``folder``; no DOCS in the environment."""
    env = {key: value for key, value in os.environ.items() if key != "DOCS"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_documented_facts_are_in_the_repository(clone: Path) -> None:
    data = (
        "inventory.csv",
        "ispring_learn_documented.json",
        "peoplefluent_documented.json",
    )
    for name in data:
        assert (
            clone / "tests" / "data" / name
        ).is_file(), f"tests/data/{name} untracked"


def test_the_whole_suite_collects_alone(clone: Path) -> None:
    completed = pytest_in(clone, "--collect-only")
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr
    assert "tests/docs" not in completed.stdout, "make docs-check's suite was collected"


def test_the_documented_fact_tests_pass_alone(clone: Path) -> None:
    completed = pytest_in(clone, *DOCUMENTED_FACTS)
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr
    assert " passed" in completed.stdout and "skipped" not in completed.stdout


@pytest.mark.parametrize("given", [[], ["--docs="], ["--docs=no/such/seeds"]])
def test_docs_check_asks_for_the_documentation(clone: Path, given: list[str]) -> None:
    completed = pytest_in(clone, "tests/docs", *given)
    assert completed.returncode == pytest.ExitCode.USAGE_ERROR
    assert "docs-check needs DOCS=<folder holding the vendor seeds>" in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
