"""The Format menu's line formats (headings, quote, lists, code block, rule) as plain text edits."""

from __future__ import annotations

import pytest

from editor.core.insertions import rule_insertion
from editor.core.markdown_edit import (
    Edit,
    toggle_bullets,
    toggle_code_block,
    toggle_heading,
    toggle_numbers,
    toggle_quote,
)
from editor.core.post import parse_post
from editor.core.render import render_post


def apply(text: str, edit: Edit) -> tuple[str, int, int]:
    """The text after the edit and the selection (anchor, cursor)."""
    return text[: edit.start] + edit.text + text[edit.end :], edit.anchor, edit.cursor


@pytest.mark.parametrize(
    ("line", "level", "expected"),
    [
        ("The harbour", 1, "# The harbour"),
        ("The harbour", 3, "### The harbour"),
        ("## The harbour", 1, "# The harbour"),  # another level: changed, not stacked
        ("## The harbour", 2, "The harbour"),  # the same level again: back to text
        ("#hashtag", 2, "## #hashtag"),  # not a heading (no space): kept as words
        ("", 2, "## "),
    ],
)
def test_heading_sets_changes_or_removes_the_level(line: str, level: int, expected: str) -> None:
    new, anchor, cursor = apply(line, toggle_heading(line, 0, 0, level))
    assert new == expected


def test_the_caret_stays_on_its_word_when_a_heading_is_made() -> None:
    line = "The harbour"
    new, anchor, cursor = apply(line, toggle_heading(line, 4, 4, 2))
    assert anchor == cursor and new[cursor:] == "harbour"


def test_quote_on_and_off_keeps_blank_lines_in_one_quote() -> None:
    text = "One.\n\nTwo."
    quoted, anchor, cursor = apply(text, toggle_quote(text, 0, len(text)))
    assert quoted == "> One.\n>\n> Two."
    assert (anchor, cursor) == (0, len(quoted))
    assert render_post(parse_post(quoted)).count("<blockquote>") == 1
    back, _, _ = apply(quoted, toggle_quote(quoted, 0, len(quoted)))
    assert back == "One.\n\nTwo."


def test_bullets_replace_numbers_and_come_off_again() -> None:
    text = "1. eggs\n2. flour\nmilk"
    bullets, _, _ = apply(text, toggle_bullets(text, 0, len(text)))
    assert bullets == "- eggs\n- flour\n- milk"
    plain, _, _ = apply(bullets, toggle_bullets(bullets, 0, len(bullets)))
    assert plain == "eggs\nflour\nmilk"


def test_numbers_count_from_one_and_keep_indents_and_blank_lines() -> None:
    text = "eggs\n\n    - flour\nmilk"
    numbered, _, _ = apply(text, toggle_numbers(text, 0, len(text)))
    assert numbered == "1. eggs\n\n    2. flour\n3. milk"
    plain, _, _ = apply(numbered, toggle_numbers(numbered, 0, len(numbered)))
    assert plain == "eggs\n\n    flour\nmilk"


def test_code_block_fences_lines_and_unfences_them() -> None:
    text = "print(1)\nprint(2)"
    fenced, anchor, cursor = apply(text, toggle_code_block(text, 0, len(text)))
    assert fenced == "```\nprint(1)\nprint(2)\n```"
    assert fenced[anchor:cursor] == text
    assert "<pre" in render_post(parse_post(fenced))
    back, _, _ = apply(fenced, toggle_code_block(fenced, 0, len(fenced)))
    assert back == text


def test_code_block_on_an_empty_line_puts_the_caret_inside() -> None:
    new, anchor, cursor = apply("", toggle_code_block("", 0, 0))
    assert new == "```\n\n```" and anchor == cursor == 4


def test_a_rule_after_a_paragraph_is_a_rule_not_a_heading_underline() -> None:
    text = "A paragraph line\nnext line"
    start, end, replacement, cursor = rule_insertion(text, 3)
    new = text[:start] + replacement + text[end:]
    assert new == "A paragraph line\n\n---\n\nnext line"
    html = render_post(parse_post(new))
    assert "<hr" in html and "<h2" not in html
    assert new[cursor:] == "\nnext line"
