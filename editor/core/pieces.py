"""The rendered body as pieces of top-level HTML, and the splice that turns one into another.

The preview keeps one page and patches it: when a new rendering arrives, only the pieces that
changed are replaced; pieces that merely moved down or up (a line was inserted above them)
keep their DOM nodes and get their line markers shifted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

# STX/ETX never survive Markdown's input normalisation, so a template cannot be typed. Here,
# not with the Markdown extensions that write them, so the window needs no Markdown to start.
LINE_TEMPLATE = "\x02L{}\x03"
LINE_TEMPLATE_RE = re.compile("\x02L(-?\\d+)\x03")


class Piece(NamedTuple):
    """A run of top-level HTML whose line markers are relative to `base` (a document line)."""

    template: str
    base: int = 0

    def html(self) -> str:
        """The HTML with absolute line markers."""
        if "\x02" not in self.template:
            return self.template
        return LINE_TEMPLATE_RE.sub(lambda m: str(int(m.group(1)) + self.base), self.template)


class PieceChange(NamedTuple):
    """The pieces are `basis` (the renderer's previous pieces, this very tuple) but for the
    one at `at`: the preview patches that piece without comparing thousands of others."""

    basis: tuple[Piece, ...]
    at: int


@dataclass(frozen=True)
class RenderedBody:
    """A body rendered as pieces; their HTML joined is exactly `render_body`'s result."""

    pieces: tuple[Piece, ...]
    full_render: bool = False  # True when a rare case needed one full render
    change: PieceChange | None = None  # how they differ from the previous pieces, if known

    def html(self) -> str:
        """The whole HTML body."""
        return "".join(piece.html() for piece in self.pieces)


@dataclass(frozen=True)
class Splice:
    """Replace pieces [start, start + removed) by `added`; shift kept pieces' line markers.

    `shifts` are (first, end, lines) ranges of piece indices after the splice.
    """

    start: int
    removed: int
    added: tuple[Piece, ...]
    shifts: tuple[tuple[int, int, int], ...]


def splice(old: Sequence[Piece], new: Sequence[Piece]) -> Splice:
    """The smallest middle replacement turning `old` into `new` (pieces compared by template)."""
    size_old, size_new = len(old), len(new)
    limit = min(size_old, size_new)
    head = 0
    while head < limit and old[head].template == new[head].template:
        head += 1
    tail = 0
    while (
        tail < limit - head
        and old[size_old - 1 - tail].template == new[size_new - 1 - tail].template
    ):
        tail += 1
    moved = size_new - size_old
    deltas = [new[i].base - old[i].base for i in range(head)]
    first_kept = size_new - tail
    shifts: list[tuple[int, int, int]] = []
    for index, delta in enumerate(deltas):
        _add_shift(shifts, index, delta)
    for index in range(first_kept, size_new):
        _add_shift(shifts, index, new[index].base - old[index - moved].base)
    return Splice(head, size_old - tail - head, tuple(new[head:first_kept]), tuple(shifts))


def _add_shift(shifts: list[tuple[int, int, int]], index: int, delta: int) -> None:
    if not delta:
        return
    if shifts and shifts[-1][1] == index and shifts[-1][2] == delta:
        shifts[-1] = (shifts[-1][0], index + 1, delta)
    else:
        shifts.append((index, index + 1, delta))
