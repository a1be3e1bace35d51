"""Where in the front matter a label is being typed, and the text that completes it.

Labels are typed in the YAML front matter as a flow list (`labels: [news, tra`), a comma list
(`labels: news, tra`) or a block list (`- tra` under `labels:`); `tags` works the same. These
functions see only line text and columns (Python indices), so the editor's completer stays a
thin layer and everything here is tested without Qt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import yaml

from editor.core.blog_labels import label_key

FLOW, LIST, BLOCK = "flow", "list", "block"
FRONT_MATTER_LINES = 1000  # a longer "front matter" is a thematic break and a long text

_KEY = re.compile(r"(?:labels|tags)[ \t]*:(?=[ \t]|$)")
_KEY_ALONE = re.compile(r"(?:labels|tags)[ \t]*:[ \t]*(?:#.*)?$")
_ITEM = re.compile(r"[ \t]*-(?:[ \t]+|$)")
_FENCE_OPEN = re.compile(r"---[ \t]*$")
_FENCE_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*$")
_NOT_A_LABEL = set("[]{}&*!|>%@`")  # YAML syntax where a plain label would start


@dataclass(frozen=True)
class LabelSpot:
    """The label the cursor is in: its text runs from column `start` to `end` of the line."""

    style: str  # FLOW, LIST or BLOCK
    start: int  # after an opening quote, if any
    cursor: int
    end: int  # before a closing quote, if any
    quote: str  # the quote the label opened with, "" for none
    closed: bool  # whether that quote is closed already
    partial: str  # what has been typed of it, up to the cursor
    others: tuple[str, ...]  # the list's other labels (not worth offering again)


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    quote: str
    closed: bool
    value: str


def front_matter_lines(lines: Iterable[str], limit: int = FRONT_MATTER_LINES) -> list[str] | None:
    """The lines between the front matter's fences, given the document's lines from the top;
    None when the document has no (closed) front matter within `limit` lines."""
    it = iter(lines)
    first = next(it, None)
    if first is None or not _FENCE_OPEN.match(first):
        return None
    inside: list[str] = []
    for line in it:
        if _FENCE_CLOSE.match(line):
            return inside
        if len(inside) >= limit:
            return None
        inside.append(line)
    return None


def label_spot(lines: Sequence[str], row: int, column: int) -> LabelSpot | None:
    """The label being typed at (`row`, `column`) of the front matter `lines`, if any.

    Only a label with at least one character typed counts; None anywhere else.
    """
    line = lines[row]
    key = _KEY.match(line)
    if key:
        if column < key.end():
            return None
        i = _skip_blanks(line, key.end())
        if line.startswith("[", i):
            return _spot(FLOW, line, _items(line, i + 1, "]", ","), column)
        if line.startswith(("'", '"'), i):
            return None  # one quoted string, not a list of labels
        return _spot(LIST, line, _items(line, i, "", ","), column)
    item = _ITEM.match(line)
    if not item or column < item.end() or not _under_labels_key(lines, row):
        return None
    spot = _spot(BLOCK, line, _items(line, item.end(), "", ""), column)
    if spot is None:
        return None
    siblings = [_block_value(lines[r]) for r in _sibling_rows(lines, row)]
    return _with_others(spot, tuple(value for value in siblings if value))


def completion_edit(line: str, spot: LabelSpot, label: str) -> tuple[int, int, str] | None:
    """(start, end, text): replace columns start..end of `line` with `text` to put `label` in
    place of the label being typed, quoted when YAML would otherwise read something else.
    None when the label cannot be written there (a comma inside a comma list)."""
    if spot.quote == '"':
        body = json.dumps(label, ensure_ascii=False)[1:-1]
    elif spot.quote == "'":
        body = label.replace("'", "''")
    elif _reads_back(label, spot.style):
        return spot.start, spot.end, label
    elif spot.style == LIST:
        return None
    else:
        return spot.start, spot.end, json.dumps(label, ensure_ascii=False)
    return spot.start, spot.end, body + ("" if spot.closed else spot.quote)


def matching_labels(
    partial: str, known: Sequence[str], taken: Iterable[str] = (), limit: int = 200
) -> list[str]:
    """Known labels that start with `partial`, then those that contain it (case and spacing
    ignored), leaving out labels in `taken`."""
    wanted = label_key(partial)
    if not wanted:
        return []
    skip = {label_key(label) for label in taken}
    starts: list[str] = []
    contains: list[str] = []
    for label in known:
        key = label_key(label)
        if key in skip:
            continue
        if key.startswith(wanted):
            starts.append(label)
        elif wanted in key:
            contains.append(label)
        if len(starts) >= limit:
            break
    return (starts + contains)[:limit]


# --------------------------------------------------------------------------------- helpers
def _skip_blanks(line: str, i: int) -> int:
    while i < len(line) and line[i] in " \t":
        i += 1
    return i


def _is_comment(line: str, i: int) -> bool:
    return line[i] == "#" and (i == 0 or line[i - 1] in " \t")


def _items(line: str, i: int, closer: str, separator: str) -> tuple[list[_Item], int] | None:
    """The items of a list starting at column `i`, and the column where the list stops (its
    closer, a comment or the end of the line); None when it is not a plain list of labels."""
    items: list[_Item] = []
    n = len(line)
    while True:
        i = _skip_blanks(line, i)
        if i >= n:
            return items, n
        char = line[i]
        if (closer and char == closer) or _is_comment(line, i):
            return items, i
        if separator and char == separator:
            i += 1
            continue
        if char in "'\"":
            item = _quoted(line, i)
            items.append(item)
            if not item.closed:
                return items, n
            i = _skip_blanks(line, item.end + 1)
            if i >= n or (closer and line[i] == closer) or _is_comment(line, i):
                return items, min(i, n)
            if separator and line[i] == separator:
                i += 1
                continue
            return None  # text after a quoted label
        if char in _NOT_A_LABEL:
            return None  # a nested list, a mapping, an anchor …: not ours to complete
        j = i
        while j < n and not (
            (separator and line[j] == separator)
            or (closer and line[j] == closer)
            or _is_comment(line, j)
        ):
            j += 1
        end = j
        while end > i and line[end - 1] in " \t":
            end -= 1
        items.append(_Item(i, end, "", False, line[i:end]))
        if j >= n or not (separator and line[j] == separator):
            return items, j
        i = j + 1


def _quoted(line: str, i: int) -> _Item:
    """The quoted label opening at column `i` (its value roughly unescaped)."""
    quote = line[i]
    j = i + 1
    value: list[str] = []
    while j < len(line):
        char = line[j]
        if quote == '"' and char == "\\" and j + 1 < len(line):
            value.append(line[j + 1])
            j += 2
            continue
        if char == quote:
            if quote == "'" and line.startswith("'", j + 1):
                value.append("'")
                j += 2
                continue
            return _Item(i + 1, j, quote, True, "".join(value))
        value.append(char)
        j += 1
    return _Item(i + 1, len(line), quote, False, "".join(value))


def _spot(
    style: str, line: str, parsed: tuple[list[_Item], int] | None, column: int
) -> LabelSpot | None:
    if parsed is None:
        return None
    items, stop = parsed
    if column > stop:
        return None
    for index, item in enumerate(items):
        if item.start <= column <= item.end:
            partial = line[item.start : column]
            if not partial.strip():
                return None
            others = tuple(other.value for k, other in enumerate(items) if k != index)
            return LabelSpot(
                style, item.start, column, item.end, item.quote, item.closed, partial, others
            )
    return None


def _with_others(spot: LabelSpot, others: tuple[str, ...]) -> LabelSpot:
    return LabelSpot(
        spot.style,
        spot.start,
        spot.cursor,
        spot.end,
        spot.quote,
        spot.closed,
        spot.partial,
        others,
    )


def _blank_or_comment(line: str) -> bool:
    text = line.strip()
    return not text or text.startswith("#")


def _under_labels_key(lines: Sequence[str], row: int) -> bool:
    """True when the block item on `row` belongs to a top-level `labels:` or `tags:`."""
    for r in range(row - 1, -1, -1):
        line = lines[r]
        if _blank_or_comment(line) or _ITEM.match(line):
            continue
        return _KEY_ALONE.match(line) is not None
    return False


def _sibling_rows(lines: Sequence[str], row: int) -> list[int]:
    """The other item rows of the block list that `row` is in."""
    rows: list[int] = []
    for step in (-1, 1):
        r = row + step
        while 0 <= r < len(lines) and (_blank_or_comment(lines[r]) or _ITEM.match(lines[r])):
            if _ITEM.match(lines[r]):
                rows.append(r)
            r += step
    return sorted(rows)


def _block_value(line: str) -> str:
    item = _ITEM.match(line)
    parsed = _items(line, item.end(), "", "") if item else None
    return parsed[0][0].value if parsed and parsed[0] else ""


def _reads_back(label: str, style: str) -> bool:
    """True when `label` written as it is reads back as itself in this kind of list."""
    try:
        if style == FLOW:
            return yaml.safe_load(f"[{label}]") == [label]
        if style == BLOCK:
            return yaml.safe_load(f"- {label}") == [label]
        return "," not in label and yaml.safe_load(f"x: a, {label}") == {"x": f"a, {label}"}
    except yaml.YAMLError:
        return False
