"""Python string indices <-> Qt text positions.

Qt counts positions in UTF-16 code units; Python counts code points. They differ only after a
character outside the Basic Multilingual Plane (most emoji), so the common case is free.
"""

from __future__ import annotations

import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_astral(text: str) -> bool:
    """True when `text` has a character that takes two UTF-16 code units."""
    return not text.isascii() and _ASTRAL.search(text) is not None


def to_utf16(text: str, index: int) -> int:
    """The Qt position of Python index `index` in `text`."""
    if not has_astral(text):
        return index
    return index + sum(1 for _ in _ASTRAL.finditer(text, 0, index))


def from_utf16(text: str, position: int) -> int:
    """The Python index of Qt position `position` in `text` (clamped to the text)."""
    if not has_astral(text):
        return min(position, len(text))
    units = 0
    for i, char in enumerate(text):
        if units >= position:
            return i
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class Utf16Map:
    """Converts many Python indices of one text to Qt positions (for match lists)."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if has_astral(text) else []

    def __call__(self, index: int) -> int:
        """The Qt position of Python index `index`."""
        if not self._astral:
            return index
        from bisect import bisect_left

        return index + bisect_left(self._astral, index)
