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


def common_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix (not overlapping) of two texts."""
    limit = min(len(old), len(new))
    prefix = _common(old, new, limit, False)
    return prefix, _common(old, new, limit - prefix, True)


def edit_between(old: str, new: str) -> Edit:
    """The one stretch that differs between `old` and `new` (empty when they are equal)."""
    prefix, suffix = common_affixes(old, new)
    return Edit(prefix, len(old) - suffix, len(new) - suffix)


def _common(old: str, new: str, limit: int, backwards: bool) -> int:
    # Slices are compared in C, a stretch at a time: the Python steps stay few for a long text.
    def same(a: int, b: int) -> bool:  # compares old/new over [a, b) from the chosen end
        if backwards:
            return old[len(old) - b : len(old) - a] == new[len(new) - b : len(new) - a]
        return old[a:b] == new[a:b]

    done, step = 0, 4096
    while done + step <= limit and same(done, done + step):
        done += step
    high = min(limit, done + step)
    while done < high:  # binary search in the last, differing stretch
        middle = (done + high + 1) // 2
        if same(done, middle):
            done = middle
        else:
            high = middle - 1
    return done
