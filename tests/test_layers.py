"""The package's layers: core and publish never import Qt, the window or the command line;
core never goes on the network (that is publishing's work)."""

from __future__ import annotations

import ast
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
