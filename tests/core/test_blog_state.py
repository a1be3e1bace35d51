"""The bookkeeping beside the drafts: marks, where a draft's post stands, new files."""

from __future__ import annotations

from pathlib import Path

from editor.core.atomic import create_new
from editor.core.blog_state import (
    BLOG_DRAFT_STATE,
    CONFLICT,
    CONFLICT_STATE,
    DELETED,
    DELETED_STATE,
    EDITED_STATE,
    LIVE_STATE,
    SCHEDULED_STATE,
    BlogStates,
    Mark,
    blog_folder_name,
    draft_state,
)
from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.post import Post, draft_fingerprint, parse_post


def published(status: str, body: str = "Words.\n", edited: bool = False) -> Post:
    post = Post(meta={"title": "T", "labels": ["a"]}, body=body)
    record = {"id": "42", "status": status, "draft": draft_fingerprint(post)}
    post.meta["publish"] = {"blogger:7001": record}
    if edited:
        post.body += "More words.\n"
    return post


def test_draft_state_follows_the_post_and_the_marks() -> None:
    assert draft_state(Post(meta={"title": "x"}, body="b"), {}) == ""
    assert draft_state(published("LIVE"), {}) == LIVE_STATE
    assert draft_state(published("SCHEDULED"), {}) == SCHEDULED_STATE
    assert draft_state(published("DRAFT"), {}) == BLOG_DRAFT_STATE
    assert draft_state(published("LIVE", edited=True), {}) == EDITED_STATE
    marks = {(blog_folder_name("blogger:7001"), "42"): Mark(CONFLICT, "x.md")}
    assert draft_state(published("LIVE"), marks) == CONFLICT_STATE
    marks = {(blog_folder_name("blogger:7001"), "42"): Mark(DELETED, "x.md")}
    assert draft_state(published("LIVE"), marks) == DELETED_STATE


def test_a_damaged_state_file_reads_as_empty_and_marks_round_trip() -> None:
    states = BlogStates(app_paths())
    state = states.load("blogger:7001")
    state.marks["42"] = Mark(CONFLICT, "/d/x.md", "Title", "2024-01-01T00:00:00Z")
    state.last_sync = "2024-01-01T00:00:00+00:00"
    states.save("blogger:7001", state)
    again = states.load("blogger:7001")
    assert again.marks["42"] == state.marks["42"] and again.last_sync == state.last_sync
    assert states.all_marks() == {("blogger_7001", "42"): state.marks["42"]}
    (states.folder("blogger:7001") / "sync.json").write_text("{not json", encoding="utf-8")
    assert states.load("blogger:7001").marks == {}
    states.forget("blogger:7001", {"42"})  # nothing to forget in a damaged file: no error


def test_the_drafts_list_says_where_each_post_stands() -> None:
    paths = app_paths()
    store = DraftStore(paths.drafts_dir, paths.trash_dir)
    path = store.new_draft("Hello", body="Text.\n")
    post = parse_post(path.read_text(encoding="utf-8"), path.name)
    record = {"id": "7", "status": "LIVE", "draft": draft_fingerprint(post)}
    post.meta["publish"] = {"blogger:7001": record}
    from editor.core.post import serialize_post

    path.write_text(serialize_post(post), encoding="utf-8")
    [info] = store.list_drafts()
    assert info.state == LIVE_STATE
    states = BlogStates(paths)
    state = states.load("blogger:7001")
    state.marks["7"] = Mark(DELETED, str(path))
    states.save("blogger:7001", state)
    [info] = store.list_drafts()
    assert info.state == DELETED_STATE


def test_create_new_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    assert create_new(target, b"first")
    assert not create_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temp file left
