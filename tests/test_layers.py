"""The package's layers: core and publish never import Qt, the window or the command line;
core never goes on the network (that is publishing's work)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

EDITOR = Path(__file__).resolve().parent.parent / "editor"
FORBIDDEN = {
    "core": ("PySide6", "editor.ui", "editor.cli", "editor.publish", "requests"),
    "publish": ("PySide6", "editor.ui", "editor.cli"),
}


def imported(path: Path) -> set[str]:
    """Every module a file imports (at the top or inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    wrong = [
        f"{path.relative_to(EDITOR.parent)} imports {name}"
        for path in sorted((EDITOR / layer).rglob("*.py"))
        for name in sorted(imported(path))
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer])
    ]
    assert wrong == []


# --- import cycles --------------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    found = {}
    for path in EDITOR.rglob("*.py"):
        parts = path.relative_to(EDITOR.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _dependencies(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules a file imports, at the top or inside functions (a lazy import
    is still a dependency); imports for the type checker only are not."""
    found: set[str] = set()

    def visit(node: ast.AST, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            only = typing_only or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            if only:
                pass
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:  # `from editor.cli import accounts`: the submodule
                    sub = f"{child.module}.{alias.name}"
                    found.add(sub if sub in modules else child.module)
            visit(child, only)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return {name for name in found if name in modules}


def import_cycles() -> list[list[str]]:
    """Groups of the package's modules that import each other, directly or round a circle."""
    modules = _modules()
    graph = {name: _dependencies(path, modules) - {name} for name, path in modules.items()}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def strong(node: str) -> None:  # Tarjan's strongly connected components
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in graph[node]:
            if other not in order:
                strong(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = []
            while (top := stack.pop()) != node:
                group.append(top)
            if group:
                cycles.append(sorted([node, *group]))

    for name in sorted(graph):
        if name not in order:
            strong(name)
    return cycles


def test_no_module_imports_itself_round_a_circle() -> None:
    assert import_cycles() == []


def test_the_cycle_finder_finds_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "editor"
    (package / "ui").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "ui" / "__init__.py").write_text("")
    (package / "ui" / "window.py").write_text("from editor.ui import panel\n")
    (package / "ui" / "panel.py").write_text("def f():\n    from editor.ui.window import W\n")
    (package / "ui" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from editor.ui import window\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "EDITOR", package)
    assert import_cycles() == [["editor.ui.panel", "editor.ui.window"]]


# --- the main window's controllers ----------------------------------------------------------

# The modules that build the main window: the only ones that may import it.
WINDOW_BUILDERS = {"main_window", "window_parts", "first_paint", "app"}


def window_imports(path: Path) -> list[str]:
    """Every import of editor.ui.main_window in a file, for the type checker only or not."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [f"{path.name}:{node.lineno}" for name in names if name == "editor.ui.main_window"]
    return found


def test_only_the_builders_import_the_main_window() -> None:
    """Controllers get the objects they use (or a Protocol of editor/ui/window_facets.py)."""
    wrong = [
        where
        for path in sorted((EDITOR / "ui").glob("*.py"))
        if path.stem not in WINDOW_BUILDERS
        for where in window_imports(path)
    ]
    assert wrong == []


def test_the_window_import_finder_sees_a_type_only_import(tmp_path: Path) -> None:
    typed = tmp_path / "panel.py"
    typed.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from editor.ui.main_window import MainWindow\n"
    )
    plain = tmp_path / "plain.py"
    plain.write_text("import editor.ui.main_window\nfrom editor.ui import main_window\n")
    assert window_imports(typed) == ["panel.py:3"]
    assert window_imports(plain) == ["plain.py:1", "plain.py:2"]
