"""A provider's spec folder → one ``ir.Provider``, whatever mix of formats it holds."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from . import ir
from .errors import SpecError
from .extensions import SETTINGS, SOAP
from .yamlsource import YamlDocument, load, pointer

if TYPE_CHECKING:
    from .frontends import wsdl

SPEC_SUFFIXES = (
    ".yaml",
    ".yml",
    ".xsd",
    ".wsdl",
    ".xml",
    ".json",
    ".csv",
    ".txt",
    ".http",
)


def provider_dirs(specs: Path) -> list[Path]:
    """Every folder of ``specs`` that holds a spec, sorted by name."""
    return sorted(
        path
        for path in specs.iterdir()
        if path.is_dir()
        and ((path / "openapi.yaml").is_file() or any(path.glob("*.wsdl")))
    )


def is_draft(spec_dir: Path) -> str:
    """The reason a provider's settings mark it ``draft: …`` (not generated yet), or ``""``."""
    path = spec_dir / "openapi.yaml"
    if not path.is_file():
        return ""
    # Only the top-level settings block is parsed: this runs for every provider on every
    # (no-op) generate, and a large spec takes a tenth of a second to parse whole.
    block = _top_level_block(path.read_text(encoding="utf-8"), SETTINGS.name)
    try:
        data = yaml.safe_load(block) if block else None
    except yaml.YAMLError:
        return ""
    settings = SETTINGS.read(data)
    return str(settings.get("draft", "")) if isinstance(settings, Mapping) else ""


def _top_level_block(text: str, key: str) -> str:
    """The lines of ``key:`` at the top level of a YAML document, with its indented body."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(key + ":"):
            body = [line]
            for following in lines[index + 1 :]:
                if (
                    following
                    and not following[0].isspace()
                    and not following.startswith("#")
                ):
                    break
                body.append(following)
            return "\n".join(body) + "\n"
    return ""


def spec_files(spec_dir: Path) -> list[Path]:
    """The files that make up a provider's spec (what its manifest hashes)."""
    return sorted(
        path
        for path in spec_dir.rglob("*")
        if path.is_file() and path.suffix in SPEC_SUFFIXES
    )


def load_provider(spec_dir: Path, display: Path) -> ir.Provider:
    """Read every spec file of one provider and assemble its IR."""
    # The frontends (openapi-pydantic, xmlschema) load only when a spec is read, so a
    # no-op regeneration, which only compares hashes, does not pay for them.
    from .frontends import openapi, payloadcheck

    openapi_path = spec_dir / "openapi.yaml"
    if not openapi_path.is_file():
        raise SpecError(display, 1, "no openapi.yaml in the provider folder")
    doc = load(openapi_path, display / "openapi.yaml")
    part = openapi.read(doc, spec_dir)
    models = {model.name: model for model in part.models}
    payloadcheck.check(models, part.operations, payloadcheck.XsdSet(spec_dir, display))
    enums = {enum.name: enum for enum in part.enums}
    operations = part.operations
    soap = _read_wsdl(spec_dir, display, doc, part.auth, models, enums)
    if soap is not None:
        models.update((model.name, model) for model in soap.models)
        enums.update((enum.name, enum) for enum in soap.enums)
        operations = _merged(doc, operations, soap.operations)
    operations = _with_indexed_samples(spec_dir, display, operations)
    settings = part.settings
    return ir.Provider(
        name=spec_dir.name,
        title=part.title or (soap.title if soap else "") or spec_dir.name,
        description=part.description,
        servers=part.servers,
        auth=part.auth,
        operations=operations,
        models=_ordered(models),
        enums=tuple(enums.values()),
        json_dates=settings.get("json-dates", "iso"),
        session_cookie=bool(settings.get("session-cookie", False)),
        xml_nil_prefix=settings.get("xml-nil-prefix", "xsi"),
        rate_limit=_rate_limit(settings.get("rate-limit")),
        default_format=settings.get("wire-formats", {}).get("default", "xml"),
        wire_rules=_wire_rules(settings.get("wire-formats", {})),
        json_schema=part.json_schema,
        files=_files(spec_dir, part.json_schema),
        soap_endpoint=soap.endpoint if soap else None,
        wsdl_file=soap.file if soap else "",
        soap_faults=soap.faults if soap else (),
        soap_fault_detail=soap.fault_detail if soap else None,
    )


def _read_wsdl(
    spec_dir: Path,
    display: Path,
    doc: YamlDocument,
    auth: tuple[ir.AuthScheme, ...],
    models: dict[str, ir.Model],
    enums: dict[str, ir.Enum],
) -> wsdl.WsdlResult | None:
    """The SOAP part of a provider: its WSDL, with the SOAP settings (``SOAP``)."""
    raw = SOAP.read(doc.data)
    where = pointer(SOAP.name)
    found = sorted(spec_dir.glob("*.wsdl"))
    if "wsdl" in raw:
        found = [spec_dir / str(raw["wsdl"])]
        if not found[0].is_file():
            raise doc.error(where + "/wsdl", f"WSDL file {raw['wsdl']!r} not found")
    if not found:
        if raw:
            raise doc.error(where, f"{SOAP.name} is set but the folder holds no WSDL")
        return None
    if len(found) > 1:
        raise doc.error(
            where, f"several WSDL files: name the one to read with {SOAP.name}.wsdl"
        )
    schemes = {scheme.name for scheme in auth}
    for index, requirement in enumerate(raw.get("security", [])):
        for name in requirement:
            if name not in schemes:
                raise doc.error(
                    f"{where}/security/{index}", f"unknown security scheme {name!r}"
                )
    from .frontends import wsdl

    settings = wsdl.SoapSettings(
        raw, lambda at, message: doc.error(where + at, message)
    )
    path = found[0]
    return wsdl.read(path, display / path.name, settings, models, enums)


def _merged(
    doc: YamlDocument, rest: tuple[ir.Operation, ...], soap: tuple[ir.Operation, ...]
) -> tuple[ir.Operation, ...]:
    """REST and SOAP operations together; one Python name may not serve two of them."""
    names = {operation.name: operation for operation in rest}
    for operation in soap:
        if operation.name in names:
            raise doc.error(
                pointer(SOAP.name),
                f"SOAP operation {operation.operation_id} and {names[operation.name].operation_id} "
                f"({names[operation.name].source}) would both be the method {operation.name}()",
            )
    return rest + soap


MEDIA_WIRES: dict[str, str] = {
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
    "message/http": "http",
}
REPAIRS = frozenset({"leading-text", "ellipsis-lines"})
"""Fixes for misprinted samples: drop the text before the first ``<``; drop lines that
only hold ``...`` (the docs' "more of the same")."""


def _with_indexed_samples(
    spec_dir: Path, display: Path, operations: tuple[ir.Operation, ...]
) -> tuple[ir.Operation, ...]:
    """Attach the samples that ``examples/index.yaml`` lists to their operations.

    The index names samples that no OpenAPI media type can hold (SOAP envelopes, whole
    HTTP requests) and the repairs a misprinted sample needs before it parses.
    """
    path = spec_dir / "examples" / "index.yaml"
    if not path.is_file():
        return operations
    index = load(path, display / "examples" / "index.yaml")
    entries = index.data.get("files", []) if isinstance(index.data, dict) else []
    by_id = {operation.operation_id: operation for operation in operations}
    added: dict[str, list[ir.Sample]] = {}
    for number, entry in enumerate(entries):
        where = f"/files/{number}"
        sample = _indexed_sample(spec_dir, index, where, entry)
        operation = by_id.get(str(entry.get("operation")))
        if operation is None:
            raise index.error(
                where + "/operation", f"no operation {entry.get('operation')!r}"
            )
        added.setdefault(operation.operation_id, []).append(sample)
    result = []
    for operation in operations:
        samples = {sample.file: sample for sample in operation.samples}
        for sample in added.get(operation.operation_id, []):
            known = samples.get(sample.file)
            samples[sample.file] = (
                replace(known, repairs=sample.repairs) if known else sample
            )
        result.append(replace(operation, samples=tuple(samples.values())))
    return tuple(result)


def _indexed_sample(
    spec_dir: Path, index: YamlDocument, where: str, entry: Any
) -> ir.Sample:
    if not isinstance(entry, dict):
        raise index.error(where, "each entry of files must be a mapping")
    file = f"examples/{entry.get('file', '')}"
    if not (spec_dir / file).is_file():
        raise index.error(where + "/file", f"sample file {file!r} not found")
    wire = MEDIA_WIRES.get(str(entry.get("media-type", "")))
    if wire is None:
        raise index.error(
            where + "/media-type", f"unknown media-type {entry.get('media-type')!r}"
        )
    repairs = tuple(str(name) for name in entry.get("repairs", ()) or ())
    for name in repairs:
        if name not in REPAIRS:
            raise index.error(
                where + "/repairs",
                f"unknown repair {name!r} (known: {', '.join(sorted(REPAIRS))})",
            )
    direction, kind = entry.get("direction"), entry.get("kind")
    if direction not in ("request", "response") or kind not in (
        "data",
        "template",
        "fragment",
    ):
        raise index.error(
            where, "direction must be request|response, kind data|template|fragment"
        )
    return ir.Sample(
        file=file,
        direction=direction,
        wire_format=cast(Any, wire),
        kind=kind,
        summary=" ".join(str(entry.get("note", "")).split()),
        repairs=repairs,
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
                        query=tuple(
                            (str(k), str(v)) for k, v in rule.get("query", {}).items()
                        ),
                        headers=tuple(
                            (str(k), str(v)) for k, v in rule.get("headers", {}).items()
                        ),
                    ),
                )
            )
    return tuple(rules)


def _files(spec_dir: Path, schema: dict[str, Any]) -> tuple[tuple[str, bytes], ...]:
    """Spec files shipped inside the package: XSDs, samples and the JSON schema."""
    files = [
        (path.relative_to(spec_dir).as_posix(), path.read_bytes())
        for path in spec_files(spec_dir)
        if path.suffix in (".xsd", ".wsdl")
        or "examples" in path.relative_to(spec_dir).parts
    ]
    files.append(
        ("schema.json", (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode())
    )
    return tuple(sorted(files))
