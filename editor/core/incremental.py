"""Incremental rendering: re-render only the blocks that changed, same HTML as `render_body`.

A body is cut into independent blocks (`md_blocks.split_blocks`); a block whose fence or raw
HTML block is still open at its end is joined with the next ones. Each block is rendered
alone, with the document-wide context Python-Markdown would have when it reaches it: the
reference links, abbreviations and footnotes defined anywhere in the document. The HTML of a
block is cached under its text and the part of that context it can use, so a block is
re-rendered when

- its text changes (or it is joined with / cut from its neighbours),
- a reference link definition changes and the block contains "[",
- an abbreviation definition changes (any block: an abbreviation can match any word),
- the number of a note the block mentions ("[^id]") changes, or that note appears or goes,
- the slug, caption style or markers option changes.

Line markers are rendered relative to the block (`\\x02L<n>\\x03` placeholders) and filled in
when the block's position in the document is known, so inserting a line above a block does
not re-render it. The footnotes list is rendered on its own, after the blocks, note by note
(`incremental_notes`).

What cannot be reproduced block by block falls back to one full render (rare): a footnote
referenced twice (reference numbering then depends on the parser's traversal order), a
definition inside a footnote, the footnotes placeholder, or line markers the tracker had to
guess.

A block that cannot be rendered (`render_problems`: measured too deep before rendering, or
failing while rendering) is shown as one sentence and cached under its text like any block, so
it is tried again as soon as its text changes; the converter that failed is replaced.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from editor.core.incremental_notes import (
    NoteItems,
    add_references,
    moved_references,
    notes_line_of,
    with_notes,
)
from editor.core.incremental_pieces import joined_piece, one_change, piece_runs
from editor.core.md_blocks import DEFINITION, normalize, split_blocks, stands_alone
from editor.core.md_extensions import ActiveOptions
from editor.core.md_partial import NOTHING, Analysis, Block, Context, Converter
from editor.core.pieces import Piece, PieceChange, RenderedBody
from editor.core.render import RenderOptions, render_body
from editor.core.render_problems import (
    RENDER_FAILURES,
    failure_problem,
    problem_spans,
    without_spans,
)
from editor.core.stopping import StopSignal
from editor.core.text_edit import common_affixes

PLACE_MARKER = "///Footnotes Go Here///"
_NOTE_REFERENCE = re.compile(r"\[\^([^\]]*)\]")  # Python-Markdown's FOOTNOTE_RE
_UNNORMAL = re.compile("[\r\x02\x03]")  # what `normalize` changes (line ends, STX/ETX)


# ------------------------------------------------------------------------------ the renderer
def _may_stay_open(text: str) -> bool:
    """Whether a fence or raw HTML block could be open at the end of `text`."""
    return "<" in text or "```" in text or "~~~" in text


def _needs_analysis(text: str) -> bool:
    return _may_stay_open(text) or DEFINITION.search(text) is not None


@dataclass
class _Last:
    """The previous rendering, for the single-block fast path."""

    text: str  # normalised body
    options: RenderOptions
    context: Context
    context_keys: tuple[object, ...]  # (references, abbreviations, footnote order)
    starts: list[int]  # where each block starts in `text`
    lines: list[int]  # and on which line
    keys: list[tuple[object, ...]]
    rendered: list[tuple[Block, int]]  # blocks (+ footnotes) with their document line
    pieces: list[Piece]
    runs: list[tuple[int, int]]  # per piece: first and last index in `rendered`
    piece_of: list[int]  # per rendered block: its piece
    referenced: dict[str, int] = field(default_factory=dict)  # footnote refs of the blocks
    notes_line: int | None = None  # line of the footnotes list in the body (None: at the end)
    notes_key: tuple[object, ...] | None = None  # the footnotes list's cache key
    clean: bool = False  # `text` is the body as given: it had nothing to normalise
    returned: tuple[Piece, ...] = ()  # `pieces` as returned (the basis of a `PieceChange`)
    note_numbers: dict[str, int] = field(default_factory=dict)  # footnote id: its place
    # How many blocks use each cache key: identical blocks (the same table twice) share one,
    # and an edit in one of them must not drop the others' cached HTML.
    key_uses: Counter[tuple[object, ...]] = field(default_factory=Counter)


class IncrementalRenderer:
    """Renders successive versions of one document, re-rendering only what changed.

    Not thread-safe: use one per thread (the preview's render worker owns one). Another
    thread may call a render off with `stop`: it raises `Stopped` before its next block.
    """

    def __init__(self, stop: StopSignal | None = None) -> None:
        self.stop = stop or StopSignal()
        self._converter: Converter | None = None
        self._analyses: dict[str, Analysis] = {}
        self._blocks: dict[tuple[object, ...], Block] = {}
        self._notes = NoteItems()  # the footnotes list's items, cached note by note
        self._last: _Last | None = None
        self.rendered_blocks = 0  # blocks rendered by the last call (for tests and benchmarks)
        self.rendered_notes = 0  # footnotes list items rendered by the last call (tests)

    @property
    def converter(self) -> Converter:
        """The Markdown instance, made on first use (on the thread that renders)."""
        if self._converter is None:
            self._converter = Converter()
        return self._converter

    def render(self, body: str, options: RenderOptions = RenderOptions()) -> RenderedBody:
        """Render `body`; `RenderedBody.html()` equals `render_body(body, options)`."""
        self.rendered_blocks = self.rendered_notes = 0
        if not body.strip():
            self._last = None  # what was returned last is this empty body, not `_last`'s
            return RenderedBody(())
        last = self._last
        text, affixes = self._normalized(body)
        if PLACE_MARKER in text:
            return self._full(body, options)
        if last is not None and last.options == options and last.text == text:
            return RenderedBody(last.returned)  # asked again, unchanged: nothing to do
        fast = self._edit_one_block(text, options, affixes, clean=text is body)
        if fast is not None:
            return fast
        self._last = None
        analyses: dict[str, Analysis] = {}
        blocks = self._blocks_of(text, analyses)
        context = self._context(blocks, analyses)
        if context is None:
            return self._full(body, options)
        rendered = self._assemble(body, blocks, analyses, context, options)
        if last is not None and last.options == options and not rendered.full_render:
            return replace(rendered, change=one_change(last.returned, rendered.pieces))
        return rendered

    def _normalized(self, body: str) -> tuple[str, tuple[int, int] | None]:
        """`normalize(body)`, and where it differs from the last text (when that was found).

        A keystroke changes a few characters: when the last body had nothing to normalise
        and the changed stretch has nothing either, the body is its own normal form, and the
        search for that stretch (a memory compare) is the only walk through a long draft.
        """
        last = self._last
        if last is not None and last.clean:
            prefix, suffix = common_affixes(last.text, body)
            if not _UNNORMAL.search(body, prefix, len(body) - suffix):
                return body, (prefix, suffix)
        return normalize(body), None

    def _full(self, body: str, options: RenderOptions) -> RenderedBody:
        self.rendered_blocks = -1
        self._blocks.clear()
        self._last = None
        return RenderedBody((Piece(render_body(body, options)),), full_render=True)

    def _analyse(self, text: str, used: dict[str, Analysis]) -> Analysis:
        if not _needs_analysis(text):
            return NOTHING
        analysis = self._analyses.get(text)
        if analysis is None:
            # What cannot be rendered is analysed as what is shown instead: its sentence.
            try:
                analysis = self.converter.analyse(without_spans(text, problem_spans(text)))
            except RENDER_FAILURES:
                self._converter = None  # its parser may have stopped mid-document
                analysis = NOTHING  # the block is then shown alone, as a sentence
        used[text] = analysis
        return analysis

    def _render_block(self, text: str, active: ActiveOptions, context: Context) -> Block:
        """Render one block; a part of it that cannot be rendered becomes its sentence."""
        try:
            return self.converter.render(without_spans(text, problem_spans(text)), active, context)
        except RENDER_FAILURES as exc:
            self._converter = None  # its parser may have stopped mid-document
            problem = failure_problem(exc, text)
        marker = active.marker(0) if active.markers else None
        return Block(problem.html(marker)).finished(active.markers)

    def _blocks_of(self, text: str, used: dict[str, Analysis]) -> list[tuple[str, int]]:
        """(text, first line) of each independent block; open fences/HTML join the next."""
        chunks = split_blocks(text)
        offsets = [chunk.offset for chunk in chunks] + [len(text)]
        blocks: list[tuple[str, int]] = []
        index = 0
        while index < len(chunks):
            self.stop.check()
            end = index + 1
            block = text[offsets[index] : offsets[end]]
            step = 1
            while self._analyse(block, used).open_at_end and end < len(chunks):
                end = min(len(chunks), end + step)  # doubling: cost stays linear in the size
                step *= 2
                block = text[offsets[index] : offsets[end]]
            blocks.append((block, chunks[index].line))
            index = end
        self._analyses = used
        return blocks

    def _context(
        self, blocks: list[tuple[str, int]], analyses: dict[str, Analysis]
    ) -> Context | None:
        """The definitions of the whole document (None: only a full render is exact)."""
        context = Context()
        for text, _line in blocks:
            analysis = analyses.get(text, NOTHING)
            if analysis.inexact:
                return None
            context.references.update(analysis.references)
            for abbr, title in analysis.abbreviations:
                if title is None:
                    context.abbreviations.pop(abbr, None)
                else:
                    context.abbreviations[abbr] = title
            context.footnotes.update(analysis.footnotes)
        if any(DEFINITION.search(note) for note in context.footnotes.values()):
            return None  # definitions inside footnotes are made while rendering the list
        return context

    def _assemble(
        self,
        body: str,
        blocks: list[tuple[str, int]],
        analyses: dict[str, Analysis],
        context: Context,
        options: RenderOptions,
    ) -> RenderedBody:
        active = ActiveOptions(
            slug=options.slug,
            caption_style=options.caption_style,
            markers=options.markers,
            line_template=options.markers,
        )
        common = (options.slug, options.caption_style, options.markers)
        references = tuple(context.references.items())
        abbreviations = tuple(context.abbreviations.items())
        footnote_order = tuple(context.footnotes)
        numbers = {id: number for number, id in enumerate(footnote_order)}
        used: dict[tuple[object, ...], Block] = {}
        rendered: list[tuple[Block, int]] = []
        referenced: dict[str, int] = {}
        keys: list[tuple[object, ...]] = []
        for text, line in blocks:
            key = (
                text,
                common,
                references if "[" in text else None,
                abbreviations,
                _notes_used(text, numbers),
            )
            block = self._blocks.get(key)
            if block is None:
                self.stop.check()  # a few ms a block: seconds for a first megabyte
                block = self._render_block(text, active, context)
                self.rendered_blocks += 1
            if block.inexact or not add_references(referenced, block):
                return self._full(body, options)
            used[key] = block
            keys.append(key)
            rendered.append((block, line + options.line_offset))
        blocks_referenced = dict(referenced)
        notes_line = notes_key = None
        if context.footnotes:
            notes_line = notes_line_of(blocks, analyses)
            notes_key, notes = self._footnotes(notes_line, context, options, active, referenced)
            used[notes_key] = notes
            if not add_references(referenced, notes):
                return self._full(body, options)
            rendered.append((notes, (notes_line or 0) + options.line_offset))
        self._blocks = used
        runs = piece_runs(rendered)
        pieces = [joined_piece(rendered, first, last, options.markers) for first, last in runs]
        piece_of = [
            index for index, (first, last) in enumerate(runs) for _ in range(first, last + 1)
        ]
        starts, lines, offset = [], [], 0
        for text, line in blocks:
            starts.append(offset)
            lines.append(line)
            offset += len(text)
        clean = normalize(body) is body  # str.replace returns the very string when unchanged
        self._last = _Last(
            body if clean else "".join(text for text, _line in blocks),  # (the same text)
            options,
            context,
            (references, abbreviations, footnote_order),
            starts,
            lines,
            keys,
            rendered,
            pieces,
            runs,
            piece_of,
            blocks_referenced,
            notes_line,
            notes_key,
            clean,
            tuple(pieces),
            numbers,
            Counter(keys),
        )
        return RenderedBody(self._last.returned)

    def _edit_one_block(
        self, text: str, options: RenderOptions, affixes: tuple[int, int] | None, clean: bool
    ) -> RenderedBody | None:
        """The usual keystroke: one block's text changed, nothing that links blocks did.

        Re-renders that block and reuses everything else (lines below move). None when the
        edit may have changed how the document is cut or what its definitions are.
        """
        last = self._last
        if last is None or last.options != options or not last.starts:
            return None
        old = last.text
        prefix, suffix = affixes or common_affixes(old, text)
        index = bisect_right(last.starts, prefix) - 1
        count = len(last.starts)
        old_end = last.starts[index + 1] if index + 1 < count else len(old)
        if len(old) - suffix > old_end or index < 0:
            return None  # the edit reaches into the next block
        start, moved = last.starts[index], len(text) - len(old)
        new_end = old_end + moved
        block_text = text[start:new_end]
        if not stands_alone(text, start, new_end, index == 0, index + 1 == count):
            return None
        lines = text.count("\n", start, new_end) - old.count("\n", start, old_end)
        changed_notes = self._keeps_to_itself(old[start:old_end], block_text, bool(lines))
        if changed_notes is None:
            return None  # definitions, or a fence or HTML block left open: the general path
        if any(text.count(f"[^{id}]:") != 1 for id, _note in changed_notes):
            return None  # a note defined twice: which text wins is the general path's call
        references, abbreviations, _order = last.context_keys
        numbers = last.note_numbers
        key = (
            block_text,
            (options.slug, options.caption_style, options.markers),
            references if "[" in block_text else None,
            abbreviations,
            _notes_used(block_text, numbers),
        )
        block = self._blocks.get(key)
        if block is None:
            active = ActiveOptions(
                slug=options.slug,
                caption_style=options.caption_style,
                markers=options.markers,
                line_template=options.markers,
            )
            block = self._render_block(block_text, active, last.context)
            self.rendered_blocks = 1
        old_block, line = last.rendered[index]
        piece = last.piece_of[index]
        if (
            block.inexact
            or not (block.clean_left and block.clean_right)
            or last.runs[piece] != (index, index)
            or index == 0
            or index == len(last.rendered) - 1
        ):
            return None
        context: Context | None = last.context
        referenced: dict[str, int] | None = last.referenced
        if block.references != old_block.references:
            referenced = moved_references(last.referenced, old_block, block)
        if changed_notes:
            context = with_notes(last.context, changed_notes)
        if context is None or referenced is None:
            return None  # a note referred to twice, or defining something: a full render
        notes_block: tuple[tuple[object, ...], Block] | None = None
        if changed_notes or referenced is not last.referenced:
            if lines or len(last.rendered) == count or last.runs[-1] != (count, count):
                return None  # the footnotes list moves or is joined with a block: general path
            notes_block = self._footnotes_again(last, context, options, referenced)
            if notes_block is None:
                return None
        shift = lines if options.markers else 0
        rendered = list(last.rendered)
        rendered[index] = (block, line)
        pieces = list(last.pieces)
        pieces[piece] = Piece(block.html, line if options.markers else 0)
        if lines:
            for later in range(index + 1, count):
                moved_block, moved_line = rendered[later]
                rendered[later] = (moved_block, moved_line + lines)
            notes = len(rendered) > count  # the footnotes list follows the blocks
            notes_stay = notes and last.rendered[-1][1] < line  # they start above the edit
            if notes_stay and last.runs[-1] != (count, count):
                return None  # joined with a block that moved: the general path
            if notes and not notes_stay:
                rendered[-1] = (rendered[-1][0], rendered[-1][1] + lines)
            for later in range(piece + 1, len(pieces)):
                if not (notes_stay and later == len(pieces) - 1):
                    pieces[later] = Piece(pieces[later].template, pieces[later].base + shift)
        uses, old_key = last.key_uses, last.keys[index]  # (updated in place: one `_Last`)
        uses[old_key] -= 1
        if uses[old_key] <= 0:
            del uses[old_key]
            self._blocks.pop(old_key, None)
        uses[key] += 1
        self._blocks[key] = block
        keys = list(last.keys)
        keys[index] = key
        notes_key = last.notes_key
        if notes_block is not None:
            notes_key, notes_list = notes_block
            if notes_key != last.notes_key:
                self._blocks.pop(last.notes_key, None)  # type: ignore[arg-type]
                self._blocks[notes_key] = notes_list
                rendered[-1] = (notes_list, rendered[-1][1])
                pieces[-1] = Piece(notes_list.html, pieces[-1].base)
        self._last = replace(
            last,
            text=text,
            clean=clean,
            returned=tuple(pieces),
            context=context,
            referenced=referenced,
            notes_key=notes_key,
            starts=last.starts[: index + 1] + [s + moved for s in last.starts[index + 1 :]],
            lines=(
                last.lines[: index + 1] + [n + lines for n in last.lines[index + 1 :]]
                if lines
                else last.lines  # (never changed in place)
            ),
            keys=keys,
            rendered=rendered,
            pieces=pieces,
        )
        returned = self._last.returned
        if lines:
            return RenderedBody(returned)  # the pieces below moved
        if notes_block is not None and notes_block[0] != last.notes_key:
            # A note's text changed: the footnotes list did, and the block's piece perhaps.
            return RenderedBody(returned, change=one_change(last.returned, returned))
        return RenderedBody(returned, change=PieceChange(last.returned, piece))

    def _keeps_to_itself(
        self, old: str, new: str, lines_moved: bool
    ) -> tuple[tuple[str, str], ...] | None:
        """Whether editing a block from `old` to `new` leaves the rest of the document alone.

        Yes (the footnotes whose text changed: usually none) when neither defines anything
        (links, abbreviations, footnotes) nor leaves a fence or HTML block open at its end, or
        both define the same but for the text of some footnotes: a keystroke in a code block,
        a paragraph with inline HTML or a footnote then costs that block (and that note), not
        the whole document. None: the document's definitions or its cutting may change.
        """
        if not (_needs_analysis(old) or _needs_analysis(new)):
            return ()
        before = self._analyse(old, self._analyses)
        after = self._analyse(new, self._analyses)
        if old != new:
            self._analyses.pop(old, None)  # at worst analysed again by the general path
        if (
            after.open_at_end
            or after.inexact
            or (lines_moved and (before.footnotes or after.footnotes))
        ):
            return None  # (the footnotes list's line is not followed here)
        if before == after:
            return ()
        if replace(before, footnotes=()) != replace(after, footnotes=()) or [
            id for id, _note in before.footnotes
        ] != [id for id, _note in after.footnotes]:
            return None
        return tuple(
            (id, note)
            for (id, note), (_id, old_note) in zip(after.footnotes, before.footnotes, strict=True)
            if note != old_note
        )

    def _footnotes(
        self,
        line: int | None,
        context: Context,
        options: RenderOptions,
        active: ActiveOptions,
        referenced: dict[str, int],
    ) -> tuple[tuple[object, ...], Block]:
        """The footnotes list (relative `line` of its first definition; None: unknown) and
        its cache key. Its items are cached note by note: editing a note renders that note."""
        common = (options.slug, options.caption_style, options.markers)
        repeated = tuple(sorted((ref, n) for ref, n in referenced.items() if n > 1))
        references = tuple(context.references.items())
        abbreviations = tuple(context.abbreviations.items())
        key = (
            "footnotes",
            common,
            line is None,
            repeated,
            references,
            abbreviations,
            tuple(context.footnotes.items()),
        )
        block = self._blocks.get(key)
        if block is not None:
            return key, block
        if line is not None:
            active = replace(active, footnotes_line=0)
        try:
            if any("[^" in note for note in context.footnotes.values()):
                # A note referring to a note: repeated references are numbered in the order
                # the whole list is visited. Rendered as one.
                block = self.converter.render_footnotes(active, context, referenced)
                self.rendered_blocks += 1
            else:
                block = self._notes.footnotes_list(
                    self.converter,
                    (common, line is None, repeated),
                    (references, abbreviations),
                    context,
                    active,
                    referenced,
                )
                self.rendered_blocks += self._notes.made
                self.rendered_notes += self._notes.rendered
        except RENDER_FAILURES as exc:  # a footnote's text is parsed here, not in its block
            self._converter = None
            self._notes.forget()
            text = "\n".join(context.footnotes.values())
            problem = failure_problem(exc, text)
            block = Block(problem.html()).finished(options.markers)
            self.rendered_blocks += 1
        return key, block

    def _footnotes_again(
        self, last: _Last, context: Context, options: RenderOptions, referenced: dict[str, int]
    ) -> tuple[tuple[object, ...], Block] | None:
        """The footnotes list after an edit in one block (None: only the general path can)."""
        active = ActiveOptions(
            slug=options.slug,
            caption_style=options.caption_style,
            markers=options.markers,
            line_template=options.markers,
        )
        all_referenced = dict(referenced)
        key, block = self._footnotes(last.notes_line, context, options, active, all_referenced)
        if block.references or block.inexact:
            return None  # notes that refer to notes: the general path checks them
        return key, block


def _notes_used(text: str, numbers: dict[str, int]) -> tuple[tuple[str, int | None], ...] | None:
    """The notes a block may refer to, with their numbers (None: not defined), for its cache
    key: renaming or adding a note re-renders the blocks that mention it, not every block
    with a note. Each "[^id]" in the text counts (a few more than the references made)."""
    if "[^" not in text:
        return None
    return tuple((id, numbers.get(id)) for id in _NOTE_REFERENCE.findall(text))
