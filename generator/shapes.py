"""Rendered Python cut into pieces black lays out on its own, and the shape of each piece.

black lays a statement out from its tokens and their widths: it never reads what a name
or a plain string says. So a piece whose names and plain strings are replaced by as
many ``x`` (its *shape*) is laid out exactly like the piece, and generated code repeats
a few shapes thousands of times (a client method, a model, a table row per operation).
``formatting`` has black lay out each shape once; ``fill`` puts the names back.

The pieces: every top-level statement; every statement of a top-level class's body; and
every row of a top-level table (``NAME = [`` or ``{`` … closed on a line of its own,
after a trailing comma). black formats each of those independently of the others, but
for the blank lines between them, which ``join`` puts back by black's rules.
``tests/test_shapes.py`` holds the result to black's own on every generated file.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

_VERBATIM = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"type"}
"""Names whose text black's grammar reads (keywords, soft keywords): kept as they are."""
_CONTENT = re.compile(r"[^'\"\s]")
"""What a plain string's stand-in blanks: all but the quotes and the whitespace, which
black's string and docstring handling look at."""
_DEFINES = frozenset({"def", "class", "async", "@"})
_CONTINUED = frozenset({"else", "elif", "except", "finally"})
_CLOSER = {"[": "]", "{": "}", "(": ")"}
MIN_ROWS = 8
"""Tables with fewer rows are formatted as one piece (nothing to gain)."""
MAX_HEAD = 70
"""A table whose opening line is longer may be split by black elsewhere: one piece."""
MEMBER_PROBE = "class _:\n"
ROW_PROBE = {
    "[": ("_ = [\n", ",\n]\n"),
    "{": ("_ = {\n", ",\n}\n"),
    "(": ("from _ import (\n", ",\n)\n"),
}
_ROW = "    x,\n"
"""A row that stands for the others where only the head or the close is wanted."""
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)


class Unshaped(Exception):
    """The source cannot be cut into pieces: format it whole."""


def stand_in(text: str, name: bool) -> str | None:
    """A name's or plain string's stand-in, as long as it; ``None``: kept as it is."""
    if name:
        if text in _VERBATIM or not text.isascii():
            return None
        return "x" * len(text)
    if not text.isascii() or "\\" in text:
        return None
    cut = len(text) - len(text.lstrip("rRbBuUfF"))
    if "f" in text[:cut].lower():
        return None
    return text[:cut] + _CONTENT.sub("x", text[cut:])


def slots(
    layout: str, before: str = "", after: str = ""
) -> tuple[tuple[int, int], ...]:
    """Where the stand-ins are in ``layout`` (black's output for a shape), as offsets.

    ``before`` and ``after`` make a fragment (a table row, a class member) tokenize.
    """
    text = before + layout + after
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found = []
    nested = 0  # inside an f-string (Python 3.12+ tokenizes its parts)
    for token in _tokens(text):
        nested += (token.type == _FSTRING_START) - (token.type == _FSTRING_END)
        if nested or token.type not in (tokenize.NAME, tokenize.STRING):
            continue
        if stand_in(token.string, token.type == tokenize.NAME) is None:
            continue
        begin = starts[token.start[0] - 1] + token.start[1] - len(before)
        end = starts[token.end[0] - 1] + token.end[1] - len(before)
        if begin >= 0 and end <= len(layout):
            found.append((begin, end))
    return tuple(found)


def fill(
    layout: str, where: tuple[tuple[int, int], ...], values: tuple[str, ...]
) -> str:
    """``layout`` with the original names and strings put back in its ``where`` slots."""
    if len(where) != len(values):
        raise Unshaped("black changed the number of names")
    out: list[str] = []
    position = 0
    for (begin, end), value in zip(where, values, strict=True):
        out.append(layout[position:begin])
        out.append(_put_back(layout[begin:end], value))
        position = end
    out.append(layout[position:])
    return "".join(out)


def _put_back(formatted: str, original: str) -> str:
    """The original name, or the original string's characters in black's quoting."""
    if original.isidentifier() or formatted == stand_in(original, False):
        return original  # black left it as it was
    cut = len(original) - len(original.lstrip("rRbBuU"))
    content = iter(_CONTENT.findall(original[cut:]))
    keep = len(formatted) - len(formatted.lstrip("rRbBuU"))
    body = re.sub("x", lambda _: next(content), formatted[keep:])
    return formatted[:keep] + body


def _tokens(source: str) -> Iterator[tokenize.TokenInfo]:
    try:
        yield from tokenize.generate_tokens(io.StringIO(source).readline)
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise Unshaped(str(exc)) from None


@dataclass(slots=True)
class Piece:
    """One piece of a file: its shape (what black formats) and what fills it back."""

    kind: str
    """``statement`` (top level), ``member`` (of a class body), ``head``/``row``/``close``
    (of a table)."""
    shape: str
    values: tuple[str, ...]
    blank: int = 0
    """Blank lines before it in the rendered source."""
    defines: bool = False
    """It is a def or class (after the comments and decorators above it)."""
    imports: bool = False
    stub: bool = False
    """A def whose body is ``...`` (an ``@overload``)."""
    inner_defines: bool = False
    """For a class: its body's first statement is a def or class."""
    inner_stub: bool = False
    """For a class: its body starts with a stub def."""
    docstring: bool = False
    """For a class: its body starts with a triple-quoted docstring (black puts one blank
    line after it)."""
    opener: str = ""

    def probe(self) -> str | None:
        """What black is given (the shape in the context that fixes its indentation);
        ``None``: nothing to format."""
        if self.kind == "member":
            return MEMBER_PROBE + self.shape
        if self.kind == "row":
            before, after = ROW_PROBE[self.opener]
            return before + self.shape + after
        if self.kind == "head":
            return self.shape + _ROW + _CLOSER[self.opener] + "\n"
        if self.kind == "close":
            if self.shape.count("\n") == 1:
                return None  # black writes a lone closing bracket as it is
            return ROW_PROBE[self.opener][0] + _ROW + self.shape
        return self.shape

    def context(self) -> tuple[str, str]:
        """What makes this piece's layout tokenize on its own (see ``slots``)."""
        if self.kind == "member":
            return MEMBER_PROBE, ""
        if self.kind == "row":
            return ROW_PROBE[self.opener]
        if self.kind == "head":
            return "", "\n" + _CLOSER[self.opener] + "\n"
        if self.kind == "close":
            return ROW_PROBE[self.opener][0], ""
        return "", ""

    def layout(self, formatted: str) -> str:
        """Black's output for ``probe()`` cut back to this piece's lines."""
        if self.kind == "member":
            return formatted[len(MEMBER_PROBE) :]
        if self.kind == "row":
            return "".join(formatted.splitlines(keepends=True)[1:-1])
        if self.kind == "head":
            return "".join(formatted.splitlines(keepends=True)[:-2])
        if self.kind == "close":
            return "".join(formatted.splitlines(keepends=True)[2:])
        return formatted


@dataclass(slots=True)
class _Statement:
    """One logical line: its first row, indentation, first word (``@``, ``"``), ending."""

    first: int
    indent: int
    word: str
    only_string: bool = False
    ellipsis: bool = False
    """It ends with ``...`` (a stub's body)."""


_Q3S = r"'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
_Q3D = r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
_Q1S = r"'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'"
_Q1D = r'"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"'
_TOKEN = re.compile(
    r"[^\w'\"#]*"  # what comes before: skipped in one step, kept as it is
    rf"(?:([rRbBuUfF]{{0,2}}(?:{_Q3S}|{_Q3D}|{_Q1S}|{_Q1D}))|(#[^\n]*)|([^\W\d]\w*)|\d[\w.]*)"
)
"""Strings (whole), comments, names and numbers: what the shape changes or must skip."""
_WORD = re.compile(r"[^\W\d]\w*|@|\.\.\.|\S")
_BRACKETS = re.compile(r"[()\[\]{},]")
_OPEN = "([{"


@dataclass
class _Scan:
    """A source's shape, the values cut out of it, and its logical lines."""

    masked: str
    structure: str
    """The shape with every string's content blanked: brackets and ``#`` are code."""
    values: list[str]
    value_offsets: list[int]
    statements: list[_Statement]


def _scan(source: str) -> _Scan:
    values: list[str] = []
    value_offsets: list[int] = []
    verbatim: list[tuple[int, int]] = []  # strings kept as they are (f-strings…)
    strings: dict[int, int] = {}  # start → end of every string

    def shape(match: re.Match[str]) -> str:
        whole, string, name = match[0], match[1], match[3]
        text = string or name
        if not text:
            return whole  # a comment or a number
        start = match.end() - len(text)
        replacement = stand_in(text, bool(name))
        if string:
            strings[start] = match.end()
            if replacement is None:
                verbatim.append((start, match.end()))
        if replacement is None:
            return whole
        values.append(text)
        value_offsets.append(start)
        return whole[: len(whole) - len(text)] + replacement

    masked = _TOKEN.sub(shape, source)
    structure = masked
    if verbatim:
        parts, position = [], 0
        for begin, end in verbatim:
            parts += [masked[position:begin], _CONTENT.sub("x", masked[begin:end])]
            position = end
        structure = "".join([*parts, masked[position:]])
    return _Scan(
        masked, structure, values, value_offsets, _statements(structure, strings)
    )


def _statements(structure: str, strings: dict[int, int]) -> list[_Statement]:
    """The logical lines of a source whose strings are blanked (``_Scan.structure``)."""
    lines = structure.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    inside: set[int] = set()  # rows that begin within a string
    for begin, end in strings.items():
        if "\n" in structure[begin:end]:
            first = bisect_right(starts, begin)
            inside.update(range(first, bisect_right(starts, end)))
    found: list[_Statement] = []
    depth = 0
    continued = False
    current: _Statement | None = None
    for row, line in enumerate(lines):
        code = line.partition("#")[0] if "#" in line else line
        if not depth and not continued and row not in inside:
            stripped = code.lstrip()
            if stripped.strip():
                if current is not None:
                    found.append(current)
                indent = len(code) - len(stripped)
                current = _Statement(row, indent, _word(stripped))
                begin = starts[row] + indent
                if begin in strings:
                    end = strings[begin]
                    row_end = starts[min(bisect_right(starts, end), len(starts) - 1)]
                    tail = structure[end:row_end]
                    current.only_string = not tail.partition("#")[0].strip()
        depth += (
            code.count("(")
            + code.count("[")
            + code.count("{")
            - code.count(")")
            - code.count("]")
            - code.count("}")
        )
        if depth < 0:
            raise Unshaped(f"unbalanced brackets on line {row + 1}")
        stripped_end = code.rstrip()
        continued = stripped_end.endswith("\\")
        if current is not None and stripped_end:
            current.ellipsis = stripped_end.endswith("...")
    if current is not None:
        found.append(current)
    if depth:
        raise Unshaped("unbalanced brackets")
    return found


def _word(code: str) -> str:
    """A logical line's first word; ``"``/``\"\"\"`` for a string, ``@`` a decorator."""
    if code[0] in "'\"" or (code[:3].lstrip("rRbBuUfF")[:1] in ("'", '"')):
        quotes = code.lstrip("rRbBuUfF")[:3]
        return '"""' if quotes in ('"""', "'''") else '"'
    match = _WORD.match(code)
    return match[0] if match else code[0]


def cut(source: str) -> list[Piece]:
    """``source`` as pieces, in order; ``Unshaped`` if it cannot be cut."""
    scan = _scan(source)
    if not scan.statements:
        raise Unshaped("nothing to format")
    lines = scan.masked.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    statement_rows = [statement.first for statement in scan.statements]
    starts = _starts(scan.statements)
    pieces: list[Piece] = []
    previous_end = 0
    for index, (statement, kind) in enumerate(starts):
        end = starts[index + 1][0].first if index + 1 < len(starts) else len(lines)
        first = _first_line(lines, previous_end, statement.first)
        last = _last_line(
            lines, first, end, starts[index + 1][0] if index + 1 < len(starts) else None
        )
        owned = scan.statements[
            bisect_left(statement_rows, first) : bisect_left(statement_rows, last)
        ]
        body = [s for s in owned if s.indent > 0]
        piece = Piece(
            kind,
            "".join(lines[first:last]),
            _values(scan, offsets[first], offsets[last]),
            blank=first - previous_end,
            defines=statement.word in _DEFINES,
            imports=owned[-1].word in ("import", "from"),
            stub=_is_stub(owned),
            inner_defines=body[0].word in _DEFINES if body else False,
            docstring=body[0].word == '"""' if body else False,
            inner_stub=_is_stub(body),
        )
        table = None
        if kind == "statement" and all(s.only_string for s in owned[1:]):
            close = offsets[owned[1].first if len(owned) > 1 else last]
            table = _table(piece, scan, offsets[first], close, offsets[last])
        pieces.extend(table or [piece])
        previous_end = last
    return pieces


def _is_stub(owned: list[_Statement]) -> bool:
    """A def (after its decorators) whose whole body is ``...``."""
    rest = [s for s in owned if s.word != "@"]
    if not rest or rest[0].word not in ("def", "async") or len(rest) > 2:
        return False
    return rest[-1].ellipsis


def _last_line(lines: list[str], first: int, end: int, after: _Statement | None) -> int:
    """The row after a piece's last: blank lines, and the comments that stand at the
    indentation of the statement ``after`` it (black attaches them to it), go after."""
    last = end
    while last > first:
        line = lines[last - 1]
        stripped = line.lstrip()
        if stripped.strip() and not (
            after is not None
            and stripped.startswith("#")
            and len(line) - len(stripped) == after.indent
        ):
            break
        last -= 1
    return last


def _first_line(lines: list[str], after: int, statement_row: int) -> int:
    """The first non-blank row from ``after``: a statement owns the comments above it."""
    row = after
    while row < statement_row and not lines[row].strip():
        row += 1
    return row


def _starts(statements: list[_Statement]) -> list[tuple[_Statement, str]]:
    """The statements that begin a piece, and the kind of piece each begins."""
    starts: list[tuple[_Statement, str]] = []
    decorated = in_class = False
    member_indent = 0
    for statement in statements:
        follows_decorator, decorated = decorated, statement.word == "@"
        if statement.indent == 0:
            member_indent = 0
            if follows_decorator:
                in_class = in_class or statement.word == "class"
                continue
            in_class = statement.word == "class"
            if statement.word in _CONTINUED or (statement.only_string and starts):
                continue
            starts.append((statement, "statement"))
        elif in_class:
            if not member_indent:
                member_indent = statement.indent  # the body's first statement
                continue
            if statement.indent != member_indent or follows_decorator:
                continue
            if statement.word in _CONTINUED or statement.only_string:
                continue
            starts.append((statement, "member"))
    return starts


def _table(
    piece: Piece, scan: _Scan, begin: int, end: int, after: int
) -> list[Piece] | None:
    """A top-level table statement as its head, one piece per row, and its close (with
    the strings that follow it up to ``after``: attribute docstrings)."""
    text = scan.masked[begin:end]
    head, _, rest = text.partition("\n")
    body, _, close = rest.rstrip().rpartition("\n")
    head = head.rstrip()
    if len(head) > MAX_HEAD or "#" in text:
        return None
    if not head.endswith(("= [", "= {", " import (")):
        return None
    if head.endswith("(") and not head.startswith("from "):
        return None
    opener = head[-1]
    if close != _CLOSER[opener] or not body.rstrip().endswith(","):
        return None
    inside = begin + len(head)
    commas = _row_commas(scan.structure, inside, end)
    if len(commas) < MIN_ROWS:
        return None
    values = _values(scan, begin, inside)
    pieces = [
        replace(piece, kind="head", shape=head + "\n", values=values, opener=opener)
    ]
    row_start = inside
    for comma in commas:
        row = scan.masked[row_start:comma].strip()
        values = _values(scan, row_start, comma)
        pieces.append(Piece("row", row, values, opener=opener))
        row_start = comma + 1
    trailer = scan.masked[end:after]
    values = _values(scan, end, after)
    pieces.append(Piece("close", close + "\n" + trailer, values, opener=opener))
    return pieces


def _row_commas(structure: str, begin: int, end: int) -> list[int]:
    """The offsets of the commas directly inside the bracket open at ``begin``."""
    commas = []
    depth = 0
    for match in _BRACKETS.finditer(structure, begin, end):
        char = match[0]
        if char in _OPEN:
            depth += 1
        elif char != ",":
            depth -= 1
        elif depth == 0:
            commas.append(match.start())
    return commas


def _values(scan: _Scan, begin: int, end: int) -> tuple[str, ...]:
    offsets = scan.value_offsets
    return tuple(scan.values[bisect_left(offsets, begin) : bisect_left(offsets, end)])


def join(pieces: list[Piece], layouts: list[str]) -> str:
    """The formatted file: each piece's layout, with black's blank lines between them."""
    out: list[str] = []
    previous: Piece | None = None
    top: Piece | None = None  # the last top-level statement
    for piece, text in zip(pieces, layouts, strict=True):
        if piece.kind not in ("row", "close"):
            text = "\n" * _blank_lines(piece, previous, top) + text
            previous = piece
            top = top if piece.kind == "member" else piece
        out.append(text)
    return "".join(out)


def _blank_lines(piece: Piece, previous: Piece | None, top: Piece | None) -> int:
    """black's blank lines before ``piece`` (for the pieces this module cuts)."""
    if previous is None or top is None:
        return 0
    if (
        piece.kind == "member" and previous.kind != "member"
    ):  # first after the class line
        if previous.docstring:
            return 1
        after_def, after_stub, imports, most = (
            previous.inner_defines,
            previous.inner_stub,
            False,
            1,
        )
    elif piece.kind == "member":
        after_def, after_stub, imports, most = previous.defines, previous.stub, False, 1
    else:
        after_def, after_stub, imports, most = top.defines, top.stub, top.imports, 2
    if after_stub and piece.defines and piece.blank == 0:
        return 0  # overloads written back to back stay so
    if after_def or piece.defines:
        return most
    if imports and not piece.imports:
        return 1
    return min(piece.blank, most)
