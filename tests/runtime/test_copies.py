"""Each generated package carries the runtime byte for byte, and an optional module
only where its provider uses it."""

from __future__ import annotations

import pytest
from helpers import REPO
from lmsgen import render
from lmsgen.pipeline import load

RUNTIME = REPO / "generator" / "runtime"
PROVIDERS = sorted(path.name for path in (REPO / "generated").iterdir())
OPTIONAL = {
    "ispring_learn": {"_paging.py", "_soap.py", "_fake_soap.py", "_fake_state.py"},
    "litmos": set(),
    "peoplefluent": {
        "_csv.py",
        "_feeds.py",
        "_multipart.py",
        "_stream.py",
        "_fake_csv.py",
        "_fake_feeds.py",
        "_fake_media.py",
    },
}
"""What each provider uses: SOAP, paging and tokens (iSpring), CSV, feeds, uploads and
streamed replies (PeopleFluent), in its client and its fake server."""
NOT_COPIED = {"__init__.py", "_settings.py"}
"""The runtime's own package file, and the stand-in of the generated ``_settings.py``."""


def test_every_runtime_module_is_copied_somewhere() -> None:
    modules = {path.name for path in RUNTIME.glob("*.py")} - NOT_COPIED
    assert modules == set(render.RUNTIME) | set(render.OPTIONAL_RUNTIME)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_runtime_files_are_exact_copies(provider: str) -> None:
    package = REPO / "generated" / provider / provider
    copied = {
        path.name
        for path in package.glob("*.py")
        if path.name in set(render.RUNTIME) | set(render.OPTIONAL_RUNTIME)
    }
    assert copied == set(render.RUNTIME) | OPTIONAL[provider]
    for name in copied:
        assert (package / name).read_bytes() == (RUNTIME / name).read_bytes(), name
    for name in NOT_COPIED:
        assert (package / name).read_bytes() != (RUNTIME / name).read_bytes(), name


@pytest.mark.parametrize("provider", PROVIDERS)
def test_optional_modules_follow_what_the_spec_uses(provider: str) -> None:
    modules = render.runtime_modules(load(REPO / "specs" / provider))
    assert set(modules) - set(render.RUNTIME) == OPTIONAL[provider]
