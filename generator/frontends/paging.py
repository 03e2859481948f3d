"""The pagination block (``extensions.PAGINATE``) → ``ir.Pagination``, for REST (OpenAPI)
and SOAP (WSDL) operations.

The block names wire names (``pageToken``, ``nextPageToken``, ``results``); this turns
them into the Python names of the operation's parameters and result fields, and refuses
names that do not exist, so a typo fails at generation rather than at run time. (Its
keys and their types were checked with the rest of the document's extensions.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import ir
from ..errors import SpecError
from ..extensions import PAGINATE


def pagination(
    raw: Any,
    parameters: tuple[ir.Parameter, ...],
    result: ir.Payload | None,
    models: Mapping[str, ir.Model],
    fail: Callable[[str], SpecError],
) -> ir.Pagination | None:
    """The pagination an operation declares, or ``None`` when it declares none."""
    if raw is None:
        return None
    by_wire = {
        parameter.wire_name.removesuffix("[]"): parameter for parameter in parameters
    }
    token = by_wire.get(str(raw["token-param"]))
    if token is None:
        raise fail(
            f"{PAGINATE.name}: the operation has no parameter {raw['token-param']!r}"
        )
    size = by_wire.get(str(raw.get("size-param", "")))
    if "size-param" in raw and size is None:
        raise fail(
            f"{PAGINATE.name}: the operation has no parameter {raw['size-param']!r}"
        )
    if result is None or not result.type.is_model:
        raise fail(
            f"{PAGINATE.name}: the result is not an object with a next-page token"
        )
    fields: dict[str, ir.Field] = {}
    for field in models[result.type.name].fields:
        fields.setdefault(field.json_name, field)
        fields.setdefault(field.xml.name, field)
    next_field = fields.get(str(raw["next-token"]))
    items = fields.get(str(raw["items"]))
    if next_field is None:
        raise fail(f"{PAGINATE.name}: the result has no field {raw['next-token']!r}")
    if items is None or not items.type.is_list or items.type.item is None:
        raise fail(f"{PAGINATE.name}: the result has no list field {raw['items']!r}")
    return ir.Pagination(
        token_arg=token.name,
        next_field=next_field.name,
        items_field=items.name,
        item=items.type.item,
        size_arg=size.name if size else "",
        default_size=size.default if size else None,
    )
