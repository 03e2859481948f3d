"""What ``README.md`` prints: the quick start and an example call of every operation."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..pytypes import annotation, body_param_type, payload_type, result_type
from .examples import EnumValues, example


@dataclass(frozen=True)
class Usage:
    """One operation's section: its example call, body and result."""

    operation: ir.Operation
    call: str
    body: str
    """What the body argument is, with an example when it is a model ("" without one)."""
    returns: str


@dataclass(frozen=True)
class ReadmeView:
    quick_start: tuple[str, ...]
    """The arguments of the quick start's ``Client(...)``, each with its comma."""
    exported: str
    """Where the value types of the signatures live, as the end of a sentence."""
    usages: tuple[Usage, ...]
    credentials: str
    """The fake server's credential constants, by scheme."""


def view(
    provider: ir.Provider, value_types: dict[str, list[str]], enums: EnumValues
) -> ReadmeView:
    return ReadmeView(
        quick_start=tuple(quick_start(provider)),
        exported=_exported(provider, value_types),
        usages=tuple(
            _usage(provider, operation, enums) for operation in provider.operations
        ),
        credentials=_credentials(provider),
    )


def _credentials(provider: ir.Provider) -> str:
    schemes = (
        ", ".join(f"`{name.upper()}`" for name in s.params) for s in provider.auth
    )
    return "; ".join(schemes) + "." if provider.auth else ""


def quick_start(provider: ir.Provider) -> list[str]:
    """``Client(...)``'s arguments in the quick start: the credentials (client id and
    secret where tokens are fetched), client defaults and whatever has no default."""
    lines = []
    for scheme in provider.auth:
        for name in scheme.pair if scheme.token_url else scheme.params:
            lines.append('"…",' if provider.auth_required else f'{name}="…",')
    lines += [f'{parameter.name}="…",' for parameter in provider.client_defaults]
    if provider.regions:
        lines.append(f'region="{provider.regions[0].region}",')
    elif provider.default_base_url is None:
        url = provider.servers[0].url if provider.servers else "https://…"
        lines.append(f'base_url="{url}",')
    if provider.has_soap and not provider.soap_endpoint:
        lines.append(
            'soap_url="https://…",  # the SOAP endpoint: the vendor does not document it'
        )
    return lines


def _exported(provider: ir.Provider, value_types: dict[str, list[str]]) -> str:
    models = f"`{provider.package}.models`"
    if not value_types:
        return models
    names = "".join(f"`{name}`, " for items in value_types.values() for name in items)
    first = next(iter(value_types.values()))[0]
    return (
        f"{models}, except {names}which the package itself exports"
        f" (`from {provider.package} import {first}`)"
    )


def _usage(provider: ir.Provider, operation: ir.Operation, enums: EnumValues) -> Usage:
    args = [
        f'"{param.name}-1"'
        for param in operation.parameters
        if param.location == "path"
    ]
    if operation.body:
        args.append(operation.body_arg)
    args += [
        f"{param.name}=…"
        for param in operation.parameters
        if param.location != "path"
        and param.required
        and not param.client_default
        and param.call_default is None
    ]
    assign = "result = " if operation.result else ""
    return Usage(
        operation=operation,
        call=f"{assign}client.{operation.name}({', '.join(args)})",
        body=_body(provider, operation, enums),
        returns=_returns(operation),
    )


def _body(provider: ir.Provider, operation: ir.Operation, enums: EnumValues) -> str:
    body = operation.body
    if body is None:
        return ""
    if body.kind != "model":
        return f"where `{operation.body_arg}` is a `{body_param_type(body)}`."
    limit = body.constraints.max_items
    at_most = f" (at most {limit} items)" if limit else ""
    value = example(body.type, "", "1", body.constraints.max_length, enums)
    return (
        f"where `{operation.body_arg}` is a `{annotation(body.type)}`{at_most}, for example\n"
        f"`{value}`\n"
        f"(the `example_…` builders live in `{provider.package}.fake_server`)."
    )


def _returns(operation: ir.Operation) -> str:
    groups = operation.result_groups
    if len(groups) > 1:
        assert operation.format_param is not None
        name = operation.format_param.name
        choices = ", ".join(
            f"`{payload_type(payload)}` for `{name}={'|'.join(map(repr, values))}`"
            for values, payload in groups
        )
        return f"Returns {choices}."
    return f"Returns `{result_type(operation)}`." if operation.result else ""
