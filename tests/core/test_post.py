"""The post model: front matter round trip, titles, labels, publish records."""

from __future__ import annotations

import datetime as dt

import pytest

from editor.core.post import (
    FrontMatterError,
    count_words,
    parse_post,
    retitled,
    serialize_post,
    split_front_matter,
)

DOC = """---
# keep this comment
title: "A Post: With a Colon"
labels: [history, essays]
date: 2026-11-02
custom_key: {nested: [1, 2]}
status: draft
---
# Heading in body

Some *text* here.
"""


def test_front_matter_fields_are_read() -> None:
    post = parse_post(DOC, "x.md")
    assert post.title == "A Post: With a Colon"
    assert post.labels == ["history", "essays"]
    assert post.meta["date"] == dt.date(2026, 11, 2)
    assert post.status == "draft"
    assert post.body == "# Heading in body\n\nSome *text* here.\n"


def test_unchanged_document_round_trips_byte_for_byte() -> None:
    assert serialize_post(parse_post(DOC)) == DOC


def test_changing_one_key_keeps_unknown_keys_and_their_lines() -> None:
    post = parse_post(DOC)
    post.set_publish_record("blogger:123", {"id": "99", "url": "https://b.example/p"})
    out = serialize_post(post)
    assert "# keep this comment\n" in out
    assert "custom_key: {nested: [1, 2]}\n" in out
    assert "labels: [history, essays]\n" in out
    again = parse_post(out)
    assert again.meta["custom_key"] == {"nested": [1, 2]}
    # Only the address is in the text; the record itself is kept beside the draft.
    assert again.meta["published"] == {"blogger:123": "https://b.example/p"}
    assert again.publish_record("blogger:123") == {"url": "https://b.example/p"}
    assert post.records == {"blogger:123": {"id": "99", "url": "https://b.example/p"}}
    assert again.body == post.body


def test_no_front_matter_title_from_first_heading_then_file_name() -> None:
    assert parse_post("Intro\n\n## Second level\n\n# First\n", "a.md").title == "Second level"
    assert parse_post("Setext title\n===\n\nBody", "a.md").title == "Setext title"
    assert parse_post("just text", "my-great_post.md").title == "my great post"
    assert parse_post("", "").title == "Untitled"


def test_malformed_front_matter_is_kept_verbatim_and_reported() -> None:
    text = "---\ntitle: [unclosed\nlabels: a\n---\nBody text\n"
    post = parse_post(text, "bad.md")
    assert post.front_matter_error and "line" in post.front_matter_error
    assert post.body == "Body text\n"
    assert serialize_post(post) == text
    with pytest.raises(FrontMatterError):
        post.set_publish_record("blogger:1", {"id": "1"})
    assert retitled(text, "New") == text


def test_front_matter_that_is_not_a_mapping_is_an_error() -> None:
    post = parse_post("---\n- a\n- b\n---\nx")
    assert post.front_matter_error
    assert serialize_post(post) == "---\n- a\n- b\n---\nx"


def test_labels_accept_comma_string() -> None:
    assert parse_post("---\nlabels: one, two ,three\n---\n").labels == ["one", "two", "three"]


def test_retitled_adds_front_matter_when_missing() -> None:
    out = retitled("# Old\n\nBody\n", "New: title")
    post = parse_post(out)
    assert post.title == "New: title"
    assert post.body == "# Old\n\nBody\n"


def test_split_requires_closing_fence() -> None:
    assert split_front_matter("---\ntitle: x\nno end") == (None, "---\ntitle: x\nno end")


def test_count_words_ignores_markup() -> None:
    assert count_words("**Bold** words, and [a link](http://x.org) - here's one!") == 7
    assert count_words("see https://example.org/a-b <br> <!-- note -->") == 1


def test_the_search_description_is_one_line_or_none() -> None:
    assert parse_post("---\ndescription: |\n  Two\n  lines.\n---\n").description == "Two lines."
    assert parse_post("---\ndescription: '  '\n---\n").description is None
    assert parse_post("---\ntitle: T\n---\n").description is None
