"""The footnotes list of the incremental renderer, cached note by note (see `incremental`).

Python-Markdown appends the list after the last block; the renderer makes it from its
opening, one list item per note and its closing, each cached on its own, so editing a note
renders that note. And the bookkeeping of which blocks refer to which notes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from editor.core.md_blocks import DEFINITION
from editor.core.md_extensions import ActiveOptions
from editor.core.md_partial import Analysis, Block, Context, Converter


class NoteItems:
    """The footnotes list's opening, items and closing, each cached under what it uses."""

    def __init__(self) -> None:
        self._items: dict[tuple[object, ...], Block] = {}
        self.rendered = 0  # items rendered by the last `footnotes_list` (for tests)
        self.made = False  # whether it rendered anything (the list's opening, at least)

    def forget(self) -> None:
        """Drop every cached item (the converter that made them failed)."""
        self._items = {}

    def footnotes_list(
        self,
        converter: Converter,
        shared: tuple[object, ...],
        definitions: tuple[tuple[object, ...], tuple[object, ...]],
        context: Context,
        active: ActiveOptions,
        referenced: dict[str, int],
    ) -> Block:
        """The footnotes list from its opening, items and closing, each cached on its own.

        `shared`: what every part depends on; `definitions`: the document's reference links
        and abbreviations (as cache keys).
        """
        references, abbreviations = definitions
        keys = [
            (shared, number, id, note, references if "[" in note else None, abbreviations)
            for number, (id, note) in enumerate(context.footnotes.items(), start=1)
        ]
        head_key, tail_key = (shared, "head"), (shared, "tail")
        cached = self._items
        wanted = [number for number, key in enumerate(keys, start=1) if key not in cached]
        self.rendered, self.made = 0, False
        if wanted or head_key not in cached:
            head, tail, items = converter.render_footnote_items(active, context, referenced, wanted)
            cached[head_key] = Block(head).finished(active.markers)
            cached[tail_key] = Block(tail).finished(active.markers)
            for number in wanted:
                cached[keys[number - 1]] = Block(items[number]).finished(active.markers)
            self.rendered, self.made = len(wanted), True
        used: list[tuple[object, ...]] = [head_key, *keys, tail_key]
        parts = [cached[key] for key in used]
        self._items = dict(zip(used, parts, strict=True))  # only what this list uses
        raw = "".join(part.raw for part in parts)
        if not all(part.clean_left and part.clean_right for part in parts):
            return Block(raw).finished(active.markers)  # a part reaches into the next one
        # Clean seams: removing newlines part by part is removing them from the whole.
        return Block(raw, html="".join(part.html for part in parts))


def notes_line_of(blocks: list[tuple[str, int]], analyses: dict[str, Analysis]) -> int | None:
    """The body line of the first top-level footnote definition (None: not known)."""
    for text, start in blocks:
        analysis = analyses.get(text)
        if analysis is not None and analysis.footnotes_line is not None:
            return start + analysis.footnotes_line
    return None


def with_notes(context: Context, notes: tuple[tuple[str, str], ...]) -> Context | None:
    """The context with new texts for these footnotes (None: only a full render is exact)."""
    if any(DEFINITION.search(note) for _id, note in notes):
        return None  # definitions inside footnotes are made while rendering the list
    footnotes = OrderedDict(context.footnotes)
    footnotes.update(notes)
    return replace(context, footnotes=footnotes)


def moved_references(referenced: dict[str, int], old: Block, new: Block) -> dict[str, int] | None:
    """The blocks' footnote references once one block's changed from `old`'s to `new`'s."""
    moved = dict(referenced)
    for ref, _count in old.references:
        moved.pop(ref, None)
    return moved if add_references(moved, new) else None


def add_references(referenced: dict[str, int], block: Block) -> bool:
    """Count a block's footnote references; False when another block referred to one of them.

    Python-Markdown numbers repeated references (`fnref2:…`) in the order its inline pass
    visits elements, which is not the document's order across blocks.
    """
    for ref, count in block.references:
        if ref in referenced:
            return False
        referenced[ref] = count
    return True
