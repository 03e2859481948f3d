"""XSD → IR models: typed payloads for an XML reply whose XSD the user dropped in.

The OpenAPI spec can describe an XML payload only as "an XML document" (``schema: {}``)
and name the XSD the vendor never published (``x-lmsgen-xsd``). When that file is in
the spec folder, this module turns its element into models:

* a complex type becomes a model named after the type (or, when anonymous, after its
  element); its child elements, then its attributes, become fields;
* a child that repeats (``maxOccurs`` above 1) is a list; a child whose type only
  wraps one repeated element (``<sessions><session/>…</sessions>``) is a wrapped list;
* a root element that only wraps one repeated element is a list payload, so a large
  reply can be read record by record;
* a simple type maps to a scalar, an enumeration to an enum, ``maxLength`` and friends
  to constraints.

Mixed content and text with attributes (``simpleContent``) have no place in the models
and are refused with a clear error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir
from ..errors import SpecError
from ..naming import pascal, snake, unique

BUILTINS = {
    "boolean": "bool",
    "decimal": "decimal",
    "float": "float",
    "double": "float",
    "date": "date",
    "dateTime": "datetime",
    **dict.fromkeys(
        ("int", "integer", "long", "short", "byte", "nonNegativeInteger", "positiveInteger"),
        "int",
    ),
    **dict.fromkeys(("unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"), "int"),
}
"""XSD primitive types by local name → IR scalars; every other simple type is text."""

Fail = Callable[[str], SpecError]


def _repeated(element: Any) -> bool:
    return element.max_occurs is None or element.max_occurs > 1


def _children(xsd_type: Any) -> list[Any]:
    content = getattr(xsd_type, "content", None)
    if content is None or not hasattr(content, "iter_elements"):
        return []
    return list(content.iter_elements())


class XsdModels:
    """Builds IR types from XSD elements, collecting the models and enums they need.

    ``taken`` holds the names already used by the provider, so new ones never clash.
    """

    def __init__(self, fail: Fail, taken: set[str]) -> None:
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self._fail = fail
        self._names = taken
        self._by_type: dict[int, str] = {}

    def payload(self, element: Any) -> ir.Payload:
        """The payload of a global element: a list when it wraps one repeated element."""
        item = self._wrapped_item(element.type)
        if item is not None:
            kind = self._value(item, pascal(item.local_name))
            return ir.Payload(
                ir.TypeRef("list", item=kind),
                ("xml",),
                xml_root=element.local_name,
                xml_item=item.local_name,
                kind="model",
                media="application/xml",
            )
        kind = self._value(element, pascal(element.local_name))
        if not kind.is_model:
            raise self._fail(f"XSD element {element.local_name!r} is not a complex type")
        return ir.Payload(
            kind,
            ("xml",),
            xml_root=element.local_name,
            kind="model",
            media="application/xml",
        )

    def _wrapped_item(self, xsd_type: Any) -> Any:
        """The one repeated child of a type that holds nothing else, if it is such a type."""
        if not xsd_type.is_complex() or xsd_type.attributes:
            return None
        children = _children(xsd_type)
        if len(children) == 1 and _repeated(children[0]):
            return children[0]
        return None

    def _value(self, element: Any, hint: str) -> ir.TypeRef:
        """The type of one occurrence of ``element``."""
        xsd_type = element.type
        if xsd_type.is_simple():
            return self._simple(xsd_type, hint)
        if xsd_type.has_simple_content() or xsd_type.mixed:
            raise self._fail(
                f"XSD element {element.local_name!r} has text mixed with attributes or "
                "elements, which the models cannot hold"
            )
        return ir.TypeRef("model", self._model(element))

    def _simple(self, xsd_type: Any, hint: str) -> ir.TypeRef:
        if xsd_type.enumeration:
            name = unique(pascal(xsd_type.local_name or hint), self._names)
            self.enums[name] = ir.Enum(name, tuple(xsd_type.enumeration))
            return ir.TypeRef("enum", name)
        primitive = getattr(xsd_type, "primitive_type", xsd_type)
        return ir.TypeRef(BUILTINS.get(primitive.local_name or "", "str"))

    def _model(self, element: Any) -> str:
        xsd_type = element.type
        if id(xsd_type) in self._by_type:
            return self._by_type[id(xsd_type)]
        name = unique(pascal(xsd_type.local_name or element.local_name), self._names)
        self._by_type[id(xsd_type)] = name
        taken: set[str] = set()
        fields = [self._element_field(child, name, taken) for child in _children(xsd_type)]
        fields += [
            self._attribute_field(attribute, name, taken)
            for attribute in xsd_type.attributes.values()
        ]
        self.models[name] = ir.Model(
            name=name,
            xml_name=element.local_name,
            description=f"The <{element.local_name}> element of the vendor's XSD.",
            fields=tuple(fields),
        )
        return name

    def _element_field(self, child: Any, owner: str, taken: set[str]) -> ir.Field:
        hint = owner + pascal(child.local_name)
        item = self._wrapped_item(child.type) if child.type.is_complex() else None
        if item is not None:
            kind = ir.TypeRef("list", item=self._value(item, hint))
            xml = ir.XmlName(child.local_name, "wrapped", item.local_name)
        elif _repeated(child):
            kind = ir.TypeRef("list", item=self._value(child, hint))
            xml = ir.XmlName(child.local_name, "repeated")
        else:
            kind = self._value(child, hint)
            xml = ir.XmlName(child.local_name, "object" if kind.is_model else "scalar")
        return ir.Field(
            name=unique(snake(child.local_name), taken),
            json_name=child.local_name,
            xml=xml,
            type=kind,
            required=child.min_occurs > 0 and not kind.is_list,
            constraints=_constraints(child.type),
        )

    def _attribute_field(self, attribute: Any, owner: str, taken: set[str]) -> ir.Field:
        kind = self._simple(attribute.type, owner + pascal(attribute.local_name))
        return ir.Field(
            name=unique(snake(attribute.local_name), taken),
            json_name=attribute.local_name,
            xml=ir.XmlName(attribute.local_name, "attribute"),
            type=kind,
            required=attribute.use == "required",
            constraints=_constraints(attribute.type),
        )


def _constraints(xsd_type: Any) -> ir.Constraints:
    if not xsd_type.is_simple():
        return ir.Constraints()
    patterns = getattr(xsd_type, "patterns", None)
    return ir.Constraints(
        max_length=getattr(xsd_type, "max_length", None),
        min_length=getattr(xsd_type, "min_length", None) or None,
        pattern=f"^(?:{patterns.regexps[0]})$" if patterns else None,
    )
