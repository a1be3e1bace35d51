"""The word count of a long document, recounting only the paragraphs an edit touched."""

from __future__ import annotations

import re

from editor.core.post import count_words
from editor.core.stopping import StopSignal
from editor.core.text_edit import edit_between

_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def chunked_count(text: str, stop: StopSignal | None = None) -> int:
    """`count_words` summed over the blank-line separated chunks of `text`; `stop` is
    looked at before each chunk (10 MB take seconds to count)."""
    if stop is None:
        return sum(count_words(chunk) for chunk in _BLANK_LINES.split(text))
    total = 0
    for chunk in _BLANK_LINES.split(text):
        stop.check()
        total += count_words(chunk)
    return total


class WordCounter:
    """`chunked_count(body)` of successive versions of one body (the render worker's).

    Counting 100,000 words takes ~20 ms; a keystroke changes one paragraph. Words never span a
    line break, and cutting a text at a blank line does not change the sum, so each version
    is counted as the last count, less the words of the paragraphs around the edit as they
    were, plus those words as they are. The one difference from `count_words` is a link
    title that spans a blank line (`](url "a … b")`), which is counted as words here.

    Another thread may call a count off with `stop` (it raises `Stopped`); the counter then
    stays as it was before that count.
    """

    def __init__(self, stop: StopSignal | None = None) -> None:
        self.stop = stop
        self._text: str | None = None
        self._total = 0
        self.counted = 0  # characters counted by the last call (for tests)

    def count(self, body: str) -> int:
        """Words in `body`."""
        old = self._text
        if old is None:
            self._total = chunked_count(body, self.stop)
            self._text, self.counted = body, len(body)
            return self._total
        start, old_end, new_end = edit_between(old, body)
        if start == old_end == new_end:
            self._text, self.counted = body, 0
            return self._total
        # Widen the edit to blank lines that both versions share: the cuts fall between
        # chunks in both, so the chunks outside it count as they did.
        first = _after_blank_line(old, start)
        last = _before_blank_line(old, old_end)
        moved = new_end - old_end
        now = chunked_count(body[first : last + moved], self.stop)
        self._total += now - chunked_count(old[first:last], self.stop)
        self._text, self.counted = body, last - first + moved
        return self._total


def _after_blank_line(text: str, limit: int) -> int:
    """The last position <= limit right after a blank line (0 when there is none)."""
    end = text.rfind("\n", 0, limit)
    while end > 0:
        before = text.rfind("\n", 0, end)
        if before == -1:
            return 0
        if not text[before + 1 : end].strip(" \t"):
            return end + 1
        end = before
    return 0


def _before_blank_line(text: str, limit: int) -> int:
    """The first position >= limit where a blank line starts ("\\n", blanks, "\\n"), or the end."""
    start = text.find("\n", limit)
    while start != -1:
        after = text.find("\n", start + 1)
        if after == -1:
            break
        if not text[start + 1 : after].strip(" \t"):
            return start
        start = after
    return len(text)
