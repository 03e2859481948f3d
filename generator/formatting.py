"""Black formatting of rendered Python: by shape, cached by content, over the CPU cores.

black is the formatter our users asked for, and was most of a generation's time (about
0.3 ms per line of output). Three rules keep it off the critical path: black sees each
*shape* once (``shapes``: a piece of code with its names and strings blanked out; a
1000-operation client is a few dozen shapes), the same rendered text is never formatted
twice (files and shapes are kept under their content hash, on disk), and the files are
shared among worker processes when there are enough lines to pay for them.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache
from importlib.metadata import version
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from . import cachedir, shapes
from .errors import FormatError

if TYPE_CHECKING:
    import black

TARGET, LINE_LENGTH = "PY311", 88
"""black's settings (its ``Mode``): Python 3.11 code, 88 columns."""
PARALLEL_LINES = 4000
"""Below this many lines to format, worker start-up costs more than it saves."""


def cache_dir() -> Path:
    """Where formatted results are kept: a folder of lmsgen's cache per black version."""
    return cachedir.root() / f"black-{_black_version()}"


@cache
def mode() -> black.Mode:
    """black's mode. black itself loads on first use: a parent process that hands all
    formatting to workers never holds it."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion[TARGET]}, line_length=LINE_LENGTH)


@cache
def _black_version() -> str:
    return version("black")  # reads package metadata: slow enough to matter per shape


def _key(source: bytes) -> str:
    mode = f"['{TARGET}']:{LINE_LENGTH}".encode()
    return hashlib.sha256(mode + b"\0" + source).hexdigest()


def format_one(relative: str, source: bytes) -> bytes:
    """Black-format one rendered Python file, whole."""
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source.decode("utf-8"), mode=mode()).encode("utf-8")
    except InvalidInput as exc:
        raise FormatError(
            f"{relative}: rendered code is not valid Python: {exc}"
        ) from None


Layout = tuple[str, tuple[tuple[int, int], ...]]
"""A shape as black laid it out, and where its names go back."""


def format_by_shape(relative: str, source: bytes, memo: dict[str, Layout]) -> bytes:
    """Black-format one file a piece at a time, each shape once (``memo``, then disk).

    The same bytes as ``format_one`` (tests/test_shapes.py); a file that cannot be cut
    into pieces is formatted whole, which also reports invalid code.
    """
    from black.parsing import InvalidInput

    text = source.decode("utf-8")
    store = _store()
    laid_out: list[tuple[str, str]] = []
    try:
        pieces = shapes.cut(text)
        layouts = []
        for piece in pieces:
            probe = piece.probe()
            if probe is None:
                layouts.append(piece.shape)
                continue
            layout = memo.get(probe)
            if layout is None:
                layout = _lay_out(piece, probe, store, laid_out)
                memo[probe] = layout
            layouts.append(shapes.fill(*layout, piece.values))
        return shapes.join(pieces, layouts).encode("utf-8")
    except (shapes.Unshaped, InvalidInput):
        return format_one(relative, source)
    finally:
        store.keep(laid_out)


def _lay_out(
    piece: shapes.Piece, probe: str, store: _Shapes, laid_out: list[tuple[str, str]]
) -> Layout:
    key = _key(probe.encode("utf-8"))
    formatted = store.get(key)
    if formatted is None:
        import black

        formatted = piece.layout(black.format_str(probe, mode=mode()))
        laid_out.append((key, formatted))
    return formatted, shapes.slots(formatted, *piece.context())


class _Shapes:
    """Laid-out shapes on disk: one SQLite file, shared by the worker processes.

    One file rather than a file per shape: a cold 1000-operation generation lays out
    hundreds of shapes, and a file each cost more in system calls than black did.
    A cache that cannot be read or written only makes a slower run.
    """

    def __init__(self, path: Path) -> None:
        self.connection: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS shapes (key TEXT PRIMARY KEY, layout TEXT)"
            )
            self.connection = connection
        except sqlite3.Error:
            pass

    def get(self, key: str) -> str | None:
        if self.connection is None:
            return None
        try:
            row = self.connection.execute(
                "SELECT layout FROM shapes WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else str(row[0])

    def keep(self, laid_out: list[tuple[str, str]]) -> None:
        if self.connection is None or not laid_out:
            return
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.executemany(
                    "INSERT OR IGNORE INTO shapes VALUES (?, ?)", laid_out
                )
        except sqlite3.Error:
            pass


_STORES: dict[Path, _Shapes] = {}


def _store() -> _Shapes:
    path = cache_dir() / "shapes.sqlite"
    if path not in _STORES:
        _STORES[path] = _Shapes(path)
    return _STORES[path]


_MEMO: dict[str, Layout] = {}
"""The shapes laid out in this process (a worker keeps its own)."""

Source = bytes | Callable[[], bytes]
"""A file's content, or the function that renders it."""


def format_file(path: str, content: bytes) -> bytes:
    """One file as it is written: a ``.py`` one formatted (from the cache if it can)."""
    if not path.endswith(".py"):
        return content
    key = _key(content)
    stored = cache_dir() / key[:2] / key
    cached = _read(stored)
    if cached is not None:
        return cached
    formatted = format_by_shape(path, content, _MEMO)
    _write(stored, formatted)
    return formatted


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write(path: Path, content: bytes) -> None:
    """Store atomically; a cache that cannot be written is only a slower run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        temporary.replace(path)
    except OSError:
        pass


def format_all(
    files: Mapping[str, Source], parallel: bool | None = None
) -> dict[str, bytes]:
    """Every file of ``files`` (rendered if it is a function), the ``.py`` ones formatted.

    In worker processes when ``parallel`` (by default: when there are enough lines to
    pay for starting them), each file sent as soon as it is rendered, the first ones
    expected to be the largest. The workers are new interpreters, not forks: they hold
    black and the file at hand, not a copy of the generator's memory.
    """
    if parallel is None:
        lines = sum(s.count(b"\n") for s in files.values() if isinstance(s, bytes))
        parallel = lines >= PARALLEL_LINES
    workers = min(len(files), os.cpu_count() or 1)
    if not parallel or workers < 2:
        return {path: format_file(path, _content(s)) for path, s in files.items()}
    results: dict[str, bytes] = {}
    waiting = iter(files.items())
    context = get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=mode) as pool:
        running: dict[Future[bytes], str] = {}

        def start_next() -> None:
            # Rendered only when a worker is about to be free: few sources in memory.
            for path, source in islice(waiting, 1):
                running[pool.submit(format_file, path, _content(source))] = path

        for _ in range(workers + 1):
            start_next()
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                results[running.pop(future)] = future.result()
                start_next()
    return {path: results[path] for path in files}


def _content(source: Source) -> bytes:
    return source if isinstance(source, bytes) else source()
