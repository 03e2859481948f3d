"""generated/litmos works when copied out of the repository, without the generator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from helpers import REPO

SCRIPT = """
import sys

repo = sys.argv[1]
assert repo not in sys.path and repo + "/" not in sys.path, sys.path
try:
    import generator
except ImportError:
    pass
else:
    raise SystemExit(f"the generator is importable: {generator.__file__}")

import litmos
import litmos.fake_server

assert litmos.__file__.startswith(sys.argv[2]), litmos.__file__
with litmos.fake_server.FakeServer() as server:
    client = litmos.Client(
        litmos.fake_server.API_KEY, source="vendoring-test", base_url=server.base_url
    )
    courses = client.get_user_courses("u1")
    print(f"courses={len(courses)}")
"""


def test_vendored_copy_runs_without_the_generator(repo: Path, tmp_path: Path) -> None:
    vendored = tmp_path / "vendor" / "litmos"
    shutil.copytree(
        repo / "generated" / "litmos",
        vendored,
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".mypy_cache"),
    )
    assert (vendored / "pyproject.toml").is_file()
    assert (vendored / "litmos" / "__init__.py").is_file()
    # This venv holds lmsgen as an editable install, whose .pth hook would make
    # `generator` importable from anywhere. `-S` skips .pth files (and site); the
    # runtime dependencies' folder is then listed explicitly, after the copied package.
    paths = sysconfig.get_paths()
    dependencies = dict.fromkeys([paths["purelib"], paths["platlib"]])
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join([str(vendored), *dependencies]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
    }
    completed = subprocess.run(
        [sys.executable, "-S", "-c", SCRIPT, str(repo), str(vendored)],
        cwd=vendored,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    assert lines and lines[-1].startswith("courses="), completed.stdout
    assert int(lines[-1].removeprefix("courses=")) > 0


def installed_providers() -> list[str]:
    return sorted(
        path.parent.name for path in (REPO / "generated").glob("*/pyproject.toml")
    )


@pytest.mark.parametrize("provider", installed_providers())
def test_installed_in_a_fresh_virtualenv(provider: str, tmp_path: Path) -> None:
    """pip install of the package folder with its `test` extra into a new venv, which gets
    nothing else (no lmsgen, no system site-packages), then its own contract tests."""
    source = tmp_path / provider
    shutil.copytree(
        REPO / "generated" / provider,
        source,
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".mypy_cache", "*.egg-info"),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(*args: str | Path, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True,
            timeout=600, check=False,
        )
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        return completed

    run(python, "-m", "pip", "install", "--quiet", f"{source}[test]")
    listing = run(python, "-m", "pip", "list", "--format=freeze").stdout.lower()
    for unwanted in ("lmsgen", "jinja2", "black", "openapi-pydantic"):
        assert f"{unwanted}==" not in listing, f"{unwanted} was installed:\n{listing}"
    where = run(python, "-c", f"import {provider}; print({provider}.__file__)").stdout
    assert "site-packages" in where, where
    # The contract tests, run from the copied folder as a user would after vendoring it.
    result = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=source)
    assert " passed" in result.stdout and "failed" not in result.stdout, result.stdout
