"""Where lmsgen keeps what it can always rebuild: formatted code, compiled templates.

A cache that cannot be read or written only makes a slower run, never a failed one.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    """``$LMSGEN_CACHE``, or ``~/.cache/lmsgen``."""
    return Path(os.environ.get("LMSGEN_CACHE") or Path.home() / ".cache" / "lmsgen")
