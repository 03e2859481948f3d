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
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache
from importlib.metadata import version
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from . import shapes
from .errors import FormatError

if TYPE_CHECKING:
    import black

TARGET, LINE_LENGTH = "PY311", 88
"""black's settings (its ``Mode``): Python 3.11 code, 88 columns."""
PARALLEL_LINES = 4000
"""Below this many lines to format, worker start-up costs more than it saves."""


def cache_dir() -> Path:
    """Where formatted results are kept: ``$LMSGEN_CACHE`` or ``~/.cache/lmsgen``."""
    root = os.environ.get("LMSGEN_CACHE") or Path.home() / ".cache" / "lmsgen"
    return Path(root) / f"black-{_black_version()}"


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
    try:
        pieces = shapes.cut(text)
        layouts = []
        for piece in pieces:
            probe = piece.probe()
            if probe is None:
                layouts.append(piece.shape)
                continue
            layout = memo.get(probe) or _lay_out(piece, probe)
            memo[probe] = layout
            layouts.append(shapes.fill(*layout, piece.values))
        return shapes.join(pieces, layouts).encode("utf-8")
    except (shapes.Unshaped, InvalidInput):
        return format_one(relative, source)


def _lay_out(piece: shapes.Piece, probe: str) -> Layout:
    key = _key(probe.encode("utf-8"))
    path = cache_dir() / "shapes" / key[:2] / key
    stored = _read(path)
    if stored is not None:
        formatted = stored.decode("utf-8")
    else:
        import black

        formatted = piece.layout(black.format_str(probe, mode=mode()))
        _write(path, formatted.encode("utf-8"))
    return formatted, shapes.slots(formatted, *piece.context())


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
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
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
