"""Broken specs: ``file:line: message`` on stderr, exit 1, and the output left untouched.

Each test breaks a copy of ``specs/litmos`` in one way, then runs ``generate`` on it into
an output folder that already holds a good generation. The expected line is computed
from the text the test injected, never written down as a number.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import CliResult, edit, line_of, run_lmsgen, snapshot

SPEC = "specs/litmos/openapi.yaml"


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Path:
    """One good generation of litmos, made once; tests work on copies of it."""
    root = tmp_path_factory.mktemp("good")
    shutil.copytree(repo / "specs" / "litmos", root / "specs" / "litmos")
    result = run_lmsgen("--specs", "specs", "--out", "generated", "generate", cwd=root)
    assert result.code == 0, result.stderr
    assert (root / "generated" / "litmos" / ".lmsgen-manifest.json").is_file()
    return root / "generated"


@pytest.fixture
def out_dir(good_output: Path, litmos_copy: Path) -> Path:
    """``tmp_path/generated``: a good generation, beside the spec copy ``litmos_copy``."""
    target = litmos_copy.parents[1] / "generated"
    shutil.copytree(good_output, target)
    return target


def generate_broken(litmos_copy: Path, out_dir: Path) -> CliResult:
    """Run ``generate`` on the (broken) copy and check the output folder was not touched."""
    before = snapshot(out_dir)
    assert before, "the good output folder is empty"
    result = run_lmsgen(
        "--specs", "specs", "--out", "generated", "generate", cwd=litmos_copy.parents[1]
    )
    assert (
        result.code == 1
    ), f"expected exit 1\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert snapshot(out_dir) == before, "a failed generate changed the output folder"
    assert result.stdout == "", "a failed generate reported files as written"
    return result


def assert_located(result: CliResult, file: str, line: int) -> str:
    """stderr is one ``file:line: message`` line; returns the message."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    prefix = f"{file}:{line}: "
    assert lines[0].startswith(prefix), f"expected {prefix!r}…, got {lines[0]!r}"
    return lines[0][len(prefix) :]


def test_yaml_syntax_error(litmos_copy: Path, out_dir: Path) -> None:
    line = edit(
        litmos_copy / "openapi.yaml",
        "      operationId: getUserCourses\n",
        "      operationId: getUserCourses: broken\n",
    )
    message = assert_located(generate_broken(litmos_copy, out_dir), SPEC, line)
    assert message.startswith("YAML syntax error")
    assert "mapping values are not allowed" in message


def test_duplicate_yaml_key(litmos_copy: Path, out_dir: Path) -> None:
    line = edit(
        litmos_copy / "openapi.yaml",
        "      operationId: getUserCourses\n",
        "      operationId: getUserCourses\n      operationId: twice\n",
    )
    message = assert_located(generate_broken(litmos_copy, out_dir), SPEC, line + 1)
    assert message == "duplicate key 'operationId'"


def test_dangling_ref(litmos_copy: Path, out_dir: Path) -> None:
    line = edit(
        litmos_copy / "openapi.yaml",
        '$ref: "#/components/schemas/Course"\n',
        '$ref: "#/components/schemas/NoSuchCourse"\n',
        after="    CourseList:\n",
    )
    message = assert_located(generate_broken(litmos_copy, out_dir), SPEC, line)
    assert message == "dangling $ref '#/components/schemas/NoSuchCourse'"


def test_duplicate_operation_id(litmos_copy: Path, out_dir: Path) -> None:
    spec = litmos_copy / "openapi.yaml"
    original = spec.read_text(encoding="utf-8")
    first = line_of(original, "operationId: getUserCourses\n")
    line = edit(spec, "operationId: assignCourses\n", "operationId: getUserCourses\n")
    assert line > first
    message = assert_located(generate_broken(litmos_copy, out_dir), SPEC, line)
    assert message.startswith("duplicate operationId 'getUserCourses' (first at ")
    # The first occurrence is located at its operation: the `get:` line or its first key.
    shown = re.fullmatch(r".*\(first at (.+):(\d+)\)", message)
    assert shown is not None, message
    assert shown[1] == SPEC
    assert first - 1 <= int(shown[2]) <= first, message


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("cookie", "parameter 'sendmessage': location 'cookie' is not supported"),
        # Not a location OpenAPI knows: rejected by the OpenAPI model validation.
        ("body", "'body'"),
    ],
)
def test_unsupported_parameter_location(
    litmos_copy: Path, out_dir: Path, location: str, expected: str
) -> None:
    line = edit(
        litmos_copy / "openapi.yaml",
        "          in: query\n",
        f"          in: {location}\n",
        after="        - name: sendmessage\n",
    )
    message = assert_located(generate_broken(litmos_copy, out_dir), SPEC, line)
    assert expected in message
    if location == "body":
        assert message.startswith("invalid OpenAPI at /paths/")
        assert message.split(":")[0].endswith("/post/parameters/0/in")


def test_missing_example_file(litmos_copy: Path, out_dir: Path) -> None:
    spec_text = (litmos_copy / "openapi.yaml").read_text(encoding="utf-8")
    missing = "examples/getUserCourses.response.xml"
    line = line_of(spec_text, f"externalValue: {missing}\n")
    (litmos_copy / missing).unlink()
    message = assert_located(generate_broken(litmos_copy, out_dir), SPEC, line)
    assert message == f"example file {missing!r} not found"


def test_xsd_disagrees_with_openapi(litmos_copy: Path, out_dir: Path) -> None:
    """Swap Course's Code and Name in types.xsd: the XSD no longer matches the model."""
    types = litmos_copy / "xsd" / "types.xsd"
    code = '      <xs:element name="Code" type="xs:string" minOccurs="0" nillable="true"/>\n'
    name = '      <xs:element name="Name" type="xs:string" minOccurs="0" nillable="true"/>\n'
    xsd_line = edit(
        types, code + name, name + code, after='<xs:complexType name="Course">'
    )
    spec_text = (litmos_copy / "openapi.yaml").read_text(encoding="utf-8")
    # The first operation whose payload is checked against a schema using Course.
    operation_line = line_of(spec_text, "operationId: getUserCourses\n")
    marker_line = line_of(spec_text, "file: xsd/courses.xsd\n")  # under `x-lmsgen-xsd:`
    # Right places: the operation (`get:` or its first key), its x-lmsgen-xsd marker, or
    # the XSD element that moved.
    accepted = {
        f"{SPEC}:{line}: "
        for line in (operation_line - 1, operation_line, marker_line - 1, marker_line)
    } | {f"specs/litmos/xsd/types.xsd:{xsd_line}: "}
    result = generate_broken(litmos_copy, out_dir)
    assert any(
        result.stderr.startswith(prefix) for prefix in accepted
    ), f"expected one of {sorted(accepted)}, got {result.stderr!r}"
    message = result.stderr.split(": ", 1)[1]
    assert "getUserCourses" in message
    assert "xsd/courses.xsd" in message
    assert "'Code', 'Name'" in message
    assert "'Name', 'Code'" in message
    assert "order must agree" in message
