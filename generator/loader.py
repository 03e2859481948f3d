"""A provider's spec folder → one ``ir.Provider``, whatever mix of formats it holds."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import yaml

from . import ir
from .errors import SpecError
from .frontends import openapi, xsd
from .yamlsource import load

SPEC_SUFFIXES = (".yaml", ".yml", ".xsd", ".wsdl", ".xml", ".json", ".csv", ".txt", ".http")


def provider_dirs(specs: Path) -> list[Path]:
    """Every folder of ``specs`` that holds a spec, sorted by name."""
    return sorted(
        path
        for path in specs.iterdir()
        if path.is_dir() and ((path / "openapi.yaml").is_file() or any(path.glob("*.wsdl")))
    )


def is_draft(spec_dir: Path) -> str:
    """The reason a provider is marked ``x-lmsgen: {draft: …}`` (not generated yet), or ``""``."""
    path = spec_dir / "openapi.yaml"
    if not path.is_file():
        return ""
    # libyaml when it is there: this runs for every provider on every (no-op) generate.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError:
        return ""
    settings = data.get("x-lmsgen", {}) if isinstance(data, dict) else {}
    return str(settings.get("draft", "")) if isinstance(settings, dict) else ""


def spec_files(spec_dir: Path) -> list[Path]:
    """The files that make up a provider's spec (what its manifest hashes)."""
    return sorted(
        path for path in spec_dir.rglob("*") if path.is_file() and path.suffix in SPEC_SUFFIXES
    )


def load_provider(spec_dir: Path, display: Path) -> ir.Provider:
    """Read every spec file of one provider and assemble its IR."""
    openapi_path = spec_dir / "openapi.yaml"
    if not openapi_path.is_file():
        raise SpecError(display, 1, "no openapi.yaml in the provider folder")
    doc = load(openapi_path, display / "openapi.yaml")
    part = openapi.read(doc, spec_dir)
    models = {model.name: model for model in part.models}
    xsd.check(models, part.operations, xsd.XsdSet(spec_dir, display))
    settings = part.settings
    return ir.Provider(
        name=spec_dir.name,
        title=part.title or spec_dir.name,
        description=part.description,
        servers=part.servers,
        auth=part.auth,
        operations=part.operations,
        models=_ordered(models),
        enums=part.enums,
        json_dates=settings.get("json-dates", "iso"),
        xml_nil_prefix=settings.get("xml-nil-prefix", "xsi"),
        rate_limit=_rate_limit(settings.get("rate-limit")),
        default_format=settings.get("wire-formats", {}).get("default", "xml"),
        wire_rules=_wire_rules(settings.get("wire-formats", {})),
        json_schema=part.json_schema,
        files=_files(spec_dir, part.json_schema),
    )


def _ordered(models: dict[str, ir.Model]) -> tuple[ir.Model, ...]:
    """Models with every dependency before its dependants (so class-level XML specs resolve).

    A model in a cycle refers to one that cannot come first: it is marked ``recursive``
    and its XML spec is set once every class exists.
    """
    done: dict[str, ir.Model] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done or name in trail:
            return
        path = (*trail, name)
        recursive = False
        for field in models[name].fields:
            for kind in ir.leaves(field.type):
                if kind.is_model:
                    recursive |= kind.name in path
                    visit(kind.name, path)
        model = models[name]
        done[name] = dataclasses.replace(model, recursive=True) if recursive else model

    for name in models:
        visit(name, ())
    return tuple(done.values())


def _rate_limit(raw: Any) -> ir.RateLimit | None:
    if not raw:
        return None
    return ir.RateLimit(int(raw["requests"]), float(raw["per-seconds"]))


def _wire_rules(raw: dict[str, Any]) -> tuple[tuple[ir.WireFormat, ir.WireRule], ...]:
    rules: list[tuple[ir.WireFormat, ir.WireRule]] = []
    for wire in ("xml", "json"):
        rule = raw.get(wire)
        if rule:
            rules.append(
                (
                    wire,
                    ir.WireRule(
                        query=tuple((str(k), str(v)) for k, v in rule.get("query", {}).items()),
                        headers=tuple((str(k), str(v)) for k, v in rule.get("headers", {}).items()),
                    ),
                )
            )
    return tuple(rules)


def _files(spec_dir: Path, schema: dict[str, Any]) -> tuple[tuple[str, bytes], ...]:
    """Spec files shipped inside the package: XSDs, samples and the JSON schema."""
    files = [
        (path.relative_to(spec_dir).as_posix(), path.read_bytes())
        for path in spec_files(spec_dir)
        if path.suffix in (".xsd", ".wsdl") or "examples" in path.relative_to(spec_dir).parts
    ]
    files.append(("schema.json", (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode()))
    return tuple(sorted(files))
