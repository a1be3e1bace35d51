"""The word count of a long document, recounting only the paragraphs an edit touched."""

from __future__ import annotations

import re

from editor.core.post import count_words
from editor.core.stopping import StopSignal
from editor.core.text_edit import edit_between

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# A link target left open at the end of a line: its title may follow on the next line.
_OPEN_TARGET = re.compile(r"\]\([^()\s]*\s*$")


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

    Counting 100,000 words takes ~20 ms; a keystroke changes one line. Each version is counted
    as the last count, less the words of the lines around the edit as they were, plus those
    words as they are. That is exact wherever the text is cut between lines that no word and
    no link target crosses (`_cut_after`): a blank line (where `chunked_count` cuts too), or a
    line with something other than spaces on it that leaves no link target open at its end
    (`](url` may go on with a title on the next line). So a keystroke in one of a hundred
    footnotes, one per line, counts that note, not the whole run of them. The one difference
    from `count_words` is a link title that spans a blank line (`](url "a … b")`), which is
    counted as words here.

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
        # Widen the edit to whole lines, and on to cuts that both versions share: the text
        # outside counts as it did.
        moved = new_end - old_end
        first = _start_of_cut(old, start)
        last = _end_of_cut(old, body, old_end, moved)
        now = chunked_count(body[first : last + moved], self.stop)
        self._total += now - chunked_count(old[first:last], self.stop)
        self._text, self.counted = body, last - first + moved
        return self._total


def _cut_after(line: str) -> bool:
    """Whether counting words may cut the text right after this line: nothing that counts
    as one word, or as one link target, goes on from it into the next line."""
    if not line.strip(" \t"):
        return True  # a blank line: `chunked_count` cuts there
    return bool(line.strip()) and not _OPEN_TARGET.search(line)


def _start_of_cut(text: str, limit: int) -> int:
    """The start of the line holding `limit`, or of an earlier line, with a cut before it."""
    start = text.rfind("\n", 0, limit) + 1
    while start > 0:
        before = text.rfind("\n", 0, start - 1) + 1
        if _cut_after(text[before : start - 1]):
            return start
        start = before
    return 0


def _end_of_cut(old: str, new: str, limit: int, moved: int) -> int:
    """The end (a line break, or the end) of the line of `old` holding `limit`, or of a later
    line, with a cut after it in `old` and in `new` (where that position is `moved` on)."""
    end = old.find("\n", limit)
    while end != -1:
        line = old[old.rfind("\n", 0, end) + 1 : end]
        new_line = new[new.rfind("\n", 0, end + moved) + 1 : end + moved]
        if _cut_after(line) and _cut_after(new_line):
            return end
        end = old.find("\n", end + 1)
    return len(old)
