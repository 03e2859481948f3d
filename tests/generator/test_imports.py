"""The generator's modules import one another one way only, and never a private name.

Read from the source with ``ast`` (nothing is imported), so an import under
``TYPE_CHECKING`` or inside a function counts like any other: a circle hidden there is
still a circle for whoever reads the code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from helpers import REPO

ROOT = REPO / "generator"
PACKAGE = "lmsgen"


def module_name(path: Path) -> str:
    """``generator/frontends/openapi/media.py`` → ``lmsgen.frontends.openapi.media``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imported_from(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module that ``from … import`` reads."""
    if node.level == 0:
        return node.module or ""
    package = (
        module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    )
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imports(module: str) -> Iterator[tuple[str, str, int]]:
    """(imported module, name taken from it or ``""``, line) of each import of ours."""
    return taken(module, ast.parse(MODULES[module].read_text(encoding="utf-8")))


def taken(module: str, tree: ast.Module) -> Iterator[tuple[str, str, int]]:
    """What ``module``'s code ``tree`` takes from our modules.

    A module imported whole (``from . import media``) and then reached into
    (``media._payload``) counts as taking that name.
    """
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    bound[alias.asname or alias.name] = alias.name
                    yield alias.name, "", node.lineno
        elif isinstance(node, ast.ImportFrom):
            source = imported_from(module, node)
            if source not in MODULES:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    bound[alias.asname or alias.name] = submodule
                    yield submodule, "", node.lineno
                else:
                    yield source, alias.name, node.lineno
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
        ):
            yield bound[node.value.id], node.attr, node.lineno


GRAPH = {
    module: sorted({target for target, _, _ in imports(module)} - {module})
    for module in MODULES
}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    found = cycles(GRAPH)
    assert not found, "modules that import one another in a circle:\n" + "\n".join(
        " ↔ ".join(component) for component in found
    )


def test_no_private_name_taken_from_another_module() -> None:
    reaches = [
        f"{MODULES[module].relative_to(REPO)}:{line}: {name} from {source}"
        for module in MODULES
        for source, name, line in imports(module)
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not reaches, "private names imported from another module:\n" + "\n".join(
        reaches
    )


def test_the_checks_see_a_circle_and_a_private_reach() -> None:
    """The checks themselves: a two-module circle is found, private reaches are read."""
    assert cycles({"a": ["b"], "b": ["a"], "c": ["a"]}) == [["a", "b"]]
    code = ast.parse(
        "from ..errors import _Hidden\nfrom . import paging\npaging._walk()"
    )
    assert sorted(taken("lmsgen.frontends.wsdl", code)) == [
        ("lmsgen.errors", "_Hidden", 1),
        ("lmsgen.frontends.paging", "", 2),
        ("lmsgen.frontends.paging", "_walk", 3),
    ]
