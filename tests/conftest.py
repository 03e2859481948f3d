"""Fixtures of the generator's tests (helpers live in ``tests/helpers.py``)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from helpers import REPO

DOCS_SUITE = Path(__file__).resolve().parent / "docs"
"""The checks against the vendor documentation: run only by ``make docs-check``."""
DOCS_NEEDED = (
    "docs-check needs DOCS=<folder holding the vendor seeds>, e.g. DOCS=path/to/vendor/seeds"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--docs",
        help="the folder of the vendor seeds: run tests/docs/ against it "
        "(make docs-check DOCS=...)",
    )


def pytest_configure(config: pytest.Config) -> None:
    docs = config.getoption("docs")
    if docs is None:
        asked = (Path(arg.partition("::")[0]).resolve() for arg in config.args)
        if any(path.is_relative_to(DOCS_SUITE) for path in asked):
            raise pytest.UsageError(DOCS_NEEDED)
    elif not docs:
        raise pytest.UsageError(DOCS_NEEDED)
    elif not Path(docs).is_dir():
        raise pytest.UsageError(f"{DOCS_NEEDED} ({docs!r} is not a folder)")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave tests/docs/ out unless ``--docs`` names the documentation."""
    if collection_path == DOCS_SUITE and config.getoption("docs") is None:
        return True
    return None


# Every generated package is importable by name in the repository's tests, as it is for
# a user who installed or vendored it.
for _package in sorted((REPO / "generated").iterdir()):
    if _package.is_dir() and str(_package) not in sys.path:
        sys.path.insert(0, str(_package))


@pytest.fixture(scope="session")
def repo() -> Path:
    """The root of the lmsgen repository."""
    return REPO


@pytest.fixture
def litmos_copy(tmp_path: Path, repo: Path) -> Path:
    """A copy of ``specs/litmos`` at ``tmp_path/specs/litmos`` (returned), free to mutate.

    Run the CLI with ``cwd=tmp_path`` and ``--specs specs`` so that messages name
    ``specs/litmos/…`` as they do in the repository.
    """
    target = tmp_path / "specs" / "litmos"
    shutil.copytree(repo / "specs" / "litmos", target)
    return target


@pytest.fixture(autouse=True, scope="session")
def _format_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A formatting cache of the session's own, so no test depends on ~/.cache."""
    import os

    os.environ["LMSGEN_CACHE"] = str(tmp_path_factory.mktemp("lmsgen-cache"))
