"""The vendor documentation (the seeds) read into the facts that ``tests/data/`` keeps.

``make docs-check DOCS=…`` compares each data file with what these parsers read from the
seeds, so the data cannot drift from the documentation silently. When the seeds change,
``python tests/docs/seeds.py DOCS`` rewrites the data files; review the diff, then make
the specs follow.

Seed 004 (PeopleFluent) is a plain-text Redoc rendering of the vendor's OpenAPI: every
function with its parameters (required flag, type, format, default, enum), request body
media type, authentication mode, named XSDs and CSV field tables. Seeds 000, 001 and 003
(iSpring Learn) are the vendor's pages of two SOAP methods and one REST request.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:  # run as a script, not by pytest
    sys.path.insert(0, str(TESTS))

from documented import (  # noqa: E402
    ISPRING_LEARN,
    PEOPLEFLUENT,
    SeedFunction,
    SeedParam,
)

_TYPE_LINE = re.compile(
    r"^(string|integer|number|boolean|array|object)(?: <([\w-]+)>)?$"
)
_NAME_LINE = re.compile(r"^[A-Za-z_][\w\-\[\].]*$")
_ENUM_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


class SeedLayoutError(AssertionError):
    """The seed text no longer has the Redoc layout this parser understands."""


def seed_path(docs: Path, number: str) -> Path:
    """The one seed file ``NUMBER_*.txt`` of ``docs``."""
    matches = sorted(docs.glob(f"{number}_*.txt"))
    if len(matches) != 1:
        raise AssertionError(
            f"expected exactly one seed file named {number}_*.txt in {docs}, found "
            f"{[m.name for m in matches]}"
        )
    return matches[0]


def source(docs: Path, numbers: tuple[str, ...]) -> dict[str, Any]:
    """Where a data file comes from: the seeds by name with their SHA-256, and when."""
    return {
        "seeds": {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (seed_path(docs, number) for number in numbers)
        },
        "extracted": datetime.now(UTC).date().isoformat(),
        "by": "python tests/docs/seeds.py DOCS",
    }


# --------------------------------------------------------------------------- seed 004


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _parse_enum(text: str) -> list[Any]:
    values: list[Any] = []
    for quoted, bare in _ENUM_TOKEN.findall(text):
        values.append(json.loads(f'"{quoted}"') if not bare else _parse_value(bare))
    return values


class _Block:
    """The non-blank lines of one function, from its "Authentication:" line on."""

    def __init__(self, function: str, lines: list[str]) -> None:
        self.function = function
        self.lines = lines
        self.pos = 0

    def peek(self, ahead: int = 0) -> str | None:
        index = self.pos + ahead
        return self.lines[index] if index < len(self.lines) else None

    def take(self) -> str:
        line = self.peek()
        if line is None:
            raise SeedLayoutError(f"{self.function}: text ends unexpectedly")
        self.pos += 1
        return line

    def at_param(self) -> bool:
        name, nxt, after = self.peek(), self.peek(1), self.peek(2)
        if name is None or nxt is None or not _NAME_LINE.match(name):
            return False
        if _TYPE_LINE.match(nxt):
            return True
        return nxt == "required" and after is not None and bool(_TYPE_LINE.match(after))

    def at_section_end(self) -> bool:
        line = self.peek()
        return (
            line is None
            or line == "Responses"
            or line.startswith("Request Body schema:")
        )


def _parse_params(block: _Block) -> list[SeedParam]:
    params: list[SeedParam] = []
    while not block.at_section_end():
        if not block.at_param():
            raise SeedLayoutError(
                f"{block.function}: expected a parameter (name, [required], type), "
                f"found {block.peek()!r}"
            )
        name = block.take()
        required = block.peek() == "required"
        if required:
            block.take()
        type_match = _TYPE_LINE.match(block.take())
        assert type_match is not None
        has_default, default, enum = False, None, None
        while (line := block.peek()) is not None and line.startswith(
            ("Default:", "Enum:")
        ):
            block.take()
            key, _, value = line.partition(":")
            if key == "Default":
                has_default, default = True, _parse_value(value.strip())
            else:
                enum = _parse_enum(value.strip())
        description: list[str] = []
        while not block.at_section_end() and not block.at_param():
            description.append(block.take())
        params.append(
            SeedParam(
                name=name,
                required=required,
                type=type_match.group(1),
                format=type_match.group(2),
                has_default=has_default,
                default=default,
                enum=enum,
                description="\n\n".join(description),
            )
        )
    return params


def _parse_block(function: SeedFunction, block: _Block) -> None:
    while (line := block.peek()) is not None:
        if line.startswith("Response schema:"):
            function.response_xsd = block.take().partition(":")[2].strip()
        elif line.startswith("Request schema:"):
            function.request_xsd = block.take().partition(":")[2].strip()
        elif line == "CSV Fields:":
            block.take()
            if not (block.peek() or "").startswith("Field "):
                raise SeedLayoutError(f"{function.name}: CSV table header missing")
            block.take()
            while not block.at_section_end():
                function.csv_rows.append(block.take())
        elif line == "query Parameters":
            block.take()
            function.location = "query"
            function.params = _parse_params(block)
        elif line.startswith("Request Body schema:"):
            block.take()
            function.location = "body"
            function.body_media = line.partition(":")[2].strip()
            if block.peek() == "required":
                block.take()
                function.body_required = True
            first = block.peek()
            if first is not None and _TYPE_LINE.match(first):
                function.raw_body_type = block.take()
                description: list[str] = []
                while not block.at_section_end():
                    description.append(block.take())
                function.raw_body_description = "\n\n".join(description)
            else:
                function.params = _parse_params(block)
        elif line == "Content type":
            block.take()
            media = block.peek()
            if media is not None and "/" in media:
                function.sample_media = block.take()
        else:
            block.take()


def parse_peoplefluent(docs: Path) -> dict[str, SeedFunction]:
    """Every function of seed 004, keyed by the seed's name (``contentHandler/…``)."""
    lines = [
        line.strip()
        for line in seed_path(docs, "004").read_text(encoding="utf-8").splitlines()
    ]
    lines = [line for line in lines if line]
    auth_at = [i for i, line in enumerate(lines) if line.startswith("Authentication:")]
    # The function name is the last line without a space above the description.
    name_at: list[int] = []
    for a in auth_at:
        j = a - 1
        while j > 0 and " " in lines[j]:
            j -= 1
        if j == a - 1 or not _NAME_LINE.match(lines[j].replace("/", "")):
            raise SeedLayoutError(
                f"no function name/description above line {lines[a]!r}"
            )
        name_at.append(j)
    section_at = [
        i for i in range(len(lines) - 1) if lines[i + 1].startswith("Resources ")
    ]
    functions: dict[str, SeedFunction] = {}
    for k, (j, a) in enumerate(zip(name_at, auth_at, strict=True)):
        name = lines[j]
        sections = [lines[s] for s in section_at if s < j]
        if not sections:
            raise SeedLayoutError(f"{name}: no section heading above it")
        auth = re.sub(r"^Authentication:\s*", "", lines[a]).removesuffix(".")
        function = SeedFunction(
            name=name,
            section=sections[-1],
            description="\n\n".join(lines[j + 1 : a]),
            auth=auth,
        )
        end = name_at[k + 1] if k + 1 < len(name_at) else len(lines)
        _parse_block(function, _Block(name, lines[a + 1 : end]))
        if name in functions:
            raise SeedLayoutError(f"{name}: documented twice")
        functions[name] = function
    return functions


def peoplefluent(docs: Path) -> dict[str, Any]:
    """The content of ``tests/data/peoplefluent_documented.json``."""
    functions = parse_peoplefluent(docs)
    return {
        "source": source(docs, ("004",)),
        "functions": {name: asdict(function) for name, function in functions.items()},
    }


# --------------------------------------------------------------------------- seeds 000, 001, 003

_PARAMETER = re.compile(
    r"^(?P<name>\w+)(?:\[startDate\],\s\w+\[endDate\])?\s\((?P<use>required|optional)\)"
)
_STATUSES = re.compile(r"Possible\svalues\sare:\s((?:\w+,\s)+\w+)")
_USER_STATUS = re.compile(r"(\d)\s—\s(\w+)")
_PAGE_SIZE = re.compile(r"pageSize\s\(optional\).*equal\sto\s(\d+)")
_TYPED_FIELD = re.compile(r"^([a-z]\w*?)(string|number|boolean|array|object)[A-Z]")


def section(text: str, start: str, end: str) -> list[str]:
    """The lines between the heading ``start`` and the next line starting with ``end``."""
    lines = text.splitlines()
    first = lines.index(start)
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
    return lines[first + 1 : last]


def _parameters(lines: list[str]) -> dict[str, bool]:
    """A seed's parameter table: name → required (the seeds put no-break spaces before
    the parentheses; a range is named once for its two bounds)."""
    found = {}
    for line in lines:
        match = _PARAMETER.match(line)
        if match:
            found[match["name"]] = match["use"] == "required"
    if not found:
        raise SeedLayoutError("no parameter table found")
    return found


def _statuses(text: str) -> list[str]:
    match = _STATUSES.search(text)
    if not match:
        raise SeedLayoutError("the completion statuses are no longer listed")
    return match[1].split(", ")


def _paging(text: str) -> dict[str, Any]:
    """The statuses and page size a paged results call documents in its parameters."""
    user_statuses = next(line for line in text.splitlines() if "userStatuses" in line)
    page_size = _PAGE_SIZE.search(text)
    if page_size is None:
        raise SeedLayoutError("pageSize no longer says what it is when not indicated")
    return {
        "completion_statuses": _statuses(text),
        "user_statuses": dict(_USER_STATUS.findall(user_statuses)),
        "page_size_default": int(page_size[1]),
    }


def _module_fields(text: str) -> list[str]:
    """The names of seed 001's response table.

    A name stands alone on its line, or before a capitalised description
    ("viewsCount The number…"), or runs into it ("userIdThe user ID").
    """
    names = []
    for line in section(text, "Response Parameters", "Response Codes"):
        words = line.split()
        if not words or not re.match(r"^[a-z][a-zA-Z]*$", words[0]):
            continue
        if len(words) == 1 or words[1][0].isupper():
            names.append(words[0])
        else:
            names.append(re.sub(r"[A-Z][a-z]*$", "", words[0]))
    return names


def _learners_results(text: str) -> dict[str, Any]:
    """Seed 000: a SOAP method whose return table lost its rows but one."""
    sample = text.partition("\nSample Response\n")[2]
    return {
        "parameters": _parameters(section(text, "Request Parameters", "Return Values")),
        **_paging(text),
        "result_fields": [
            match[1]
            for line in section(text, "Return Values", "Possible Errors")
            if (match := _TYPED_FIELD.match(line))
        ],
        "errors": [
            line
            for line in section(text, "Possible Errors", "Sample Request")
            if line.strip() and not line.rstrip().endswith(".")
        ],
        "sample_response_elements": sorted(set(re.findall(r"<(\w+)>", sample))),
    }


def _module_results(text: str) -> dict[str, Any]:
    """Seed 001: the REST request with its response fields and codes."""
    return {
        "parameters": _parameters(
            section(text, "Request Parameters", "Response Parameters")
        ),
        **_paging(text),
        "result_fields": _module_fields(text),
        "response_codes": [
            int(code) for code in re.findall(r"^(\d{3})[A-Z]", text, flags=re.MULTILINE)
        ],
    }


def _enrollments(text: str) -> dict[str, Any]:
    """Seed 003: a SOAP method with a tab-separated return table."""
    table = [
        line.split("\t")
        for line in section(text, "Return Value", "The date of issue")
        if "\t" in line and not line.startswith("Parameter")
    ]
    return {
        "parameters": _parameters(section(text, "Parameters", "Return Value")),
        "result_fields": [row[0] for row in table],
        "result_field_types": {row[0]: row[1] for row in table if row[1]},
    }


def ispring_learn(docs: Path) -> dict[str, Any]:
    """The content of ``tests/data/ispring_learn_documented.json``."""

    def text(number: str) -> str:
        return seed_path(docs, number).read_text(encoding="utf-8")

    return {
        "source": source(docs, ("000", "001", "003")),
        "operations": {
            "ListLearnersResults": {"seed": "000", **_learners_results(text("000"))},
            "listModuleResults": {"seed": "001", **_module_results(text("001"))},
            "GetEnrollments": {"seed": "003", **_enrollments(text("003"))},
        },
    }


# --------------------------------------------------------------------------- data files


def as_json(data: dict[str, Any]) -> str:
    """The text of a data file: stable, readable, non-ASCII kept as written."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def data_files(docs: Path) -> dict[Path, dict[str, Any]]:
    """Every JSON data file of tests/data/ with the content the seeds in ``docs`` give."""
    return {PEOPLEFLUENT: peoplefluent(docs), ISPRING_LEARN: ispring_learn(docs)}


def inventory_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def main(argv: list[str]) -> int:
    """Rewrite the JSON data files from the seeds in ``argv[0]``."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python tests/docs/seeds.py DOCS (the folder of the vendor seeds)")
        return 2
    for path, data in data_files(Path(argv[0])).items():
        path.write_text(as_json(data), encoding="utf-8")
        print(f"wrote {path.relative_to(TESTS.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
