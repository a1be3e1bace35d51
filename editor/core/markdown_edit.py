"""Markdown editing help as plain text transformations (the editor applies them).

Every function takes a piece of text with positions in it (Python indices) and returns an
`Edit`: replace text[start:end] with `text`, then select anchor..cursor. None means "nothing
special here: let the editor do its usual thing".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INDENT = "    "  # Python-Markdown nests lists by four spaces, so that is what Tab inserts

# quote markers, then an optional list marker with an optional task box
_PREFIX = re.compile(
    r"^(?P<quote>(?:[ \t]*>[ \t]?)*)"
    r"(?:(?P<indent>[ \t]*)(?P<marker>[-*+]|(?P<number>\d{1,9})(?P<delim>[.)]))"
    r"(?P<gap>[ \t]+|$)(?P<task>\[[ xX]\][ \t]+)?)?"
)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_LINK = re.compile(r"^\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\n]*)\)$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_WORD_CHAR = re.compile(r"\w")

PAIRS = {"(": ")", "[": "]", "`": "`"}
# After these a closing character is welcome; anywhere else auto-pairing would get in the way.
_CLOSE_BEFORE = set(" \t)]}>.,;:!?\"'")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text`; afterwards select anchor..cursor."""

    start: int
    end: int
    text: str
    anchor: int
    cursor: int


def is_list_item(line: str) -> bool:
    """True for a bullet, numbered or task list item."""
    return _LIST_ITEM.match(line) is not None


def continue_block(line: str, column: int) -> Edit | None:
    """Enter at `column` of `line`: continue a list or quote, or end it on an empty item.

    Positions are within the line. A numbered item continues with the next number, a task item
    with an unchecked box; an item with nothing after its marker loses the marker instead.
    """
    match = _PREFIX.match(line)
    if match is None or match.end() == 0:
        return None
    quote, marker = match.group("quote"), match.group("marker")
    if not marker and not quote.strip():
        return None
    prefix_end = match.end()
    if column < prefix_end:
        return None  # Enter before the text: just a new line
    if not line[prefix_end:].strip():
        return Edit(0, len(line), "", 0, 0)  # an empty item ends the list (or quote)
    following = quote
    if marker:
        if match.group("number") is not None:
            marker = f"{int(match.group('number')) + 1}{match.group('delim')}"
        gap = match.group("gap") or " "
        following += match.group("indent") + marker + gap + ("[ ] " if match.group("task") else "")
    # Spaces left before the split would trail the old line; the new item starts clean.
    start = column
    while start > prefix_end and line[start - 1] in " \t":
        start -= 1
    end = column
    while end < len(line) and line[end] in " \t":
        end += 1
    inserted = "\n" + following
    end_cursor = start + len(inserted)
    return Edit(start, end, inserted, end_cursor, end_cursor)


def indent_lines(lines: list[str]) -> list[str] | None:
    """Tab on list items: each item goes one level deeper (None when a line is no list item)."""
    if not lines or not all(is_list_item(line) or not line.strip() for line in lines):
        return None
    if not any(is_list_item(line) for line in lines):
        return None
    return [INDENT + line if line.strip() else line for line in lines]


def outdent_lines(lines: list[str]) -> list[str] | None:
    """Shift+Tab on list items: one level up (None when nothing can move)."""
    if not any(is_list_item(line) for line in lines):
        return None
    changed = []
    for line in lines:
        if line.startswith("\t"):
            changed.append(line[1:])
        else:
            spaces = len(line) - len(line.lstrip(" "))
            changed.append(line[min(spaces, len(INDENT)) :])
    return None if changed == lines else changed


def _run(text: str, index: int, char: str, step: int) -> int:
    """How many `char` repeat from `index` going by `step` (+1 right, -1 left)."""
    count = 0
    while 0 <= index < len(text) and text[index] == char:
        count += 1
        index += step
    return count


def _wrapped_by(outer_left: int, outer_right: int, marker: str) -> bool:
    """Whether runs of marker characters around a span mean it is wrapped in `marker`."""
    if marker == "*" or marker == "_":
        return outer_left % 2 == 1 and outer_right % 2 == 1  # ** is bold, *** bold italic
    if marker in ("**", "__"):
        return outer_left >= 2 and outer_right >= 2
    return outer_left >= len(marker) and outer_right >= len(marker)


def _word_around(text: str, position: int) -> tuple[int, int]:
    start = end = position
    while start > 0 and _WORD_CHAR.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD_CHAR.match(text[end]):
        end += 1
    return start, end


def toggle_wrap(text: str, start: int, end: int, marker: str) -> Edit:
    """Ctrl+B / Ctrl+I and friends: wrap text[start:end] in `marker`, or unwrap it.

    With no selection the word at the cursor is used; outside a word an empty pair is inserted
    with the cursor inside. Spaces at the edges of the selection stay outside the markers.
    """
    if start == end:
        start, end = _word_around(text, start)
        if start == end:
            inside = start + len(marker)
            return Edit(start, end, marker * 2, inside, inside)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    selected = text[start:end]
    size = len(marker)
    char = marker[0]
    # The selection includes the markers: "**word**" selected.
    if len(selected) >= 2 * size and selected.startswith(marker) and selected.endswith(marker):
        inner_left = _run(selected, 0, char, 1)
        inner_right = _run(selected, len(selected) - 1, char, -1)
        if inner_left < len(selected) and _wrapped_by(inner_left, inner_right, marker):
            inner = selected[size:-size]
            return Edit(start, end, inner, start, start + len(inner))
    # The markers sit just outside the selection: "**[word]**".
    left = _run(text, start - 1, char, -1)
    right = _run(text, end, char, 1)
    if _wrapped_by(left, right, marker):
        return Edit(start - size, end + size, selected, start - size, end - size)
    wrapped = marker + selected + marker
    return Edit(start, end, wrapped, start + size, end + size)


def toggle_link(text: str, start: int, end: int) -> Edit:
    """Ctrl+K: turn the selection into [selection](url) with "url" selected, or undo a link."""
    if start == end:
        start, end = _word_around(text, start)
    selected = text[start:end]
    link = _LINK.match(selected)
    if link:
        label = link.group("text")
        return Edit(start, end, label, start, start + len(label))
    # [label](url) around a selected label: remove the brackets and the target
    if text[start - 1 : start] == "[" and text[end : end + 2] == "](":
        close = text.find(")", end + 2)
        if close != -1 and "\n" not in text[end:close]:
            return Edit(start - 1, close + 1, selected, start - 1, end - 1)
    if _URL.match(selected):
        label = "text"
        return Edit(start, end, f"[{label}]({selected})", start + 1, start + 1 + len(label))
    url_at = start + len(selected) + 3
    return Edit(start, end, f"[{selected}](url)", url_at, url_at + 3)


def closer_for(line: str, column: int, typed: str) -> str | None:
    """What to insert after the cursor when `typed` is typed at `column`, or None.

    Pairs are only made where a closing character is welcome (end of line, before a space or
    punctuation), so typing inside words and before text is never disturbed. `**` pairs when
    the second star is typed.
    """
    after = line[column : column + 1]
    if after and after not in _CLOSE_BEFORE:
        return None
    before = line[column - 1 : column]
    if typed in ("(", "["):
        return PAIRS[typed]
    if typed == "`":
        # not after a word or another backtick, so typing ``` for a fence stays plain
        if before and (_WORD_CHAR.match(before) or before == "`"):
            return None
        return "`"
    if typed == "*" and before == "*" and line[column - 2 : column - 1] not in ("*", "\\"):
        return "**"
    return None


# ------------------------------------------------------------ line formats (Format menu)
_HEADING = re.compile(r"^(?P<hashes>#{1,6})(?:[ \t]+|$)")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*+][ \t]+")
_NUMBER = re.compile(r"^(?P<indent>[ \t]*)\d{1,9}[.)][ \t]+")
_ANY_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})")


def _line_edit(text: str, start: int, end: int, changed: list[str]) -> Edit:
    """Replace the lines of `text` with `changed`; keep a caret on its word, or select it all.

    `text` is the whole lines holding the selection start..end (as the editor hands them over).
    """
    new = "\n".join(changed)
    if start != end or len(changed) != 1:
        return Edit(0, len(text), new, 0, len(new))
    # one line, a caret: it stays on the same character of the line's words
    delta = len(new) - len(text)
    at = min(len(new), max(0, start + delta))
    return Edit(0, len(text), new, at, at)


def toggle_heading(text: str, start: int, end: int, level: int) -> Edit:
    """Format ▸ Heading n: make the lines headings of `level`, or plain text if they are already."""
    lines = text.split("\n")
    marker = "#" * level
    bodies = [line[m.end() :] if (m := _HEADING.match(line)) else line for line in lines]
    filled = [line for line in lines if line.strip()]
    already = bool(filled) and all(
        (m := _HEADING.match(line)) is not None and m.group("hashes") == marker for line in filled
    )
    if already:
        return _line_edit(text, start, end, bodies)
    return _line_edit(
        text,
        start,
        end,
        [f"{marker} {body}" if body.strip() or len(lines) == 1 else body for body in bodies],
    )


def toggle_quote(text: str, start: int, end: int) -> Edit:
    """Format ▸ Quote: put the lines in a block quote, or take them out of one."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    if filled and all(_QUOTE.match(line) for line in filled):
        return _line_edit(text, start, end, [_QUOTE.sub("", line, count=1) for line in lines])
    # blank lines inside get a bare ">" so the quote stays one quote
    return _line_edit(text, start, end, [f"> {line}" if line.strip() else ">" for line in lines])


def _toggle_list(text: str, start: int, end: int, numbered: bool) -> Edit:
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    same = _NUMBER if numbered else _BULLET
    if filled and all(same.match(line) for line in filled):
        return _line_edit(
            text, start, end, [_ANY_ITEM.sub(r"\g<indent>", line, count=1) for line in lines]
        )
    changed = []
    number = 0
    for line in lines:
        if not line.strip():
            changed.append(line)
            continue
        item = _ANY_ITEM.match(line)
        indent, body = (item.group("indent"), line[item.end() :]) if item else ("", line)
        number += 1
        changed.append(f"{indent}{number}. {body}" if numbered else f"{indent}- {body}")
    return _line_edit(text, start, end, changed)


def toggle_bullets(text: str, start: int, end: int) -> Edit:
    """Format ▸ Bulleted List: each line an item ("- "), or back to plain lines."""
    return _toggle_list(text, start, end, numbered=False)


def toggle_numbers(text: str, start: int, end: int) -> Edit:
    """Format ▸ Numbered List: the lines numbered 1., 2., …, or back to plain lines."""
    return _toggle_list(text, start, end, numbered=True)


def toggle_code_block(text: str, start: int, end: int) -> Edit:
    """Format ▸ Code Block: fence the lines with ```, or remove the fences around them."""
    lines = text.split("\n")
    if len(lines) >= 2 and _FENCE.match(lines[0]) and _FENCE.match(lines[-1]):
        inner = "\n".join(lines[1:-1])
        return Edit(0, len(text), inner, 0, len(inner))
    if not text.strip():
        fenced = "```\n\n```"
        return Edit(0, len(text), fenced, 4, 4)  # the caret on the empty line inside
    fenced = f"```\n{text}\n```"
    return Edit(0, len(text), fenced, 4, 4 + len(text))
