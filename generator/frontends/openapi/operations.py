"""Path items → ``ir.Operation``: one per method, with its parameters, bodies and paging."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import ir
from ...extensions import IDEMPOTENT, INVENTORY, PAGINATE
from ...naming import snake
from ...yamlsource import pointer
from .. import paging
from .bodies import error_payload, request_body, responses
from .document import prose
from .parameters import form_fields, parameters
from .schemas import Schemas

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations(schemas: Schemas, spec_dir: Path) -> tuple[ir.Operation, ...]:
    """Every operation of the document's paths, in document order."""
    doc = schemas.doc
    found: list[ir.Operation] = []
    seen_ids: dict[str, str] = {}
    for path, item in doc.data.get("paths", {}).items():
        item_where = pointer("paths", path)
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            where = item_where + pointer(method)
            one = _operation(
                schemas, spec_dir, path, method, item[method], shared, where
            )
            if one.operation_id in seen_ids:
                raise doc.error(
                    where + "/operationId",
                    f"duplicate operationId {one.operation_id!r} "
                    f"(first at {seen_ids[one.operation_id]})",
                )
            seen_ids[one.operation_id] = f"{doc.path}:{doc.line(where)}"
            found.append(one)
    return tuple(found)


def _operation(
    schemas: Schemas,
    spec_dir: Path,
    path: str,
    method: str,
    spec: dict[str, Any],
    shared: list[Any],
    where: str,
) -> ir.Operation:
    """One method of a path item."""
    doc = schemas.doc
    operation_id = spec.get("operationId")
    if not operation_id:
        raise doc.error(where, f"{method.upper()} {path} has no operationId")
    name = snake(operation_id)
    taken: set[str] = set()
    params = parameters(schemas, spec, shared, where, name, taken)
    form = form_fields(schemas, spec, where, name, taken)
    body: ir.Payload | None = None
    body_arg, body_description = "", ""
    body_samples: tuple[ir.Sample, ...] = ()
    if form is not None:
        params += form
    else:
        body, body_arg, body_description, body_samples = request_body(
            schemas, spec_dir, spec, where, name, taken
        )
    selector = next((param for param in params if param.response_format), None)
    result, variants, success, result_samples = responses(
        schemas, spec_dir, spec, where, name, selector
    )
    error = error_payload(schemas, spec, where, name)
    pages = paging.pagination(
        PAGINATE.read(spec),
        params,
        result,
        schemas.models,
        lambda message: doc.error(where + pointer(PAGINATE.name), message),
    )
    security = spec.get("security", doc.data.get("security", []))
    return ir.Operation(
        operation_id=operation_id,
        name=name,
        method=method.upper(),
        path=path,
        summary=prose(spec.get("summary")),
        description=prose(spec.get("description")),
        tags=tuple(spec.get("tags", ())),
        parameters=params,
        body=body,
        body_arg=body_arg,
        body_description=body_description,
        result=result,
        success=success,
        idempotent=method in ("get", "put", "delete", "head", "options")
        or IDEMPOTENT.read(spec),
        auth=tuple(key for requirement in security for key in requirement),
        auth_optional=any(not requirement for requirement in security) or not security,
        inventory=INVENTORY.read(spec),
        samples=body_samples + result_samples,
        source=f"{doc.path}:{doc.line(where)}",
        variants=variants,
        pages=pages,
        error=error,
    )
