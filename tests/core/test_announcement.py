"""Composing an announcement and counting it the way Mastodon and Bluesky count."""

from __future__ import annotations

import pytest

from editor.core.announcement import (
    ELLIPSIS,
    Announcement,
    _fallback_graphemes,
    bluesky_length,
    default_announcement,
    first_sentence,
    fit,
    graphemes,
    live_address,
    mastodon_length,
    trim_at_word,
    utf8_span,
)

LINK = "https://blog.example.com/2026/12/a-rather-long-address-for-a-post-about-trains.html"

BODY = """# Trains at night

![A train](train.jpg)

The *night train* to [Vienna](https://example.org) leaves at 22:10. It is slow.

Second paragraph.
"""


def test_first_sentence_skips_headings_and_images_and_drops_markdown() -> None:
    assert first_sentence(BODY) == "The night train to Vienna leaves at 22:10."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("No end of sentence here", "No end of sentence here"),
        ("Dr. Who? Yes.", "Dr."),  # a plain rule: the first full stop followed by a space
        ("Café crème… then more.", "Café crème…"),
        ("这是第一句。这是第二句。", "这是第一句。"),
        ("```\ncode. here\n```\n\nProse! More.", "Prose!"),
        ("- a list item.\n\nThe real start. Next.", "The real start."),
    ],
)
def test_first_sentence_cases(body: str, expected: str) -> None:
    assert first_sentence(body) == expected


def test_default_announcement_is_title_sentence_link() -> None:
    announcement = default_announcement("Trains  at night", BODY, LINK)
    assert announcement.text() == (
        f"Trains at night\n\nThe night train to Vienna leaves at 22:10.\n\n{LINK}"
    )
    chosen = default_announcement("Trains", BODY, LINK, excerpt="  My own  words. ")
    assert chosen.excerpt == "My own words."


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("abc", 3),
        ("café", 4),  # precomposed
        ("cafe\u0301", 4),  # e + combining acute: one character
        ("👍🏽", 1),  # thumbs up + skin tone
        ("👨‍👩‍👧‍👦", 1),  # family: a zero-width-joiner sequence
        ("🇫🇷🇩🇪", 2),  # two flags
        ("日本語のテキスト", 8),
        ("❤️", 1),  # heart + variation selector
    ],
)
def test_graphemes_with_regex_and_fallback(text: str, count: int) -> None:
    assert len(graphemes(text)) == count
    assert len(_fallback_graphemes(text)) == count
    assert bluesky_length(text) == count


def test_mastodon_counts_every_url_as_23() -> None:
    assert mastodon_length(LINK) == 23
    assert mastodon_length(f"Hi {LINK}") == 26
    assert mastodon_length("https://x.y") == 23  # short links count 23 too
    assert bluesky_length(LINK) == len(LINK)


def test_trim_at_word_boundary_with_ellipsis() -> None:
    assert trim_at_word("one two three four", 12) == "one two" + ELLIPSIS
    assert trim_at_word("short", 10) == "short"
    # No spaces (Chinese): cut between characters, never inside an emoji sequence.
    assert trim_at_word("很长的句子很长的句子", 4) == "很长的句" + ELLIPSIS
    assert trim_at_word("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 2) == "👨‍👩‍👧‍👦👨‍👩‍👧‍👦" + ELLIPSIS


@pytest.mark.parametrize(
    "excerpt",
    [
        "word " * 200,
        "Éléphant à l'été, déjà ça " * 40,
        "这是一个很长的句子" * 60,
        "🚂 train 👨‍👩‍👧‍👦 family 🇫🇷 " * 40,
    ],
)
def test_fit_trims_the_excerpt_to_each_limit_and_keeps_the_link(excerpt: str) -> None:
    announcement = Announcement("Trains at night", excerpt.strip(), LINK)
    for limit, length in ((300, bluesky_length), (500, mastodon_length), (120, mastodon_length)):
        fitted = fit(announcement, limit, length)
        assert length(fitted.text()) <= limit
        assert length(fitted.text()) > limit - 25  # not cut much more than needed
        assert fitted.url == LINK and fitted.title == "Trains at night"
        assert fitted.excerpt.endswith(ELLIPSIS)


def test_fit_cuts_a_long_title_when_the_excerpt_is_not_enough() -> None:
    announcement = Announcement("A very long title " * 30, "An excerpt.", LINK)
    fitted = fit(announcement, 300, bluesky_length)
    assert bluesky_length(fitted.text()) <= 300
    assert fitted.excerpt == "" and fitted.title.endswith(ELLIPSIS)
    assert fitted.text().endswith(LINK)


def test_fit_leaves_a_short_announcement_alone() -> None:
    announcement = Announcement("Title", "Short.", LINK)
    assert fit(announcement, 300, bluesky_length) == announcement


def test_utf8_span_counts_bytes_not_characters() -> None:
    text = f"Été 🚂\n\n{LINK}"
    start, end = utf8_span(text, LINK) or (0, 0)
    assert text.encode()[start:end].decode() == LINK
    assert start == len("Été 🚂\n\n".encode())  # 12 bytes, 7 characters
    assert utf8_span(text, "https://missing") is None


def test_live_address_only_for_a_live_post() -> None:
    live = {"blogger:1": {"url": LINK, "status": "LIVE"}}
    assert live_address(live, "live") == LINK
    assert live_address({"blogger:1": {"url": LINK, "status": "DRAFT"}}, "draft") is None
    assert live_address({"blogger:1": {"url": LINK, "status": "SCHEDULED"}}, "live") is None
    assert live_address({"blogger:1": {"url": LINK}}, "live") == LINK  # a `published:` line
    assert live_address({}, "live") is None
