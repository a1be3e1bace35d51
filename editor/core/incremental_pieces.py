"""Rendered blocks joined into the pieces the preview patches, and which piece an edit changed.

A piece is a run of blocks that starts and ends at a clean seam (nothing left open between
it and its neighbours), so the page can parse it on its own (editor/core/pieces.py).
"""

from __future__ import annotations

from editor.core.html_newlines import remove_newlines, seams
from editor.core.md_partial import Block
from editor.core.pieces import LINE_TEMPLATE_RE, Piece, PieceChange
from editor.core.render import strip_editor_markers


def piece_runs(rendered: list[tuple[Block, int]]) -> list[tuple[int, int]]:
    """Blocks joined into pieces at clean seams: (first, last) index of each piece."""
    runs = []
    start = 0
    while start < len(rendered):
        end = _run_end(rendered, start)
        runs.append((start, end))
        start = end + 1
    return runs


def joined_piece(rendered: list[tuple[Block, int]], start: int, end: int, markers: bool) -> Piece:
    """One piece: its blocks joined, newlines removed (once per block, when rendered)."""
    base = rendered[start][1]
    run = rendered[start : end + 1]
    raw = "".join(_shifted(block.raw, line - base) for block, line in run)
    if start == 0:
        raw = raw.lstrip()
    if end == len(rendered) - 1:
        raw = raw.rstrip()
    if start == end and raw == run[0][0].raw:
        html = run[0][0].html  # the usual case: computed once, when rendered
    else:
        html = remove_newlines(raw)
        html = html if markers else strip_editor_markers(html)
    return Piece(html, base if markers else 0)


def _run_end(rendered: list[tuple[Block, int]], start: int) -> int:
    """The last block of the piece starting at `start`: a clean seam must follow it."""
    last = len(rendered) - 1
    block = rendered[start][0]
    if start == last or (block.clean_right and rendered[start + 1][0].clean_left):
        return start
    # Something is open at the block's end (a <pre>, a comment): the seam is clean once the
    # joined run closes it. Doubling the run keeps the cost linear in its length.
    end, step = start, 1
    while end < last:
        end = min(last, end + step)
        step *= 2
        joined = "".join(block.raw for block, _line in rendered[start : end + 1])
        if end == last or (seams(joined)[1] and rendered[end + 1][0].clean_left):
            return end
    return last


def one_change(basis: tuple[Piece, ...], pieces: tuple[Piece, ...]) -> PieceChange | None:
    """`pieces` as a change of one piece of `basis` (None: not one, or a piece moved).

    Used where the renderer cannot tell at once which piece changed (the general path, the
    footnotes list): one pass comparing templates, most of them the very same strings.
    """
    if len(basis) != len(pieces):
        return None
    at = None
    for index, (old, new) in enumerate(zip(basis, pieces, strict=True)):
        if old.template is new.template or old.template == new.template:
            if old.base != new.base:
                return None  # lines moved: the preview shifts markers of a range
            continue
        if at is not None:
            return None
        at = index
    return None if at is None else PieceChange(basis, at)


def _shifted(template: str, lines: int) -> str:
    if not lines or "\x02" not in template:
        return template
    return LINE_TEMPLATE_RE.sub(lambda m: f"\x02L{int(m.group(1)) + lines}\x03", template)
