"""Counts a writer wants to see: words, characters, reading time, progress to a target."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from editor.core.post import count_words

WORDS_PER_MINUTE = 230  # a common figure for adult silent reading of non-fiction


def count_chars(text: str) -> int:
    """Characters as a writer counts them: everything but line breaks."""
    return len(text) - text.count("\n")


def reading_minutes(words: int) -> int:
    """Whole minutes to read `words` (at least 1 for any text)."""
    return math.ceil(words / WORDS_PER_MINUTE) if words > 0 else 0


def target_words(meta: Mapping[str, Any]) -> int | None:
    """The draft's `target_words` from its front matter, when it is a positive number."""
    value = meta.get("target_words")
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.replace(",", "").replace("_", "").strip()
        if not value.isdigit():
            return None
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def describe_counts(words: int, chars: int, target: int | None = None) -> str:
    """One status-bar phrase: '2,340 / 3,000 words (78%) · 13,020 characters · 11 min read'."""
    if target:
        percent = math.floor(100 * words / target)
        head = f"{words:,} / {target:,} words ({percent}%)"
    else:
        head = f"{words:,} word" + ("" if words == 1 else "s")
    return f"{head} · {chars:,} characters · {reading_minutes(words)} min read"


def describe_selection(text: str) -> str:
    """The same counts for selected text: 'Selection: 12 words · 70 characters · 1 min read'."""
    return "Selection: " + describe_counts(count_words(text), count_chars(text))
