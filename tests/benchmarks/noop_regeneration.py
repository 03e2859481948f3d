"""Benchmark: `lmsgen generate` on unchanged inputs, against a forced full rebuild.

Works on a copy of specs/ and generated/ in a temporary folder, so the repository is
left alone. Prints the wall time of each run as a user sees it (a new process, imports
included) and the time spent inside `generate` itself. Run with `make bench`; not part
of `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LMSGEN = Path(sys.executable).with_name("lmsgen")


def wall(root: Path, *args: str) -> float:
    """Seconds one `lmsgen generate ARGS` process takes in ``root``."""
    start = time.perf_counter()
    subprocess.run([str(LMSGEN), "generate", *args], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start


def in_process(root: Path) -> float:
    """Seconds the no-op `generate` takes once the generator is imported."""
    from generator.cli import main

    with contextlib.chdir(root), contextlib.redirect_stdout(io.StringIO()) as out:
        start = time.perf_counter()
        code = main(["generate"])
        elapsed = time.perf_counter() - start
    assert code == 0 and "files" not in out.getvalue(), out.getvalue()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="no-op runs to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lmsgen-bench-") as temp:
        root = Path(temp)
        shutil.copytree(REPO / "specs", root / "specs")
        shutil.copytree(REPO / "generated", root / "generated")
        full = wall(root, "--force")
        noop = [wall(root) for _ in range(args.runs)]
        inner = [in_process(root) for _ in range(args.runs)]
        providers = sorted(p.name for p in (root / "generated").iterdir() if p.is_dir())
    print(f"providers: {', '.join(providers)}")
    print(f"full rebuild (--force):          {full:.2f} s")
    print(f"no-op regeneration (process):    {statistics.median(noop):.2f} s "
          f"(median of {args.runs}, min {min(noop):.2f} s)")
    print(f"no-op regeneration (in process): {statistics.median(inner) * 1000:.0f} ms "
          f"(median of {args.runs})")


if __name__ == "__main__":
    main()
