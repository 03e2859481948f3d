"""Measuring helper: the wall time and peak memory of a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

_PROBE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
child = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
tail = child.stderr.decode(errors="replace")[-2000:]
print(json.dumps({"code": child.returncode, "wall": wall, "peak_kib": peak, "stderr": tail}))
"""


@dataclass(frozen=True)
class Run:
    """Wall time (s) and peak resident memory (MiB) of one command."""

    wall: float
    peak_mib: float


def command(
    args: list[str], cwd: str | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``args`` in a fresh probe process; its largest child's peak RSS is the figure."""
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=True,
    )
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result['stderr']}")
    return Run(result["wall"], result["peak_kib"] / 1024)
