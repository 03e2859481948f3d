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
    """A parsed YAML file and the line (1-based) of each JSON pointer in it."""

    def __init__(self, path: Path, data: Any, lines: dict[str, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def line(self, where: str) -> int:
        """The line of ``where``, or of its nearest ancestor that has one."""
        while where and where not in self.lines:
            where = where.rpartition("/")[0]
        return self.lines.get(where, 1)

    def error(self, where: str, message: str) -> SpecError:
        return SpecError(self.path, self.line(where), message)


def load(path: Path, display: Path | None = None) -> YamlDocument:
    """Parse ``path``; syntax errors and duplicate keys become ``SpecError``."""
    shown = display or path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(shown, 1, f"cannot read: {exc}") from None
    loader = _Loader(text)
    lines: dict[str, int] = {}
    try:
        node = loader.get_single_node()
        data = _walk(loader, node, "", lines, shown) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise SpecError(
            shown, line, f"YAML syntax error: {exc.problem or exc}"
        ) from None
    finally:
        loader.dispose()
    return YamlDocument(shown, data, lines)


_STR = "tag:yaml.org,2002:str"


def _walk(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    where: str,
    lines: dict[str, int],
    path: Path,
) -> Any:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node)
            if key in result:
                raise SpecError(
                    path, key_node.start_mark.line + 1, f"duplicate key {key!r}"
                )
            result[key] = _walk(
                loader, value_node, f"{where}/{_escape(str(key))}", lines, path
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _walk(loader, item, f"{where}/{index}", lines, path)
            for index, item in enumerate(node.value)
        ]
    return _scalar(loader, node)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if node.tag == _STR:
        return node.value  # what construct_object returns for a plain string, sooner
    return loader.construct_object(node, deep=True)
