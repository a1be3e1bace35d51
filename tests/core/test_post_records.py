"""Publish records beside the draft, one `published:` line per blog in its front matter."""

from __future__ import annotations

from pathlib import Path

from editor.core.blog_state import LIVE_STATE, draft_state
from editor.core.drafts import DraftStore
from editor.core.post import parse_post, serialize_post
from editor.core.post_records import (
    load_records,
    read_post,
    records_moved_out,
    records_path,
    store_records,
    with_records_inside,
)
from editor.core.title_names import ever_published, stem_for_title

OLD = """---
title: Harbour
# my note
labels: [sea]
publish:
  blogger:7001:
    id: '42'
    url: https://x.example/2026/11/harbour.html
    digest: abc
  wordpress:site:
    id: 7
    url: https://site/?p=7
author: me
---
Body text.
"""


def test_recording_a_publish_tidies_an_old_block_in_place() -> None:
    post = parse_post(OLD)
    post.record_publish("blogger:7001", {"id": "42", "url": "https://x.example/new.html"})
    out = serialize_post(post)
    assert out == (
        "---\ntitle: Harbour\n# my note\nlabels: [sea]\n"
        "published:\n"
        "  blogger:7001: https://x.example/new.html\n"
        "  wordpress:site: https://site/?p=7\n"
        "author: me\n---\nBody text.\n"
    )
    assert post.records["wordpress:site"] == {"id": 7, "url": "https://site/?p=7"}
    assert post.records["blogger:7001"] == {"id": "42", "url": "https://x.example/new.html"}


def test_known_records_prefer_the_file_beside_then_the_old_block_then_the_address() -> None:
    post = parse_post(OLD)
    assert post.publish_record("blogger:7001")["digest"] == "abc"
    post.records = {"blogger:7001": {"id": "43"}}
    assert post.publish_record("blogger:7001") == {"id": "43"}
    only_line = parse_post("---\npublished:\n  blogger:7001: https://x.example/a.html\n---\n")
    assert only_line.publish_record("blogger:7001") == {"url": "https://x.example/a.html"}
    assert only_line.publish_record("blogger:7002") is None


def test_a_published_line_of_the_writers_own_is_left_alone() -> None:
    post = parse_post("---\ntitle: T\npublished: false\n---\nx\n")  # as Jekyll has it
    post.record_publish("blogger:1", {"id": "1", "url": "https://b/p.html"})
    assert post.meta["published"] is False
    assert post.records["blogger:1"]["id"] == "1"


def test_records_are_stored_atomically_and_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    draft = tmp_path / "harbour.md"
    draft.write_text("x\n")
    assert load_records(draft) == {}
    store_records(draft, {"blogger:1": {"id": "1"}})
    store_records(draft, {"wordpress:s": {"id": 2}})
    assert load_records(draft) == {"blogger:1": {"id": "1"}, "wordpress:s": {"id": 2}}
    assert records_path(draft) == tmp_path / "harbour.assets" / "publish.json"
    records_path(draft).write_text("{not json")
    assert load_records(draft) == {}


def test_a_kept_copy_carries_its_records_inside_and_gives_them_back() -> None:
    post = parse_post("---\ntitle: T\n---\nx\n")
    post.set_publish_record("blogger:1", {"id": "1", "url": "https://b/p.html"})
    inside = with_records_inside(post)
    assert parse_post(inside).legacy_records() == {"blogger:1": post.records["blogger:1"]}
    text, records = records_moved_out(inside)
    assert "publish:" not in text and "published:\n  blogger:1: https://b/p.html\n" in text
    assert records == {"blogger:1": {"id": "1", "url": "https://b/p.html"}}


def test_names_and_states_see_records_beside_the_draft(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts", tmp_path / "trash")
    path = store.new_draft("Untitled", body="Words.\n")
    text = path.read_text().replace('title: "Untitled"', "title: Harbour days")
    assert stem_for_title(path, text) == "harbour-days"
    store_records(path, {"blogger:1": {"id": "9", "status": "LIVE"}})
    assert stem_for_title(path, text) is None, "a published draft keeps its name"
    post = read_post(path)
    assert ever_published(post) and draft_state(post, {}) == LIVE_STATE
    assert [d.state for d in store.list_drafts()] == [LIVE_STATE]
    line_only = parse_post("---\npublished:\n  blogger:1: https://b/p.html\n---\n")
    assert ever_published(line_only)
