"""No import cycles among the launcher's modules, counting imports inside functions too (they are cycles
all the same, only deferred); `if TYPE_CHECKING:` blocks are not imports. Every module also imports alone."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "launcher"

# Modules that import only on another OS (their imports fail here by design); they are still in the graph.
OTHER_OS = {"launcher.core.quicksupport.uia", "launcher.core.quicksupport.ax"}

def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    """The launcher modules `tree` imports (a `from X import Y` imports X, and X.Y when that is a module)."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    graph_nodes = set()
    for target in found:
        # importing a.b.c runs a, a.b and a.b.c: each package's __init__ counts
        parts = target.split(".")
        graph_nodes.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return {m for m in graph_nodes if m in MODULES and m != name}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = _imports(tree, name, path.name == "__init__.py")
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_imports_inside_functions_and_skips_type_checking_blocks():
    graph = import_graph()
    assert "launcher.cli.output" in graph["launcher.selftest"]
    assert "launcher.ui.app" in graph["launcher.__main__"]  # imported inside a function
    assert "launcher.core.fetch" not in graph["launcher.core.quicksupport.session"]  # TYPE_CHECKING only
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_one_that_imports_it_back():
    found = cycles(import_graph())
    assert found == [], f"import cycles: {found}"


def test_the_cli_the_self_test_and_the_window_do_not_import_each_other():
    graph = import_graph()
    for name in ("launcher.selftest", "launcher.ui.app", "launcher.cli.output", "launcher.cli.parser"):
        assert "launcher.__main__" not in graph[name], name
    assert not graph["launcher.cli.output"] & {"launcher.selftest", "launcher.ui.app", "launcher.cli.session"}


@pytest.mark.parametrize("name", sorted(set(MODULES) - OTHER_OS))
def test_every_module_imports(name):
    if name == "launcher.core.quicksupport.atspi" and not sys.platform.startswith("linux"):
        pytest.skip("AT-SPI is Linux only")
    importlib.import_module(name)
