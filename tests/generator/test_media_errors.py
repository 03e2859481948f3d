"""Spec errors in non-model payloads, on a copy of ``specs/peoplefluent``.

Each test breaks one convention of specs/README.md (format values, feeds, CSV reports,
response-format arguments) and expects ``lmsgen validate`` to name the line. A mapping is
located at its first line inside (``schema:`` under a media type).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import edit, line_of, run_lmsgen

SPEC = "specs/peoplefluent/openapi.yaml"


@pytest.fixture
def spec(tmp_path: Path, repo: Path) -> Path:
    target = tmp_path / "specs" / "peoplefluent"
    shutil.copytree(repo / "specs" / "peoplefluent", target)
    return target / "openapi.yaml"


def validate(spec: Path) -> str:
    result = run_lmsgen(
        "--specs", "specs", "validate", "peoplefluent", cwd=spec.parents[2]
    )
    assert result.code == 1, result.stdout
    return result.stderr.strip()


def test_media_type_no_format_value_selects(spec: Path) -> None:
    edit(spec, "              x-lmsgen-format-values: [rssteasers, rssfull]\n", "")
    text = spec.read_text()
    line = line_of(
        text,
        "schema: {}",
        text.find("application/rss+xml:", text.find("/api/publicNews")),
    )
    message = validate(spec)
    assert message.startswith(f"{SPEC}:{line}: ")
    assert "'application/rss+xml' is selected by no value" in message
    assert "x-lmsgen-format-values" in message


def test_representations_need_a_selecting_argument(spec: Path) -> None:
    text = spec.read_text()
    start = text.find("operationId: articles")
    edit(
        spec,
        "        x-lmsgen-response-format: true\n",
        "",
        after="operationId: articles",
    )
    line = line_of(
        spec.read_text(),
        "application/json:",
        spec.read_text().find("responses:", start),
    )
    message = validate(spec)
    assert message.startswith(f"{SPEC}:{line}: ")
    assert "no argument chooses among them" in message


def test_plain_text_reply_must_be_a_csv_report(spec: Path) -> None:
    edit(spec, "                x-lmsgen-csv:\n                  report: true\n", "")
    message = validate(spec)
    assert "a text/plain reply is a CSV report" in message
    assert message.startswith(f"{SPEC}:")


def test_feed_kind_is_feed_or_entry(spec: Path) -> None:
    line = edit(spec, "x-lmsgen-feed: entry", "x-lmsgen-feed: item")
    message = validate(spec)
    assert message == f"{SPEC}:{line}: x-lmsgen-feed must be feed or entry, got 'item'"


def test_a_record_element_needs_a_streamed_xml_reply(spec: Path) -> None:
    edit(
        spec,
        "              x-lmsgen-stream: true\n              x-lmsgen-record:",
        "              x-lmsgen-record:",
        after="operationId: trainingHistoryXml",
    )
    text = spec.read_text()
    line = line_of(
        text,
        "schema: {}",
        text.find("application/xml:", text.find("trainingHistoryXml")),
    )
    message = validate(spec)
    assert message.startswith(f"{SPEC}:{line}: ")
    assert "x-lmsgen-record needs a streamed XML reply" in message
