"""The intermediate representation: one typed, immutable model of a provider.

Frontends build it from the spec files; templates only read it. Every naming decision
(Python names, XML names, wire names) is made before a value lands here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Scalar = Literal[
    "str",
    "int",
    "float",
    "decimal",
    "bool",
    "date",
    "datetime",
    "date_or_datetime",
    "binary",
]
WireFormat = Literal["xml", "json"]
PayloadKind = Literal[
    "model", "json", "xml", "feed", "entry", "binary", "csv", "csv-report"
]
"""How a body is read and written: ``model`` is a typed model in XML and/or JSON; ``json``
and ``xml`` are undocumented documents (any JSON value, any XML element); ``feed`` and
``entry`` are RSS 2.0 / Atom 1.0 documents; ``binary`` is raw bytes; ``csv`` is rows of a
CSV row model; ``csv-report`` is a CSV content handler's reply."""
XmlKind = Literal["scalar", "object", "wrapped", "repeated", "attribute"]


@dataclass(frozen=True)
class TypeRef:
    """The type of a field, parameter or body.

    ``kind`` is a scalar name, ``model`` (``name`` is the class), ``list`` (``item``),
    ``map`` (string keys, ``item`` values), ``union`` (``options``), ``enum`` (``name``
    is the enum class) or ``any`` (undocumented shape).
    """

    kind: str
    name: str = ""
    item: TypeRef | None = None
    nullable: bool = False
    options: tuple[TypeRef, ...] = ()
    """The alternatives of a ``union`` (``oneOf``/``anyOf``/several types)."""

    @property
    def is_text(self) -> bool:
        """Read from XML as text: an empty element is ``""``, not ``None``."""
        return self.kind == "str" or any(
            option.kind == "str" for option in self.options
        )

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def is_model(self) -> bool:
        return self.kind == "model"


def leaves(kind: TypeRef | None) -> list[TypeRef]:
    """The types inside lists, maps and unions (``kind`` itself when it is none of them)."""
    if kind is None:
        return []
    if kind.kind in ("list", "map"):
        return leaves(kind.item)
    if kind.kind == "union":
        return [leaf for option in kind.options for leaf in leaves(option)]
    return [kind]


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
    secret: bool = False
    """A credential (``format: password``): left out of the model's ``repr``."""


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
    recursive: bool = False
    """It refers to a model defined after it (a cycle): its XML spec is set afterwards."""


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
    location: Literal["path", "query", "header", "form", "multipart", "body"]
    """``body``: a child element of a SOAP request element; ``multipart``: a form part."""
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

    secret: bool = False
    """A credential (``format: password``): kept out of error texts and logs."""


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
    namespace: str = ""
    """Namespace of the XML root element; the elements inside it inherit it."""


@dataclass(frozen=True)
class Sample:
    """A vendor sample, copied verbatim from the docs."""

    file: str
    direction: Literal["request", "response"]
    wire_format: WireFormat | Literal["http"]
    """``http``: a whole HTTP request as printed (request line, headers), not a body."""
    kind: Literal["data", "template", "fragment"]
    summary: str = ""
    repairs: tuple[str, ...] = ()
    """Named fixes that make a misprinted sample parse (see ``specs/README.md``)."""


@dataclass(frozen=True)
class Pagination:
    """Token pagination, with Python names: the argument that carries the page token,
    the result fields that hold the next token and the records, and the page size."""

    token_arg: str
    next_field: str
    items_field: str
    item: TypeRef
    size_arg: str = ""
    default_size: int | None = None


@dataclass(frozen=True)
class SoapCall:
    """How a SOAP 1.1 document/literal operation is sent."""

    action: str
    element: str
    """Local name of the request element (the Body's child)."""
    namespace: str
    request: str
    """The model of the request element; its fields are the operation's parameters."""
    token_path: tuple[str, ...] = ()
    """Python field path, in the request model, of the access token (empty: none)."""


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

    soap: SoapCall | None = None
    pages: Pagination | None = None
    error: Payload | None = None
    """The documented body of error answers (``{code, message}``…), when there is one."""

    @property
    def page_proof(self) -> str:
        """The result field whose presence proves a reply is a page ("": none checked).

        For a paginated operation, its records' container: a reply without it (an error
        object under status 200, a page wrapped once more) is refused rather than read
        as an empty page that ends the walk.
        """
        return self.pages.items_field if self.pages else ""

    @property
    def protocol(self) -> Literal["rest", "soap"]:
        return "soap" if self.soap is not None else "rest"

    @property
    def streamable(self) -> bool:
        """Its result is a list of records in XML: the client also streams it."""
        result = self.result
        item = result.type.item if result is not None else None
        return (
            result is not None
            and self.soap is None
            and not result.stream  # a streamed reply has its own ``iter_…`` already
            and "xml" in result.formats
            and bool(item and item.is_model)
        )

    @property
    def stream_name(self) -> str:
        """``get_user_courses`` → ``iter_user_courses``."""
        for verb in ("get_", "list_"):
            if self.name.startswith(verb):
                return "iter_" + self.name[len(verb) :]
        return "iter_" + self.name

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
    prefix: str = ""
    """Put before the argument names when another scheme has the same kind."""
    token_url: str = ""
    """OAuth 2.0 client credentials: where tokens are obtained (empty: a ready token)."""
    token_operation: str = ""
    """The operation (Python name) that serves ``token_url``."""

    @property
    def params(self) -> tuple[str, ...]:
        """The client constructor arguments that carry this scheme's credentials."""
        if self.kind == "apikey":
            names: tuple[str, ...] = ("api_key",)
        elif self.kind == "bearer" and self.token_url:
            names = ("token", "client_id", "client_secret")
        elif self.kind == "bearer":
            names = ("token",)
        elif self.system_key:
            names = ("system_user", "system_key")
        else:
            names = ("username", "password")
        return tuple(self.prefix + name for name in names)

    @property
    def pair(self) -> tuple[str, ...]:
        """The two arguments that only work together (``client_id`` and
        ``client_secret``, user and password), or none."""
        return self.params[-2:] if len(self.params) > 1 else ()


@dataclass(frozen=True)
class RateLimit:
    requests: int
    per_seconds: float


@dataclass(frozen=True)
class WireRule:
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SoapFault:
    """A documented kind of SOAP fault, recognised by its text, raised as its own class."""

    text: str
    name: str
    description: str = ""


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
    soap_endpoint: str | None = None
    """The WSDL's SOAP address: ``None`` without SOAP operations, ``""`` when unknown."""
    wsdl_file: str = ""
    """The WSDL of the SOAP operations, relative to the spec folder."""
    soap_faults: tuple[SoapFault, ...] = ()
    soap_fault_detail: Payload | None = None
    """The SOAP fault detail element the WSDL declares, if any."""
    json_schema: dict[str, Any] = field(default_factory=dict, compare=False)
    files: tuple[tuple[str, bytes], ...] = field(default=(), compare=False)
    """Spec files copied into the package (XSDs, samples), by relative path."""

    @cached_property
    def package(self) -> str:
        return self.name

    @cached_property
    def client_defaults(self) -> tuple[Parameter, ...]:
        seen: dict[str, Parameter] = {}
        for operation in self.operations:
            for parameter in operation.parameters:
                if parameter.client_default:
                    seen.setdefault(parameter.name, parameter)
        return tuple(seen.values())

    @cached_property
    def auth_required(self) -> bool:
        """One scheme that every operation needs: its credentials are required arguments."""
        return len(self.auth) == 1 and all(
            operation.auth and not operation.auth_optional
            for operation in self.operations
        )

    @cached_property
    def default_base_url(self) -> str | None:
        """The base URL used when the caller names none; ``None`` if it must be configured."""
        if not self.servers or self.servers[0].required:
            return None
        return self.servers[0].url

    @cached_property
    def regions(self) -> tuple[Server, ...]:
        return tuple(server for server in self.servers if server.region)

    @cached_property
    def payloads(self) -> tuple[Payload, ...]:
        """Every request and response payload of every operation (variants included)."""
        found: dict[Payload, None] = {}
        for operation in self.operations:
            for payload in (operation.body, operation.result, *operation.variants):
                if payload is not None:
                    found.setdefault(payload)
        return tuple(found)

    @cached_property
    def payload_kinds(self) -> frozenset[str]:
        """The payload kinds in use: the runtime modules and codecs the package needs."""
        return frozenset(payload.kind for payload in self.payloads)

    @cached_property
    def wire_choice(self) -> bool:
        """Whether callers pick XML or JSON with ``wire_format`` (a payload offers both)."""
        return any(len(payload.formats) > 1 for payload in self.payloads) or bool(
            self.wire_rules
        )

    @cached_property
    def streams(self) -> bool:
        """Whether some reply is large enough to stream (``download_…``, ``iter_…``)."""
        return any(payload.stream for payload in self.payloads)

    @cached_property
    def record_streams(self) -> bool:
        """Whether some streamed reply is XML read record by record."""
        return any(
            payload.stream and payload.kind != "binary" for payload in self.payloads
        )

    @cached_property
    def media_results(self) -> bool:
        """Whether some reply is not a typed model (JSON or XML documents, feeds, files…)."""
        return any(
            payload.kind != "model"
            for operation in self.operations
            for payload in (operation.result, *operation.variants)
            if payload is not None
        )

    @cached_property
    def model_results(self) -> bool:
        """Whether some reply is a typed model (answered from samples or example data)."""
        return any(
            operation.result is not None and operation.result.kind == "model"
            for operation in self.operations
        )

    @cached_property
    def multipart(self) -> bool:
        """Whether some call sends a multipart form."""
        return any(
            param.location == "multipart"
            for operation in self.operations
            for param in operation.parameters
        )

    @cached_property
    def body_kinds(self) -> frozenset[str]:
        return frozenset(op.body.kind for op in self.operations if op.body is not None)

    @cached_property
    def has_soap(self) -> bool:
        return self.soap_endpoint is not None

    @cached_property
    def credential_pairs(self) -> tuple[tuple[str, ...], ...]:
        """Every ``AuthScheme.pair``: the constructor refuses half of one."""
        return tuple(scheme.pair for scheme in self.auth if scheme.pair)

    @cached_property
    def token_scheme(self) -> AuthScheme | None:
        """The OAuth 2.0 client-credentials scheme, if the provider has one."""
        return next((scheme for scheme in self.auth if scheme.token_url), None)

    @cached_property
    def paginated(self) -> tuple[Operation, ...]:
        return tuple(operation for operation in self.operations if operation.pages)
