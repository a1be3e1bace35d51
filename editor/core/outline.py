"""The headings of a draft (its outline), found the way a Markdown reader would see them."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# Lines that cannot be the text of a setext heading (they are blocks of their own).
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\t| {0,3}(?:[-*+>]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}#)")
_INLINE_MARKS = re.compile(r"[*_`]|!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Heading:
    """One heading: its level (1-6), plain title and the document line it is on (0-based)."""

    level: int
    title: str
    line: int


def _plain(title: str) -> str:
    """Heading text without emphasis, code and link markup."""
    return _INLINE_MARKS.sub(lambda m: m.group(1) or "", title).strip()


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first body line (0 when there is no closed front matter)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def extract_outline(text: str) -> tuple[Heading, ...]:
    """ATX and setext headings outside front matter and fenced code, in document order."""
    lines = text.split("\n")
    headings: list[Heading] = []
    fence: str | None = None  # the opening fence while inside fenced code
    previous_is_text = False
    for number in range(_front_matter_end(lines), len(lines)):
        line = lines[number]
        if fence is not None:
            match = _FENCE.match(line)
            closes = match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
            if closes and match and not match.group(2).strip():
                fence = None
            previous_is_text = False
            continue
        match = _FENCE.match(line)
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            previous_is_text = False
            continue
        atx = _ATX.match(line)
        if atx:
            headings.append(Heading(len(atx.group(1)), _plain(atx.group(2) or ""), number))
            previous_is_text = False
            continue
        setext = _SETEXT.match(line)
        if setext and previous_is_text:
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append(Heading(level, _plain(lines[number - 1]), number - 1))
            previous_is_text = False
            continue
        previous_is_text = bool(line.strip()) and not _NOT_PARAGRAPH.match(line)
    return tuple(headings)


def section_at(headings: tuple[Heading, ...] | list[Heading], line: int) -> int | None:
    """Index of the heading whose section contains document line `line` (None above the first)."""
    index = bisect_right([h.line for h in headings], line) - 1
    return index if index >= 0 else None
