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
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from . import shapes
from .errors import FormatError

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)
PARALLEL_LINES = 4000
"""Below this many lines to format, worker start-up costs more than it saves."""


def cache_dir() -> Path:
    """Where formatted results are kept: ``$LMSGEN_CACHE`` or ``~/.cache/lmsgen``."""
    root = os.environ.get("LMSGEN_CACHE") or Path.home() / ".cache" / "lmsgen"
    return Path(root) / f"black-{version('black')}"


def _key(source: bytes) -> str:
    mode = f"{sorted(v.name for v in MODE.target_versions)}:{MODE.line_length}".encode()
    return hashlib.sha256(mode + b"\0" + source).hexdigest()


def format_one(relative: str, source: bytes) -> bytes:
    """Black-format one rendered Python file, whole."""
    try:
        return black.format_str(source.decode("utf-8"), mode=MODE).encode("utf-8")
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
        formatted = piece.layout(black.format_str(probe, mode=MODE))
        _write(path, formatted.encode("utf-8"))
    return formatted, shapes.slots(formatted, *piece.context())


_MEMO: dict[str, Layout] = {}
"""The shapes laid out in this process (a worker keeps its own)."""


def _format_job(job: tuple[str, bytes]) -> bytes:
    return format_by_shape(*job, _MEMO)


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


def format_all(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every ``.py`` file of ``files`` formatted (others returned as they are)."""
    cache = cache_dir()
    done: dict[str, bytes] = {}
    todo: dict[str, tuple[str, bytes]] = {}
    for path, content in files.items():
        if not path.endswith(".py"):
            done[path] = content
            continue
        key = _key(content)
        cached = _read(cache / key[:2] / key)
        if cached is not None:
            done[path] = cached
        else:
            todo[path] = (key, content)
    unique = {key: (path, content) for path, (key, content) in todo.items()}
    jobs = [(path, content) for path, content in unique.values()]
    lines = sum(content.count(b"\n") for _, content in jobs)
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and lines >= PARALLEL_LINES:
        # Largest first, one file at a time: the workers finish together.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            done_in_order = list(pool.map(_format_job, [jobs[i] for i in order]))
        results = [b""] * len(jobs)
        for index, result in zip(order, done_in_order, strict=True):
            results[index] = result
    else:
        results = [_format_job(job) for job in jobs]
    formatted = dict(zip(unique, results, strict=True))
    for key, result in formatted.items():
        _write(cache / key[:2] / key, result)
    for path, (key, _) in todo.items():
        done[path] = formatted[key]
    return done
