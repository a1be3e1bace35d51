"""Counts, outline, search, spelling, preferences and per-draft positions (no Qt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from editor.core.outline import Heading, extract_outline, section_at
from editor.core.positions import (
    MAX_DRAFTS,
    DraftPosition,
    recall_position,
    remember_position,
)
from editor.core.preferences import Preferences, load_preferences, store_preferences
from editor.core.search import (
    SearchError,
    SearchOptions,
    compile_search,
    find_all,
    replacement_at,
    replacements,
)
from editor.core.settings import Settings
from editor.core.spelling import (
    Speller,
    prose_words,
    read_user_dictionary,
    write_user_dictionary,
)
from editor.core.stats import (
    count_chars,
    describe_counts,
    describe_selection,
    reading_minutes,
    target_words,
)
from editor.core.utf16 import Utf16Map, from_utf16, to_utf16


def test_counts_and_reading_time() -> None:
    assert count_chars("ab c\nde") == 6
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(230) == 1
    assert reading_minutes(231) == 2
    assert describe_counts(2340, 13020, 3000) == (
        "2,340 / 3,000 words (78%) · 13,020 characters · 11 min read"
    )
    assert describe_counts(1, 3).startswith("1 word ·")
    assert describe_selection("two words") == ("Selection: 2 words · 9 characters · 1 min read")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3000, 3000), ("3,000", 3000), ("abc", None), (0, None), (True, None), (None, None)],
)
def test_target_words_from_front_matter(value: object, expected: int | None) -> None:
    assert target_words({"target_words": value}) == expected


def test_outline_finds_atx_and_setext_headings_outside_code_and_front_matter() -> None:
    text = "\n".join(
        [
            "---",
            "title: T",
            "# not a heading: front matter",
            "---",
            "# One *big* idea",
            "para",
            "",
            "Setext two",
            "----------",
            "```",
            "# inside code",
            "```",
            "### Three ###",
            "- list item",
            "---",
            "Another",
            "=======",
        ]
    )
    assert extract_outline(text) == (
        Heading(1, "One big idea", 4),
        Heading(2, "Setext two", 7),
        Heading(3, "Three", 12),
        Heading(1, "Another", 15),
    )


def test_section_at_finds_the_heading_above_a_line() -> None:
    headings = (Heading(1, "a", 2), Heading(2, "b", 10))
    assert section_at(headings, 0) is None
    assert section_at(headings, 2) == 0
    assert section_at(headings, 9) == 0
    assert section_at(headings, 50) == 1


def test_search_options() -> None:
    text = "Cat cat concat CAT c.t"
    spans = find_all(text, compile_search(SearchOptions("cat")))  # type: ignore[arg-type]
    assert len(spans) == 4
    whole = compile_search(SearchOptions("cat", whole_word=True))
    assert len(find_all(text, whole)) == 3  # type: ignore[arg-type]
    case = compile_search(SearchOptions("cat", case_sensitive=True))
    assert len(find_all(text, case)) == 2  # type: ignore[arg-type]
    literal = compile_search(SearchOptions("c.t"))
    assert find_all(text, literal) == [(19, 22)]  # type: ignore[arg-type]
    regex = compile_search(SearchOptions(r"c\wt", regex=True))
    assert len(find_all(text, regex)) == 4  # type: ignore[arg-type]
    assert compile_search(SearchOptions("")) is None
    with pytest.raises(SearchError, match="regular expression"):
        compile_search(SearchOptions("(", regex=True))


def test_replacements_expand_groups_only_for_regex() -> None:
    pattern = re.compile(r"(\w+)@")
    assert replacements("a@ b@", pattern, r"<\1>", True) == [(0, 2, "<a>"), (3, 5, "<b>")]
    assert replacement_at("a@ b@", pattern, (3, 5), r"<\1>", False) == r"<\1>"
    assert replacement_at("a@ b@", pattern, (2, 4), "x", False) is None


def test_prose_words_skip_markdown_that_is_not_prose() -> None:
    line = (
        "Helo `cde_x wrnog` see [lnk txt](http://exmple.org/pth) <span clss=x> NASA"
        " https://foo.bar/bz v2 file.md [^nte] mail@hst.org"
    )
    words = [line[s:e] for s, e in prose_words(line)]
    assert words == ["Helo", "see", "lnk", "txt"]
    assert prose_words("[ref]: http://x.org/wrng") == []


class FakeBackend:
    """A tiny word list standing in for pyspellchecker."""

    words = {"hello": 10, "help": 5, "world": 3, "writer": 2}

    def known(self, words: list[str]) -> set[str]:
        return {w for w in words if w in self.words}

    def candidates(self, word: str) -> set[str] | None:
        near = {w for w in self.words if len(w) in (len(word), len(word) + 1) and w[:2] == word[:2]}
        return near or None

    def edit_distance_2(self, word: str) -> set[str]:
        return set()

    def word_usage_frequency(self, word: str) -> float:
        return self.words.get(word, 0) / 20


def test_speller_knows_words_remembers_verdicts_and_suggests_in_case() -> None:
    speller = Speller("en", FakeBackend(), ["Broadsheet"])
    assert speller.is_correct("Hello")
    assert speller.is_correct("writer’s")
    assert speller.is_correct("broadsheet")
    assert not speller.is_correct("Helo")
    assert speller.suggestions("Helo") == ["Hello", "Help"]
    speller.ignore("helo")
    assert speller.is_correct("Helo")
    speller.add("Wrld")
    assert speller.is_correct("wrld")
    assert "wrld" in speller.user_words


def test_user_dictionary_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "dictionary.txt"
    assert read_user_dictionary(path) == []
    write_user_dictionary(path, ["zed", "alpha", "zed"])
    assert path.read_text() == "alpha\nzed\n"
    assert read_user_dictionary(path) == ["alpha", "zed"]


def test_real_english_word_list_loads() -> None:
    speller = Speller.load("en")
    assert speller.is_correct("organizing")
    assert not speller.is_correct("orgnizing")
    assert "organizing" in speller.suggestions("orgnizing")


def test_preferences_round_trip_and_fall_back_on_bad_values(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    assert load_preferences(settings) == Preferences()
    store_preferences(settings, Preferences(theme="dark", font_size=15, spellcheck=False))
    settings.save()
    loaded = load_preferences(Settings(tmp_path / "s.json").load())
    assert (loaded.theme, loaded.font_size, loaded.spellcheck) == ("dark", 15, False)
    settings.set("preferences", {"theme": "purple", "font_size": "big", "typewriter": True})
    prefs = load_preferences(settings)
    assert (prefs.theme, prefs.font_size, prefs.typewriter) == ("system", 12, True)


def test_positions_are_kept_for_the_most_recent_drafts_only(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    for i in range(MAX_DRAFTS + 5):
        remember_position(settings, f"/d/{i}.md", DraftPosition(i, 2 * i))
    assert recall_position(settings, "/d/0.md") is None
    assert recall_position(settings, f"/d/{MAX_DRAFTS + 4}.md") == DraftPosition(
        MAX_DRAFTS + 4, 2 * (MAX_DRAFTS + 4)
    )
    remember_position(settings, "/d/5.md", DraftPosition(1, 1))  # refreshed: now newest
    remember_position(settings, "/d/new.md", DraftPosition(0, 0))
    assert recall_position(settings, "/d/5.md") == DraftPosition(1, 1)
    assert len(settings.get("draft_positions")) == MAX_DRAFTS


def test_utf16_positions() -> None:
    text = "a😀b"
    assert to_utf16(text, 2) == 3
    assert from_utf16(text, 3) == 2
    assert Utf16Map(text)(3) == 4
    assert Utf16Map("plain")(3) == 3
