"""Very long lines and tokens cost bounded work: spelling and the long-line check (no Qt)."""

from __future__ import annotations

import base64
import random
import time
from pathlib import Path

import pytest

from editor.core.documents import MAX_DOCUMENT_BYTES, DocumentError, read_document
from editor.core.spelling import Speller, prose_words
from editor.core.text_limits import LONG_LINE, LONGEST_WORD, has_long_line, preview_part


class CountingBackend:
    """A word list that records what the speller asked of it."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def known(self, words: list[str]) -> set[str]:
        self.asked.extend(words)
        return {w for w in words if w in ("see", "here")}

    def candidates(self, word: str) -> set[str] | None:
        self.asked.append(word)
        return {word[:-1]}

    def edit_distance_2(self, word: str) -> set[str]:
        self.asked.append(word)
        return set()

    def word_usage_frequency(self, word: str) -> float:
        return 0.0


def test_a_run_longer_than_any_word_is_not_spell_checked() -> None:
    longest = "a" * LONGEST_WORD
    line = f"see {longest} {'b' * (LONGEST_WORD + 1)} here"
    assert [line[s:e] for s, e in prose_words(line)] == ["see", longest, "here"]


def test_a_long_run_is_never_looked_up_nor_given_suggestions() -> None:
    backend = CountingBackend()
    speller = Speller("en", backend)
    token = "a" * 200_000
    assert speller.is_correct(token)
    assert speller.suggestions(token) == []
    assert backend.asked == []
    assert speller.suggestions("sees") == ["see"]  # normal words as before


def test_prose_words_in_a_long_run_of_letters_take_linear_time() -> None:
    # The e-mail pattern used to be retried at every letter of the run: 100,000 letters took
    # about half a minute (a 5 MB line, days). Linear, they take milliseconds.
    started = time.perf_counter()
    assert prose_words("a" * 100_000) == []
    line = "x" * 50_000 + "@example.org is mine"
    assert [line[s:e] for s, e in prose_words(line)] == ["is", "mine"]
    assert time.perf_counter() - started < 2.0


def test_e_mail_addresses_are_still_skipped_wherever_they_start() -> None:
    line = "write to first.last+tag@example.org or (x@y.fr) now"
    assert [line[s:e] for s, e in prose_words(line)] == ["write", "to", "or", "now"]


def test_has_long_line() -> None:
    assert not has_long_line("")
    assert not has_long_line("a" * LONG_LINE)
    assert has_long_line("a" * (LONG_LINE + 1))
    assert has_long_line("short\n" + "a" * 11 + "\nshort", limit=10)
    assert not has_long_line(("a" * 10 + "\n") * 1000, limit=10)
    assert has_long_line(("a" * 10 + "\n") * 1000 + "a" * 11, limit=10)
    assert not has_long_line(("a" * 10 + "\n") * 1000 + "a" * 10, limit=10)
    data = base64.b64encode(random.Random(3).randbytes(30_000)).decode()
    assert has_long_line(f"# Title\n\n![x](data:image/png;base64,{data})\n\nText.\n")


@pytest.mark.parametrize("size", [1, 9_999, 10_000, 10_001, 25_000])
def test_has_long_line_matches_the_obvious_definition(size: int) -> None:
    rnd = random.Random(size)
    text = "\n".join("b" * rnd.choice([0, 5, 3_000, size]) for _ in range(30))
    expected = max(len(line) for line in text.split("\n")) > LONG_LINE
    assert has_long_line(text) is expected


def test_the_preview_renders_a_normal_draft_whole() -> None:
    body = "# Title\n\nSome text.\n" * 1000
    assert preview_part(body) is body


def test_the_preview_of_a_huge_draft_stops_at_a_blank_line_and_says_so() -> None:
    body = "A paragraph of prose.\n\n" * 100
    shown = preview_part(body, limit=1000)
    kept, note = shown.split("\n\n*The preview stops here", 1)
    assert body.startswith(kept) and len(kept) <= 1000 and kept.endswith("prose.")
    assert f"of the draft's {len(body):,} characters" in note
    one_line = "a" * 5000
    assert preview_part(one_line, limit=1000).startswith("a" * 1000 + "\n\n*The preview")


def test_a_50_mb_file_opens_and_only_a_much_larger_one_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"word " * 10_000_000)  # 50 MB
    text, _fmt = read_document(big)
    assert len(text) == 50_000_000
    huge = tmp_path / "huge.md"
    with huge.open("wb") as file:
        file.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: refused before it is read
    with pytest.raises(DocumentError, match="opens files up to 64 MB"):
        read_document(huge)
