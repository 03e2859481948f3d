"""Generation is a pure function of specs + templates: same bytes, no dates, no orphans."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import lmsgen
from helpers import edit, files_of, run_lmsgen

# What a header must not carry: dates, times, version numbers of any tool.
STAMPS = (
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # 2024-05-01
    re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b"),  # 12:30, 12:30:59
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 05/01/2024
    re.compile(r"\bv?\d+\.\d+\.\d+\b"),  # 0.1.0, v1.2.3
    re.compile(r"\b(generated|created|built) (on|at)\b", re.IGNORECASE),
    re.compile(r"\bversion\b", re.IGNORECASE),
    re.compile(r"\btimestamp\b", re.IGNORECASE),
)


def generate(specs: Path, out: Path, cwd: Path) -> dict[str, bytes]:
    result = run_lmsgen("--specs", specs, "--out", out, "generate", cwd=cwd)
    assert result.code == 0, result.stderr
    return files_of(out if out.is_absolute() else cwd / out)


def header(source: str) -> str:
    """The leading comments and the module docstring of a Python file."""
    comments = []
    for line in source.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line)
    docstring = ast.get_docstring(ast.parse(source), clean=False) or ""
    return "\n".join([*comments, docstring])


def test_two_generations_are_byte_identical(litmos_copy: Path, tmp_path: Path) -> None:
    # Once with relative paths from the project folder, once with absolute paths from
    # elsewhere: neither the working directory nor the path spelling may leak in.
    first = generate(Path("specs"), Path("generated"), cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    second = generate(litmos_copy.parent, elsewhere / "out", cwd=elsewhere)
    assert "litmos/.lmsgen-manifest.json" in first
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []


def test_python_headers_carry_no_timestamp_or_version(
    litmos_copy: Path, tmp_path: Path
) -> None:
    files = generate(Path("specs"), Path("generated"), cwd=tmp_path)
    python = {path: data for path, data in files.items() if path.endswith(".py")}
    assert "litmos/litmos/client.py" in python
    assert lmsgen.__version__  # the string that must not show up
    problems = []
    for path, data in python.items():
        text = header(data.decode("utf-8"))
        if lmsgen.__version__ in text:
            problems.append(f"{path}: generator version {lmsgen.__version__}")
        problems.extend(
            f"{path}: {found.group(0)!r}"
            for stamp in STAMPS
            if (found := stamp.search(text)) is not None
        )
    assert problems == []


def test_renamed_operation_leaves_no_orphans(litmos_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate(Path("specs"), out, cwd=tmp_path)
    stray = out / "litmos" / "litmos" / "stray.py"  # a file a past generation left
    stray.write_text("x = 1\n", encoding="utf-8")

    edit(
        litmos_copy / "openapi.yaml",
        "operationId: getUserCourses\n",
        "operationId: listCoursesOfUser\n",
    )
    regenerated = generate(Path("specs"), out, cwd=tmp_path)

    fresh_root = tmp_path / "fresh"
    shutil.copytree(litmos_copy.parent, fresh_root / "specs")
    fresh = generate(Path("specs"), Path("generated"), cwd=fresh_root)

    client = regenerated["litmos/litmos/client.py"].decode("utf-8")
    assert "def list_courses_of_user(" in client
    assert "def get_user_courses(" not in client
    assert sorted(regenerated) == sorted(fresh)
    # The regenerated package carries a bumped version and a changelog entry (see
    # test_release.py); everything else is exactly what a first generation gives.
    release = {
        "litmos/CHANGES.md",
        "litmos/pyproject.toml",
        "litmos/.lmsgen-manifest.json",
    }
    differing = sorted(path for path in fresh if regenerated[path] != fresh[path])
    assert differing == sorted(release)
    # Nothing beside the provider folder either (no staging or retired folders).
    assert sorted(path.name for path in out.iterdir()) == ["litmos"]
