"""Each XML payload of the OpenAPI spec checked against the XSD element it names.

OpenAPI carries the JSON and XML names of a payload in one schema; the vendor-style XSD
is the reference for the XML form. Reading the XSD with xmlschema and comparing element
names and order catches drift between the two before any code is generated.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import ir
from ..errors import SpecError

if TYPE_CHECKING:
    import xmlschema


class XsdSet:
    """The XSD files of one spec folder, loaded on first use."""

    def __init__(self, spec_dir: Path, display: Path) -> None:
        self.spec_dir = spec_dir
        self.display = display
        self._loaded: dict[str, xmlschema.XMLSchema] = {}

    def schema(self, file: str, source: str) -> xmlschema.XMLSchema:
        # xmlschema is imported here, not at the top: a spec without XSD files (most
        # OpenAPI-only specs) then never holds it (about 15 MiB).
        import xmlschema

        if file not in self._loaded:
            path = self.spec_dir / file
            if not path.is_file():
                raise _error(source, f"XSD file {file!r} not found in {self.display}")
            try:
                self._loaded[file] = xmlschema.XMLSchema(str(path))
            except (xmlschema.XMLSchemaException, OSError) as exc:
                raise SpecError(self.display / file, 1, f"invalid XSD: {exc}") from None
        return self._loaded[file]


def _error(source: str, message: str) -> SpecError:
    path, _, line = source.rpartition(":")
    return SpecError(path, int(line) if line.isdigit() else 1, message)


def check(
    provider_models: dict[str, ir.Model],
    operations: tuple[ir.Operation, ...],
    xsds: XsdSet,
) -> None:
    """Compare every payload that names an XSD element with that element."""
    for operation in operations:
        for payload in (operation.body, operation.result):
            if payload is None or payload.xsd is None:
                continue
            file, element_name = payload.xsd
            schema = xsds.schema(file, operation.source)
            element = schema.elements.get(element_name)
            if element is None:
                raise _error(
                    operation.source,
                    f"{operation.operation_id}: XSD {file} declares no element {element_name!r}",
                )
            if element_name != payload.xml_root:
                raise _error(
                    operation.source,
                    f"{operation.operation_id}: XML root is <{payload.xml_root}> "
                    f"but the XSD element is <{element_name}>",
                )
            problem = _compare_payload(payload, element, provider_models)
            if problem:
                raise _error(
                    operation.source, f"{operation.operation_id}: {file}: {problem}"
                )


def _children(element: Any) -> list[Any]:
    content = getattr(element.type, "content", None)
    if content is None or not hasattr(content, "iter_elements"):
        return []
    return list(content.iter_elements())


def _compare_payload(
    payload: ir.Payload, element: Any, models: dict[str, ir.Model]
) -> str:
    kind = payload.type
    if kind.is_list and kind.item is not None:
        children = _children(element)
        if [child.local_name for child in children] != [payload.xml_item]:
            return f"<{payload.xml_root}> should hold <{payload.xml_item}> items"
        if kind.item.is_model:
            return _compare_model(
                models[kind.item.name], children[0], models, payload.xml_root
            )
        return ""
    if kind.is_model:
        return _compare_model(models[kind.name], element, models, payload.xml_root)
    return ""


def _compare_model(
    model: ir.Model, element: Any, models: dict[str, ir.Model], where: str
) -> str:
    here = f"{where}/{element.local_name}"
    ours = [field.xml.name for field in model.fields if field.xml.kind != "attribute"]
    theirs = [child.local_name for child in _children(element)]
    if ours != theirs:
        return (
            f"{here}: model {model.name} has elements {ours} "
            f"but the XSD has {theirs} (names and order must agree)"
        )
    by_name = {child.local_name: child for child in _children(element)}
    for field in model.fields:
        kind = field.type
        child = by_name.get(field.xml.name)
        if child is None:
            continue
        if kind.is_model:
            problem = _compare_model(models[kind.name], child, models, here)
        elif kind.is_list and kind.item is not None and kind.item.is_model:
            target = child
            if field.xml.kind == "wrapped":
                items = _children(child)
                if [item.local_name for item in items] != [field.xml.item]:
                    return (
                        f"{here}/{field.xml.name} should hold <{field.xml.item}> items"
                    )
                target = items[0]
            problem = _compare_model(models[kind.item.name], target, models, here)
        else:
            problem = ""
        if problem:
            return problem
    return ""
