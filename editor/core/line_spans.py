"""Spans of one line of Markdown that the editor treats apart: code spans and HTML comments.

Found in one pass each. The regular expressions they replace scanned from every unmatched
backtick or `<!--` to the end of the line, so a pasted run of them (24,000 backticks) kept the
window's spell checker busy for over a minute and its highlighter for seconds.
"""

from __future__ import annotations

import re

_TICKS = re.compile(r"`+")


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each code span: a run of backticks opens one that the next run of the
    same length closes, as CommonMark pairs them; unmatched runs are plain text."""
    runs = [match.span() for match in _TICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):  # from the end: the next run of each length
        start, end = runs[index]
        following[index] = last_of_length.get(end - start)
        last_of_length[end - start] = index
    spans = []
    index = 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def comment_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each `<!-- … -->` closed on the line."""
    spans = []
    position = 0
    while (start := line.find("<!--", position)) >= 0:
        close = line.find("-->", start + 4)
        if close < 0:
            break  # nothing closes it, nor any comment opened after it
        spans.append((start, close + 3))
        position = close + 3
    return spans


def masked(line: str, spans: list[tuple[int, int]]) -> str:
    """`line` with each span replaced by as many spaces (positions stay the same)."""
    if not spans:
        return line
    parts, position = [], 0
    for start, end in spans:
        parts += [line[position:start], " " * (end - start)]
        position = end
    parts.append(line[position:])
    return "".join(parts)
