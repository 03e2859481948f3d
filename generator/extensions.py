"""The ``x-lmsgen`` vocabulary: every extension key a spec may carry, declared once.

Each declaration says where the key may appear, what its value must be and what it
means. The frontends read keys only through these declarations
(``CLIENT_DEFAULT.read(parameter)``), and ``problems`` checks an object's keys against
them before anything is read, so a misspelt key, a key in the wrong place or a value of
the wrong type stops ``lmsgen validate`` instead of silently changing the generated
client. Other vendors' extensions (``x-foo``) are left alone. ``specs/README.md`` shows
the same table (a test holds the two together).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, Protocol, TypeVar, cast

PREFIX = "x-lmsgen"
"""Every key that starts so is ours, and must be declared."""


class Place(Enum):
    """The objects of a spec an extension key may sit in (by what the code reads)."""

    ROOT = "the document root"
    INFO = "the info object"
    SERVER = "a server"
    SERVER_VARIABLE = "a server variable"
    PATH_ITEM = "a path item"
    OPERATION = "an operation"
    PARAMETER = "a parameter"
    REQUEST_BODY = "a request body"
    RESPONSE = "a response"
    HEADER = "a header"
    MEDIA_TYPE = "a media type"
    EXAMPLE = "an example"
    SCHEMA = "a schema"
    PROPERTY = "a property (a schema under properties)"
    SECURITY_SCHEME = "a security scheme"
    COMPONENTS = "components"
    SOAP_OPERATION = "a SOAP operation (under x-lmsgen-soap.operations)"


Where = tuple[str | int, ...]
"""A path of keys and indexes, from the checked object down."""


class Problem(NamedTuple):
    """What is wrong, and where: the path from the checked object to the culprit key."""

    where: Where
    message: str


class Shape(Protocol):
    """What a value must be."""

    @property
    def label(self) -> str:
        """The shape in a few words, for messages and the README."""
        ...

    def problems(self, value: Any, name: str, where: Where) -> Iterator[Problem]:
        """What is wrong with ``value`` (of the key or sub-key ``name``)."""
        ...


@dataclass(frozen=True)
class Scalar:
    """One YAML scalar of the given types (a bool is no number), maybe one of ``choices``."""

    label: str
    types: tuple[type, ...]
    choices: tuple[str, ...] = ()

    def problems(self, value: Any, name: str, where: Where) -> Iterator[Problem]:
        is_bool = isinstance(value, bool)
        if (
            not isinstance(value, self.types)
            or (is_bool and bool not in self.types)
            or (self.choices and value not in self.choices)
        ):
            yield Problem(where, f"{name} must be {self.label}, got {value!r}")


@dataclass(frozen=True)
class ListOf:
    """A YAML sequence of one shape."""

    item: Shape

    @property
    def label(self) -> str:
        return f"[{self.item.label}, …]"

    def problems(self, value: Any, name: str, where: Where) -> Iterator[Problem]:
        if not isinstance(value, list):
            yield Problem(where, f"{name} must be {self.label}, got {value!r}")
            return
        for index, item in enumerate(value):
            yield from self.item.problems(item, f"{name}[{index}]", (*where, index))


@dataclass(frozen=True)
class Table:
    """A mapping from names the spec chooses to values of one shape."""

    value: Shape

    @property
    def label(self) -> str:
        return f"{{name: {self.value.label}, …}}"

    def problems(self, value: Any, name: str, where: Where) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield Problem(where, f"{name} must be {self.label}, got {value!r}")
            return
        for key, item in value.items():
            yield from self.value.problems(item, f"{name}.{key}", (*where, key))


@dataclass(frozen=True)
class Block:
    """A mapping with known keys, some of them required."""

    fields: Mapping[str, Shape]
    required: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        keys = [
            f"{key} (required)" if key in self.required else key for key in self.fields
        ]
        return "{" + ", ".join(keys) + "}"

    def problems(self, value: Any, name: str, where: Where) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield Problem(where, f"{name} must be {self.label}, got {value!r}")
            return
        missing = [key for key in self.required if key not in value]
        if missing:
            yield Problem(where, f"{name} needs {_and(missing)}")
        for key, item in value.items():
            shape = self.fields.get(key)
            if shape is None:
                hint = _suggestion(str(key), list(self.fields))
                yield Problem((*where, key), f"{name}: unknown key {key!r}{hint}")
            else:
                yield from shape.problems(item, f"{name}.{key}", (*where, key))


@dataclass(frozen=True)
class Objects:
    """A mapping from names to objects of a ``place``: their own keys are ``fields``,
    their extension keys those declared for the place."""

    label: str
    place: Place
    fields: Mapping[str, Shape]

    def problems(self, value: Any, name: str, where: Where) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield Problem(where, f"{name} must be {self.label}, got {value!r}")
            return
        for key, item in value.items():
            here = (*where, key)
            if not isinstance(item, dict):
                yield Problem(here, f"{name}.{key} must be a mapping, got {item!r}")
                continue
            for problem in problems(item, self.place):
                yield Problem((*here, *problem.where), problem.message)
            own = {sub: inner for sub, inner in item.items() if not _ours(sub)}
            yield from Block(self.fields).problems(own, f"{name}.{key}", here)


FLAG = Scalar("true or false", (bool,))
TEXT = Scalar("text", (str,))
INTEGER = Scalar("an integer", (int,))
NUMBER = Scalar("a number", (int, float))
VALUE = Scalar("a scalar", (str, int, float, bool))


def choice(*values: str) -> Scalar:
    """One of a few words."""
    return Scalar(" or ".join(values), (str,), values)


T = TypeVar("T")
EMPTY: Mapping[str, Any] = MappingProxyType({})
NO_BLOCK: Mapping[str, Any] | None = None
NO_LIST: list[Any] | None = None


@dataclass(frozen=True)
class Extension(Generic[T]):
    """One declared key: where it may appear, its value's shape, what it means."""

    name: str
    places: tuple[Place, ...]
    shape: Shape
    meaning: str
    absent: T
    """What ``read`` gives when the key is not there."""

    def read(self, node: Any) -> T:
        """The key's value in ``node`` (checked by ``problems`` beforehand), or ``absent``."""
        if isinstance(node, dict) and self.name in node:
            return cast(T, node[self.name])
        return self.absent


KEYS: dict[str, Extension[Any]] = {}
"""Every declared key by name, in declaration order."""


def declare(
    name: str, places: tuple[Place, ...], shape: Shape, meaning: str, absent: T
) -> Extension[T]:
    """Declare a key (once: ``KEYS`` holds them all)."""
    extension = Extension(name, places, shape, meaning, absent)
    KEYS[name] = extension
    return extension


WIRE_RULE = Block({"query": Table(VALUE), "headers": Table(VALUE)})

SETTINGS = declare(
    PREFIX,
    (Place.ROOT,),
    Block(
        {
            "draft": TEXT,
            "json-dates": choice("iso", "microsoft"),
            "xml-nil-prefix": TEXT,
            "rate-limit": Block(
                {"requests": INTEGER, "per-seconds": NUMBER},
                ("requests", "per-seconds"),
            ),
            "wire-formats": Block(
                {"default": choice("xml", "json"), "xml": WIRE_RULE, "json": WIRE_RULE}
            ),
            "session-cookie": FLAG,
        }
    ),
    "Provider settings: JSON dates, xsi:nil prefix, rate limit, how a caller picks "
    "XML or JSON, session cookie, draft marker.",
    EMPTY,
)
SOAP = declare(
    "x-lmsgen-soap",
    (Place.ROOT,),
    Block(
        {
            "wsdl": TEXT,
            "security": ListOf(Table(ListOf(TEXT))),
            "token-element": TEXT,
            "faults": Table(TEXT),
            "operations": Objects(
                "{WSDL operation name: {tags, …}, …}",
                Place.SOAP_OPERATION,
                {"tags": ListOf(TEXT)},
            ),
        }
    ),
    "What the WSDL cannot say: its file, security, where the token goes, the fault "
    "kinds, per-operation settings.",
    EMPTY,
)
REGION = declare(
    "x-lmsgen-region",
    (Place.SERVER,),
    TEXT,
    'Names the server, so the client offers `region="…"`.',
    "",
)
REQUIRED = declare(
    "x-lmsgen-required",
    (Place.SERVER_VARIABLE,),
    FLAG,
    "The vendor documents no value: the client demands it as configuration.",
    False,
)
SYSTEM_KEY = declare(
    "x-lmsgen-system-key",
    (Place.SECURITY_SCHEME,),
    FLAG,
    "A basic scheme whose password is the site's system key.",
    False,
)
IDEMPOTENT = declare(
    "x-lmsgen-idempotent",
    (Place.OPERATION, Place.SOAP_OPERATION),
    FLAG,
    "A POST that only reads: safe to retry.",
    False,
)
PAGINATE = declare(
    "x-lmsgen-paginate",
    (Place.OPERATION, Place.SOAP_OPERATION),
    Block(
        dict.fromkeys(("token-param", "next-token", "items", "size-param"), TEXT),
        ("token-param", "next-token", "items"),
    ),
    "Token pagination, by wire names: the client gets `iter_<operation>()`.",
    NO_BLOCK,
)
INVENTORY = declare(
    "x-lmsgen-inventory",
    (Place.OPERATION, Place.SOAP_OPERATION),
    TEXT,
    "The operation's row in the inventory of the vendor's documented operations.",
    "",
)
DEFAULTS = declare(
    "x-lmsgen-defaults",
    (Place.SOAP_OPERATION,),
    Table(VALUE),
    "Server-side defaults of request elements the caller leaves out.",
    EMPTY,
)
CLIENT_DEFAULT = declare(
    "x-lmsgen-client-default",
    (Place.PARAMETER, Place.PROPERTY),
    FLAG,
    "Usually set once on the client; each call may override it.",
    False,
)
RESPONSE_FORMAT = declare(
    "x-lmsgen-response-format",
    (Place.PARAMETER, Place.PROPERTY),
    FLAG,
    "The argument that picks the reply's representation: one variant per media type.",
    False,
)
FORMAT_VALUES = declare(
    "x-lmsgen-format-values",
    (Place.MEDIA_TYPE,),
    ListOf(VALUE),
    "The response-format values that pick this media type (default: its subtype).",
    NO_LIST,
)
BODY_NAME = declare(
    "x-lmsgen-body-name",
    (Place.REQUEST_BODY,),
    TEXT,
    "The name of the request body's argument.",
    "",
)
STREAM = declare(
    "x-lmsgen-stream",
    (Place.MEDIA_TYPE,),
    FLAG,
    "A reply that can be large: the client also gets `download_<name>()` and "
    "`iter_<name>()`.",
    False,
)
RECORD = declare(
    "x-lmsgen-record",
    (Place.MEDIA_TYPE,),
    TEXT,
    "The record element of an undocumented streamed XML reply: `iter_<name>()` yields "
    "only these; other children of the root (headers) are skipped.",
    "",
)
FEED: Extension[Literal["feed", "entry"]] = declare(
    "x-lmsgen-feed",
    (Place.MEDIA_TYPE,),
    choice("feed", "entry"),
    "An RSS or Atom reply is a whole feed (default) or one Atom entry.",
    "feed",
)
XSD = declare(
    "x-lmsgen-xsd",
    (Place.MEDIA_TYPE,),
    Block({"file": TEXT, "element": TEXT}, ("file", "element")),
    "The XSD element of an XML payload: checked against the schema, or types an "
    "undocumented one.",
    NO_BLOCK,
)
CSV = declare(
    "x-lmsgen-csv",
    (Place.SCHEMA,),
    Block({"header": FLAG, "report": FLAG}),
    "A `text/plain` body of CSV rows (`header`) or a content handler's CSV report "
    "(`report`).",
    NO_BLOCK,
)
CSV_DATE = declare(
    "x-lmsgen-csv-date",
    (Place.PROPERTY,),
    TEXT,
    "The `strftime` format in which a CSV column takes a `datetime` or `date`.",
    "",
)
SAMPLE: Extension[Literal["data", "template", "fragment"]] = declare(
    "x-lmsgen-sample",
    (Place.EXAMPLE,),
    choice("data", "template", "fragment"),
    "What a vendor sample holds: real values (default), placeholders, or a cut-off "
    "part.",
    "data",
)


def problems(node: Mapping[Any, Any], place: Place) -> Iterator[Problem]:
    """What is wrong with the extension keys of ``node``, an object at ``place``."""
    for key, value in node.items():
        if not _ours(key):
            continue
        extension = KEYS.get(key)
        if extension is None:
            here = [name for name, known in KEYS.items() if place in known.places]
            hint = _suggestion(key, here) or _suggestion(key, list(KEYS))
            yield Problem((key,), f"unknown extension {key!r}{hint}")
        elif place not in extension.places:
            allowed = " or ".join(where.value for where in extension.places)
            yield Problem(
                (key,), f"{key} does not belong on {place.value}: only on {allowed}"
            )
        else:
            yield from extension.shape.problems(value, key, (key,))


def _ours(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(PREFIX)


def _suggestion(word: str, known: list[str]) -> str:
    """`` (did you mean …?)`` with the closest known key, compared without our prefix."""
    tails = {name.removeprefix(PREFIX): name for name in known}
    close = difflib.get_close_matches(word.removeprefix(PREFIX), list(tails), n=1)
    return f" (did you mean {tails[close[0]]}?)" if close else ""


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
