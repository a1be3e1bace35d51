"""HTML tables that a Markdown table can hold, and why the others cannot.

A Markdown table (Python-Markdown's `tables`) has one header row, then rows of the same
number of cells, each cell one line of inline text, each column aligned one way. Blogger's
editor writes a header row as `<b>` cells (no `<th>`); our renderer writes `<thead>`.
"""

from __future__ import annotations

from typing import Protocol

from bs4 import Tag

from editor.core.html_shapes import cells_of, content_nodes, rows_of, style_reason
from editor.core.html_styles import style_properties


class CellWriter(Protocol):
    """What a table needs of the converter (editor/core/html_markdown.py): a cell's Markdown."""

    def children_markdown(self, node: Tag, parent_tags: set[str]) -> str: ...


_BLOCKS_IN_CELLS = ["ul", "ol", "dl", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"]
_MEDIA = ["img", "iframe", "embed", "object", "video", "audio", "svg", "canvas", "input"]


def _merged(cell: Tag) -> bool:
    return any(
        str(cell.get(name) or "1").strip() not in ("", "1") for name in ("colspan", "rowspan")
    )


def _alignment(cell: Tag) -> str:
    align = dict(style_properties(cell.get("style"))).get("text-align", "")
    align = (align or str(cell.get("align") or "")).lower()
    return "center" if "center" in align else "right" if align in ("right", "end") else ""


def _bold_only(cell: Tag) -> Tag | None:
    """The `<b>`/`<strong>` that is a cell's whole content (Blogger's header cells)."""
    nodes = content_nodes(cell)
    if len(nodes) == 1 and isinstance(nodes[0], Tag) and nodes[0].name in ("b", "strong"):
        return nodes[0]
    return None


def table_problem(table: Tag) -> str | None:
    """Why `table` cannot be a Markdown table (None: it can)."""
    if table.find("table") is not None:
        return "a table inside a table"
    if table.find("caption") is not None:
        return "a table with a caption"
    if table.find("tfoot") is not None:
        return "a table with a footer row"
    if table.find(_MEDIA) is not None:
        return "a table with images or embedded parts"
    rows = rows_of(table)
    if not rows or len(rows) != len(table.find_all("tr")):
        return "a table laid out by hand"
    cells = [cells_of(row) for row in rows]
    if any(_merged(cell) for row in cells for cell in row):
        return "a table with merged cells"
    if len({len(row) for row in cells}) != 1 or not cells[0]:
        return "a table with rows of different lengths"
    for row in cells:
        for cell in row:
            if cell.find(_BLOCKS_IN_CELLS) is not None or len(cell.find_all(["p", "div"])) > 1:
                return "a table with lists or paragraphs in its cells"
            reason = style_reason(cell)
            if reason and reason not in ("centred text", "text aligned right"):
                return "a table with coloured or formatted cells"
    if style_reason(table) or table.get("align"):
        return "a table placed or coloured by hand"
    thead = table.find("thead")
    header_th = all(cell.name == "th" for cell in cells[0])
    header_bold = all(_bold_only(cell) is not None for cell in cells[0])
    if not (header_th or header_bold or (thead is not None and len(thead.find_all("tr")) == 1)):
        return "a table without a header row"
    if any(cell.name == "th" for row in cells[1:] for cell in row):
        return "a table with header cells in its rows"
    columns = list(zip(*cells, strict=True))
    if any(len({_alignment(cell) for cell in column[1:]}) > 1 for column in columns):
        return "a table with cells aligned differently"
    return None


def markdown_table(
    converter: CellWriter, table: Tag, parent_tags: set[str]
) -> tuple[str | None, str]:
    """(the table in Markdown, "") or (None, why it stays HTML)."""
    problem = table_problem(table)
    if problem is not None:
        return None, problem
    tags = parent_tags | {"table", "_inline"}
    rows = []
    for index, row in enumerate(rows_of(table)):
        line = []
        for cell in cells_of(row):
            source = _bold_only(cell) if index == 0 and cell.name != "th" else None
            markdown = converter.children_markdown(source or cell, tags | {cell.name})
            line.append(" ".join(markdown.split("\n")).strip())
        rows.append(line)
    columns = list(zip(*_rows_of_cells(table), strict=True))
    rule = []
    for column in columns:
        align = _alignment(column[-1]) if len(column) > 1 else _alignment(column[0])
        rule.append({"center": ":---:", "right": "---:"}.get(align, "---"))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join(rule) + " |")
    return "\n\n" + "\n".join(lines) + "\n\n", ""


def _rows_of_cells(table: Tag) -> list[list[Tag]]:
    """The cells of each row."""
    return [cells_of(row) for row in rows_of(table)]
