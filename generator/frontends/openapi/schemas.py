"""OpenAPI schemas → IR models, enums and types, each named once.

Every schema is reached through a JSON pointer (``where``), which names the line of any
problem and is the key that makes a schema met twice one model. Named schemas take their
component name; inline ones take a ``hint`` built from where they are used
(``GetUserResult``, ``ListUsersItem``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ... import ir
from ...extensions import CSV_DATE
from ...naming import pascal, snake, unique
from ...yamlsource import YamlDocument, pointer
from .document import prose, resolve

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


@dataclass
class Schemas:
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
        return resolve(self.doc, schema, where)

    def type_of(self, schema: Any, where: str, hint: str) -> ir.TypeRef:
        """The IR type of a schema; ``hint`` names inline models and enums."""
        if isinstance(schema, dict) and "$ref" in schema:
            target, target_where = self.resolve(schema, where)
            found = self.type_of(target, target_where, target_where.rsplit("/", 1)[-1])
            return _nullable(found) if _is_nullable(schema) else found
        if not isinstance(schema, dict) or not schema:
            return ir.TypeRef("any")
        _unsupported(self.doc, schema, where)
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
            target, _ = self.resolve(prop, prop_where)
            fields.append(
                ir.Field(
                    name=unique(snake(key), taken),
                    json_name=key,
                    xml=self.xml_name(prop, prop_where, key, prop_type),
                    type=prop_type,
                    required=key in required,
                    description=prose(target.get("description")),
                    default=prop.get("default") if isinstance(prop, dict) else None,
                    constraints=constraints(target),
                    date_format=CSV_DATE.read(target),
                    secret=target.get("format") == "password",
                )
            )
        xml = schema.get("xml", {})
        self.models[name] = ir.Model(
            name=name,
            xml_name=xml.get("name", name),
            description=prose(schema.get("description")),
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


def _unsupported(doc: YamlDocument, schema: dict[str, Any], where: str) -> None:
    """Refuse a schema that uses a keyword the generator cannot honour."""
    for keyword in UNSUPPORTED:
        if keyword in schema:
            raise doc.error(
                where + pointer(keyword), f"schema keyword {keyword!r} is not supported"
            )


def constraints(schema: Any) -> ir.Constraints:
    """The documented limits of a value (``maxLength``, ``pattern``, ``minimum``…)."""
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
