"""Black formatting of rendered Python: cached by content, spread over the CPU cores.

black is the formatter our users asked for, and most of a generation's time. Two rules
keep it off the critical path: the same rendered text is never formatted twice (the
result is kept under its content hash, in memory and on disk), and what must be
formatted is shared among worker processes when there is enough of it.
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
    """Black-format one rendered Python file."""
    try:
        return black.format_str(source.decode("utf-8"), mode=MODE).encode("utf-8")
    except InvalidInput as exc:
        raise FormatError(f"{relative}: rendered code is not valid Python: {exc}") from None


def _format_job(job: tuple[str, bytes]) -> bytes:
    return format_one(*job)


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
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            results = list(pool.map(_format_job, jobs))
    else:
        results = [_format_job(job) for job in jobs]
    formatted = dict(zip(unique, results, strict=True))
    for key, result in formatted.items():
        _write(cache / key[:2] / key, result)
    for path, (key, _) in todo.items():
        done[path] = formatted[key]
    return done
