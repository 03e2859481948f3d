"""YAML loading that remembers the line of every value, for ``file:line`` messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError

# libyaml's parser when PyYAML was built with it: the same nodes and marks, ~10x faster.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def pointer(*parts: object) -> str:
    """A JSON pointer from its parts (``~`` and ``/`` escaped)."""
    return "".join("/" + _escape(str(part)) for part in parts)


def _escape(part: str) -> str:
    if "~" in part or "/" in part:
        return part.replace("~", "~0").replace("/", "~1")
    return part


class YamlDocument:
    """A parsed YAML file and the line (1-based) of each JSON pointer in it.

    ``lines`` holds where each value starts; ``keys`` the line of a mapping key, kept
    only where its value starts on a later line (``key:`` above a block).
    """

    def __init__(
        self, path: Path, data: Any, lines: dict[str, int], keys: dict[str, int]
    ) -> None:
        self.path = path
        self.data = data
        self.lines = lines
        self.keys = keys

    def line(self, where: str) -> int:
        """The line of ``where``, or of its nearest ancestor that has one."""
        while where and where not in self.lines:
            where = where.rpartition("/")[0]
        return self.lines.get(where, 1)

    def error(self, where: str, message: str) -> SpecError:
        return SpecError(self.path, self.line(where), message)

    def key_error(self, where: str, message: str) -> SpecError:
        """An error about the key that ``where`` names: located on the key's own line."""
        return SpecError(self.path, self.keys.get(where) or self.line(where), message)


def load(path: Path, display: Path | None = None) -> YamlDocument:
    """Parse ``path``; syntax errors and duplicate keys become ``SpecError``."""
    shown = display or path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(shown, 1, f"cannot read: {exc}") from None
    loader = _Loader(text)
    try:
        data, lines, keys = _Builder(loader, shown).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise SpecError(
            shown, line, f"YAML syntax error: {exc.problem or exc}"
        ) from None
    finally:
        loader.dispose()
    return YamlDocument(shown, data, lines, keys)


_STR = "tag:yaml.org,2002:str"


class _Builder:
    """Values and their lines straight from the parser's events.

    Faster and far smaller than composing the node graph first (a 1000-operation spec
    is a quarter of a million nodes, each with two marks).
    """

    def __init__(self, loader: yaml.SafeLoader, path: Path) -> None:
        self.loader: Any = loader  # PyYAML's event API is untyped
        self.path = path
        self.lines: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.anchors: dict[str, Any] = {}

    def document(self) -> tuple[Any, dict[str, int], dict[str, int]]:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None, self.lines, self.keys
        loader.get_event()  # document start
        data = self.value("")
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise SpecError(
                self.path,
                event.start_mark.line + 1,
                "YAML syntax error: expected a single document in the stream",
            )
        return data, self.lines, self.keys

    def value(self, where: str | None) -> Any:
        event: Any = self.loader.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise SpecError(
                    self.path,
                    line,
                    f"YAML syntax error: found undefined alias {event.anchor!r}",
                )
            return self.anchors[event.anchor]
        if where is not None:
            self.lines[where] = line
        result: Any
        if isinstance(event, yaml.MappingStartEvent):
            result = {}
            self._anchor(event, result)
            while not self.loader.check_event(yaml.MappingEndEvent):
                line = self.loader.peek_event().start_mark.line + 1
                key = self.value(None)
                if key in result:
                    raise SpecError(self.path, line, f"duplicate key {key!r}")
                child = None if where is None else f"{where}/{_escape(str(key))}"
                result[key] = self.value(child)
                if child is not None and self.lines.get(child) != line:
                    self.keys[child] = line
            self.loader.get_event()
            return result
        if isinstance(event, yaml.SequenceStartEvent):
            result = []
            self._anchor(event, result)
            index = 0
            while not self.loader.check_event(yaml.SequenceEndEvent):
                result.append(self.value(None if where is None else f"{where}/{index}"))
                index += 1
            self.loader.get_event()
            return result
        result = self._scalar(event)
        self._anchor(event, result)
        return result

    def _anchor(self, event: Any, value: Any) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = value

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(
            tag, event.value, event.start_mark, event.end_mark, style=event.style
        )
        return self.loader.construct_object(node, deep=True)
