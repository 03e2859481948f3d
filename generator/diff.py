"""What changed between two versions of a provider's API, as the client's user sees it.

Both sides are reduced to an API *surface*: plain JSON data that keeps what a caller
depends on (operations, where each argument goes and its type, the fields of request and
response bodies by wire name, media types, auth) and drops what they do not (Python
class names, descriptions, samples). The surface is computed from the IR, so OpenAPI
and WSDL/XSD sources compare alike, and it is what a package's manifest keeps to diff
the next regeneration against.

A change is *breaking* when code written against the old client can fail with the new
one: a request needs something it did not send, a response lacks or retypes something
it read, or the server refuses what it used to accept.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

from . import ir

Surface = dict[str, Any]
Direction = Literal["request", "response"]


@dataclass(frozen=True)
class Change:
    """One difference between two versions of an API."""

    provider: str
    operation: str
    """The ``operationId`` (empty for provider-wide changes such as auth schemes)."""
    kind: str
    """What changed, e.g. ``parameter-added``, ``field-type``, ``enum-value-removed``."""
    detail: str
    breaking: bool


# Surfaces -----------------------------------------------------------------------------


def surface(provider: ir.Provider) -> Surface:
    """The parts of ``provider`` that its callers depend on, as JSON-ready data."""
    models = {model.name: model for model in provider.models}
    enums = {enum.name: enum for enum in provider.enums}
    # Operations reading and writing the same model share its (read-only) description:
    # a 1000-operation surface is then a few megabytes, not tens.
    payloads: dict[tuple[ir.TypeRef, tuple[str, ...]], dict[str, Any]] = {}
    return {
        "auth": {
            scheme.name: {"kind": scheme.kind, "header": scheme.header}
            for scheme in provider.auth
        },
        "operations": {
            operation.operation_id: _operation(operation, models, enums, payloads)
            for operation in provider.operations
        },
    }


def _operation(
    operation: ir.Operation,
    models: dict[str, ir.Model],
    enums: dict[str, ir.Enum],
    payloads: dict[tuple[ir.TypeRef, tuple[str, ...]], dict[str, Any]],
) -> dict[str, Any]:
    return {
        "method": operation.method,
        "path": operation.path,
        "auth": sorted(operation.auth),
        "auth_optional": operation.auth_optional,
        "parameters": {
            f"{parameter.location} {parameter.wire_name}": {
                **_slot(parameter.type, parameter.required, enums),
                "default": _json(parameter.default),
            }
            for parameter in operation.parameters
        },
        "request": _shared(operation.body, models, enums, payloads),
        "response": _shared(operation.result, models, enums, payloads),
    }


def _shared(
    payload: ir.Payload | None,
    models: dict[str, ir.Model],
    enums: dict[str, ir.Enum],
    payloads: dict[tuple[ir.TypeRef, tuple[str, ...]], dict[str, Any]],
) -> dict[str, Any] | None:
    if payload is None:
        return None
    key = (payload.type, tuple(sorted(payload.formats)))
    if key not in payloads:
        fields: dict[str, Any] = {}
        _walk(payload.type, "", True, models, enums, (), fields)
        payloads[key] = {"media": sorted(payload.formats), "fields": fields}
    return payloads[key]


def _walk(
    kind: ir.TypeRef,
    path: str,
    required: bool,
    models: dict[str, ir.Model],
    enums: dict[str, ir.Enum],
    trail: tuple[str, ...],
    into: dict[str, Any],
) -> None:
    """Record ``kind`` at ``path`` and every field below it (recursion stops at a cycle)."""
    into[path or "(body)"] = _slot(kind, required, enums)
    inner, suffix = kind, ""
    while inner.is_list and inner.item is not None:
        inner, suffix = inner.item, suffix + "[]"
    if inner.is_model and inner.name in models and inner.name not in trail:
        for field in models[inner.name].fields:
            child = (
                f"{path}{suffix}.{field.json_name}"
                if path or suffix
                else field.json_name
            )
            _walk(
                field.type,
                child,
                field.required,
                models,
                enums,
                (*trail, inner.name),
                into,
            )


def _slot(
    kind: ir.TypeRef, required: bool, enums: dict[str, ir.Enum]
) -> dict[str, Any]:
    """Type, presence and allowed values of one parameter or field."""
    inner = kind
    while inner.is_list and inner.item is not None:
        inner = inner.item
    values = (
        enums[inner.name].values if inner.kind == "enum" and inner.name in enums else ()
    )
    return {
        "type": type_name(kind),
        "required": required,
        "nullable": kind.nullable,
        "enum": [_json(value) for value in values],
    }


def type_name(kind: ir.TypeRef) -> str:
    """A type as the wire sees it: model and enum class names do not matter."""
    if kind.is_list and kind.item is not None:
        return f"list[{type_name(kind.item)}]"
    options = getattr(kind, "options", ())
    if options:
        return " | ".join(type_name(option) for option in options)
    if kind.is_model:
        return "object"
    return kind.kind


def _json(value: Any) -> Any:
    """``value`` as plain JSON data (dates and decimals become strings)."""
    return json.loads(json.dumps(value, default=str))


# Comparison ---------------------------------------------------------------------------


def diff(old: ir.Provider, new: ir.Provider) -> list[Change]:
    """Every change from ``old`` to ``new`` (the same provider, two versions)."""
    return compare(new.name, surface(old), surface(new))


def compare(provider: str, old: Surface, new: Surface) -> list[Change]:
    """Every change between two surfaces of ``provider``, in a stable order."""
    changes: list[Change] = []

    def add(operation: str, kind: str, detail: str, breaking: bool) -> None:
        changes.append(Change(provider, operation, kind, detail, breaking))

    for name in sorted(set(old["auth"]) | set(new["auth"])):
        before, after = old["auth"].get(name), new["auth"].get(name)
        if before is None:
            add("", "auth-scheme-added", f"security scheme `{name}` added", False)
        elif after is None:
            add("", "auth-scheme-removed", f"security scheme `{name}` removed", True)
        elif before != after:
            add(
                "",
                "auth-scheme-changed",
                f"security scheme `{name}`: {_was(before, after)}",
                True,
            )
    old_ops, new_ops = old["operations"], new["operations"]
    for name in sorted(set(old_ops) | set(new_ops)):
        before, after = old_ops.get(name), new_ops.get(name)
        if before is None:
            add(
                name,
                "operation-added",
                f"operation added: {after['method']} {after['path']}",
                False,
            )
        elif after is None:
            add(
                name,
                "operation-removed",
                f"operation removed: {before['method']} {before['path']}",
                True,
            )
        else:
            for kind, detail, breaking in _operation_changes(before, after):
                add(name, kind, detail, breaking)
    return changes


Found = list[tuple[str, str, bool]]


def _operation_changes(old: dict[str, Any], new: dict[str, Any]) -> Found:
    found: Found = []
    for key in ("method", "path"):
        if old[key] != new[key]:
            found.append(
                ("operation-changed", f"{key} {_was(old[key], new[key])}", True)
            )
    found += _auth_changes(old, new)
    old_params, new_params = old["parameters"], new["parameters"]
    for key in sorted(set(old_params) | set(new_params)):
        location, _, wire = key.partition(" ")
        label = f"parameter `{wire}` ({location})"
        before, after = old_params.get(key), new_params.get(key)
        if before is None:
            required = after["required"]
            found.append(
                (
                    "parameter-added",
                    f"{'required' if required else 'optional'} {label} added",
                    required,
                )
            )
        elif after is None:
            found.append(("parameter-removed", f"{label} removed", True))
        else:
            found += _slot_changes("parameter", label, before, after, "request")
            if before["default"] != after["default"]:
                # A caller that leaves the argument out now gets another behaviour.
                detail = f"{label}: default {_was(before['default'], after['default'])}"
                found.append(("parameter-default", detail, True))
    for direction in ("request", "response"):
        found += _payload_changes(direction, old[direction], new[direction])
    return found


def _auth_changes(old: dict[str, Any], new: dict[str, Any]) -> Found:
    before, after = set(old["auth"]), set(new["auth"])
    if before == after and old["auth_optional"] == new["auth_optional"]:
        return []

    def shown(schemes: set[str], optional: bool) -> str:
        names = ", ".join(sorted(schemes)) or "none"
        return f"{names}{' (optional)' if optional and schemes else ''}"

    was_open = not before or old["auth_optional"]
    now_open = not after or new["auth_optional"]
    # Breaking when a call that needed no credentials now does, or needs other ones.
    breaking = (was_open and not now_open) or (not now_open and not after <= before)
    detail = f"auth {_was(shown(before, old['auth_optional']), shown(after, new['auth_optional']))}"
    return [("auth-changed", detail, breaking)]


def _payload_changes(
    direction: Direction, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> Found:
    body = "request body" if direction == "request" else "response body"
    if old is None and new is None:
        return []
    if old is None:
        # A new request body is a new required argument; a new response is extra data.
        return [(f"{direction}-added", f"{body} added", direction == "request")]
    if new is None:
        return [(f"{direction}-removed", f"{body} removed", True)]
    found: Found = []
    for media in sorted(set(old["media"]) - set(new["media"])):
        found.append(
            ("media-type-removed", f"{body}: {media} no longer accepted", True)
        )
    for media in sorted(set(new["media"]) - set(old["media"])):
        found.append(("media-type-added", f"{body}: {media} now accepted", False))
    old_fields, new_fields = old["fields"], new["fields"]
    for path in sorted(set(old_fields) | set(new_fields), key=_path_order):
        label = f"{direction} field `{path}`"
        before, after = old_fields.get(path), new_fields.get(path)
        if before is None:
            if _parent(path) in old_fields:  # report the top of a new subtree only
                required = after["required"]
                kind = "required" if required else "optional"
                breaking = direction == "request" and required
                found.append(("field-added", f"{kind} {label} added", breaking))
        elif after is None:
            if _parent(path) in new_fields:
                found.append(("field-removed", f"{label} removed", True))
        else:
            found += _slot_changes("field", label, before, after, direction)
    return found


def _slot_changes(
    what: str,
    label: str,
    old: dict[str, Any],
    new: dict[str, Any],
    direction: Direction,
) -> Found:
    """Changes of one parameter or field present on both sides."""
    request = direction == "request"
    found: Found = []
    if old["type"] != new["type"]:
        found.append(
            (f"{what}-type", f"{label}: type {_was(old['type'], new['type'])}", True)
        )
    if old["required"] != new["required"]:
        now = "required" if new["required"] else "optional"
        # Requests break when more is demanded; responses when less is promised.
        breaking = new["required"] if request else not new["required"]
        found.append((f"{what}-required", f"{label} is now {now}", breaking))
    if old["nullable"] != new["nullable"]:
        now = "now nullable" if new["nullable"] else "no longer nullable"
        breaking = not new["nullable"] if request else new["nullable"]
        found.append((f"{what}-nullable", f"{label} is {now}", breaking))
    if old["enum"] and new["enum"] and old["type"] == new["type"]:
        before, after = _values(old["enum"]), _values(new["enum"])
        for value in sorted(set(before) - set(after)):
            found.append(
                (
                    "enum-value-removed",
                    f"{label}: value {before[value]} removed",
                    request,
                )
            )
        for value in sorted(set(after) - set(before)):
            found.append(
                (
                    "enum-value-added",
                    f"{label}: value {after[value]} added",
                    not request,
                )
            )
    return found


def _values(values: list[Any]) -> dict[str, str]:
    """Enum values keyed by their JSON spelling (so 1 and "1" stay apart)."""
    return {json.dumps(value): json.dumps(value) for value in values}


def _parent(path: str) -> str:
    """The path of the field that holds ``path`` (``(body)`` for top-level fields)."""
    stem = path.rsplit(".", 1)[0] if "." in path else ""
    while stem.endswith("[]"):
        stem = stem[:-2]
    return stem or "(body)"


def _path_order(path: str) -> tuple[int, str]:
    return (0 if path == "(body)" else 1, path)


def _was(old: Any, new: Any) -> str:
    return f"{_show(old)} → {_show(new)}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


# Rendering ----------------------------------------------------------------------------


def status(changes: list[Change]) -> int:
    """The exit status of ``lmsgen diff``: 0 none, 1 compatible only, 2 breaking."""
    if not changes:
        return 0
    return 2 if any(change.breaking for change in changes) else 1


def as_text(changes: list[Change]) -> str:
    """One line per change, grouped by provider."""
    if not changes:
        return "no API changes\n"
    lines: list[str] = []
    for provider, group in _by_provider(changes):
        lines.append(f"{provider}:")
        for change in group:
            where = f"{change.operation}: " if change.operation else ""
            tag = "BREAKING" if change.breaking else "compatible"
            lines.append(f"  [{tag}] {where}{change.detail}")
    lines.append(_summary(changes))
    return "\n".join(lines) + "\n"


def as_markdown(changes: list[Change], title: str = "API changes") -> str:
    """A Markdown report, ready for a pull-request comment."""
    if not changes:
        return f"### {title}\n\nNo API changes.\n"
    parts = [f"### {title}\n", _summary(changes) + "\n"]
    for provider, group in _by_provider(changes):
        parts.append(f"#### {provider}\n")
        parts.append(entry(group))
    return "\n".join(parts)


def entry(changes: list[Change]) -> str:
    """The Markdown list of one provider's changes, breaking ones first."""
    lines: list[str] = []
    for heading, breaking in (("Breaking", True), ("Compatible", False)):
        chosen = [change for change in changes if change.breaking == breaking]
        if not chosen:
            continue
        lines.append(f"**{heading}**\n")
        for change in chosen:
            where = f"`{change.operation}`: " if change.operation else ""
            lines.append(f"- {where}{change.detail}")
        lines.append("")
    return "\n".join(lines)


def as_json(changes: list[Change]) -> str:
    """Machine-readable: the status and every change with its fields."""
    document = {
        "status": ["none", "compatible", "breaking"][status(changes)],
        "changes": [asdict(change) for change in changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _by_provider(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.provider, []).append(change)
    return list(groups.items())


def _summary(changes: list[Change]) -> str:
    breaking = sum(change.breaking for change in changes)
    return f"{len(changes)} change(s), {breaking} breaking"
