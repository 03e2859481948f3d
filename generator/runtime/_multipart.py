"""Multipart form bodies: text fields and files, streamed from disk rather than read whole."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated, Any

from pydantic import AfterValidator

Upload = str | os.PathLike[str] | IO[bytes] | bytes
"""A file to upload: a path (opened and streamed in chunks), an open binary file
(read in chunks from its start), or the content itself as bytes."""


def check_upload(value: Any) -> Any:
    """Refuse, before anything is sent, an upload that is not a file, a path or bytes."""
    if isinstance(value, bytes) or hasattr(value, "read"):
        return value
    if isinstance(value, str | os.PathLike):
        if not Path(value).is_file():
            raise ValueError(f"no file at {os.fspath(value)!r}")
        return value
    raise ValueError(
        f"expected a path, a binary file or bytes, got {type(value).__name__}"
    )


UploadArg = Annotated[Any, AfterValidator(check_upload)]
"""An ``Upload`` argument, checked when the call's arguments are."""


def open_parts(
    parts: tuple[tuple[str, Any, bool], ...], stack: ExitStack
) -> list[tuple[str, tuple[str | None, Any]]]:
    """The ``files`` argument of httpx for ``(name, value, is_file)`` parts.

    Text fields go in as parts without a file name, so the body is multipart even when
    no file is given. Paths are opened here (and closed by ``stack``); httpx reads file
    objects in 64 KiB chunks, so a large file is never held in memory.
    """
    files: list[tuple[str, tuple[str | None, Any]]] = []
    for name, value, is_file in parts:
        if not is_file:
            files.append((name, (None, value)))
        elif isinstance(value, bytes):
            files.append((name, (name, value)))
        elif isinstance(value, str | os.PathLike):
            path = Path(value)
            files.append((name, (path.name, stack.enter_context(path.open("rb")))))
        else:
            files.append((name, (Path(str(getattr(value, "name", name))).name, value)))
    return files
