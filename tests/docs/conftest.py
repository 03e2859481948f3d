"""The documentation ``make docs-check`` reads (tests/conftest.py checks the option)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def docs(pytestconfig: pytest.Config) -> Path:
    """The folder of the vendor seeds, from ``--docs`` (``DOCS=`` of make docs-check)."""
    return Path(pytestconfig.getoption("docs"))
