"""Which source line each top-level block starts on (drives the preview's scroll sync).

Python-Markdown does not track positions, so this follows the text through the two places
where it is transformed:

1. Preprocessors replace fenced code and raw HTML blocks by one-line placeholders (and insert
   blank lines). `align` maps every preprocessed line back to a source line, using the fence
   itself or the stashed HTML to know how many source lines a placeholder stands for.
2. The block parser consumes the document from the front as a list of blank-line separated
   chunks, so the remaining chunks are always a suffix of the text; the number of newlines left
   says which preprocessed line the next block starts on. `SourceLineTracker` wraps the parser's
   top-level loop (the same loop as `BlockParser.parseBlocks`) to record that line for every
   top-level element a block processor appends.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence

from markdown import Markdown, util
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.preprocessors import Preprocessor

PLACEHOLDER = re.compile(re.escape(util.STX) + r"wzxhzdk:(\d+)" + re.escape(util.ETX))
_FENCE_OPEN = re.compile(r"^[ >]*(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_ONE_LINERS = {f"h{level}": _HEADING for level in range(1, 7)} | {"hr": _RULE}


def _newlines(blocks: Sequence[str]) -> int:
    """Newlines in '\\n\\n'.join(blocks), without building the string."""
    return sum(block.count("\n") for block in blocks) + 2 * max(len(blocks) - 1, 0)


class _Remaining:
    """Newlines left in the chunks, in constant time while the tail is the original one.

    Block processors take chunks from the front (and may put a remainder back there); the
    chunks behind the first one are still the original list's last ones.
    """

    def __init__(self, blocks: Sequence[str]) -> None:
        self.original = list(blocks)
        self.suffix = [0] * (len(blocks) + 1)  # suffix[k]: newlines in the last k chunks, joined
        for k in range(1, len(blocks) + 1):
            own = blocks[-k].count("\n")
            self.suffix[k] = own + (self.suffix[k - 1] + 2 if k > 1 else 0)

    def newlines(self, blocks: Sequence[str]) -> int:
        """Newlines in '\\n\\n'.join(blocks)."""
        rest = len(blocks) - 1
        if rest <= 0:
            return _newlines(blocks)
        if rest <= len(self.original) and blocks[1] is self.original[-rest]:
            return blocks[0].count("\n") + 2 + self.suffix[rest]
        return _newlines(blocks)


def _fence_end(source: Sequence[str], start: int) -> int | None:
    """Index after the closing fence of a fence opening at `start` (None: not a fence)."""
    opening = _FENCE_OPEN.match(source[start])
    if not opening:
        return None
    fence = opening.group(1)
    closing = re.compile(rf"^[ >]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start + 1, len(source)):
        if closing.match(source[index]):
            return index + 1
    return None


def _html_end(source: Sequence[str], start: int, html: str) -> int:
    """Index after the source lines of a raw HTML block stashed as `html`.

    The block may hold a fenced code block that was stashed first (one placeholder line for
    the fence's lines) with blank lines put around it: counting the stashed lines alone put
    every block below it that many lines too high.
    """
    index = start
    for part in html.strip("\n").split("\n"):
        if index >= len(source):
            break
        if PLACEHOLDER.fullmatch(part.strip()):
            end = _fence_end(source, index)
            index = end if end is not None else index + 1
        elif not part.strip() and source[index].strip():
            continue  # a blank line a preprocessor put in
        else:
            index += 1
    return index


def _same(processed: str, source: str) -> bool:
    """Whether a preprocessed line is the source line, perhaps re-indented (list nesting)."""
    return processed == source or processed.strip() == source.strip() != ""


def align(
    processed: Sequence[str],
    source: Sequence[str],
    stash: Sequence[object],
    guesses: list[int] | None = None,
) -> list[int]:
    """For every preprocessed line, the index of the source line it came from.

    `guesses` (if given) receives the processed lines whose source line had to be searched
    for or clamped: their result depends on text further down, not only on the line itself.
    """
    mapping: list[int] = []
    last = max(len(source) - 1, 0)
    i = 0
    for line in processed:
        if i > last:
            if guesses is not None and line.strip():  # no element starts on a blank line
                guesses.append(len(mapping))
            mapping.append(last)
            continue
        placeholder = PLACEHOLDER.search(line)
        if placeholder:
            while i < last and not source[i].strip():
                i += 1
            mapping.append(i)
            end = _fence_end(source, i)
            if end is None:
                index = int(placeholder.group(1))
                html = str(stash[index]) if index < len(stash) else ""
                end = _html_end(source, i, html)
            i = end
        elif _same(line, source[i]):
            mapping.append(i)
            i += 1
        elif not line.strip():
            mapping.append(i)  # a blank line a preprocessor inserted
        else:
            if guesses is not None:
                guesses.append(len(mapping))
            found = next((j for j in range(i, len(source)) if _same(source[j], line)), None)
            if found is None:
                mapping.append(i)
            else:
                mapping.append(found)
                i = found + 1
    return mapping


class _LineRecorder(Preprocessor):
    """Remembers the lines as they are at this point of preprocessing."""

    def __init__(self, md: Markdown, store: list[list[str]]) -> None:
        super().__init__(md)
        self.store = store

    def run(self, lines: list[str]) -> list[str]:
        self.store[:] = [list(lines)]
        return lines


class SourceLineTracker:
    """Records the source line of every top-level block of the document being converted."""

    def __init__(self, md: Markdown) -> None:
        self.md = md
        self._source: list[list[str]] = [[]]
        self._processed: list[list[str]] = [[]]
        self._block_lines: dict[etree.Element, int] = {}
        self._footnotes_line: int | None = None
        self._mapping: list[int] | None = None
        # Lines placed by searching or clamping (see `align`); an incremental renderer that
        # rendered only part of a document cannot trust its markers when this is set.
        self.inexact = False
        self._active = False
        self._original_parse_blocks = md.parser.parseBlocks
        # Right after whitespace normalisation (30), which keeps the number of lines.
        md.preprocessors.register(_LineRecorder(md, self._source), "bs_source_lines", 29.9)
        # After every other preprocessor (html_block is 20, fences 25).
        md.preprocessors.register(_LineRecorder(md, self._processed), "bs_processed_lines", 0.1)
        md.parser.parseBlocks = self._parse_blocks  # type: ignore[method-assign]

    def reset(self) -> None:
        """Forget the previous document."""
        self._source[:] = [[]]
        self._processed[:] = [[]]
        self._block_lines.clear()
        self._footnotes_line = None
        self._mapping = None
        self.inexact = False

    def inherit(self, new: etree.Element, old: etree.Element) -> None:
        """`new` replaces `old` in the tree and starts on the same line."""
        if old in self._block_lines:
            self._block_lines[new] = self._block_lines[old]

    def line_of(self, element: etree.Element) -> int | None:
        """0-based source line where a top-level element starts, if known."""
        processed_line = self._block_lines.get(element)
        if processed_line is None:
            return None
        return self._source_line(processed_line)

    def footnotes_line(self) -> int | None:
        """Source line of the first footnote definition, if any."""
        if self._footnotes_line is None:
            return None
        return self._source_line(self._footnotes_line)

    def _source_line(self, processed_line: int) -> int:
        if self._mapping is None:
            guesses: list[int] = []
            self._mapping = align(
                self._processed[0], self._source[0], self.md.htmlStash.rawHtmlBlocks, guesses
            )
            self.inexact = self.inexact or bool(guesses)
        if not self._mapping:
            return 0
        # Clamped: a processor that rewrites its chunk (SuperFences reverting a fence it took
        # from an indented code block) can leave more text than there was. Normalisation added
        # two empty lines after the body; they are not the author's.
        index = max(0, min(processed_line, len(self._mapping) - 1))
        line = self._mapping[index]
        clamped = max(0, min(line, len(self._source[0]) - 3))
        if clamped != line or index != processed_line:
            self.inexact = True
        return clamped

    def _parse_blocks(self, parent: etree.Element, blocks: list[str]) -> None:
        if self._active or parent is not self.md.parser.root:
            self._original_parse_blocks(parent, blocks)
            return
        self._active = True
        try:
            self._parse_top_level(parent, blocks)
        finally:
            self._active = False

    def _parse_top_level(self, parent: etree.Element, blocks: list[str]) -> None:
        remaining = _Remaining(blocks)
        total = remaining.newlines(blocks)
        processors = self.md.parser.blockprocessors
        while blocks:
            block = blocks[0]
            block_start = total - remaining.newlines(blocks)
            start = block_start + block[: len(block) - len(block.lstrip())].count("\n")
            before = len(parent)
            for processor in processors:
                # run() returns False when it declined after all (as in BlockParser.parseBlocks)
                if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                    if isinstance(processor, FootnoteBlockProcessor):
                        self._note_footnote(processor, block, block_start)
                    break
            end = total - remaining.newlines(blocks) if blocks else total + 1
            self._record(parent[before:], start, end)

    def _note_footnote(self, processor: FootnoteBlockProcessor, block: str, start: int) -> None:
        match = processor.RE.search(block)
        if self._footnotes_line is None and match:
            self._footnotes_line = start + block[: match.start()].count("\n")

    def _record(self, elements: list[etree.Element], start: int, end: int) -> None:
        """Lines of the elements made from one chunk ("text\\n# Heading\\ntext", "a\\n***\\nb").

        Headings and rules are one line each and can be found; what follows one of them
        starts on the next line.
        """
        line = start
        after_one_liner = False
        for count, element in enumerate(elements):
            pattern = _ONE_LINERS.get(str(element.tag))
            if count and pattern is not None:
                line = self._find(pattern, line + 1, end, default=line)
            elif count and after_one_liner:
                line += 1
            self._block_lines[element] = line
            after_one_liner = pattern is not None

    def _find(self, pattern: re.Pattern[str], first: int, end: int, default: int) -> int:
        lines = self._processed[0]
        for index in range(first, min(end, len(lines))):
            if pattern.match(lines[index]):
                return index
        return default
