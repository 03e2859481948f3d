"""Versions and CHANGES.md of generated packages, and incremental regeneration."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import edit, run_lmsgen, snapshot
from lmsgen import pipeline, release, render
from lmsgen.diff import surface
from lmsgen.writer import digest

OPTIONAL_PARAMETER = """\
      description: Courses can only be removed from a User one per request.
      parameters:
        - name: notify
          in: query
          description: Whether the user is told.
          schema:
            type: boolean
"""


def generate(root: Path, *args: str) -> str:
    result = run_lmsgen("generate", *args, cwd=root)
    assert result.code == 0, result.stderr
    return result.stdout


def rebuilt(output: str) -> list[str]:
    """The providers that `generate` says it rebuilt (``NAME: N files``)."""
    return re.findall(r"^(\w+): \d+ files$", output, re.MULTILINE)


def package(root: Path) -> Path:
    return root / "generated" / "litmos"


def version(root: Path) -> str:
    for line in (package(root) / "pyproject.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise AssertionError("no version in pyproject.toml")


def changes(root: Path) -> str:
    return (package(root) / "CHANGES.md").read_text(encoding="utf-8")


def sections(root: Path) -> list[str]:
    """The version headings of CHANGES.md, newest first."""
    return [line[3:] for line in changes(root).splitlines() if line.startswith("## ")]


@pytest.fixture
def project(litmos_copy: Path) -> Path:
    """A project with specs/litmos, generated once."""
    root = litmos_copy.parents[1]
    generate(root)
    return root


def test_first_generation(project: Path) -> None:
    assert version(project) == "0.1.0"
    assert sections(project) == ["0.1.0"]
    assert "First generation: 9 operation(s)." in changes(project)
    manifest = json.loads((package(project) / ".lmsgen-manifest.json").read_text())
    assert manifest["version"] == "0.1.0"
    assert "getUserCourses" in manifest["api"]["operations"]


def test_manifest_keeps_each_payload_once(project: Path) -> None:
    """Operations name their payload descriptions; reading the manifest back gives the
    surface the generator computed, whole."""
    manifest = json.loads((package(project) / ".lmsgen-manifest.json").read_text())
    api = manifest["api"]
    named = {
        entry[side]
        for entry in api["operations"].values()
        for side in ("request", "response")
        if entry[side] is not None
    }
    assert named == set(api[release.PAYLOADS])
    assert len(named) < 2 * len(api["operations"])  # shared, not one per operation
    computed = surface(pipeline.load(project / "specs" / "litmos"))
    recorded = release.previous(package(project))
    assert recorded is not None
    assert recorded.release.api == json.loads(json.dumps(computed))


def test_manifest_with_inline_payloads_still_reads() -> None:
    """Manifests written before the ``payloads`` table hold each description inline."""
    payload = {"media": ["json"], "fields": {"(body)": {"type": "object"}}}
    inline = {"auth": {}, "operations": {"op": {"request": None, "response": payload}}}
    assert release.unpacked(inline) == inline
    assert release.unpacked(release.packed(inline)) == inline
    dangling = {**release.packed(inline), release.PAYLOADS: {}}
    assert release.unpacked(dangling) is None


def test_unchanged_inputs_change_nothing(project: Path) -> None:
    before = snapshot(package(project))
    assert generate(project) == "litmos: up to date\n"
    assert snapshot(package(project)) == before
    # A full rebuild of unchanged inputs gives the same bytes too (no bump, no entry).
    assert rebuilt(generate(project, "--force")) == ["litmos"]
    assert snapshot(package(project)) == before


def test_compatible_then_breaking_changes(project: Path) -> None:
    spec = project / "specs" / "litmos" / "openapi.yaml"
    edit(
        spec,
        "      description: Courses can only be removed from a User one per request.\n",
        OPTIONAL_PARAMETER,
    )
    generate(project)
    assert version(project) == "0.2.0"
    assert sections(project) == ["0.2.0", "0.1.0"]
    entry = changes(project).split("## 0.2.0\n", 1)[1].split("## 0.1.0", 1)[0]
    assert entry.strip() == (
        "**Compatible**\n\n- `removeCourse`: optional parameter `notify` (query) added"
    )
    client = (package(project) / "litmos" / "client.py").read_text()
    assert "notify: bool | None = None" in client

    edit(spec, "operationId: resetCourseResults\n", "operationId: resetCourse\n")
    generate(project)
    assert version(project) == "1.0.0"
    assert sections(project) == ["1.0.0", "0.2.0", "0.1.0"]
    entry = changes(project).split("## 1.0.0\n", 1)[1].split("## 0.2.0", 1)[0]
    assert "**Breaking**\n\n- `resetCourseResults`: operation removed: PUT" in entry
    assert "**Compatible**\n\n- `resetCourse`: operation added: PUT" in entry
    # And the bumped package is again stable under regeneration.
    before = snapshot(package(project))
    generate(project, "--force")
    assert snapshot(package(project)) == before


def test_generator_only_change_is_a_patch(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, templates)
    edit(
        templates / "package" / "errors.py.j2",
        '"""',
        '"""Errors raised by the client.\n\n',
    )
    monkeypatch.setattr(render, "TEMPLATES", templates)
    monkeypatch.setattr(pipeline, "TEMPLATES", templates)
    generate(project)
    assert version(project) == "0.1.1"
    assert sections(project) == ["0.1.1", "0.1.0"]
    # The entry names the one file that changed, for whoever reviews a vendored copy.
    assert (
        "Regenerated: the API did not change; the generated code did, in"
        " `litmos/errors.py`.\n" in changes(project)
    )


def test_spec_edit_without_effect_keeps_the_version(project: Path) -> None:
    spec = project / "specs" / "litmos" / "openapi.yaml"
    spec.write_text(spec.read_text() + "# a comment\n")
    before = snapshot(package(project))
    assert rebuilt(generate(project)) == ["litmos"]  # inputs changed
    after = snapshot(package(project))
    assert version(project) == "0.1.0"
    assert sorted(path for path in after if after[path] != before[path]) == [
        ".lmsgen-manifest.json"
    ]


def test_hand_edit_is_repaired_by_generate(project: Path) -> None:
    """The incremental skip checks the outputs too: an edited file is rebuilt."""
    client = package(project) / "litmos" / "client.py"
    pristine = client.read_bytes()
    client.write_bytes(pristine + b"# hand edit\n")
    assert run_lmsgen("check", cwd=project).code == 1
    assert rebuilt(generate(project)) == ["litmos"]
    assert client.read_bytes() == pristine
    assert run_lmsgen("check", cwd=project).code == 0


def test_only_changed_providers_are_rebuilt(project: Path, repo: Path) -> None:
    shutil.copytree(repo / "specs" / "litmos", project / "specs" / "other")
    first = generate(project)
    assert first.startswith("litmos: up to date\n")
    assert rebuilt(first) == ["other"]
    edit(
        project / "specs" / "other" / "openapi.yaml",
        "operationId: removeCourse\n",
        "operationId: dropCourse\n",
    )
    litmos_before = snapshot(package(project))
    assert rebuilt(generate(project)) == ["other"]
    assert snapshot(package(project)) == litmos_before
    # A skipped provider is not pruned as an orphan either.
    assert sorted(p.name for p in (project / "generated").iterdir()) == [
        "litmos",
        "other",
    ]


def test_a_patch_entry_names_added_removed_and_edited_files_up_to_ten() -> None:
    recorded = {"CHANGES.md": "0", "a.py": digest(b"a"), "gone.py": digest(b"g")}
    files = {"CHANGES.md": b"new", "a.py": b"a2", "new.py": b"n"}
    assert release._changed_files(recorded, files) == "`a.py`, `gone.py`, `new.py`"
    assert release._changed_files({"a.py": digest(b"a")}, {"a.py": b"a"}) == ""
    many = {f"m{index:02}.py": b"x" for index in range(12)}
    assert release._changed_files({}, many) == (
        ", ".join(f"`m{index:02}.py`" for index in range(10)) + " and 2 more file(s)"
    )
