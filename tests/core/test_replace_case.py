"""Replacing keeps the case of what was there and leaves link addresses alone (no Qt)."""

from __future__ import annotations

import re

import pytest

from editor.core.replace_case import in_any, link_address_spans, replace_preserving_case
from editor.core.search import SearchOptions, compile_search, replacement_at, replacements


@pytest.mark.parametrize(
    ("match", "replacement", "expected"),
    [
        ("harbour", "harbor", "harbor"),
        ("Harbour", "harbor", "Harbor"),
        ("HARBOUR", "harbor", "HARBOR"),
        ("Harbour Master", "port captain", "Port Captain"),
        ("Harbour master", "port captain", "Port captain"),
        ("HARBOUR MASTER", "port captain", "PORT CAPTAIN"),
        ("wordpress", "WordPress", "WordPress"),  # a lower-case match keeps what was typed
        ("Wordpress", "wordPress", "WordPress"),
        ("hArBour", "harbor", "harbor"),  # mixed case: no rule, as typed
        ("iPhone", "phone", "phone"),
        ("A", "the", "The"),  # one capital letter is a Title, not an acronym
        ("«Harbour»", "«harbor»", "«Harbor»"),
        ("1984", "nineteen", "nineteen"),
    ],
)
def test_replace_preserving_case(match: str, replacement: str, expected: str) -> None:
    assert replace_preserving_case(match, replacement) == expected


def test_link_addresses_are_found() -> None:
    text = (
        '[Harbour news](https://example.org/harbour-news "The harbour") and '
        "![harbour](img/harbour.jpg) <https://harbour.example> www.harbour.example.\n"
        'See https://example.org/harbour, or <a href="/harbour">harbour</a>.\n'
        "[ref]: https://example.org/harbour_(old)\n"
        "[Wiki](https://en.wikipedia.org/wiki/Harbour_(disambiguation))\n"
    )
    found = [text[a:b] for a, b in link_address_spans(text)]
    assert found == [
        "https://example.org/harbour-news",
        "img/harbour.jpg",
        "<https://harbour.example>",
        "www.harbour.example",
        "https://example.org/harbour",
        '"/harbour"',
        "https://example.org/harbour_(old)",
        "https://en.wikipedia.org/wiki/Harbour_(disambiguation)",
    ]


def test_in_any_checks_overlap_with_sorted_spans() -> None:
    spans = [(5, 10), (20, 30)]
    assert in_any((6, 8), spans) and in_any((8, 12), spans) and in_any((19, 21), spans)
    assert not in_any((0, 5), spans) and not in_any((10, 20), spans)
    assert not in_any((31, 40), spans) and not in_any((1, 2), [])


def test_replace_all_keeps_case_and_spares_addresses() -> None:
    text = (
        "---\ntitle: Harbour days\n---\n"
        "The harbour. HARBOUR! [Harbour news](https://example.org/harbour-news)\n"
    )
    pattern = compile_search(SearchOptions("harbour"))
    assert pattern is not None
    edits = replacements(
        text, pattern, "harbor", False, preserve_case=True, spare=link_address_spans(text)
    )
    new = text
    for start, end, piece in reversed(edits):
        new = new[:start] + piece + new[end:]
    assert new == (
        "---\ntitle: Harbor days\n---\n"
        "The harbor. HARBOR! [Harbor news](https://example.org/harbour-news)\n"
    )
    # by default (the old behaviour) every match gets the text as typed
    plain = replacements(text, pattern, "harbor", False)
    assert len(plain) == 5 and {piece for _, _, piece in plain} == {"harbor"}


def test_preserve_case_applies_after_regex_groups() -> None:
    pattern = re.compile(r"(\w+)our\b", re.IGNORECASE)
    text = "Colour"
    assert replacement_at(text, pattern, (0, 6), r"\1or", True, preserve_case=True) == "Color"
    assert replacement_at(text, pattern, (0, 6), r"x\1", True, preserve_case=True) == "XCol"
