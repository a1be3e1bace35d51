"""Cut a Markdown body into top-level blocks that render the same alone as in the document.

Python-Markdown parses a document as blank-line separated chunks, and a chunk's result can
depend on its neighbours: a list or block quote continues into the next chunk, indented text
joins the list or code block above it, a ": definition" turns the paragraph above into a term
(of the definition list above that paragraph, if any), an italic line becomes the caption of
the image above it, and a definition ("[id]: url", "[^1]: note", "*[HTML]: …") produces no
element, exposing what follows it to the element above. So a cut is only made before a chunk
that starts with plain text and contains none of those, nor is followed by a ": definition",
after a chunk that does not end in indented code. Fences and raw HTML blocks can contain blank
lines; those cuts are undone later, when preprocessing the block shows that a fence or HTML
block is still open at its end (see `incremental`).

The rules are conservative: when in doubt, blocks stay together.

One cut falls inside a chunk: a chunk made only of one-line footnote definitions ("[^1]: …"
on each line, as a long post's notes usually are) is cut before each of its lines but the
first. Python-Markdown reads consecutive definitions one by one, each line one note, so each
line alone defines the same note; the first stays with the block above (a definition leaves
no element). Editing one note then re-reads that line, not every note of the post.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from markdown import util

_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n)+")
# A definition of a reference link, footnote or abbreviation: "[id]:", "[^1]:", "*[HTML] :"
DEFINITION = re.compile(r"\] ?:")
_DEFINITION_LINE = re.compile(r"\n {0,3}:")  # a def_list definition (": text")
# First characters of chunks that may belong to the block above (lists, quotes, captions,
# definitions, indented continuations, rules that could be setext underlines).
_JOINING_STARTS = frozenset(" \t>:*_+-=0123456789")
# A line indented as code (4 columns) right before a blank line: the code block above would
# keep the blank lines that follow it when the next chunk is indented too.
_CODE_BEFORE_BLANK = re.compile(r"\n(?: {4}| {0,3}\t)[^\n]*(?=\n[ \t]*\n)")
_NOTE_LINE = re.compile(r"\[\^[^\]\n]+\]:[^\n]*")  # a one-line footnote definition


def normalize(body: str) -> str:
    """The body as Python-Markdown sees its lines (control characters and line ends)."""
    body = body.replace(util.STX, "").replace(util.ETX, "")
    return body.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Chunk:
    """Where a block starts: a character offset in the normalised text and its line."""

    offset: int
    line: int


def split_blocks(text: str) -> list[Chunk]:
    """Offsets (and lines) where independent blocks of the normalised `text` start."""
    runs = list(_BLANK_RUN.finditer(text))
    chunks = [Chunk(0, 0)]
    if not runs:
        return chunks
    ends = [run.end() for run in runs]
    # Chunks that may continue the block above (by index: chunk k follows run k-1).
    defining = {bisect_right(ends, m.start()) for m in DEFINITION.finditer(text)}
    joining = set(defining)
    for m in _DEFINITION_LINE.finditer(text):
        chunk = bisect_right(ends, m.end() - 1)
        joining.add(chunk)
        if chunk and ends[chunk - 1] == m.start() + 1:
            # A definition after a blank line makes the paragraph above it a term, and that
            # term joins a definition list right above the paragraph. Chunks of footnote,
            # link or abbreviation definitions in between leave no element: the term is the
            # paragraph above them.
            term = chunk - 1
            joining.add(term)
            while term > 0 and _vanishes(text, ends, defining, term):
                term -= 1
                joining.add(term)
    after_code = {m.end() for m in _CODE_BEFORE_BLANK.finditer("\n" + text)}
    after_code = {end - 1 for end in after_code}
    size = len(text)
    line = counted = 0
    for index, run in enumerate(runs):
        start = ends[index]
        if start >= size:
            break
        first = text[start]
        if (
            index + 1 in joining
            or first in _JOINING_STARTS
            or first.isspace()
            or run.start() in after_code
        ):
            continue
        if index == len(runs) - 1 and not text[start:].strip(" \t"):
            break  # only blanks follow
        line += text.count("\n", counted, start)
        counted = start
        chunks.append(Chunk(start, line))
    notes: list[Chunk] = []
    line = counted = 0
    for index, start in enumerate([0, *ends]):
        if start >= size or not text.startswith("[^", start):
            continue
        end = runs[index].start() if index < len(runs) else size
        offsets = _note_lines(text, start, end)
        if offsets:
            line += text.count("\n", counted, start)  # (counted once, up the text)
            counted = start
            notes += [Chunk(offset, line + n) for n, offset in enumerate(offsets, start=1)]
    return sorted(chunks + notes, key=lambda chunk: chunk.offset) if notes else chunks


def _note_lines(text: str, start: int, end: int) -> list[int]:
    """Where the 2nd, 3rd… lines of chunk text[start:end] start, when each of its lines is a
    one-line footnote definition (else none: the chunk is not cut)."""
    if text.endswith("\n", start, end) and end == len(text):
        end -= 1  # the text's last line break
    offsets: list[int] = []
    position = start
    while True:
        match = _NOTE_LINE.match(text, position, end)
        if match is None or match.end() not in (end, text.find("\n", position, end)):
            return []
        if match.end() == end:
            return offsets
        position = match.end() + 1
        offsets.append(position)


def _notes_cut(text: str, position: int) -> bool:
    """Whether `split_blocks` cuts `text` at `position` inside a chunk of footnotes."""
    if not 0 < position < len(text) or text[position - 1] != "\n":
        return False
    if not text.startswith("[^", position):
        return False
    start = position  # back to the chunk's start, over lines of notes
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        line = text[previous : start - 1]
        if not line.strip(" \t"):
            break  # a blank line: the chunk starts after it
        if not _NOTE_LINE.fullmatch(line):
            return False
        start = previous
    run = _BLANK_RUN.search(text, position)
    return position in _note_lines(text, start, run.start() if run else len(text))


def _vanishes(text: str, ends: list[int], defining: set[int], chunk: int) -> bool:
    """Whether chunk `chunk` (> 0) is a definition, or an indented continuation of one."""
    while chunk > 0:
        if chunk in defining:
            return True
        if not text[ends[chunk - 1]].isspace():
            return False
        chunk -= 1  # indented: part of the chunk above
    return 0 in defining


def stands_alone(text: str, start: int, end: int, first: bool, last: bool) -> bool:
    """Whether text[start:end], a block whose neighbours did not change, is still one block.

    True when `split_blocks` would cut the whole text before `start` (unless `first`) and at
    `end` (unless `last`), and nowhere in between, as it did before the block was edited.
    """
    block = text[start:end]
    if len(split_blocks(block)) != 1:
        return False
    if not first and not _notes_cut(text, start):
        run = _BLANK_RUN.search(text, start, end)
        chunk_end = run.start() if run else end
        head = text[start] if start < len(text) else " "
        if (
            head in _JOINING_STARTS
            or head.isspace()
            or DEFINITION.search(text, start, chunk_end)
            or _DEFINITION_LINE.search(text, start - 1, chunk_end)
            # a definition right after its first paragraph: that paragraph is its term
            or (run is not None and _DEFINITION_LINE.match(text, run.end() - 1))
        ):
            return False
    if not last and _notes_cut(text, end):
        return True  # the next line is the next note (and the block one note, or ends in one)
    if not last and _term_of_a_definition_below(text, end):
        return False
    if not last:
        content = len(block.rstrip(" \t\n"))
        if not content or not block.endswith("\n") or block.count("\n", content) < 2:
            return False
        line_start = text.rfind("\n", 0, start + content) + 1
        if text[line_start : line_start + 8].expandtabs(4).startswith("    "):
            return False  # indented code right before the cut
    return True


def _term_of_a_definition_below(text: str, end: int) -> bool:
    """Whether a ": definition" follows `end` after a blank line, past chunks of definitions
    that leave no element: the paragraph before `end` is then its term."""
    position, in_definition = end, False
    while position < len(text):
        if _DEFINITION_LINE.match(text, position - 1):
            return True
        run = _BLANK_RUN.search(text, position)
        chunk_end = run.start() if run else len(text)
        in_definition = bool(DEFINITION.search(text, position, chunk_end)) or (
            in_definition and text[position].isspace()  # an indented part of the definition
        )
        if run is None or not in_definition:
            return False
        position = run.end()
    return False
