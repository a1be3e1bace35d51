"""The headings of a draft (its outline), found the way a Markdown reader would see them."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from editor.core.text_edit import edit_between

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


def _shapes_outline(line: str) -> bool:
    """Whether a line can make, end or move a heading: a fence, a heading, an underline, or a
    line that could close the front matter."""
    return bool(
        _FENCE.match(line)
        or _ATX.match(line)
        or _SETEXT.match(line)
        or line.rstrip() in ("---", "...")
    )


def _around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole lines holding text[start:end], and the line after them: (start, end)."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    if last != -1:
        last = text.find("\n", last + 1)
    return first, len(text) if last == -1 else last


class OutlineTracker:
    """`extract_outline` of successive versions of one draft, following each edit.

    A keystroke in a paragraph cannot change the headings, only move those below it: the
    outline is then re-used (its lines shifted), instead of walking every line of a long draft.
    Any edit on a line that is or could become a heading, a fence or the front matter's end
    (or on the line above an underline) walks the whole draft again; those are the only lines
    whose change can move the front matter's end, open or close a fence, or make a heading.
    """

    def __init__(self) -> None:
        self._text: str | None = None
        self._headings: tuple[Heading, ...] = ()
        self.full_walks = 0  # whole-draft walks so far (for tests)

    def outline(self, text: str) -> tuple[Heading, ...]:
        """The headings of `text` (equal to `extract_outline(text)`)."""
        old, self._text = self._text, text
        if old is not None:
            headings = self._follow(old, text)
            if headings is not None:
                self._headings = headings
                return headings
        self.full_walks += 1
        self._headings = extract_outline(text)
        return self._headings

    def _follow(self, old: str, new: str) -> tuple[Heading, ...] | None:
        if old is new or old == new:
            return self._headings
        start, old_end, new_end = edit_between(old, new)
        retitled = self._retitled(old, new, start, old_end, new_end)
        if retitled is not None:
            return retitled
        for text, end in ((old, old_end), (new, new_end)):
            first, last = _around(text, start, end)
            if any(_shapes_outline(line) for line in text[first:last].split("\n")):
                return None
        moved = new.count("\n", start, new_end) - old.count("\n", start, old_end)
        if not moved:
            return self._headings
        first_line = old.count("\n", 0, start)  # only when lines move: it walks the text
        headings = self._headings
        below = bisect_right([h.line for h in headings], first_line)
        return headings[:below] + tuple(
            Heading(h.level, h.title, h.line + moved) for h in headings[below:]
        )

    def _retitled(
        self, old: str, new: str, start: int, old_end: int, new_end: int
    ) -> tuple[Heading, ...] | None:
        """Typing in an ATX heading that stays one (the usual edit of a heading): that
        heading's title and level change, nothing else can. None: another kind of edit.

        An ATX line never opens or closes a fence or the front matter, and is never the text
        of a setext heading, so neither the lines around it nor the line under it matter; a
        heading-like line inside fenced code stays inside it.
        """
        if "\n" in old[start:old_end] or "\n" in new[start:new_end]:
            return None
        first = old.rfind("\n", 0, start) + 1
        old_stop, new_stop = old.find("\n", old_end), new.find("\n", new_end)
        before = old[first : len(old) if old_stop == -1 else old_stop]
        after = new[first : len(new) if new_stop == -1 else new_stop]
        heading = _ATX.match(after)
        if not (_ATX.match(before) and heading):
            return None
        line = old.count("\n", 0, first)  # a memory scan: no line is split
        headings = self._headings
        index = bisect_right([h.line for h in headings], line) - 1
        if index < 0 or headings[index].line != line:
            return headings  # in fenced code or the front matter: still not a heading
        title = _plain(heading.group(2) or "")
        changed = Heading(len(heading.group(1)), title, line)
        return (*headings[:index], changed, *headings[index + 1 :])
