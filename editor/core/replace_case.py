"""Replacing words the way a writer means it: keep the case of what was there, spare addresses.

Replacing "harbour" with "harbor" across a post must turn "Harbour" in the title into
"Harbor" and "HARBOUR" in a shouted line into "HARBOR", and must not break a link to
https://example.org/harbour-news, whose address is not prose at all.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Sequence

# The parts of Markdown that are addresses, not words: inline link and image destinations
# (one level of balanced parentheses, as in Wikipedia addresses), reference definitions,
# autolinks, bare web addresses and the href/src of inline HTML.
_ADDRESS = re.compile(
    r"\]\(\s*(?P<inline><[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)"
    r"|^ {0,3}\[[^\]\n]+\]:[ \t]*(?P<reference><[^>\n]*>|\S+)"
    r"|(?P<autolink><[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)"
    r"|(?P<bare>\b(?:https?|ftp)://[^\s<>]*[^\s<>.,;:!?'\")\]*_]"
    r"|\bwww\.[^\s<>]*[^\s<>.,;:!?'\")\]*_])"
    r"|\b(?:href|src)\s*=\s*(?P<attribute>\"[^\"\n]*\"|'[^'\n]*')",
    re.MULTILINE | re.IGNORECASE,
)
_GROUPS = ("inline", "reference", "autolink", "bare", "attribute")
_WORDS = re.compile(r"\S+")


def link_address_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every link address in Markdown `text`, in order, not overlapping."""
    spans: list[tuple[int, int]] = []
    for match in _ADDRESS.finditer(text):
        name = next(g for g in _GROUPS if match.group(g) is not None)
        spans.append(match.span(name))
    return spans


def in_any(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `span` overlaps any of the sorted, non-overlapping `spans`."""
    index = bisect_right(spans, (span[0], sys.maxsize)) - 1  # the last one starting at or before
    near = spans[max(index, 0) : index + 2]
    return any(start < span[1] and span[0] < end for start, end in near)


def _is_title(word: str) -> bool:
    cased = [c for c in word if c.isalpha()]
    return bool(cased) and cased[0].isupper() and all(c.islower() for c in cased[1:])


def _capitalised(text: str) -> str:
    """`text` with its first letter in capitals and the rest as typed."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
    return text


def replace_preserving_case(match: str, replacement: str) -> str:
    """`replacement` in the case of `match`: lower, Title, Title Words or UPPER.

    A lower-case match keeps the replacement as typed (so "wordpress" → "WordPress" works),
    and a match in mixed case ("iPhone") gives no rule to follow, so it is left as typed too.
    """
    letters = [c for c in match if c.isalpha()]
    if not letters or match.islower():
        return replacement
    if len(letters) > 1 and match.isupper():
        return replacement.upper()
    words = match.split()
    if len(words) > 1 and all(_is_title(w) for w in words if any(c.isalpha() for c in w)):
        return _WORDS.sub(lambda m: _capitalised(m.group()), replacement)
    if _is_title(words[0]) and all(
        not any(c.isupper() for c in w) for w in words[1:]
    ):  # "Harbour" or "Harbour master": a capital first letter, as at the start of a sentence
        return _capitalised(replacement)
    return replacement
