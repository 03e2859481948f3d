"""Compiled templates kept between runs (jinja2's bytecode cache, in lmsgen's cache).

Compiling the templates took about half a second of every generation. jinja2 checks
each cached entry against its template's source, so an edited template is compiled again.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from . import cachedir


class TemplateCache(FileSystemBytecodeCache):
    """jinja2's file cache, in ``<cache>/jinja``, for which writing is optional."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or cachedir.root() / "jinja"
        with suppress(OSError):  # then nothing is written: see dump_bytecode
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()  # unreadable (jinja2 itself discards entries cut short)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)
