"""OpenAPI 3.1 → IR.

The document is validated with openapi-pydantic; the IR is then built from the same
(validated) data, walked with JSON pointers so that every problem names its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast, get_args, get_origin

from openapi_pydantic.v3.v3_0 import OpenAPI as OpenAPI30
from openapi_pydantic.v3.v3_1 import OpenAPI
from pydantic import TypeAdapter, ValidationError

from .. import ir
from ..errors import SpecError
from ..naming import pascal, snake, unique
from ..yamlsource import YamlDocument, pointer
from . import media as mediatypes
from . import paging

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
SCALARS: dict[tuple[str, str], str] = {
    ("string", ""): "str",
    ("string", "date-time"): "datetime",
    ("string", "date"): "date",
    ("string", "binary"): "binary",
    ("integer", ""): "int",
    ("number", ""): "float",
    ("number", "decimal"): "decimal",
    ("boolean", ""): "bool",
}
MEDIA_FORMATS: dict[str, ir.WireFormat] = {
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
}


def wire_of(media: str) -> ir.WireFormat | None:
    """XML or JSON for a media type, structured-syntax suffixes included (RFC 6839)."""
    media = media.split(";")[0].strip().lower()
    if media in MEDIA_FORMATS:
        return MEDIA_FORMATS[media]
    if media.endswith("+json"):
        return "json"
    if media.endswith("+xml"):
        return "xml"
    return None


def validate(doc: YamlDocument) -> None:
    """Check the document against the OpenAPI 3.0 or 3.1 model; report the first error's line.

    The paths and the schemas are checked one at a time against the model's own types
    for them: the same checks, but a 1000-operation document is never held as a whole
    tree of model objects (tens of megabytes).
    """
    if not isinstance(doc.data, dict) or not str(
        doc.data.get("openapi", "")
    ).startswith("3."):
        raise doc.error(
            "", "not an OpenAPI 3.x document (no 'openapi: 3.x' at the top)"
        )
    model = OpenAPI30 if str(doc.data["openapi"]).startswith("3.0") else OpenAPI
    data = doc.data
    parts: list[tuple[tuple[str, ...], Any, Any]] = []
    skeleton = dict(data)
    if isinstance(data.get("paths"), dict):
        skeleton["paths"] = {}
        item = model.model_fields["paths"].annotation
        parts += [
            (("paths", k), v, _value_type(item)) for k, v in data["paths"].items()
        ]
    components = data.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        skeleton["components"] = {**components, "schemas": {}}
        field = model.model_fields["components"].annotation
        schema = _value_type(_value_type(field).model_fields["schemas"].annotation)
        parts += [
            (("components", "schemas", k), v, schema)
            for k, v in components["schemas"].items()
        ]
    try:
        model.model_validate(skeleton)
        for prefix, value, kind in parts:
            try:
                _adapter(kind).validate_python(value)
            except ValidationError as exc:
                raise _Located(prefix, exc) from None
    except ValidationError as exc:
        where, message = _deepest(doc, exc.errors())
        raise doc.error(
            where, f"invalid OpenAPI at {where or '/'}: {message}"
        ) from None
    except _Located as located:
        errors = [
            {**error, "loc": (*located.prefix, *error["loc"])}
            for error in located.error.errors()
        ]
        where, message = _deepest(doc, errors)
        raise doc.error(
            where, f"invalid OpenAPI at {where or '/'}: {message}"
        ) from None


class _Located(Exception):
    """A part's validation error and where the part sits in the document."""

    def __init__(self, prefix: tuple[str, ...], error: ValidationError) -> None:
        super().__init__(prefix)
        self.prefix, self.error = prefix, error


def _value_type(annotation: Any) -> Any:
    """``X`` of ``Optional[Dict[str, X]]``, ``Dict[str, X]`` or ``Optional[X]``."""
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is dict:
        return args[-1]
    if len(args) == 1:
        return _value_type(args[0]) if get_origin(args[0]) is dict else args[0]
    return annotation


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _deepest(doc: YamlDocument, errors: list[Any]) -> tuple[str, str]:
    """The error whose location reaches deepest into the document."""
    best = ("", "")
    best_depth = -1
    for error in errors:
        node: Any = doc.data
        where, depth = "", 0
        for part in error["loc"]:
            if isinstance(node, dict) and part in node:
                node, where, depth = node[part], where + pointer(part), depth + 1
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node, where, depth = node[part], f"{where}/{part}", depth + 1
        if depth > best_depth:
            best, best_depth = (where, _describe(error)), depth
    return best


def _describe(error: Any) -> str:
    value = error.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
    return f"{error['msg']}{shown}"


@dataclass
class _Builder:
    """Turns schemas into IR models and enums, naming them once."""

    doc: YamlDocument
    models: dict[str, ir.Model] = field(default_factory=dict)
    enums: dict[str, ir.Enum] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    csv: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    by_pointer: dict[str, str] = field(default_factory=dict)
    xsd_payloads: dict[tuple[str, str], ir.Payload] = field(default_factory=dict)
    """Payloads already read from a dropped-in XSD element, shared by the calls naming it."""
    tags: list[tuple[str, str, str]] = field(default_factory=list)
    """(model, property, value) of every discriminated alternative."""

    def resolve(self, schema: Any, where: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains; return the target and its pointer."""
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise self.doc.error(
                    where, f"only local $ref are supported, got {ref!r}"
                )
            if ref in seen:
                raise self.doc.error(where, f"circular $ref {ref!r}")
            seen.add(ref)
            target: Any = self.doc.data
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise self.doc.error(where + "/$ref", f"dangling $ref {ref!r}")
                target = target[part]
            schema, where = target, ref[1:]
        return schema, where

    def type_of(self, schema: Any, where: str, hint: str) -> ir.TypeRef:
        """The IR type of a schema; ``hint`` names inline models and enums."""
        if isinstance(schema, dict) and "$ref" in schema:
            target, target_where = self.resolve(schema, where)
            found = self.type_of(target, target_where, target_where.rsplit("/", 1)[-1])
            return _nullable(found) if _is_nullable(schema) else found
        if not isinstance(schema, dict) or not schema:
            return ir.TypeRef("any")
        unsupported(self.doc, schema, where)
        nullable = _is_nullable(schema)
        if "allOf" in schema:
            found = self.all_of(schema, where, hint)
            return _nullable(found) if nullable else found
        if "oneOf" in schema or "anyOf" in schema:
            found = self.union(schema, where, hint)
            return _nullable(found) if nullable else found
        if "const" in schema and "enum" not in schema:
            schema = {**schema, "enum": [schema["const"]]}
        types = schema.get("type", "object" if "properties" in schema else None)
        if isinstance(types, list):
            nullable = nullable or "null" in types
            rest = [kind for kind in types if kind != "null"]
            types = rest[0] if len(rest) == 1 else None
            if len(rest) > 1:  # type: [string, integer]: a union of the scalar types
                options = tuple(
                    self.type_of({**schema, "type": kind}, where, hint) for kind in rest
                )
                return ir.TypeRef("union", options=options, nullable=nullable)
        if types is None:
            return ir.TypeRef("any", nullable=nullable)
        if "enum" in schema:
            if None in schema["enum"]:
                nullable = True
            return ir.TypeRef("enum", self.enum(schema, where, hint), nullable=nullable)
        if types == "array":
            item_hint = hint[:-4] if hint.endswith("List") else hint + "Item"
            item = self.type_of(schema.get("items", {}), where + "/items", item_hint)
            return ir.TypeRef("list", item=item, nullable=nullable)
        if types == "object":
            extra = schema.get("additionalProperties")
            if not schema.get("properties") and isinstance(extra, dict) and extra:
                value_where = where + "/additionalProperties"
                value = self.type_of(extra, value_where, hint + "Value")
                return ir.TypeRef("map", item=value, nullable=nullable)
            if not schema.get("properties"):
                return ir.TypeRef("any", nullable=nullable)
            return ir.TypeRef(
                "model", self.model(schema, where, hint), nullable=nullable
            )
        kind = SCALARS.get((types, schema.get("format", ""))) or SCALARS.get(
            (types, "")
        )
        if kind is None:
            raise self.doc.error(where, f"unsupported schema type {types!r}")
        return ir.TypeRef(kind, nullable=nullable)

    def all_of(self, schema: dict[str, Any], where: str, hint: str) -> ir.TypeRef:
        """``allOf``: one model with the properties of every part, in order.

        ``allOf: [{$ref: X}]`` alone (the 3.0 way to make a reference nullable or to
        describe it) is ``X`` itself.
        """
        parts = schema["allOf"]
        own = {
            key: value
            for key, value in schema.items()
            if key not in ("allOf", "nullable")
        }
        if len(parts) == 1 and not own.get("properties"):
            return self.type_of(parts[0], f"{where}/allOf/0", hint)
        for index, part in enumerate(parts):
            target, target_where = self.resolve(part, f"{where}/allOf/{index}")
            kind = target.get("type") if isinstance(target, dict) else None
            if kind not in (None, "object") or "items" in (target or {}):
                raise self.doc.error(
                    target_where, "allOf is supported for object schemas only"
                )
        return ir.TypeRef("model", self.model(schema, where, hint))

    def union(self, schema: dict[str, Any], where: str, hint: str) -> ir.TypeRef:
        """``oneOf``/``anyOf``: a union of the alternatives (a ``null`` one: nullable).

        With a ``discriminator``, each alternative's discriminating property is narrowed
        to its tag, so validation picks exactly one alternative.
        """
        keyword = "oneOf" if "oneOf" in schema else "anyOf"
        options: list[ir.TypeRef] = []
        nullable = False
        for index, option in enumerate(schema[keyword]):
            if isinstance(option, dict) and option.get("type") == "null":
                nullable = True
                continue
            option_where = f"{where}/{keyword}/{index}"
            options.append(
                self.type_of(option, option_where, f"{hint}Option{index + 1}")
            )
        if "discriminator" in schema:
            self.discriminate(schema, where, keyword)
        unique_options = tuple(dict.fromkeys(options))
        if len(unique_options) == 1:
            found = unique_options[0]
            return _nullable(found) if nullable else found
        return ir.TypeRef("union", options=unique_options, nullable=nullable)

    def discriminate(self, schema: dict[str, Any], where: str, keyword: str) -> None:
        """Record the tag of every alternative (applied once all models exist)."""
        discriminator = schema["discriminator"]
        prop = discriminator["propertyName"]
        tags = {ref: tag for tag, ref in discriminator.get("mapping", {}).items()}
        for index, option in enumerate(schema[keyword]):
            ref = option.get("$ref") if isinstance(option, dict) else None
            if ref is None:
                raise self.doc.error(
                    f"{where}/{keyword}/{index}",
                    "discriminator: every alternative must be a $ref to an object schema",
                )
            name = self.by_pointer.get(ref[1:])
            model = self.models.get(name or "")
            if model is None or prop not in {field.json_name for field in model.fields}:
                raise self.doc.error(
                    where + "/discriminator",
                    f"discriminator property {prop!r} is not a property of {ref}",
                )
            self.tags.append(
                (model.name, prop, str(tags.get(ref, ref.rsplit("/", 1)[-1])))
            )

    def apply_tags(self) -> None:
        """Narrow each discriminated alternative's tag property to its one value."""
        for model_name, prop, tag in self.tags:
            model = self.models[model_name]
            fields = []
            for item in model.fields:
                if item.json_name == prop:
                    enum = self.tag_enum(model_name + pascal(prop), tag)
                    item = replace(item, type=ir.TypeRef("enum", enum))
                fields.append(item)
            self.models[model_name] = replace(model, fields=tuple(fields))

    def tag_enum(self, hint: str, tag: str) -> str:
        key = f"tag:{hint}:{tag}"
        if key not in self.by_pointer:
            name = unique(pascal(hint), self.names)
            self.by_pointer[key] = name
            self.enums[name] = ir.Enum(
                name, (tag,), f"The discriminator value {tag!r}."
            )
        return self.by_pointer[key]

    def properties(
        self, schema: dict[str, Any], where: str
    ) -> tuple[list[tuple[str, Any, str]], set[str]]:
        """(name, schema, pointer) of every property, ``allOf`` parts flattened in order."""
        found: dict[str, tuple[str, Any, str]] = {}
        required: set[str] = set()
        for index, part in enumerate(schema.get("allOf", [])):
            target, target_where = self.resolve(part, f"{where}/allOf/{index}")
            part_props, part_required = self.properties(target, target_where)
            found.update((key, (key, prop, at)) for key, prop, at in part_props)
            required |= part_required
        for key, prop in schema.get("properties", {}).items():
            found[key] = (key, prop, where + pointer("properties", key))
        required |= set(schema.get("required", []))
        return list(found.values()), required

    def enum(self, schema: dict[str, Any], where: str, hint: str) -> str:
        if where in self.by_pointer:
            return self.by_pointer[where]
        name = unique(pascal(hint), self.names)
        self.by_pointer[where] = name
        values = tuple(value for value in schema["enum"] if value is not None)
        self.enums[name] = ir.Enum(name, values, str(schema.get("description", "")))
        return name

    def model(self, schema: dict[str, Any], where: str, hint: str) -> str:
        if where in self.by_pointer:
            return self.by_pointer[where]
        name = unique(pascal(hint), self.names)
        self.by_pointer[where] = name
        props, required = self.properties(schema, where)
        taken: set[str] = set()
        fields = []
        for key, prop, prop_where in props:
            prop_type = self.type_of(prop, prop_where, name + pascal(key))
            fields.append(
                ir.Field(
                    name=unique(snake(key), taken),
                    json_name=key,
                    xml=self.xml_name(prop, prop_where, key, prop_type),
                    type=prop_type,
                    required=key in required,
                    description=_text(
                        self.resolve(prop, prop_where)[0].get("description")
                    ),
                    default=prop.get("default") if isinstance(prop, dict) else None,
                    constraints=constraints(self.resolve(prop, prop_where)[0]),
                    date_format=str(
                        self.resolve(prop, prop_where)[0].get("x-lmsgen-csv-date", "")
                    ),
                    secret=self.resolve(prop, prop_where)[0].get("format")
                    == "password",
                )
            )
        xml = schema.get("xml", {})
        self.models[name] = ir.Model(
            name=name,
            xml_name=xml.get("name", name),
            description=_text(schema.get("description")),
            fields=tuple(fields),
            namespace=xml.get("namespace", ""),
        )
        return name

    def xml_name(self, prop: Any, where: str, key: str, kind: ir.TypeRef) -> ir.XmlName:
        """Where a property lives in XML: the ``xml`` object, else the property name."""
        own = prop.get("xml", {}) if isinstance(prop, dict) else {}
        target, _ = self.resolve(prop, where)
        xml = {**target.get("xml", {}), **own} if isinstance(target, dict) else own
        name = xml.get("name", key)
        extras = {**(target if isinstance(target, dict) else {}), **(prop or {})}
        nil = bool(extras.get("x-xml-nil", False))
        aliases = tuple(extras.get("x-xml-aliases", ()))
        if xml.get("attribute"):
            return ir.XmlName(name, "attribute", nil=nil, aliases=aliases)
        if kind.is_list:
            items, _ = self.resolve(target.get("items", {}), where + "/items")
            item = (
                items.get("xml", {}).get("name", "") if isinstance(items, dict) else ""
            )
            if xml.get("wrapped"):
                return ir.XmlName(
                    name, "wrapped", item or name, nil=nil, aliases=aliases
                )
            return ir.XmlName(item or name, "repeated", nil=nil, aliases=aliases)
        if kind.is_model:
            return ir.XmlName(name, "object", nil=nil, aliases=aliases)
        return ir.XmlName(name, "scalar", nil=nil, aliases=aliases)

    def mark_csv(self, name: str) -> None:
        """A model written as CSV rows: checked, and rendered as a row of columns."""
        self.csv.add(name)
        self.mark_checked(ir.TypeRef("model", name))

    def mark_checked(self, kind: ir.TypeRef) -> None:
        """Models sent in requests enforce their documented limits."""
        if kind.is_list and kind.item is not None:
            self.mark_checked(kind.item)
        elif kind.is_model and kind.name not in self.checked:
            self.checked.add(kind.name)
            for item in self.models[kind.name].fields:
                self.mark_checked(item.type)


def _is_nullable(schema: dict[str, Any]) -> bool:
    """OpenAPI 3.0's ``nullable: true`` (3.1 spells it ``type: [X, "null"]``)."""
    return schema.get("nullable") is True


def _nullable(kind: ir.TypeRef) -> ir.TypeRef:
    return replace(kind, nullable=True)


UNSUPPORTED = ("not", "if", "patternProperties", "prefixItems", "dependentSchemas")
"""JSON Schema keywords a Python type cannot express; refused rather than ignored."""


def unsupported(doc: YamlDocument, schema: dict[str, Any], where: str) -> None:
    """Refuse a schema that uses a keyword the generator cannot honour."""
    for keyword in UNSUPPORTED:
        if keyword in schema:
            raise doc.error(
                where + pointer(keyword), f"schema keyword {keyword!r} is not supported"
            )


def constraints(schema: Any) -> ir.Constraints:
    if not isinstance(schema, dict):
        return ir.Constraints()
    return ir.Constraints(
        max_length=schema.get("maxLength"),
        min_length=schema.get("minLength"),
        max_items=schema.get("maxItems"),
        pattern=schema.get("pattern"),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
        decimal_places=_decimal_places(schema),
    )


def _decimal_places(schema: dict[str, Any]) -> int | None:
    """``multipleOf: 0.01`` on a decimal: at most two decimal places (checked exactly,
    where a float ``multiple_of`` would not be). The step is taken as a power of ten."""
    step = schema.get("multipleOf")
    if step is None or schema.get("format") != "decimal":
        return None
    return max(0, -int(Decimal(str(step)).normalize().as_tuple().exponent))


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


@dataclass(frozen=True)
class OpenApiResult:
    """What the OpenAPI frontend contributes to a provider."""

    title: str
    description: str
    settings: dict[str, Any]
    servers: tuple[ir.Server, ...]
    auth: tuple[ir.AuthScheme, ...]
    operations: tuple[ir.Operation, ...]
    models: tuple[ir.Model, ...]
    enums: tuple[ir.Enum, ...]
    json_schema: dict[str, Any]


def read(doc: YamlDocument, spec_dir: Path) -> OpenApiResult:
    """Build the IR parts described by one OpenAPI document."""
    validate(doc)
    data = doc.data
    builder = _Builder(doc)
    for key, schema in data.get("components", {}).get("schemas", {}).items():
        builder.type_of(schema, pointer("components", "schemas", key), key)
    operations: list[ir.Operation] = []
    seen_ids: dict[str, str] = {}
    for path, item in data.get("paths", {}).items():
        item_where = pointer("paths", path)
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            where = item_where + pointer(method)
            operation = _operation(
                builder, spec_dir, data, path, method, item[method], shared, where
            )
            if operation.operation_id in seen_ids:
                raise doc.error(
                    where + "/operationId",
                    f"duplicate operationId {operation.operation_id!r} "
                    f"(first at {seen_ids[operation.operation_id]})",
                )
            seen_ids[operation.operation_id] = f"{doc.path}:{doc.line(where)}"
            operations.append(operation)
    builder.apply_tags()
    models = tuple(
        replace(
            model, checked=model.name in builder.checked, csv=model.name in builder.csv
        )
        for model in builder.models.values()
    )
    info = data.get("info", {})
    return OpenApiResult(
        title=_text(info.get("title")),
        description=_text(info.get("description")),
        settings=dict(data.get("x-lmsgen", {})),
        servers=tuple(
            ir.Server(
                url=_server_url(server),
                description=_text(server.get("description")),
                region=server.get("x-lmsgen-region", ""),
                required=any(
                    variable.get("x-lmsgen-required")
                    for variable in server.get("variables", {}).values()
                ),
            )
            for server in data.get("servers", [])
        ),
        auth=_auth_schemes(doc, tuple(operations)),
        operations=tuple(operations),
        models=models,
        enums=tuple(builder.enums.values()),
        json_schema=json_schema(
            data, data.get("x-lmsgen", {}).get("json-dates", "iso")
        ),
    )


def _server_url(server: dict[str, Any]) -> str:
    """The server URL with its variables' defaults filled in."""
    url = str(server["url"])
    for name, variable in server.get("variables", {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url


def _auth_schemes(
    doc: YamlDocument, operations: tuple[ir.Operation, ...]
) -> tuple[ir.AuthScheme, ...]:
    schemes = []
    declared = doc.data.get("components", {}).get("securitySchemes", {})
    for name, raw in declared.items():
        scheme, where = _Builder(doc).resolve(
            raw, pointer("components", "securitySchemes", name)
        )
        _check_scheme(doc, scheme, where)
        kind = scheme.get("type")
        if kind == "apiKey":
            schemes.append(
                ir.AuthScheme(
                    name,
                    "apikey",
                    scheme.get("name", ""),
                    _text(scheme.get("description")),
                )
            )
        elif kind == "http":
            schemes.append(
                ir.AuthScheme(
                    name,
                    (
                        "bearer"
                        if scheme.get("scheme", "").lower() == "bearer"
                        else "basic"
                    ),
                    description=_text(scheme.get("description")),
                    system_key=bool(scheme.get("x-lmsgen-system-key")),
                )
            )
        elif kind in ("oauth2", "openIdConnect"):
            token_url = str(
                scheme.get("flows", {}).get("clientCredentials", {}).get("tokenUrl", "")
            )
            where += "/flows"
            token_operation = _token_operation(doc, where, token_url, operations)
            schemes.append(
                ir.AuthScheme(
                    name,
                    "bearer",
                    description=_text(scheme.get("description")),
                    token_url=token_url if token_operation else "",
                    token_operation=token_operation,
                )
            )
    return _prefixed(schemes)


def _check_scheme(doc: YamlDocument, scheme: dict[str, Any], where: str) -> None:
    """Refuse the security schemes the client cannot apply."""
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") != "header":
        raise doc.error(
            where + "/in",
            f"apiKey in {scheme.get('in')!r} is not supported (header only)",
        )
    if kind == "http" and str(scheme.get("scheme", "")).lower() not in (
        "basic",
        "bearer",
    ):
        raise doc.error(
            where + "/scheme",
            f"http scheme {scheme.get('scheme')!r} is not supported (basic or bearer)",
        )
    if kind == "mutualTLS":
        raise doc.error(
            where + "/type", "security scheme type 'mutualTLS' is not supported"
        )


def _prefixed(schemes: list[ir.AuthScheme]) -> tuple[ir.AuthScheme, ...]:
    """Schemes sharing a kind get their own argument names (``admin_api_key``…)."""
    kinds = [(scheme.kind, scheme.system_key) for scheme in schemes]
    return tuple(
        (
            replace(scheme, prefix=snake(scheme.name) + "_")
            if kinds.count((scheme.kind, scheme.system_key)) > 1
            else scheme
        )
        for scheme in schemes
    )


TOKEN_FIELDS = ("client_id", "client_secret", "grant_type")
"""The form fields of an OAuth 2.0 client-credentials token request (RFC 6749, 4.4)."""


def _token_operation(
    doc: YamlDocument, where: str, token_url: str, operations: tuple[ir.Operation, ...]
) -> str:
    """The operation that serves ``token_url``: the client obtains tokens through it.

    A token URL the spec does not describe (another host, say) gives ``""``: the client
    then takes a ready token.
    """
    if not token_url:
        return ""
    found = [op for op in operations if op.method == "POST" and op.path == token_url]
    if not found:
        return ""
    if len(found) > 1:
        raise doc.error(
            where, f"tokenUrl {token_url!r}: expected one POST operation with that path"
        )
    operation = found[0]
    fields = {parameter.wire_name for parameter in operation.parameters}
    result = operation.result
    if not set(TOKEN_FIELDS) <= fields or result is None or not result.type.is_model:
        raise doc.error(
            where,
            f"{operation.operation_id} must take the form fields {', '.join(TOKEN_FIELDS)} "
            "and answer an object with access_token (RFC 6749)",
        )
    return operation.name


def _operation(
    builder: _Builder,
    spec_dir: Path,
    data: dict[str, Any],
    path: str,
    method: str,
    spec: dict[str, Any],
    shared: list[Any],
    where: str,
) -> ir.Operation:
    doc = builder.doc
    operation_id = spec.get("operationId")
    if not operation_id:
        raise doc.error(where, f"{method.upper()} {path} has no operationId")
    name = snake(operation_id)
    taken: set[str] = set()
    parameters = _parameters(builder, spec, shared, where, name, taken)
    form = _form_fields(builder, spec, where, name, taken)
    body: ir.Payload | None = None
    body_arg, body_description = "", ""
    samples: tuple[ir.Sample, ...] = ()
    if form is not None:
        parameters += form
    else:
        body, body_arg, body_description, samples = _request_body(
            builder, spec_dir, spec, where, name, taken
        )
    selector = next((param for param in parameters if param.response_format), None)
    result, variants, success, result_samples = _responses(
        builder, spec_dir, spec, where, name, selector
    )
    error = _error_payload(builder, spec, where, name)
    pages = paging.pagination(
        spec.get("x-lmsgen-paginate"),
        parameters,
        result,
        builder.models,
        lambda message: doc.error(where + "/x-lmsgen-paginate", message),
    )
    security = spec.get("security", data.get("security", []))
    auth = tuple(key for requirement in security for key in requirement)
    return ir.Operation(
        operation_id=operation_id,
        name=name,
        method=method.upper(),
        path=path,
        summary=_text(spec.get("summary")),
        description=_text(spec.get("description")),
        tags=tuple(spec.get("tags", ())),
        parameters=parameters,
        body=body,
        body_arg=body_arg,
        body_description=body_description,
        result=result,
        success=success,
        idempotent=method in ("get", "put", "delete", "head", "options")
        or bool(spec.get("x-lmsgen-idempotent")),
        auth=auth,
        auth_optional=any(not requirement for requirement in security) or not security,
        inventory=str(spec.get("x-lmsgen-inventory", "")),
        samples=samples + result_samples,
        source=f"{doc.path}:{doc.line(where)}",
        variants=variants,
        pages=pages,
        error=error,
    )


def _parameters(
    builder: _Builder,
    spec: dict[str, Any],
    shared: list[Any],
    where: str,
    operation: str,
    taken: set[str],
) -> tuple[ir.Parameter, ...]:
    merged: dict[tuple[str, str], tuple[Any, str]] = {}
    path_where = where.rsplit("/", 1)[0]
    for index, raw in enumerate(shared):
        param, param_where = builder.resolve(raw, f"{path_where}/parameters/{index}")
        merged[(param["name"], param["in"])] = (param, param_where)
    for index, raw in enumerate(spec.get("parameters", [])):
        param, param_where = builder.resolve(raw, f"{where}/parameters/{index}")
        merged[(param["name"], param["in"])] = (param, param_where)
    result = []
    for (wire, location), (param, param_where) in merged.items():
        if location not in ("path", "query", "header"):
            raise builder.doc.error(
                param_where + "/in",
                f"parameter {wire!r}: location {location!r} is not supported",
            )
        schema = param.get("schema", {})
        kind = builder.type_of(
            schema, param_where + "/schema", pascal(operation) + pascal(wire)
        )
        if param.get("style") == "deepObject" and kind.is_model:
            builder.mark_checked(kind)
        resolved, _ = builder.resolve(schema, param_where + "/schema")
        required = bool(param.get("required")) or location == "path"
        default = resolved.get("default") if isinstance(resolved, dict) else None
        result.append(
            ir.Parameter(
                name=unique(snake(wire), taken),
                wire_name=wire,
                location=cast(Any, location),
                type=kind,
                required=required,
                description=_text(param.get("description")),
                default=default,
                style="deep" if param.get("style") == "deepObject" else "form",
                client_default=bool(param.get("x-lmsgen-client-default")),
                constraints=constraints(resolved),
                call_default=mediatypes.call_default(builder, kind, required, default),
                response_format=bool(param.get("x-lmsgen-response-format")),
                secret=isinstance(resolved, dict)
                and resolved.get("format") == "password",
            )
        )
    return tuple(result)


def _payload(
    builder: _Builder, content: dict[str, Any], where: str, hint: str
) -> ir.Payload | None:
    formats: list[ir.WireFormat] = []
    chosen: tuple[Any, str] | None = None
    xsd: tuple[str, str] | None = None
    for media, body in content.items():
        wire = wire_of(media)
        if wire is None:
            raise builder.doc.error(
                where + pointer(media), f"media type {media!r} is not supported yet"
            )
        formats.append(wire)
        media_where = where + pointer(media)
        if chosen is None:
            chosen = (body.get("schema", {}), media_where + "/schema")
        marker = body.get("x-lmsgen-xsd")
        if marker:
            xsd = (marker["file"], marker["element"])
    if chosen is None:
        return None
    schema, schema_where = chosen
    kind = builder.type_of(schema, schema_where, hint)
    target, _ = builder.resolve(schema, schema_where)
    xml = target.get("xml", {}) if isinstance(target, dict) else {}
    root, item = xml.get("name", ""), ""
    if kind.is_list and kind.item is not None:
        items, _ = builder.resolve(target.get("items", {}), schema_where + "/items")
        item = items.get("xml", {}).get("name", "") if isinstance(items, dict) else ""
        if kind.item.is_model:
            item = item or builder.models[kind.item.name].xml_name
    elif kind.is_model:
        root = root or builder.models[kind.name].xml_name
    _check_payload(builder.doc, kind, schema_where)
    name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else ""
    return ir.Payload(kind, tuple(formats), root, item, xsd, constraints(target), name)


def _check_payload(doc: YamlDocument, kind: ir.TypeRef, where: str) -> None:
    """Bodies are read and written by model codecs: an object or an array of objects."""
    inner = kind.item if kind.is_list and kind.item is not None else kind
    if not inner.is_model:
        shown = f"an array of {_shape(inner)}" if kind.is_list else _shape(kind)
        raise doc.error(
            where,
            f"a body that is {shown} is not supported (only objects or arrays of them)",
        )


def _shape(kind: ir.TypeRef) -> str:
    names = {"any": "a schema without properties", "union": "a oneOf/anyOf union"}
    return names.get(
        kind.kind, f"{kind.kind} values" if kind.is_list else f"a {kind.kind}"
    )


def _samples(
    spec_dir: Path,
    doc: YamlDocument,
    content: dict[str, Any],
    where: str,
    direction: str,
) -> tuple[ir.Sample, ...]:
    samples = []
    for media, body in content.items():
        wire = wire_of(media)
        for key, example in body.get("examples", {}).items():
            file = example.get("externalValue")
            if not file or wire is None:
                continue
            if not (spec_dir / file).is_file():
                raise doc.error(
                    where + pointer(media, "examples", key, "externalValue"),
                    f"example file {file!r} not found",
                )
            samples.append(
                ir.Sample(
                    file=file,
                    direction=cast(Any, direction),
                    wire_format=wire,
                    kind=example.get("x-lmsgen-sample", "data"),
                    summary=_text(example.get("summary")),
                )
            )
    return tuple(samples)


def _form_fields(
    builder: _Builder, spec: dict[str, Any], where: str, operation: str, taken: set[str]
) -> tuple[ir.Parameter, ...] | None:
    """A form body's fields (urlencoded or multipart), as arguments of their own.

    ``None``: the body is not a form. Multipart fields of ``format: binary`` are files.
    """
    if "requestBody" not in spec:
        return None
    body, body_where = builder.resolve(spec["requestBody"], where + "/requestBody")
    content = body.get("content", {})
    found = [name for name in content if mediatypes.bare(name) in mediatypes.FORMS]
    if not found:
        return None
    form = found[0]
    location = mediatypes.FORMS[mediatypes.bare(form)]
    schema_where = body_where + pointer("content", form, "schema")
    schema, schema_where = builder.resolve(
        content[form].get("schema", {}), schema_where
    )
    required = set(schema.get("required", []))
    fields = []
    for key, raw in schema.get("properties", {}).items():
        prop_where = schema_where + pointer("properties", key)
        prop, _ = builder.resolve(raw, prop_where)
        kind = builder.type_of(raw, prop_where, pascal(operation) + pascal(key))
        fields.append(
            ir.Parameter(
                name=unique(snake(key), taken),
                wire_name=key,
                location=cast(Any, location),
                type=kind,
                required=key in required,
                description=_text(prop.get("description")),
                default=prop.get("default"),
                client_default=bool(prop.get("x-lmsgen-client-default")),
                constraints=constraints(prop),
                call_default=mediatypes.call_default(
                    builder, kind, key in required, prop.get("default")
                ),
                response_format=bool(prop.get("x-lmsgen-response-format")),
                secret=prop.get("format") == "password",
            )
        )
    return tuple(fields)


def _request_body(
    builder: _Builder,
    spec_dir: Path,
    spec: dict[str, Any],
    where: str,
    operation: str,
    taken: set[str],
) -> tuple[ir.Payload | None, str, str, tuple[ir.Sample, ...]]:
    if "requestBody" not in spec:
        return None, "", "", ()
    body, body_where = builder.resolve(spec["requestBody"], where + "/requestBody")
    content = body.get("content", {})
    content_where = body_where + "/content"
    hint = pascal(operation) + "Body"
    if mediatypes.is_plain(builder, content, content_where):
        payload = _payload(builder, content, content_where, hint)
    else:
        payload, _ = mediatypes.variants(
            builder, spec_dir, content, content_where, hint, None
        )
    if payload is None:
        return None, "", "", ()
    builder.mark_checked(payload.type)
    arg = body.get("x-lmsgen-body-name") or (
        snake(payload.xml_root) if payload.xml_root else "body"
    )
    samples = _samples(
        spec_dir, builder.doc, content, body_where + "/content", "request"
    )
    return payload, unique(arg, taken), _text(body.get("description")), samples


def _responses(
    builder: _Builder,
    spec_dir: Path,
    spec: dict[str, Any],
    where: str,
    operation: str,
    selector: ir.Parameter | None,
) -> tuple[
    ir.Payload | None, tuple[ir.Payload, ...], tuple[int, ...], tuple[ir.Sample, ...]
]:
    result: ir.Payload | None = None
    variants: tuple[ir.Payload, ...] = ()
    success: list[int] = []
    samples: tuple[ir.Sample, ...] = ()
    for code, raw in spec.get("responses", {}).items():
        if not str(code).isdigit() or not 200 <= int(code) < 300:
            continue
        response, response_where = builder.resolve(
            raw, where + pointer("responses", str(code))
        )
        success.append(int(code))
        content = response.get("content", {})
        if content and result is None:
            content_where = response_where + "/content"
            hint = pascal(operation) + "Result"
            if mediatypes.is_plain(builder, content, content_where):
                result = _payload(builder, content, content_where, hint)
            else:
                result, variants = mediatypes.variants(
                    builder, spec_dir, content, content_where, hint, selector
                )
            samples = _samples(
                spec_dir, builder.doc, content, content_where, "response"
            )
    return result, variants, tuple(success), samples


def _error_payload(
    builder: _Builder, spec: dict[str, Any], where: str, operation: str
) -> ir.Payload | None:
    """The body of the first documented error answer (4xx, 5xx or default) that has one."""
    for code, raw in spec.get("responses", {}).items():
        if str(code).isdigit() and int(code) < 400:
            continue
        response, response_where = builder.resolve(
            raw, where + pointer("responses", str(code))
        )
        content = response.get("content", {})
        if content:
            return _payload(
                builder,
                content,
                response_where + "/content",
                pascal(operation) + "Error",
            )
    return None


def json_schema(data: dict[str, Any], json_dates: str) -> dict[str, Any]:
    """The components' schemas as one JSON Schema (2020-12) document, for validators."""
    schemas = data.get("components", {}).get("schemas", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {key: _plain(value, json_dates) for key, value in schemas.items()},
    }


def _plain(schema: Any, json_dates: str) -> Any:
    """A schema without OpenAPI-only keywords, with refs pointing into ``$defs``."""
    if isinstance(schema, list):
        return [_plain(item, json_dates) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in (
            "xml",
            "example",
            "externalDocs",
            "discriminator",
        ):
            continue
        if key == "$ref" and isinstance(value, str):
            result[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key == "format" and value == "date-time" and json_dates == "microsoft":
            result["pattern"] = r"^/Date\(-?\d+([+-]\d{4})?\)/$"
        elif key == "format" and value == "decimal":
            continue
        elif key == "properties":
            result[key] = {
                name: _plain(prop, json_dates) for name, prop in value.items()
            }
        else:
            result[key] = _plain(value, json_dates)
    return result


def error_at(doc: YamlDocument, where: str, message: str) -> SpecError:
    """A spec error located at a pointer of ``doc``."""
    return doc.error(where, message)
