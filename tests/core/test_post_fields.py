"""The post panel's fields: read from the front matter, and written back one key at a time
with every other byte (keys, comments, order, fences, body) as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from editor.core.post import FrontMatterError, front_matter_warning, parse_post, serialize_post
from editor.core.post_fields import front_matter_end, read_fields, with_field

BODY = "Intro with *stars* and `---` in it.\n\n---\n\nA rule above.  \nTrailing spaces kept.\n"
DRAFT = (
    "---\n"
    "# Working notes for the harbour post\n"
    'title: "Harbour: a walk"  # the title the blog shows\n'
    "labels: [harbour, walks, 'rain, mostly']\n"
    "custom_thing: {nested: [1, 2], keep: 'as is'}\n"
    "\n"
    "status: scheduled\n"
    "scheduled: 2026-12-05T09:00:00+01:00\n"
    "description: 'A walk round the harbour.'\n"
    "published:\n"
    "  blogger:7001: https://example.blogspot.com/2026/11/harbour.html\n"
    "# trailing note\n"
    "---\n" + BODY
)


def lines_changed(old: str, new: str) -> list[tuple[str, str]]:
    """The (old, new) lines that differ, for texts with the same number of lines."""
    a, b = old.splitlines(), new.splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_fields_are_read_from_the_front_matter() -> None:
    fields = read_fields(DRAFT)
    assert fields.title == "Harbour: a walk"
    assert fields.labels == ("harbour", "walks", "rain, mostly")
    assert fields.blog is None
    assert fields.status == "scheduled" and fields.status_text == "Scheduled"
    assert fields.scheduled == dt.datetime(
        2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert fields.description == "A walk round the harbour."
    assert fields.published == (
        ("blogger:7001", "https://example.blogspot.com/2026/11/harbour.html"),
    )
    assert fields.error is None


def test_the_old_publish_records_give_the_address_when_no_published_line_does() -> None:
    text = (
        "---\ntitle: Old\npublish:\n"
        "  blogger:7001: {id: '1', url: 'https://a.example/old.html', status: LIVE}\n"
        "  wordpress:example.com/blog: {id: 9, url: 'https://example.com/blog/old/'}\n"
        "published:\n  blogger:7001: https://a.example/new.html\n---\nBody\n"
    )
    assert read_fields(text).published == (
        ("blogger:7001", "https://a.example/new.html"),
        ("wordpress:example.com/blog", "https://example.com/blog/old/"),
    )
    assert read_fields(text).status == "draft"  # on a blog, status not live or scheduled


def test_a_draft_never_published_is_a_local_draft_and_a_comma_string_gives_labels() -> None:
    fields = read_fields("---\ntitle: New\nlabels: a, b ,c\nblog: blogger:7001\n---\nBody\n")
    assert fields.status == "local" and "not on a blog" in fields.status_text
    assert fields.labels == ("a", "b", "c")
    assert fields.blog == "blogger:7001"
    assert read_fields("Only a body\n") == read_fields("")


def test_reading_looks_only_at_the_front_matter() -> None:
    text = "---\ntitle: T\n---\n" + "x" * 100 + "\n---\nnot: front matter\n---\n"
    assert front_matter_end(text) == len("---\ntitle: T\n---\n")
    assert front_matter_end("no front matter\n---\n") == 0
    assert front_matter_end("---\ntitle: never closed\n") == 0


@pytest.mark.parametrize(
    ("key", "value", "old_line", "new_line"),
    [
        (
            "title",
            "Harbour at night",
            'title: "Harbour: a walk"  # the title the blog shows',
            "title: Harbour at night  # the title the blog shows",
        ),
        (
            "labels",
            ["harbour", "rain, mostly", "night"],
            "labels: [harbour, walks, 'rain, mostly']",
            "labels: [harbour, 'rain, mostly', night]",
        ),
        (
            "description",
            "Round the harbour: boats, gulls, rain.",
            "description: 'A walk round the harbour.'",
            "description: 'Round the harbour: boats, gulls, rain.'",
        ),
        (
            "scheduled",
            dt.datetime(2026, 12, 24, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            "scheduled: 2026-12-05T09:00:00+01:00",
            "scheduled: 2026-12-24T18:30:00-05:00",
        ),
    ],
)
def test_one_field_changes_exactly_its_own_line(
    key: str, value: object, old_line: str, new_line: str
) -> None:
    new = with_field(DRAFT, key, value)
    assert lines_changed(DRAFT, new) == [(old_line, new_line)]
    assert new.endswith("---\n" + BODY)
    assert read_fields(new) == read_fields(with_field(new, key, value))  # idempotent


def test_a_new_key_is_added_at_the_end_and_removing_it_gives_the_text_back() -> None:
    added = with_field(DRAFT, "blog", "wordpress:example.com/blog")
    assert added == DRAFT.replace(
        "# trailing note\n", "blog: wordpress:example.com/blog\n# trailing note\n"
    )
    assert parse_post(added).meta["blog"] == "wordpress:example.com/blog"
    assert with_field(added, "blog", None) == DRAFT


def test_removing_a_key_keeps_the_comments_above_it() -> None:
    text = "---\ntitle: T\n# when it goes out\nscheduled: 2026-12-05T09:00:00+01:00\n---\nB\n"
    assert with_field(text, "scheduled", None) == "---\ntitle: T\n# when it goes out\n---\nB\n"


def test_the_same_value_changes_nothing() -> None:
    for key, value in [
        ("title", "Harbour: a walk"),
        ("labels", ["harbour", "walks", "rain, mostly"]),
        ("scheduled", dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)),
        ("blog", None),
        ("description", "A walk round the harbour."),
    ]:
        assert with_field(DRAFT, key, value) is DRAFT, key


def test_labels_keep_the_writers_shape() -> None:
    comma = "---\ntitle: T\nlabels: a, b\n---\nB\n"
    assert (
        with_field(comma, "labels", ["a", "b", "c"]) == "---\ntitle: T\nlabels: a, b, c\n---\nB\n"
    )
    block = "---\nlabels:\n  - a\n  - b\ntitle: T\n---\nB\n"
    assert with_field(block, "labels", ["a"]) == "---\nlabels:\n- a\ntitle: T\n---\nB\n"
    tags = "---\ntags: [a]\ntitle: T\n---\nB\n"
    assert with_field(tags, "labels", ["a", "b"]) == "---\ntags: [a, b]\ntitle: T\n---\nB\n"
    assert with_field(tags, "labels", []) == "---\ntitle: T\n---\nB\n"


def test_a_draft_without_front_matter_gains_one_and_the_body_stays() -> None:
    body = "# A heading\n\nText.\n"
    assert with_field(body, "title", "Fresh") == "---\ntitle: Fresh\n---\n" + body
    assert with_field(body, "labels", ["x", "y z"]) == "---\nlabels: [x, y z]\n---\n" + body
    assert with_field(body, "blog", None) is body


def test_fences_and_odd_closing_fence_are_kept() -> None:
    text = "---  \ntitle: T\n...\nBody without final newline"
    assert with_field(text, "title", "U") == "---  \ntitle: U\n...\nBody without final newline"
    only = "---\ntitle: T\n---"
    assert with_field(only, "title", "U") == "---\ntitle: U\n---"


def test_unknown_keys_quoted_strings_and_anchors_are_left_alone() -> None:
    text = (
        '---\nbase: &b {size: 2}\ncopy: *b\nquoted: "x: y"  # note\n'
        "title: 'T'\nmulti: |\n  line one\n  line two\n---\nB\n"
    )
    new = with_field(text, "title", "New")
    assert lines_changed(text, new) == [("title: 'T'", "title: New")]


def test_malformed_front_matter_is_never_rewritten() -> None:
    text = "---\ntitle: [unclosed\n---\nBody\n"
    fields = read_fields(text)
    assert fields.error and fields.title == ""
    assert "not valid YAML" in front_matter_warning(fields.error)
    with pytest.raises(FrontMatterError):
        with_field(text, "title", "Fixed")


def test_serialize_keeps_comments_after_the_last_key() -> None:
    post = parse_post("---\ntitle: T\n# closing remark\n---\nBody\n")
    post.meta["status"] = "live"
    assert serialize_post(post) == "---\ntitle: T\nstatus: live\n# closing remark\n---\nBody\n"
