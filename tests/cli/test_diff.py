"""``lmsgen diff``: API changes between two spec trees, classified for the client's user."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_lmsgen

OLD = """\
openapi: 3.0.3
info: {title: Shop API, version: "1"}
servers: [{url: "https://shop.example.com/api"}]
security: [{key: []}]
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [open, closed], default: open}}
        - {name: limit, in: query, schema: {type: integer, default: 10}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        "200":
          description: The orders.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Order"}}
            application/xml:
              schema: {type: array, items: {$ref: "#/components/schemas/Order"}}
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewOrder"}
          application/xml:
            schema: {$ref: "#/components/schemas/NewOrder"}
      responses:
        "201": {description: Created.}
  /orders/{id}:
    delete:
      operationId: deleteOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Deleted.}
  /health:
    get:
      operationId: health
      security: []
      responses:
        "200": {description: Up.}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: string}
        total: {type: number}
        state: {type: string, enum: [open, closed]}
        note: {type: string}
        lines:
          type: array
          items:
            type: object
            properties:
              sku: {type: string}
    NewOrder:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {type: string}}
        coupon: {type: string}
        gift: {type: boolean}
        priority: {type: string, enum: [low, high]}
"""

# Every edit below is one line of the expected report.
EDITS = [
    # listOrders parameters
    (
        "{name: status, in: query, schema: {type: string, enum: [open, closed], default: open}}",
        "{name: status, in: query, schema: {type: string, enum: [open, closed, held], default: open}}",
    ),
    (
        "{name: limit, in: query, schema: {type: integer, default: 10}}",
        "{name: limit, in: query, schema: {type: integer, default: 50}}\n"
        "        - {name: tenant, in: header, required: true, schema: {type: string}}\n"
        "        - {name: since, in: query, schema: {type: string, format: date}}",
    ),
    ("        - {name: verbose, in: query, schema: {type: boolean}}\n", ""),
    # listOrders response: XML dropped; Order fields
    (
        """            application/xml:
              schema: {type: array, items: {$ref: "#/components/schemas/Order"}}
    post:""",
        "    post:",
    ),
    ("        total: {type: number}\n", "        total: {type: string}\n"),
    (
        "        state: {type: string, enum: [open, closed]}\n",
        "        state: {type: string, enum: [open, closed, held]}\n        currency: {type: string}\n",
    ),
    ("        note: {type: string}\n", ""),
    ("      required: [id, total]\n", "      required: [total]\n"),
    # createOrder request: NewOrder fields
    ("      required: [items]\n", "      required: [items, coupon, channel]\n"),
    (
        "        gift: {type: boolean}\n",
        "        gift: {type: boolean}\n        channel: {type: string}\n",
    ),
    (
        "        priority: {type: string, enum: [low, high]}\n",
        "        priority: {type: string, enum: [low, high, urgent]}\n        memo: {type: string}\n",
    ),
    # deleteOrder removed, archiveOrder added; health now needs the key
    (
        "    delete:\n      operationId: deleteOrder",
        "    put:\n      operationId: archiveOrder",
    ),
    ("      operationId: health\n      security: []\n", "      operationId: health\n"),
]

EXPECTED = {
    # (operation, kind, breaking) → a fragment of the detail
    ("archiveOrder", "operation-added", False): "PUT /orders/{id}",
    ("deleteOrder", "operation-removed", True): "DELETE /orders/{id}",
    ("health", "auth-changed", True): "none → key",
    (
        "listOrders",
        "enum-value-added",
        False,
    ): 'parameter `status` (query): value "held" added',
    (
        "listOrders",
        "parameter-default",
        True,
    ): "parameter `limit` (query): default 10 → 50",
    (
        "listOrders",
        "parameter-added",
        True,
    ): "required parameter `tenant` (header) added",
    (
        "listOrders",
        "parameter-added",
        False,
    ): "optional parameter `since` (query) added",
    ("listOrders", "parameter-removed", True): "parameter `verbose` (query) removed",
    ("listOrders", "media-type-removed", True): "response body: xml no longer accepted",
    ("listOrders", "field-type", True): "response field `[].total`: type float → str",
    (
        "listOrders",
        "enum-value-added",
        True,
    ): 'response field `[].state`: value "held" added',
    ("listOrders", "field-added", False): "optional response field `[].currency` added",
    ("listOrders", "field-removed", True): "response field `[].note` removed",
    ("listOrders", "field-required", True): "response field `[].id` is now optional",
    ("createOrder", "field-required", True): "request field `coupon` is now required",
    ("createOrder", "field-added", True): "required request field `channel` added",
    ("createOrder", "field-added", False): "optional request field `memo` added",
    (
        "createOrder",
        "enum-value-added",
        False,
    ): 'request field `priority`: value "urgent" added',
}


def write_spec(root: Path, text: str) -> Path:
    folder = root / "shop"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(text, encoding="utf-8")
    return root


def edited() -> str:
    text = OLD
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def trees(tmp_path: Path) -> Path:
    write_spec(tmp_path / "old", OLD)
    write_spec(tmp_path / "new", edited())
    return tmp_path


def test_json_report_classifies_every_change(trees: Path) -> None:
    result = run_lmsgen("diff", "old", "new", "--format", "json", cwd=trees)
    assert result.code == 2, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "breaking"
    found: dict[tuple[str, str, bool], list[str]] = {}
    for change in report["changes"]:
        assert change["provider"] == "shop"
        key = (change["operation"], change["kind"], change["breaking"])
        found.setdefault(key, []).append(change["detail"])
    for key, fragment in EXPECTED.items():
        assert any(fragment in detail for detail in found.get(key, [])), (
            key,
            found.get(key),
        )
    listed = sum(len(details) for details in found.values())
    assert listed == len(EXPECTED), json.dumps(report, indent=1)


def test_text_and_markdown_reports(trees: Path) -> None:
    text = run_lmsgen("diff", "old", "new", cwd=trees)
    assert text.code == 2
    lines = text.stdout.splitlines()
    assert lines[0] == "shop:"
    assert "  [BREAKING] deleteOrder: operation removed: DELETE /orders/{id}" in lines
    assert "  [compatible] archiveOrder: operation added: PUT /orders/{id}" in lines
    breaking = sum(key[2] for key in EXPECTED)
    assert lines[-1] == f"{len(EXPECTED)} change(s), {breaking} breaking"

    markdown = run_lmsgen("diff", "old", "new", "--format", "markdown", cwd=trees)
    assert markdown.code == 2
    body = markdown.stdout
    assert body.startswith("### API changes from old to new\n")
    assert "#### shop" in body
    breaking, _, compatible = body.partition("**Compatible**")
    assert "- `deleteOrder`: operation removed: DELETE /orders/{id}" in breaking
    assert "- `archiveOrder`: operation added: PUT /orders/{id}" in compatible


def test_exit_status_none_compatible_breaking(tmp_path: Path) -> None:
    write_spec(tmp_path / "a", OLD)
    # Only a description: no API change.
    write_spec(
        tmp_path / "c", OLD.replace("description: Deleted.", "description: Gone.")
    )
    added = OLD.replace(
        "        - {name: verbose, in: query, schema: {type: boolean}}\n",
        "        - {name: verbose, in: query, schema: {type: boolean}}\n"
        "        - {name: page, in: query, schema: {type: integer}}\n",
    )
    write_spec(tmp_path / "d", added)
    none = run_lmsgen("diff", "a", "c", cwd=tmp_path)
    assert (none.code, none.stdout) == (0, "no API changes\n")
    compatible = run_lmsgen("diff", "a", "d", cwd=tmp_path)
    assert compatible.code == 1, compatible.stdout
    assert (
        "[compatible] listOrders: optional parameter `page` (query) added"
        in compatible.stdout
    )
    breaking = run_lmsgen("diff", "d", "a", cwd=tmp_path)
    assert breaking.code == 2
    assert "[BREAKING] listOrders: parameter `page` (query) removed" in breaking.stdout


def test_providers_added_and_removed(tmp_path: Path, repo: Path) -> None:
    write_spec(tmp_path / "old", OLD)
    shutil.copytree(repo / "specs" / "litmos", tmp_path / "new" / "litmos")
    result = run_lmsgen("diff", "old", "new", "--format", "json", cwd=tmp_path)
    assert result.code == 2
    changes = json.loads(result.stdout)["changes"]
    assert [(c["provider"], c["kind"], c["breaking"]) for c in changes] == [
        ("litmos", "provider-added", False),
        ("shop", "provider-removed", True),
    ]


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_git_revisions(tmp_path: Path) -> None:
    """`lmsgen diff HEAD~1 .` and `main:specs specs`: trees from history and from disk."""
    write_spec(tmp_path / "specs", OLD)
    git("init", "-q", "-b", "main", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-qm", "old", cwd=tmp_path)
    write_spec(tmp_path / "specs", edited())
    git("commit", "-qam", "new", cwd=tmp_path)

    committed = run_lmsgen("diff", "HEAD~1", ".", "--format", "json", cwd=tmp_path)
    assert committed.code == 2, committed.stderr
    assert len(json.loads(committed.stdout)["changes"]) == len(EXPECTED)

    write_spec(tmp_path / "specs", OLD)  # uncommitted: the working tree is back to OLD
    working = run_lmsgen(
        "diff", "main:specs", "specs", "--format", "markdown", cwd=tmp_path
    )
    assert working.code == 2
    assert working.stdout.startswith("### API changes from main:specs to specs\n")
    assert "- `archiveOrder`: operation removed: PUT /orders/{id}" in working.stdout
    same = run_lmsgen("diff", "HEAD~1", "specs", cwd=tmp_path)
    assert (same.code, same.stdout) == (0, "no API changes\n")


def test_unreadable_side_exits_3(trees: Path) -> None:
    unknown = run_lmsgen("diff", "no-such-rev", "new", cwd=trees)
    assert unknown.code == 3
    assert "'no-such-rev:specs' is neither a folder nor a git tree" in unknown.stderr
    (trees / "new" / "shop" / "openapi.yaml").write_text("openapi: 3.0.3\ninfo: [\n")
    broken = run_lmsgen("diff", "old", "new", cwd=trees)
    assert broken.code == 3
    assert "new/shop/openapi.yaml:" in broken.stderr
    assert "Traceback" not in broken.stderr
