"""Word-by-word comparison of two versions of a text, paragraphs side by side.

Paragraphs (lines) are matched first, so a long essay with a few edits costs one cheap line
match plus word matches inside the few paragraphs that changed; words are never matched
across the whole text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["equal", "deleted", "inserted"]

# A word (letters/digits, with inner apostrophes: "don't", "l’été"), a run of spaces, or
# one other character (punctuation, a line break), so a changed comma is marked on its own.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\S\n]+|\n|[^\w\s]")
# Above this many tokens on either side of a changed stretch, word matching (quadratic in
# the worst case) gives way to marking the whole stretch: a rewrite that size reads as one.
_MAX_WORD_MATCH = 20_000


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions, or only in the old or the new one."""

    kind: Kind
    text: str


@dataclass(frozen=True)
class Row:
    """Aligned paragraphs: the old version's on the left, the new version's on the right."""

    old: tuple[Segment, ...]
    new: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        """True when either side has a deleted or inserted segment."""
        return any(s.kind != "equal" for s in self.old + self.new)


def tokenise(text: str) -> list[str]:
    """Words, spaces and single punctuation marks; joining them gives back the text."""
    return _TOKEN.findall(text)


def compare(old: str, new: str) -> list[Row]:
    """Rows of aligned paragraphs with the changed words marked on each side."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    # Blank lines are junk: matched on their own they pin unrelated paragraphs together.
    matcher = difflib.SequenceMatcher(_blank, old_lines, new_lines, autojunk=False)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                Row((Segment("equal", p),), (Segment("equal", p),)) for p in old_lines[i1:i2]
            )
        elif tag == "replace" and i2 - i1 == j2 - j1:
            # As many paragraphs on both sides: edited in place. Pairing them keeps the
            # rows aligned and each word match small, even when every paragraph changed.
            rows.extend(
                _changed_rows(o, n) for o, n in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True)
            )
        else:
            rows.append(
                _changed_rows(
                    "\n".join(old_lines[i1:i2]) if i2 > i1 else None,
                    "\n".join(new_lines[j1:j2]) if j2 > j1 else None,
                )
            )
    return rows


def _blank(line: str) -> bool:
    return not line.strip()


def _changed_rows(old: str | None, new: str | None) -> Row:
    if old is None:
        return Row((), (Segment("inserted", new or ""),))
    if new is None:
        return Row((Segment("deleted", old),), ())
    a, b = tokenise(old), tokenise(new)
    if max(len(a), len(b)) > _MAX_WORD_MATCH:
        return Row((Segment("deleted", old),), (Segment("inserted", new),))
    left: list[Segment] = []
    right: list[Segment] = []
    opcodes = _absorb_lone_spaces(difflib.SequenceMatcher(None, a, b, autojunk=False), a)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            _append(left, "equal", "".join(a[i1:i2]))
            _append(right, "equal", "".join(b[j1:j2]))
            continue
        _append(left, "deleted", "".join(a[i1:i2]))
        _append(right, "inserted", "".join(b[j1:j2]))
    # An empty paragraph is still a paragraph: keep a side for it so rows join back.
    empty = (Segment("equal", ""),)
    return Row(tuple(left) or empty, tuple(right) or empty)


def _absorb_lone_spaces(
    matcher: difflib.SequenceMatcher[str], a: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """Fold a space that is all that stays between two changes into them.

    "the quick brown fox" → "the slow red fox" then reads as one replaced phrase
    ("quick brown" → "slow red") instead of word, space, word confetti.
    """
    ops = matcher.get_opcodes()
    out: list[tuple[str, int, int, int, int]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        lone_space = (
            tag == "equal"
            and 0 < k < len(ops) - 1
            and all(t.isspace() and t != "\n" for t in a[i1:i2])
        )
        if lone_space:
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, p1, _, q1, _ = out[-1]
            out[-1] = ("replace", p1, i2, q1, j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _append(side: list[Segment], kind: Kind, text: str) -> None:
    if not text:
        return
    if side and side[-1].kind == kind:
        side[-1] = Segment(kind, side[-1].text + text)
    else:
        side.append(Segment(kind, text))


def side_text(segments: tuple[Segment, ...]) -> str:
    """The text of one side of a row."""
    return "".join(s.text for s in segments)


def changed_words(rows: list[Row]) -> tuple[int, int]:
    """How many words were removed and added (for a one-line summary)."""
    removed = sum(
        len(re.findall(r"\w+", s.text)) for r in rows for s in r.old if s.kind == "deleted"
    )
    added = sum(
        len(re.findall(r"\w+", s.text)) for r in rows for s in r.new if s.kind == "inserted"
    )
    return removed, added
