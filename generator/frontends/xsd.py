"""XSD → IR models and enums, for any element of any schema read with xmlschema.

The WSDL frontend feeds it the elements of a WSDL's types; the OpenAPI frontend feeds it
the element of an XSD the user dropped into the spec folder for a payload the spec only
calls "an XML document" (``extensions.XSD``, see ``frontends/openapi/media.py``).

* A complex type becomes a model, named after the type (or, when anonymous, after its
  element); its child elements and attributes become fields, in document order.
* A complex type that only wraps one repeated element (``<ids><id/>…</ids>``) is not a
  model of its own: the field that uses it is a wrapped list, as it reads in Python.
* A simple type with enumerations becomes an enum; other simple types map to scalars
  (a union of ``xs:date`` and ``xs:dateTime`` to ``date_or_datetime``).
* Namespaces: payload roots carry their element's namespace (``ir.Payload.namespace``)
  and every model is written in the namespace of the element that holds it, which is
  what ``elementFormDefault="qualified"`` means for a single-namespace schema. Schemas
  that mix namespaces inside one payload, or leave local elements unqualified under a
  qualified root, are refused with a clear error rather than written wrongly.

Models whose name and shape equal one the provider already has (from its OpenAPI part)
are shared, so a user passes the same ``DateTimeRange`` to a REST and a SOAP call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from xmlschema.validators import XsdAnyElement, XsdElement, XsdGroup

from .. import ir
from ..errors import SpecError
from ..naming import pascal, snake, unique

XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema"
BUILTINS: dict[str, str] = {
    **dict.fromkeys(
        ("string", "normalizedString", "token", "anyURI", "QName", "NCName", "Name"),
        "str",
    ),
    **dict.fromkeys(("ID", "IDREF", "language", "NMTOKEN", "time", "duration"), "str"),
    **dict.fromkeys(("gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay"), "str"),
    **dict.fromkeys(("base64Binary", "hexBinary", "anySimpleType"), "str"),
    **dict.fromkeys(
        ("int", "integer", "long", "short", "byte", "nonNegativeInteger"), "int"
    ),
    **dict.fromkeys(
        ("positiveInteger", "negativeInteger", "nonPositiveInteger"), "int"
    ),
    **dict.fromkeys(
        ("unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"), "int"
    ),
    "boolean": "bool",
    "decimal": "decimal",
    "float": "float",
    "double": "float",
    "date": "date",
    "dateTime": "datetime",
}
"""XSD built-in types by local name → IR scalar kinds (text where Python has no better)."""

Fail = Callable[[Any, str], SpecError]
"""Builds the spec error for a problem at an XSD component."""


def documentation(component: Any) -> str:
    """The ``xs:documentation`` text of a component, whitespace-normalised."""
    annotation = getattr(component, "annotation", None)
    if annotation is None:
        return ""
    texts = ["".join(item.itertext()) for item in annotation.documentation]
    return " ".join(" ".join(texts).split())


def _qualified_namespace(element: Any) -> str:
    """The namespace an element is written in: global ones (and references to them)
    always carry the target namespace; local ones only when qualified."""
    if element.is_global() or element.ref is not None or element.qualified:
        return str(element.target_namespace)
    return ""


def _repeated(element: Any) -> bool:
    return element.max_occurs is None or element.max_occurs > 1


class XsdModels:
    """Turns XSD elements into IR types, collecting the models and enums they need.

    ``known_models``/``known_enums`` are the provider's existing ones: equal ones are
    reused, and new names never collide with them nor with the names in ``taken``.
    """

    def __init__(
        self,
        fail: Fail | None = None,
        known_models: Mapping[str, ir.Model] | None = None,
        known_enums: Mapping[str, ir.Enum] | None = None,
        taken: set[str] | None = None,
    ) -> None:
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self._checked: set[str] = set()
        self._fail = fail or (
            lambda _component, message: SpecError("<xsd>", 1, message)
        )
        self._known_models = dict(known_models or {})
        self._known_enums = dict(known_enums or {})
        self._names = (
            set(self._known_models) | set(self._known_enums) | (taken or set())
        )
        self._by_type: dict[Any, str] = {}
        self._building: set[Any] = set()

    # Public entry points -------------------------------------------------------------

    def payload(self, element: Any, record_names: bool = False) -> ir.Payload:
        """The IR payload of a global element: a model, or a list the element wraps.

        ``record_names``: an anonymous record type of a list is named after its element
        alone (``<courses><course>`` → ``Course``, not ``CoursesCourse``), as a user who
        drops in a vendor's XSD expects.
        """
        namespace = _qualified_namespace(element)
        item = self._wrapped_item(element.type)
        if item is not None:
            self._check_namespace(item, namespace)
            hint = ("" if record_names else pascal(element.local_name)) + pascal(
                item.local_name
            )
            kind = self._value_type(item, hint, namespace)
            return ir.Payload(
                ir.TypeRef("list", item=kind),
                ("xml",),
                xml_root=element.local_name,
                xml_item=item.local_name,
                namespace=namespace,
            )
        kind = self._value_type(element, element.local_name, namespace)
        if not kind.is_model:
            raise self._fail(
                element, f"element {element.local_name!r} is not a complex type"
            )
        return ir.Payload(
            kind, ("xml",), xml_root=element.local_name, namespace=namespace
        )

    def every_model(self) -> dict[str, ir.Model]:
        """The provider's models: the known ones and those built here."""
        return {**self._known_models, **self.models}

    def mark_request(self, kind: ir.TypeRef) -> None:
        """Models sent in requests enforce their documented limits (``Model.checked``)."""
        while kind.is_list and kind.item is not None:
            kind = kind.item
        if (
            not kind.is_model
            or kind.name in self._checked
            or kind.name not in self.models
        ):
            return
        self._checked.add(kind.name)
        self.models[kind.name] = replace(self.models[kind.name], checked=True)
        for field in self.models[kind.name].fields:
            self.mark_request(field.type)

    # Types ---------------------------------------------------------------------------

    def _value_type(self, element: Any, hint: str, namespace: str) -> ir.TypeRef:
        """The type of one element's value (not counting its own repetition)."""
        xsd_type = element.type
        nullable = bool(element.nillable)
        if xsd_type.is_simple():
            return replace(self._simple(xsd_type, hint, element), nullable=nullable)
        if xsd_type.has_simple_content():
            raise self._fail(
                element,
                f"element {element.local_name!r}: complex types with simple content "
                "(text plus attributes) are not supported",
            )
        item = self._wrapped_item(xsd_type)
        if item is not None:
            self._check_namespace(item, namespace)
            inner = self._value_type(item, hint, namespace)
            return ir.TypeRef("list", item=inner, nullable=nullable)
        name = self._model(xsd_type, hint, namespace)
        return ir.TypeRef("model", name, nullable=nullable)

    def _simple(self, xsd_type: Any, hint: str, where: Any) -> ir.TypeRef:
        if getattr(xsd_type, "enumeration", None):
            return ir.TypeRef("enum", self._enum(xsd_type, hint))
        return ir.TypeRef(self._scalar(xsd_type, where))

    def _scalar(self, xsd_type: Any, where: Any) -> str:
        members = getattr(xsd_type, "member_types", None)
        if members:
            kinds = {self._scalar(member, where) for member in members}
            if kinds == {"date", "datetime"}:
                return "date_or_datetime"
            return kinds.pop() if len(kinds) == 1 else "str"
        current = xsd_type
        while current is not None:
            name = current.name or ""
            if name.startswith("{" + XSD_NAMESPACE + "}"):
                return BUILTINS.get(name.rpartition("}")[2], "str")
            current = getattr(current, "base_type", None)
        return "str"

    def _enum(self, xsd_type: Any, hint: str) -> str:
        key = xsd_type.name or id(xsd_type)
        if key in self._by_type:
            return self._by_type[key]
        name = pascal(xsd_type.local_name or hint)
        values = tuple(xsd_type.enumeration)
        known = self._known_enums.get(name)
        if known is None or known.values != values:
            name = unique(name, self._names)
            self.enums[name] = ir.Enum(name, values, documentation(xsd_type))
        self._by_type[key] = name
        return name

    def _model(self, xsd_type: Any, hint: str, namespace: str) -> str:
        key = xsd_type.name or id(xsd_type)
        if key in self._by_type:
            return self._by_type[key]
        if key in self._building:
            raise self._fail(xsd_type, f"recursive type {hint!r} is not supported")
        self._building.add(key)
        name = pascal(xsd_type.local_name or hint)
        fields = self._fields(xsd_type, name, namespace)
        self._building.discard(key)
        model = ir.Model(
            name=name,
            xml_name=xsd_type.local_name or hint,
            description=documentation(xsd_type),
            fields=fields,
        )
        known = self._known_models.get(name)
        if known is None or _shape(known) != _shape(model):
            name = unique(name, self._names)
            self.models[name] = replace(model, name=name)
        self._by_type[key] = name
        return name

    # Fields --------------------------------------------------------------------------

    def _fields(
        self, xsd_type: Any, model: str, namespace: str
    ) -> tuple[ir.Field, ...]:
        taken: set[str] = set()
        fields = [
            self._attribute(attribute, model, taken)
            for attribute in xsd_type.attributes.values()
        ]
        content = xsd_type.content
        if isinstance(content, XsdGroup):
            for element, optional in self._particles(content, False):
                fields.append(
                    self._element_field(element, optional, model, namespace, taken)
                )
        return tuple(fields)

    def _particles(self, group: Any, optional: bool) -> Iterator[tuple[Any, bool]]:
        """The child elements of a model group, flattened, with whether each may be absent."""
        if _repeated(group):
            raise self._fail(group, "repeated model groups are not supported")
        optional = optional or group.min_occurs == 0 or group.model == "choice"
        for particle in group:
            if isinstance(particle, XsdGroup):
                yield from self._particles(particle, optional)
            elif isinstance(particle, XsdElement):
                yield particle, optional or particle.min_occurs == 0
            elif not isinstance(particle, XsdAnyElement):
                raise self._fail(group, f"unsupported particle {particle!r}")

    def _element_field(
        self, element: Any, optional: bool, model: str, namespace: str, taken: set[str]
    ) -> ir.Field:
        self._check_namespace(element, namespace)
        local = element.local_name
        kind = self._value_type(element, model + pascal(local), namespace)
        nil = bool(element.nillable)
        wrapped = (
            self._wrapped_item(element.type) if element.type.is_complex() else None
        )
        if _repeated(element):
            kind = ir.TypeRef("list", item=kind)
            xml = ir.XmlName(local, "repeated", nil=nil)
        elif wrapped is not None:
            xml = ir.XmlName(local, "wrapped", wrapped.local_name, nil=nil)
        elif kind.is_model:
            xml = ir.XmlName(local, "object", nil=nil)
        else:
            xml = ir.XmlName(local, "scalar", nil=nil)
        return ir.Field(
            name=unique(snake(local), taken),
            json_name=local,
            xml=xml,
            type=kind,
            required=not optional,
            description=documentation(element),
            constraints=_constraints(element.type),
        )

    def _attribute(self, attribute: Any, model: str, taken: set[str]) -> ir.Field:
        local = attribute.local_name
        return ir.Field(
            name=unique(snake(local), taken),
            json_name=local,
            xml=ir.XmlName(local, "attribute"),
            type=self._simple(attribute.type, model + pascal(local), attribute),
            required=attribute.use == "required",
            description=documentation(attribute),
            constraints=_constraints(attribute.type),
        )

    def _wrapped_item(self, xsd_type: Any) -> Any:
        """The one repeated child element of a list-wrapper type, else ``None``."""
        if not xsd_type.is_complex() or xsd_type.attributes:
            return None
        content = xsd_type.content
        if not isinstance(content, XsdGroup) or _repeated(content):
            return None
        children = list(content)
        if len(children) == 1 and isinstance(children[0], XsdElement):
            return children[0] if _repeated(children[0]) else None
        return None

    def _check_namespace(self, element: Any, namespace: str) -> None:
        if _qualified_namespace(element) != namespace:
            raise self._fail(
                element,
                f"element {element.local_name!r} is in namespace "
                f"{_qualified_namespace(element)!r} inside a payload in {namespace!r}: "
                'payloads must keep one namespace (elementFormDefault="qualified")',
            )


def _shape(model: ir.Model) -> tuple[Any, ...]:
    """What makes two models interchangeable: names, XML and types, not the prose."""
    return (
        model.xml_name,
        model.namespace,
        tuple(
            (field.name, field.json_name, field.xml, field.type, field.required)
            for field in model.fields
        ),
    )


def _constraints(xsd_type: Any) -> ir.Constraints:
    """Length and range facets a schema adds to a simple type (others are left to the
    server); the built-in types' own ranges and enumerations add nothing."""
    builtin = (xsd_type.name or "").startswith("{" + XSD_NAMESPACE + "}")
    if not xsd_type.is_simple() or builtin or getattr(xsd_type, "enumeration", None):
        return ir.Constraints()
    return ir.Constraints(
        max_length=getattr(xsd_type, "max_length", None),
        min_length=getattr(xsd_type, "min_length", None) or None,
        minimum=_number(getattr(xsd_type, "min_value", None)),
        maximum=_number(getattr(xsd_type, "max_value", None)),
    )


def _number(value: Any) -> float | None:
    return (
        value
        if isinstance(value, int | float) and not isinstance(value, bool)
        else None
    )
