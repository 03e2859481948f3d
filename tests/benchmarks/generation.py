"""Generation: lmsgen on the real specs (cold and no-op) and on synthetic specs, against
openapi-python-client and datamodel-code-generator (models only); and import times."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import synthetic
from measure import Run, command

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def lmsgen(specs: Path, out: Path, cache: Path) -> Run:
    """One ``lmsgen generate``; ``cache`` is its format cache (a new folder: cold)."""
    return command(
        [str(BIN / "lmsgen"), "--specs", str(specs), "--out", str(out), "generate"],
        env={"LMSGEN_CACHE": str(cache)},
    )


def real_providers(work: Path) -> tuple[Run, Run]:
    """Cold generation of every provider into an empty folder, then a no-op rerun."""
    out, cache = work / "generated", work / "cache-providers"
    cold = lmsgen(REPO / "specs", out, cache)
    again = lmsgen(REPO / "specs", out, cache)
    return cold, again


TRIES = 2
"""Cold runs of each generator on a synthetic spec; the fastest counts (a single run's
wall time moved by up to 25 % on the shared 2-core machine)."""


def synthetic_output(work: Path, operations: int, attempt: int = 0) -> Path:
    """Where one try of ``synthetic_runs`` writes each tool's output (``lmsgen/``,
    ``oapc/``, ``dcg.py``) and lmsgen's format cache."""
    return work / f"synthetic{operations}-{attempt}"


def synthetic_runs(work: Path, operations: int) -> dict[str, Run]:
    """Each generator's fastest of ``TRIES`` cold runs, the tools taking turns."""
    specs = work / f"specs{operations}"
    spec = synthetic.write(specs / f"synthetic{operations}", operations)
    best: dict[str, Run] = {}
    for attempt in range(TRIES):
        out = synthetic_output(work, operations, attempt)
        runs = {
            # An empty format cache: nothing formatted before, as on a fresh CI machine.
            "lmsgen": lmsgen(specs, out / "lmsgen", out / "cache"),
            "openapi-python-client": command(
                [
                    str(BIN / "openapi-python-client"),
                    "generate",
                    "--path",
                    str(spec),
                    "--output-path",
                    str(out / "oapc"),
                ],
                env={"PATH": f"{BIN}:/usr/bin:/bin"},
            ),
            "datamodel-code-generator (models only)": command(
                [
                    str(BIN / "datamodel-codegen"),
                    "--input",
                    str(spec),
                    "--input-file-type",
                    "openapi",
                    "--output-model-type",
                    "pydantic_v2.BaseModel",
                    "--output",
                    str(out / "dcg.py"),
                ]
            ),
        }
        for tool, run in runs.items():
            if tool not in best or run.wall < best[tool].wall:
                best[tool] = run
    return best


IMPORT = (
    "import importlib, sys, time; sys.path.insert(0, sys.argv[1]); "
    "started = time.perf_counter(); importlib.import_module(sys.argv[2]); "
    "print(time.perf_counter() - started)"
)


def import_ms(folder: Path, package: str, repeat: int = 5) -> float:
    """Best-of time to import ``package`` from ``folder`` in a fresh interpreter, its
    bytecode cached as for an installed package (the first run writes the cache, into a
    folder of its own, even where PYTHONDONTWRITEBYTECODE is set)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder.parent / f"pycache-{package}")
    times = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-c", IMPORT, str(folder), package],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        times.append(float(result.stdout))
    return min(times) * 1000


def work_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="lmsgen-bench-"))


def clean(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
