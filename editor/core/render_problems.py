"""Parts of a post that cannot be rendered, found before rendering or caught while rendering.

Python-Markdown parses nested lists and block quotes by recursion, several Python frames per
level: a list nested a few hundred deep raises RecursionError, and its cost grows with the
square of the depth (a 1,000-deep list takes seconds to fail). Its link pattern scans forward
from every "[" to the matching "]", so thousands of nested or unclosed brackets take minutes.
Such text is measured before it is rendered (`find_problem`) and refused, block by block; what
still fails while rendering is caught by the renderer and described here too
(`failure_problem`). A refused part is shown in the preview as one sentence
(`RenderProblem.html`), and publishing refuses the post (`RenderError`).
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# Levels of lists, quotes and definitions nested in each other. Writing rarely goes past ten;
# Python-Markdown needs up to six frames per level, so 50 levels stay far from Python's limit
# of 1,000 frames whatever the caller's stack, and render in a few milliseconds.
MAX_NESTING = 50
# Characters Python-Markdown's link pattern scans for the brackets of one paragraph: each "["
# scans to its "]" (or to the paragraph's end). Four million take about two seconds.
MAX_BRACKET_SCAN = 4_000_000
# Tildes in a row: the strikethrough pattern measures the rest of the run at each of them, so
# 25,000 followed by a letter take a quarter of a second and a megabyte minutes. GFM never
# strikes through with more than two; 10,000 take 0.04 s.
MAX_TILDE_RUN = 10_000
_TILDE_RUN = re.compile(f"~{{{MAX_TILDE_RUN + 1},}}")

# Failures of the converter on text it cannot handle. Python-Markdown has no exception class of
# its own: its parser, its extensions and ElementTree raise built-in errors (ValueError from
# `convert`, TypeError/ValueError from the serializer, LookupError/AttributeError from
# processors meeting a tree they did not expect, RecursionError from deep nesting).
RENDER_FAILURES: tuple[type[Exception], ...] = (
    RecursionError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    AssertionError,
)

# One container marker at the start of a line: a quote, a list item, a definition.
_MARKER = re.compile(r">[ \t]*|(?:[*+-]|\d{1,9}[.)]|:)(?:[ \t]+|$)")
_FOOTNOTE_DEFINITION = re.compile(r" {0,3}\[\^[^\]\n]+\]:[ \t]*")
_INDENT = re.compile(r"[ \t]*")
_BRACKET_OR_LINE = re.compile(r"\\.|[\[\]\n()]")
# A line that starts a definition (": text"), inside quotes or not.
_DEFINITION_START = re.compile(r"[ \t>]*:(?:[ \t]|$)")
# What a line continuing the block above may start with (md_blocks cuts nowhere else).
_JOINING_STARTS = frozenset(" \t>:*_+-=0123456789")
_PARAGRAPH_START = re.compile(r"[ \t]*(?:\n|\Z|>|[*+-][ \t]|\d{1,9}[.)][ \t]|#)")


@dataclass(frozen=True)
class RenderProblem:
    """A part of the body that is shown as one sentence instead of being rendered.

    `line` is where the trouble is, 0-based, relative to the text that was measured (the
    renderers move it to the body's lines); `reason` completes "it …" ("nests lists 400 deep").
    """

    line: int
    reason: str

    def moved(self, lines: int) -> RenderProblem:
        """The same problem, `lines` further down."""
        return RenderProblem(self.line + lines, self.reason)

    def html(self, line_marker: str | None = None) -> str:
        """What the preview shows instead of the part (escaped: the reason may quote text).

        `line_marker`: the `data-line` value, where the renderer does not add one itself.
        """
        marker = "" if line_marker is None else f' data-line="{line_marker}"'
        sentence = f"This part could not be shown: it {self.reason}."
        return (
            f'<p{marker} class="bs-render-problem" role="note">{html.escape(sentence)}'
            " Publishing is blocked until it is changed.</p>"
        )


class RenderError(ValueError):
    """A post that cannot be published as it is: one sentence naming the line, for the writer."""

    def __init__(self, problem: RenderProblem, line_offset: int = 0) -> None:
        self.problem = problem
        self.line = problem.line + line_offset + 1  # as the writer counts, in the whole file
        self.message = f"Line {self.line} cannot be rendered: it {problem.reason}."
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def find_problem(text: str) -> RenderProblem | None:
    """Why `text` must not be rendered (its first problem, by line), or None when it may be."""
    found = [
        p
        for p in (
            _nul_character(text),
            _deepest_nesting(text),
            _costliest_brackets(text),
            _long_tilde_run(text),
        )
        if p is not None
    ]
    return min(found, key=lambda problem: problem.line, default=None)


def problem_spans(text: str) -> list[tuple[int, int, RenderProblem]]:
    """The parts of `text` to show as sentences, in order: (start, end, problem).

    A part starts after the last blank line above its problem (the paragraphs above it, an
    introduction or the first items of a loose list, are rendered as usual) and ends before
    the first paragraph that starts a new block after it (after a blank line, with plain text
    at the margin). Its problem's line is relative to `text`.
    """
    spans: list[tuple[int, int, RenderProblem]] = []
    position, line = 0, 0
    while position < len(text):
        rest = text[position:]
        problem = find_problem(rest)
        if problem is None:
            break
        lines = rest.split("\n")
        first = _paragraph_start(lines, problem.line)
        last = _next_block(lines, problem.line)
        start = position + sum(len(each) + 1 for each in lines[:first])
        end = min(len(text), position + sum(len(each) + 1 for each in lines[:last]))
        spans.append((start, end, problem.moved(line)))
        line += last
        position = end
    return spans


def without_spans(text: str, spans: list[tuple[int, int, RenderProblem]]) -> str:
    """`text` with each span replaced by its sentence as raw HTML, keeping its line count."""
    parts, position = [], 0
    for start, end, problem in spans:
        newlines = max(text.count("\n", start, end), 1)
        parts += [text[position:start], problem.html(), "\n" * newlines]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _paragraph_start(lines: list[str], line: int) -> int:
    """The line after the last blank line above `line` (0: none, or only blanks above)."""
    for index in range(min(line, len(lines)) - 1, -1, -1):
        if not lines[index].strip(" \t"):
            above = any(each.strip(" \t") for each in lines[:index])
            return index + 1 if above else 0
    return 0


def _next_block(lines: list[str], line: int) -> int:
    """The first line below `line` that starts a paragraph of its own (len(lines): none)."""
    for index in range(line + 1, len(lines)):
        head = lines[index][:1]
        if head and head not in _JOINING_STARTS and not lines[index - 1].strip(" \t"):
            return index
    return len(lines)


def failure_problem(exc: BaseException, text: str) -> RenderProblem:
    """The problem to show for a part whose rendering raised `exc` (logged for developers)."""
    if isinstance(exc, RecursionError):
        depth = max((_line_depth(line)[0] for line in text.split("\n")), default=0)
        if depth > 1:
            return RenderProblem(0, f"nests lists or quotes {depth:,} deep")
        return RenderProblem(0, "nests its parts too deeply to be rendered")
    log.warning("A part of the post could not be rendered", exc_info=exc)
    return RenderProblem(0, "could not be turned into HTML")


def _line_depth(line: str) -> tuple[int, int, int]:
    """(levels, quotes, list levels) that open at the start of `line`."""
    position = _FOOTNOTE_DEFINITION.match(line)
    start = position.end() if position else 0
    indent = _INDENT.match(line, start)
    assert indent is not None  # matches the empty string
    columns = len(indent.group().expandtabs(4))
    position_in_line = indent.end()
    quotes = markers = 0
    while (marker := _MARKER.match(line, position_in_line)) is not None:
        if line[position_in_line] == ">":
            quotes += 1
        else:
            markers += 1
        position_in_line = marker.end()
    if not quotes and not markers:
        return 0, 0, 0  # indented text alone opens nothing (code, or a continued paragraph)
    lists = columns // 4 + markers
    return lists + quotes, quotes, lists


def _deepest_nesting(text: str) -> RenderProblem | None:
    """The first line nested deeper than MAX_NESTING, reported with the deepest of its part.

    Its part ends where `problem_spans` ends it: a deeper line further down belongs to another
    part, with a sentence of its own, so the figure is the same whether the text is measured
    block by block (the full render) or as blocks joined by an open fence (the preview).
    """
    lines = text.split("\n")
    first: int | None = None
    end = len(lines)
    deepest = (0, 0, 0, 0)
    chain = 0  # definitions since the last blank line: each one nests the rest in itself
    for number, line in enumerate(lines):
        if number >= end:
            break
        if not line.strip(" \t>"):
            chain = 0
            if not line.strip(" \t"):
                continue
            # Quote markers alone are a blank line inside the quotes, which still nest them
            # (hundreds of them made the output depend on the stack's depth).
        definition = _DEFINITION_START.match(line) is not None
        chain += definition
        above = chain - definition  # the definitions this line is nested in
        if len(line) + above <= MAX_NESTING:  # each level takes one character at least
            continue
        levels, quotes, lists = _line_depth(line)
        if levels + above > MAX_NESTING:
            if first is None:
                first, end = number, _next_block(lines, number)
            deepest = max(deepest, (levels + above, quotes, lists, chain))
    if first is None:
        return None
    levels, quotes, lists, chain = deepest
    if chain * 2 > levels:  # mostly a glossary written without blank lines between entries
        return RenderProblem(
            first,
            f"runs {chain:,} definitions together without a blank line between them, more"
            f" than the {MAX_NESTING} Broadsheet can show (a blank line after each definition"
            " fixes it)",
        )
    kinds = "lists and quotes" if quotes and lists else "quotes" if quotes else "lists"
    limit = f"more than the {MAX_NESTING} levels Broadsheet can show"
    return RenderProblem(first, f"nests {kinds} {levels:,} deep, {limit}")


def _nul_character(text: str) -> RenderProblem | None:
    """The first NUL character: binary data that must not reach the published HTML."""
    at = text.find("\x00")
    if at < 0:
        return None
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return RenderProblem(
        line,
        f"holds an invisible NUL character (a byte of binary data, not text) at column"
        f" {column:,} of its line, to be deleted",
    )


def _long_tilde_run(text: str) -> RenderProblem | None:
    """The first run of more tildes in a row than the strikethrough pattern can measure."""
    run = _TILDE_RUN.search(text)
    if run is None:
        return None
    return RenderProblem(
        text.count("\n", 0, run.start()),
        f"has {len(run.group()):,} tildes (~) in a row, more than {MAX_TILDE_RUN:,}",
    )


def _costliest_brackets(text: str) -> RenderProblem | None:
    """The first paragraph whose brackets the link pattern would scan for too long, or None.

    Each "[" scans to its "]"; each "(" right after a "]" (a link's address) scans to its ")",
    counting the parentheses between; what is never closed scans to the paragraph's end.
    """
    if (text.count("[") + text.count("](")) * len(text) <= MAX_BRACKET_SCAN:
        return None  # even if each of them scanned the whole text, it would be quick
    scan = _Scan()
    paragraph_line = line = 0
    for token in _BRACKET_OR_LINE.finditer(text):
        char = token.group()
        if char == "[":
            scan.brackets.append(token.start())
            scan.deepest = max(scan.deepest, len(scan.brackets))
        elif char == "]" and scan.brackets:
            scan.scanned += token.start() - scan.brackets.pop()
            scan.closed_at = token.end()
        elif char == "(":
            scan.parentheses.append((token.start(), token.start() == scan.closed_at))
        elif char == ")" and scan.parentheses:
            start, address = scan.parentheses.pop()
            scan.scanned += token.start() - start if address else 0
        elif char == "\n":
            line += 1
            if _PARAGRAPH_START.match(text, token.end()):  # the paragraph's inline text ends
                problem = scan.problem(token.start(), paragraph_line)
                if problem is not None:
                    return problem
                scan, paragraph_line = _Scan(), line
    return scan.problem(len(text), paragraph_line)


@dataclass
class _Scan:
    """What the link pattern scans in one paragraph, so far."""

    scanned: int = 0
    deepest: int = 0  # the most "[" open at once
    closed_at: int = -1  # just after the last "]" that closed a "["
    brackets: list[int] = field(default_factory=list)  # where each open "[" is
    parentheses: list[tuple[int, bool]] = field(default_factory=list)  # open "(": address?

    def problem(self, end: int, line: int) -> RenderProblem | None:
        """The paragraph's problem when it ends at `end` (what is open scans up to it)."""
        addresses = [start for start, address in self.parentheses if address]
        scanned = self.scanned + sum(end - start for start in self.brackets + addresses)
        if scanned <= MAX_BRACKET_SCAN:
            return None
        if len(addresses) * 2 > len(self.brackets):
            return RenderProblem(line, f"leaves {len(addresses):,} link addresses open")
        if len(self.brackets) * 2 >= self.deepest:
            return RenderProblem(line, f"leaves {len(self.brackets):,} square brackets open")
        return RenderProblem(line, f"nests square brackets {self.deepest:,} deep")
