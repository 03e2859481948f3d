"""`lmsgen validate` reports every provider's error, and names the drafts it skips.

The spec tree holds two broken copies of ``specs/litmos``, a good one and a draft; the
expected lines are computed from the text each test injected.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import edit, run_lmsgen


def spec_tree(tmp_path: Path, repo: Path, names: list[str]) -> Path:
    """``tmp_path/specs`` with a copy of ``specs/litmos`` under each name."""
    for name in names:
        shutil.copytree(repo / "specs" / "litmos", tmp_path / "specs" / name)
    return tmp_path / "specs"


def test_every_broken_provider_is_reported(tmp_path: Path, repo: Path) -> None:
    specs = spec_tree(tmp_path, repo, ["alpha", "beta", "good"])
    alpha = edit(
        specs / "alpha" / "openapi.yaml",
        "      operationId: getUserCourses\n",
        "      operationId: getUserCourses: broken\n",
    )
    beta = edit(
        specs / "beta" / "openapi.yaml",
        "      operationId: getUserCourses\n",
        "      operationId: getUserCourses\n      operationId: twice\n",
    )
    assert run_lmsgen("new", "draftee", cwd=tmp_path).code == 0

    result = run_lmsgen("validate", cwd=tmp_path)

    assert result.code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2, result.stderr
    assert errors[0].startswith(f"specs/alpha/openapi.yaml:{alpha}: YAML syntax error")
    assert errors[1].startswith(f"specs/beta/openapi.yaml:{beta + 1}: ")
    assert result.stdout.splitlines() == ["good: ok", "draftee: draft, skipped"]


def test_all_good_exits_zero_and_a_named_draft_is_validated(
    tmp_path: Path, repo: Path
) -> None:
    spec_tree(tmp_path, repo, ["good"])
    assert run_lmsgen("new", "draftee", cwd=tmp_path).code == 0

    everything = run_lmsgen("validate", cwd=tmp_path)
    assert (everything.code, everything.stderr) == (0, "")
    assert everything.stdout.splitlines() == ["good: ok", "draftee: draft, skipped"]

    named = run_lmsgen("validate", "draftee", cwd=tmp_path)
    assert (named.code, named.stdout) == (0, "draftee: ok\n")
