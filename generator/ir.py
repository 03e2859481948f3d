"""The intermediate representation: one typed, immutable model of a provider.

Frontends build it from the spec files; templates only read it. Every naming decision
(Python names, XML names, wire names) is made before a value lands here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Scalar = Literal["str", "int", "float", "decimal", "bool", "date", "datetime", "binary"]
WireFormat = Literal["xml", "json"]
PayloadKind = Literal["model", "json", "xml", "feed", "entry", "binary", "csv", "csv-report"]
"""How a body is read and written: ``model`` is a typed model in XML and/or JSON; ``json``
and ``xml`` are undocumented documents (any JSON value, any XML element); ``feed`` and
``entry`` are RSS 2.0 / Atom 1.0 documents; ``binary`` is raw bytes; ``csv`` is rows of a
CSV row model; ``csv-report`` is a CSV content handler's reply."""
XmlKind = Literal["scalar", "object", "wrapped", "repeated", "attribute"]


@dataclass(frozen=True)
class TypeRef:
    """The type of a field, parameter or body.

    ``kind`` is a scalar name, ``model`` (``name`` is the class), ``list`` (``item``),
    ``enum`` (``name`` is the enum class) or ``any`` (undocumented shape).
    """

    kind: str
    name: str = ""
    item: TypeRef | None = None
    nullable: bool = False

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def is_model(self) -> bool:
        return self.kind == "model"


@dataclass(frozen=True)
class Constraints:
    """Documented limits that are checked before a request is sent."""

    max_length: int | None = None
    min_length: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    decimal_places: int | None = None

    @property
    def any(self) -> bool:
        return any(value is not None for value in vars(self).values())


@dataclass(frozen=True)
class XmlName:
    """Where a field lives in XML."""

    name: str
    kind: XmlKind = "scalar"
    item: str = ""
    nil: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Field:
    """One property of a model."""

    name: str
    json_name: str
    xml: XmlName
    type: TypeRef
    required: bool
    description: str = ""
    default: Any = None
    constraints: Constraints = Constraints()
    date_format: str = ""
    """A CSV column that also takes Python dates: the ``strftime`` format they are written in."""


@dataclass(frozen=True)
class Model:
    """A payload object: becomes a pydantic class."""

    name: str
    xml_name: str
    description: str
    fields: tuple[Field, ...]
    namespace: str = ""
    checked: bool = False
    """Whether documented limits are enforced (models sent in requests)."""
    csv: bool = False
    """A row of a CSV body: the fields are its columns, in file order."""


@dataclass(frozen=True)
class Enum:
    """A closed set of values: becomes a ``str``/``int`` enum class."""

    name: str
    values: tuple[Any, ...]
    description: str = ""

    @property
    def base(self) -> str:
        return "int" if all(isinstance(value, int) for value in self.values) else "str"


@dataclass(frozen=True)
class Parameter:
    """One operation argument that travels in the path, the query or a header."""

    name: str
    wire_name: str
    location: Literal["path", "query", "header", "form", "multipart"]
    type: TypeRef
    required: bool
    description: str = ""
    default: Any = None
    style: Literal["form", "deep"] = "form"
    client_default: bool = False
    constraints: Constraints = Constraints()
    call_default: Any = None
    """What a required argument is when the caller omits it: the documented default, when
    that is a valid value (``None``: the caller must give it)."""
    response_format: bool = False
    """The argument selects the response representation (``format=json|xml|atom…``)."""

    @property
    def is_upload(self) -> bool:
        """A multipart file field: sent from a path, a file object or bytes."""
        return self.location == "multipart" and self.type.kind == "binary"


@dataclass(frozen=True)
class Payload:
    """A request or response body: its type and the representations it takes."""

    type: TypeRef
    formats: tuple[WireFormat, ...]
    xml_root: str = ""
    xml_item: str = ""
    xsd: tuple[str, str] | None = None
    """(file, element) of the XSD that describes the XML form, when there is one."""
    constraints: Constraints = Constraints()
    json_schema: str = ""
    """Name of the payload's schema in the provider's JSON Schema ``$defs``."""
    kind: PayloadKind = "model"
    media: str = ""
    """The media type of a non-model payload (``application/pdf``, ``text/plain``…)."""
    format_values: tuple[str, ...] = ()
    """The values of the operation's response-format argument that select this payload."""
    stream: bool = False
    """Large replies: the client also offers ``download_…`` and ``iter_…`` methods."""


@dataclass(frozen=True)
class Sample:
    """A vendor sample, copied verbatim from the docs."""

    file: str
    direction: Literal["request", "response"]
    wire_format: WireFormat
    kind: Literal["data", "template", "fragment"]
    summary: str = ""


@dataclass(frozen=True)
class Operation:
    """One documented call."""

    operation_id: str
    name: str
    method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: Payload | None
    body_arg: str
    body_description: str
    result: Payload | None
    success: tuple[int, ...]
    idempotent: bool
    auth: tuple[str, ...]
    auth_optional: bool
    inventory: str
    samples: tuple[Sample, ...] = ()
    source: str = ""
    """``file:line`` of the operation in its spec, for messages."""
    variants: tuple[Payload, ...] = ()
    """Every response representation when an argument chooses among them (``result`` is
    the one its default selects); empty otherwise."""

    @property
    def format_param(self) -> Parameter | None:
        """The argument that selects the response representation, if there is one."""
        return next((param for param in self.parameters if param.response_format), None)

    @property
    def result_groups(self) -> tuple[tuple[tuple[str, ...], Payload], ...]:
        """The format values grouped by the payload they select, one group per return type.

        Two values that yield the same Python type (``rssfull`` and ``atom`` both give a
        ``Feed``) share a group, so the client needs one ``typing.overload`` per group.
        """
        groups: dict[tuple[str, str], tuple[list[str], Payload]] = {}
        for payload in self.variants:
            key = (payload.kind, payload.type.name if payload.kind == "model" else "")
            groups.setdefault(key, ([], payload))[0].extend(payload.format_values)
        return tuple((tuple(values), payload) for values, payload in groups.values())

    @property
    def uploads(self) -> tuple[Parameter, ...]:
        return tuple(param for param in self.parameters if param.is_upload)

    @property
    def args_class(self) -> str:
        return "_" + "".join(part.title() for part in self.name.split("_")) + "Args"

    @property
    def constant(self) -> str:
        return self.name.upper()

    @property
    def download_name(self) -> str:
        """The method that streams a large reply to a file."""
        return "download_" + self.name

    @property
    def iter_name(self) -> str:
        """The method that hands out a large reply piece by piece (chunks or records)."""
        return "iter_" + self.name


@dataclass(frozen=True)
class Server:
    """A documented base URL."""

    url: str
    description: str
    region: str = ""
    required: bool = False
    """The URL holds a value the vendor does not document: the caller must give it."""


@dataclass(frozen=True)
class AuthScheme:
    """A security scheme and the constructor argument(s) it needs."""

    name: str
    kind: Literal["apikey", "basic", "bearer"]
    header: str = ""
    description: str = ""
    system_key: bool = False

    @property
    def params(self) -> tuple[str, ...]:
        """The client constructor arguments that carry this scheme's credentials."""
        if self.kind == "apikey":
            return ("api_key",)
        if self.kind == "bearer":
            return ("token",)
        if self.system_key:
            return ("system_user", "system_key")
        return ("username", "password")


@dataclass(frozen=True)
class RateLimit:
    requests: int
    per_seconds: float


@dataclass(frozen=True)
class WireRule:
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Provider:
    """Everything generated for one provider."""

    name: str
    title: str
    description: str
    servers: tuple[Server, ...]
    auth: tuple[AuthScheme, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    json_dates: Literal["iso", "microsoft"] = "iso"
    session_cookie: bool = False
    """The server sets a session cookie on every reply (the client never sends it back)."""
    xml_nil_prefix: str = "xsi"
    rate_limit: RateLimit | None = None
    default_format: WireFormat = "xml"
    wire_rules: tuple[tuple[WireFormat, WireRule], ...] = ()
    json_schema: dict[str, Any] = field(default_factory=dict, compare=False)
    files: tuple[tuple[str, bytes], ...] = field(default=(), compare=False)
    """Spec files copied into the package (XSDs, samples), by relative path."""

    @property
    def package(self) -> str:
        return self.name

    @property
    def client_defaults(self) -> tuple[Parameter, ...]:
        seen: dict[str, Parameter] = {}
        for operation in self.operations:
            for parameter in operation.parameters:
                if parameter.client_default:
                    seen.setdefault(parameter.name, parameter)
        return tuple(seen.values())

    @property
    def auth_required(self) -> bool:
        """One scheme that every operation needs: its credentials are required arguments."""
        return len(self.auth) == 1 and all(
            operation.auth and not operation.auth_optional for operation in self.operations
        )

    @property
    def default_base_url(self) -> str | None:
        """The base URL used when the caller names none; ``None`` if it must be configured."""
        if not self.servers or self.servers[0].required:
            return None
        return self.servers[0].url

    @property
    def regions(self) -> tuple[Server, ...]:
        return tuple(server for server in self.servers if server.region)

    @property
    def payloads(self) -> tuple[Payload, ...]:
        """Every request and response payload of every operation (variants included)."""
        found: list[Payload] = []
        for operation in self.operations:
            for payload in (operation.body, operation.result, *operation.variants):
                if payload is not None and payload not in found:
                    found.append(payload)
        return tuple(found)

    @property
    def payload_kinds(self) -> frozenset[str]:
        """The payload kinds in use: the runtime modules and codecs the package needs."""
        return frozenset(payload.kind for payload in self.payloads)

    @property
    def wire_choice(self) -> bool:
        """Whether callers pick XML or JSON with ``wire_format`` (a payload offers both)."""
        return any(len(payload.formats) > 1 for payload in self.payloads) or bool(
            self.wire_rules
        )

    @property
    def streams(self) -> bool:
        """Whether some reply is large enough to stream (``download_…``, ``iter_…``)."""
        return any(payload.stream for payload in self.payloads)

    @property
    def record_streams(self) -> bool:
        """Whether some streamed reply is XML read record by record."""
        return any(payload.stream and payload.kind != "binary" for payload in self.payloads)

    @property
    def media_results(self) -> bool:
        """Whether some reply is not a typed model (JSON or XML documents, feeds, files…)."""
        return any(
            payload.kind != "model"
            for operation in self.operations
            for payload in (operation.result, *operation.variants)
            if payload is not None
        )

    @property
    def model_results(self) -> bool:
        """Whether some reply is a typed model (answered from samples or example data)."""
        return any(
            operation.result is not None and operation.result.kind == "model"
            for operation in self.operations
        )

    @property
    def multipart(self) -> bool:
        """Whether some call sends a multipart form."""
        return any(
            param.location == "multipart"
            for operation in self.operations
            for param in operation.parameters
        )

    @property
    def body_kinds(self) -> frozenset[str]:
        return frozenset(op.body.kind for op in self.operations if op.body is not None)
