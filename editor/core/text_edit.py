"""Where two versions of a text differ: the common prefix and suffix of successive versions.

A keystroke changes a few characters; the render worker compares each version with the one
before to find them, so the work that follows (re-rendering, counting, the outline) covers
the edited paragraph instead of the whole draft.
"""

from __future__ import annotations

from typing import NamedTuple


class Edit(NamedTuple):
    """old[start:old_end] became new[start:new_end]; the text around it is unchanged."""

    start: int
    old_end: int
    new_end: int


# The last comparisons made: the render worker's counters, outline and renderer each follow
# the same two versions of the draft (and of its body), so each pair is compared once.
# (Rebound, never changed in place: a thread reading it sees one whole tuple or the other.)
_RECENT: tuple[tuple[str, str, tuple[int, int]], ...] = ()


def common_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix (not overlapping) of two texts."""
    global _RECENT
    for seen_old, seen_new, affixes in _RECENT:
        if seen_old is old and seen_new is new:
            return affixes
    limit = min(len(old), len(new))
    prefix = _common(old, new, limit, False)
    found = (prefix, _common(old, new, limit - prefix, True))
    if len(old) > 4096:  # short texts are compared faster than looked up
        _RECENT = ((old, new, found), *_RECENT[:2])
    return found


def known_affixes(old: str, new: str, affixes: tuple[int, int]) -> None:
    """Remember `common_affixes(old, new)`, found by the caller from texts these are parts of
    (the draft's body from the whole draft): the counters and renderer then skip comparing."""
    global _RECENT
    if len(old) > 4096:
        _RECENT = ((old, new, affixes), *_RECENT[:2])


def edit_between(old: str, new: str) -> Edit:
    """The one stretch that differs between `old` and `new` (empty when they are equal)."""
    prefix, suffix = common_affixes(old, new)
    return Edit(prefix, len(old) - suffix, len(new) - suffix)


class LineBreaks:
    """The line breaks in successive versions of one text, counted around each edit."""

    def __init__(self) -> None:
        self._text: str | None = None
        self._count = 0

    def count(self, text: str) -> int:
        """`text.count("\\n")`, walking only the stretch that changed since the last text."""
        old, self._text = self._text, text
        if old is None:
            self._count = text.count("\n")
        elif old is not text:
            start, old_end, new_end = edit_between(old, text)
            self._count += text.count("\n", start, new_end) - old.count("\n", start, old_end)
        return self._count


def _common(old: str, new: str, limit: int, backwards: bool) -> int:
    # Slices are compared in C, over stretches that double in length: the Python steps stay
    # few (logarithmic in the text's length), and the characters copied about twice the
    # common part, so a keystroke in a long draft costs a memory compare, not a walk.
    def same(a: int, b: int) -> bool:  # compares old/new over [a, b) from the chosen end
        if backwards:
            return old[len(old) - b : len(old) - a] == new[len(new) - b : len(new) - a]
        return old[a:b] == new[a:b]

    done, step = 0, 4096
    while done + step <= limit and same(done, done + step):
        done += step
        step *= 2
    high = min(limit, done + step)
    while done < high:  # binary search in the last, differing stretch
        middle = (done + high + 1) // 2
        if same(done, middle):
            done = middle
        else:
            high = middle - 1
    return done
