"""``make bench``: every benchmark side by side, in one table, with the targets checked.

Not part of ``make test``: timings are facts to read, not assertions that flake.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generation
import parsing
import streaming

REPO = generation.REPO


def parse_checks(parse: list[parsing.Row]) -> list[tuple[str, bool, str]]:
    """The parsing targets, page by page: XML >= 10x zeep and xsdata (where they
    read the page) and <= 4x lxml's bare parse; JSON <= 1.5x model_validate_json."""
    limits = {parsing.FLOOR_XML: 4, parsing.FLOOR_JSON: 1.5}
    checks: list[tuple[str, bool, str]] = []
    for case, tool, _, ratio in parse:
        if tool in ("zeep", "xsdata"):
            faster = 1 / ratio
            checks.append(
                (f"{case}: >= 10x faster than {tool}", faster >= 10, f"{faster:.2f}x")
            )
        elif tool in limits:
            name = tool.removesuffix(" (floor)")
            checks.append(
                (
                    f"{case}: <= {limits[tool]}x {name}",
                    ratio <= limits[tool],
                    f"{ratio:.2f}x",
                )
            )
    return checks


def main() -> int:
    rows: list[tuple[str, str, str, str]] = []
    checks: list[tuple[str, bool, str]] = []

    parse = parsing.rows()
    for case, tool, ms, ratio in parse:
        if tool == "lmsgen":
            comparison = ""
        elif ratio < 1:
            comparison = f"lmsgen is {1 / ratio:.1f}x faster"
        else:
            than = "the floor" if "floor" in tool else "its time"
            comparison = f"lmsgen takes {ratio:.1f}x {than}"
        rows.append((case, tool, f"{ms:.1f} ms", comparison))
    checks += parse_checks(parse)

    small, large = streaming.stream(1_000), streaming.stream(100_000)
    for figures in (small, large):
        rate = figures["records"] / figures["seconds"]
        rows.append(
            (
                f"Stream {int(figures['records']):,} courses (iter_user_courses)",
                "lmsgen",
                f"{rate:,.0f} records/s",
                f"peak {figures['peak_mib']:.0f} MiB",
            )
        )
    checks.append(
        (
            "stream memory flat (100k within 50 MB of 1k)",
            large["peak_mib"] - small["peak_mib"] <= 50,
            "",
        )
    )

    work = generation.work_dir()
    try:
        cold, noop = generation.real_providers(work)
        rows.append(
            (
                "Generate all providers (cold)",
                "lmsgen",
                f"{cold.wall:.2f} s",
                f"peak {cold.peak_mib:.0f} MiB",
            )
        )
        rows.append(
            (
                "Regenerate all providers (no-op)",
                "lmsgen",
                f"{noop.wall:.2f} s",
                f"peak {noop.peak_mib:.0f} MiB",
            )
        )
        checks.append(
            ("no-op regeneration < 0.5 s", noop.wall < 0.5, f"{noop.wall:.2f} s")
        )
        synthetic = {n: generation.synthetic_runs(work, n) for n in (100, 1000)}
        for n, runs in synthetic.items():
            for tool, run in runs.items():
                rows.append(
                    (
                        f"Synthetic {n}-operation spec",
                        tool,
                        f"{run.wall:.2f} s",
                        f"peak {run.peak_mib:.0f} MiB",
                    )
                )
        ours, theirs = (
            synthetic[1000]["lmsgen"],
            synthetic[1000]["openapi-python-client"],
        )
        checks.append(
            (
                "1000 ops >= 3x faster than openapi-python-client",
                theirs.wall >= 3 * ours.wall,
                f"{theirs.wall / ours.wall:.2f}x",
            )
        )
        checks.append(
            (
                "1000 ops <= half its peak memory",
                ours.peak_mib <= theirs.peak_mib / 2,
                f"{ours.peak_mib:.0f} vs {theirs.peak_mib:.0f} MiB",
            )
        )
        scaling = ours.wall / synthetic[100]["lmsgen"].wall
        checks.append(
            ("lmsgen 1000 ops <= 12x its 100 ops", scaling <= 12, f"{scaling:.1f}x")
        )
        for folder in sorted((work / "generated").iterdir()):
            if folder.is_dir():
                ms = generation.import_ms(folder, folder.name)
                rows.append(
                    (f"Import generated/{folder.name}", "lmsgen", f"{ms:.0f} ms", "")
                )
                checks.append(
                    (f"import {folder.name} < 200 ms", ms < 200, f"{ms:.0f} ms")
                )
        generated = generation.synthetic_output(work, 1000)
        oapc = generated / "oapc"
        package = next(
            path.name for path in oapc.iterdir() if (path / "__init__.py").is_file()
        )
        rows.append(
            (
                "Import the 1000-operation package",
                "openapi-python-client",
                f"{generation.import_ms(oapc, package):.0f} ms",
                "",
            )
        )
        rows.append(
            (
                "Import the 1000-operation package",
                "lmsgen",
                f"{generation.import_ms(generated / 'lmsgen' / 'synthetic1000', 'synthetic1000'):.0f} ms",
                "",
            )
        )
    finally:
        generation.clean(work)

    width = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("benchmark", "tool", "figure", "comparison")
    width = [max(w, len(h)) for w, h in zip(width, header, strict=True)]
    line = (
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, width, strict=True)) + " |"
    )
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in width) + "|")
    for row in rows:
        print(
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(row, width, strict=True))
            + " |"
        )
    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'MISS'}  {name}{f'  ({detail})' if detail else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
