"""Python spellings of IR types, used by the templates as filters."""

from __future__ import annotations

from typing import Any

from . import ir

SCALAR_TYPES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "decimal": "Number",
    "bool": "bool",
    "date": "Date",
    "datetime": "DateTime",
    "date_or_datetime": "DateOrDateTime",
    "binary": "bytes",
    "any": "Any",
}


PLAIN_TYPES = {**SCALAR_TYPES, "decimal": "Decimal", "bool": "bool", "date": "date"}
PLAIN_TYPES["datetime"] = "datetime"
PLAIN_TYPES["date_or_datetime"] = "datetime | date"


def annotation(kind: ir.TypeRef, optional: bool = False, plain: bool = False) -> str:
    """The annotation of a value of ``kind``; ``| None`` when it may be absent.

    ``plain`` spells scalars as the standard types (for method signatures) rather than
    the validating aliases of ``_types`` (for models).
    """
    if kind.kind == "list" and kind.item is not None:
        text = f"list[{annotation(kind.item, plain=plain)}]"
    elif kind.kind == "map" and kind.item is not None:
        text = f"dict[str, {annotation(kind.item, plain=plain)}]"
    elif kind.kind == "union":
        text = " | ".join(annotation(option, plain=plain) for option in kind.options)
    elif kind.kind in ("model", "enum"):
        text = kind.name
    else:
        text = (PLAIN_TYPES if plain else SCALAR_TYPES)[kind.kind]
    if (optional or kind.nullable) and text != "Any":
        text += " | None"
    return text


def needs_field(args: str) -> bool:
    """Whether ``field_args`` output is written as ``Field(...)`` (see ``assignment``)."""
    return bool(args) and not (args.startswith("default=") and ", " not in args)


def assignment(args: str) -> str:
    """What follows a field's annotation: `` = default``, `` = Field(...)`` or nothing."""
    if args.startswith("default=") and ", " not in args:
        return f" = {args[8:]}"
    return f" = Field({args})" if args else ""


def field_args(
    json_name: str,
    name: str,
    constraints: ir.Constraints,
    checked: bool,
    default: str | None,
    secret: bool = False,
) -> str:
    """The arguments of ``Field(...)`` for a model or argument field."""
    args = [] if default is None else [f"default={default}"]
    if secret:
        args.append("repr=False")
    if json_name != name:
        args += [
            f"validation_alias={json_name!r}",
            f"serialization_alias={json_name!r}",
        ]
    if checked:
        for key, value in (
            ("max_length", constraints.max_length or constraints.max_items),
            ("min_length", constraints.min_length),
            ("pattern", constraints.pattern),
            ("ge", constraints.minimum),
            ("le", constraints.maximum),
            ("decimal_places", constraints.decimal_places),
        ):
            if value is not None:
                args.append(f"{key}={value!r}")
    return ", ".join(args)


def literal(value: Any) -> str:
    """A Python literal for a spec value."""
    return repr(value)


def tuple_literal(values: list[Any]) -> str:
    """``("a", "b")`` (with the trailing comma a single item needs)."""
    inner = ", ".join(repr(value) for value in values)
    return f"({inner},)" if len(values) == 1 else f"({inner})"


MEDIA_TYPES = {
    "json": "JsonValue",
    "xml": "XmlElement",
    "feed": "Feed",
    "entry": "Entry",
    "binary": "bytes",
    "csv-report": "CsvReport",
}
"""The Python type of each payload kind that is not a typed model."""

CODECS = {
    "json": "JsonValueCodec",
    "xml": "XmlElementCodec",
    "feed": "FeedCodec",
    "entry": "EntryCodec",
    "binary": "BinaryCodec",
    "csv": "CsvRowsCodec",
    "csv-report": "CsvReportCodec",
}


def payload_type(payload: ir.Payload) -> str:
    """What a payload is in Python: its model (or list of them), or its media type's value."""
    if payload.kind in ("model", "csv"):
        return annotation(payload.type)
    return MEDIA_TYPES[payload.kind]


def codec_class(payload: ir.Payload) -> str:
    if payload.kind == "model":
        return "ListCodec" if payload.type.is_list else "ModelCodec"
    return CODECS[payload.kind]


def result_type(operation: ir.Operation) -> str:
    """The return type of an operation: the union of its variants' types, or ``None``."""
    payloads = operation.variants or ((operation.result,) if operation.result else ())
    types = list(dict.fromkeys(payload_type(payload) for payload in payloads))
    return " | ".join(types) or "None"


def body_arg_type(payload: ir.Payload) -> str:
    """How an ``_…Args`` class declares a request body."""
    return "XmlDocument" if payload.kind == "xml" else payload_type(payload)


def body_param_type(payload: ir.Payload) -> str:
    """How a client method declares a request body (what callers may pass)."""
    return "XmlElement | bytes" if payload.kind == "xml" else payload_type(payload)


def arg_type(parameter: ir.Parameter, signature: bool = False) -> str:
    """The annotation of an argument in an ``_…Args`` class or (``signature``) a method."""
    optional = not parameter.required or (signature and parameter.client_default)
    if parameter.is_upload:
        base = "Upload" if signature else "UploadArg"
        return base + " | None" if optional else base
    return annotation(parameter.type, optional, plain=signature)


def arg_default(parameter: ir.Parameter) -> str | None:
    """The default of an argument in an ``_…Args`` class (``None``: it has none)."""
    if not parameter.required:
        return "None"
    return None if parameter.call_default is None else repr(parameter.call_default)


def csv_column_type(field: ir.Field) -> str:
    """A CSV column: its value type (with its limits), a Python date where the column
    takes one, ``Clear`` (``*NONE*``) and ``None`` (an empty cell) unless it is required.
    """
    base = annotation(field.type)
    limits = field_args(field.json_name, field.json_name, field.constraints, True, None)
    if limits:
        base = f"Annotated[{base}, Field({limits})]"
    if field.date_format:
        # Strict: a date is a Python date; text must match the vendor's documented forms.
        kind = "datetime" if "%H" in field.date_format else "date"
        base = f"Annotated[{kind}, Field(strict=True)] | {base}"
    return base if field.required else base + " | Clear | None"


def typed_records(payload: ir.Payload) -> bool:
    """A streamed XML reply whose XSD wraps its records: they come as models."""
    return (
        payload.kind == "model"
        and payload.type.is_list
        and payload.type.item is not None
    )


def record_type(payload: ir.Payload) -> str:
    """What ``iter_…`` hands out: chunks of bytes, typed records or XML elements."""
    if payload.kind == "binary":
        return "bytes"
    if typed_records(payload):
        assert payload.type.item is not None
        return annotation(payload.type.item)
    return "XmlElement"
