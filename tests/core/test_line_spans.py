"""Code spans and comments of a line, found in one pass; pasted runs never stall the editor."""

from __future__ import annotations

import pytest

from editor.core.line_spans import code_spans, comment_spans, masked
from editor.core.spelling import prose_words


def test_backtick_runs_pair_as_commonmark_pairs_them() -> None:
    line = "a `x` b ``y ` z`` c ` unmatched ```w```"
    assert [line[s:e] for s, e in code_spans(line)] == ["`x`", "``y ` z``", "```w```"]
    assert code_spans("only ` one") == [] and code_spans("``a` b") == []


def test_comments_close_on_the_line_or_not_at_all() -> None:
    line = "a <!-- one --> b <!-- two --> <!-- open"
    assert [line[s:e] for s, e in comment_spans(line)] == ["<!-- one -->", "<!-- two -->"]
    assert masked("ab<!--x-->cd", comment_spans("ab<!--x-->cd")) == "ab" + " " * 8 + "cd"


@pytest.mark.parametrize("unit", ["`", "<!--", "<", "](", "][", "[^", "[", "**a ", "~~a "])
def test_pasted_runs_leave_the_words_after_them_checked(unit: str) -> None:
    """A pasted run of one markup character (20,000 backticks took the spell checker over a
    minute; the time is measured by the one-liner in issue 16's note, not here)."""
    line = "Pasted: " + unit * (20_000 // len(unit)) + " wrods"
    words = prose_words(line)
    assert (line[words[-1][0] : words[-1][1]]) == "wrods"


def test_counting_words_past_a_pasted_run() -> None:
    from editor.core.post import count_words

    for unit in ("](", "<", "<!--"):
        assert count_words("Pasted: " + unit * 10_000 + " two words") == 3, unit
    assert count_words('A [link](http://x.org "t") and <b>bold</b> words.') == 5
