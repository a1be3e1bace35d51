"""The word compare behind the History and Compare views: what is marked, on which side."""

from __future__ import annotations

from editor.core.word_diff import Row, Segment, changed_words, compare, side_text, tokenise


def marked(rows: list[Row], kind: str) -> list[str]:
    """The texts of all segments of `kind` (deleted ones are on the left, inserted on the right)."""
    side = "old" if kind == "deleted" else "new"
    return [s.text for r in rows for s in getattr(r, side) if s.kind == kind]


def test_tokens_join_back_to_the_text() -> None:
    text = "Don't stop — l’été, 3.5 km!\n\tNext  line…"
    assert "".join(tokenise(text)) == text
    assert "Don't" in tokenise(text) and "l’été" in tokenise(text)


def test_identical_texts_have_no_marks() -> None:
    rows = compare("One.\n\nTwo.", "One.\n\nTwo.")
    assert not any(r.changed for r in rows)
    assert [side_text(r.old) for r in rows] == ["One.", "", "Two."]


def test_an_inserted_word_is_marked_on_the_new_side_only() -> None:
    rows = compare("The harbour at dawn.", "The quiet harbour at dawn.")
    assert marked(rows, "inserted") == [" quiet"]
    assert marked(rows, "deleted") == []
    assert side_text(rows[0].old) == "The harbour at dawn."
    assert side_text(rows[0].new) == "The quiet harbour at dawn."


def test_a_deleted_word_is_marked_on_the_old_side_only() -> None:
    rows = compare("The very old quay.", "The old quay.")
    assert marked(rows, "deleted") == [" very"]
    assert marked(rows, "inserted") == []


def test_a_replaced_phrase_reads_as_one_change_not_confetti() -> None:
    rows = compare("the quick brown fox jumps", "the slow red fox jumps")
    assert marked(rows, "deleted") == ["quick brown"]
    assert marked(rows, "inserted") == ["slow red"]
    assert rows[0].old[0] == Segment("equal", "the ")


def test_a_changed_comma_marks_only_the_comma() -> None:
    rows = compare("Boats, nets and gulls.", "Boats; nets and gulls.")
    assert marked(rows, "deleted") == [","] and marked(rows, "inserted") == [";"]


def test_whole_paragraphs_added_and_removed_keep_the_others_aligned() -> None:
    old = "First.\n\nGone paragraph.\n\nLast."
    new = "First.\n\nLast.\n\nA new ending."
    rows = compare(old, new)
    assert marked(rows, "deleted") == ["Gone paragraph.\n"]
    assert marked(rows, "inserted") == ["\nA new ending."]
    equal_rows = [side_text(r.old) for r in rows if not r.changed]
    assert equal_rows == ["First.", "", "Last."]


def test_a_moved_paragraph_is_removed_where_it_was_and_added_where_it_is() -> None:
    old = "Alpha para.\nBeta para.\nGamma para.\nDelta para."
    new = "Beta para.\nGamma para.\nDelta para.\nAlpha para."
    rows = compare(old, new)
    assert marked(rows, "deleted") == ["Alpha para."]
    assert marked(rows, "inserted") == ["Alpha para."]
    # The unmoved paragraphs stay side by side, unmarked.
    assert [side_text(r.old) for r in rows if not r.changed] == [
        "Beta para.",
        "Gamma para.",
        "Delta para.",
    ]


def test_unicode_words_are_compared_whole() -> None:
    rows = compare("Ein Café in Köln, 東京 の夜.", "Ein Kaffee in Köln, 東京 の朝.")
    assert marked(rows, "deleted") == ["Café", "の夜"]
    assert marked(rows, "inserted") == ["Kaffee", "の朝"]
    emoji = compare("Sun ☀️ today", "Rain 🌧️ today")
    assert side_text(emoji[0].new) == "Rain 🌧️ today"


def test_both_sides_always_join_back_to_their_text() -> None:
    old = "A line.\n\nSecond, changed here.\nThird.\n"
    new = "A line!\n\nSecond, altered here and more.\n\nThird.\nFourth.\n"
    rows = compare(old, new)
    assert "\n".join(side_text(r.old) for r in rows if r.old) == old
    assert "\n".join(side_text(r.new) for r in rows if r.new) == new


def test_counts_changed_words() -> None:
    rows = compare("one two three", "one four five six three")
    assert changed_words(rows) == (1, 3)


def test_every_paragraph_edited_stays_paired_paragraph_by_paragraph() -> None:
    old = "\n".join(f"In {i} the tide came in." for i in range(300))
    new = old.replace(" the ", " a ")
    rows = compare(old, new)
    assert len(rows) == 300
    assert marked(rows, "deleted") == ["the"] * 300 and marked(rows, "inserted") == ["a"] * 300
