"""The bookkeeping of a publish lives beside the draft; the front matter says only where the
post is. Older drafts still update their post and are tidied; a lost record finds the post by
its address (Blogger's posts.getByPath on the contract server), never making a second copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.core.drafts import DraftStore
from editor.core.post import parse_post, serialize_post, split_front_matter
from editor.core.post_records import load_records, read_post, records_path
from editor.publish.base import PublishMode
from editor.publish.errors import ConflictError, PostGoneError
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .test_publish_service import posts

BLOG = "blogger:7001"


def front_matter(path: Path) -> str:
    raw, _body = split_front_matter(path.read_text(encoding="utf-8"))
    return raw or ""


def test_the_front_matter_holds_one_readable_line_per_blog(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    result = signed_in.publish(draft)
    [post] = posts(server)
    assert front_matter(draft) == (
        "title: Hello Blogger\n"
        "labels: [news, tests]\n"
        f"published:\n  {BLOG}: {post['url']}\n"
        "status: live\n"
    )
    kept = json.loads(records_path(draft).read_text(encoding="utf-8"))["blogs"][BLOG]
    assert kept["id"] == result.post_id and kept["updated"] == post["updated"]
    assert {"digest", "parts", "labels", "draft"} <= set(kept)
    signed_in.publish(draft, "blogger:7002")  # a second blog: a second line, nothing else
    meta = parse_post(draft.read_text(encoding="utf-8")).meta
    assert set(meta["published"]) == {BLOG, "blogger:7002"}
    assert set(load_records(draft)) == {BLOG, "blogger:7002"}


def test_a_draft_from_before_updates_its_post_and_is_tidied(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    [post] = posts(server)
    old_record = {**load_records(draft)[BLOG]}
    records_path(draft).unlink()
    # As Broadsheet wrote it before: every field in the front matter, with a comment above.
    old = parse_post(draft.read_text(encoding="utf-8"))
    del old.meta["published"]
    old.meta["publish"] = {BLOG: old_record, "wordpress:other.example": {"id": 5, "url": ""}}
    draft.write_text(
        serialize_post(old).replace("publish:", "# mine\nmood: calm\npublish:"), encoding="utf-8"
    )
    draft.write_text(draft.read_text().replace("first paragraph", "revised paragraph"))
    again = signed_in.publish(draft)
    assert again.post_id == first.post_id and not again.created
    assert server.count("blogger.posts.insert") == 1 and len(posts(server)) == 1
    assert "revised paragraph" in posts(server)[0]["content"]
    raw = front_matter(draft)
    assert "publish:" not in raw and "digest" not in raw and "id:" not in raw
    assert f"published:\n  {BLOG}: {post['url']}\n" in raw
    assert "# mine\nmood: calm\n" in raw, "the writer's own lines stay"
    kept = load_records(draft)
    assert kept[BLOG]["id"] == first.post_id
    assert kept["wordpress:other.example"] == {"id": 5, "url": ""}, "other blogs' records move too"


def test_a_lost_record_finds_the_post_by_its_address(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    records_path(draft).unlink()  # e.g. the draft was copied alone to another computer
    again = signed_in.publish(draft)  # nothing changed: no question to ask
    assert again.post_id == first.post_id
    assert server.count("blogger.posts.getByPath") == 1
    assert load_records(draft)[BLOG]["id"] == first.post_id, "the record is back"

    records_path(draft).unlink()
    draft.write_text(draft.read_text().replace("first paragraph", "edited paragraph"))
    with pytest.raises(ConflictError) as caught:
        signed_in.publish(draft)
    assert caught.value.found_by_address
    assert "record of what you last published there is missing" in caught.value.message
    assert server.count("blogger.posts.update") == 1, "nothing overwritten unasked"
    signed_in.publish(draft, overwrite=True)  # the writer chose his version
    assert server.count("blogger.posts.insert") == 1 and len(posts(server)) == 1
    assert "edited paragraph" in posts(server)[0]["content"]


def test_a_blog_draft_is_found_by_its_editor_address(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft, mode=PublishMode.DRAFT)
    address = read_post(draft).published_addresses()[BLOG]
    assert address == f"https://www.blogger.com/blog/post/edit/7001/{first.post_id}"
    records_path(draft).unlink()
    again = signed_in.publish(draft, mode=PublishMode.DRAFT)
    assert again.post_id == first.post_id and len(posts(server)) == 1


def test_no_post_at_the_address_says_so_and_can_be_published_anew(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    records_path(draft).unlink()
    with server.lock:
        server.blogger.delete_on_web("7001", first.post_id)
    with pytest.raises(PostGoneError) as caught:
        signed_in.publish(draft)
    assert "No post was found at http" in caught.value.message
    assert posts(server) == []
    new = signed_in.publish(draft, as_new=True)
    assert new.created and [p["id"] for p in posts(server)] == [new.post_id]


def test_a_page_is_found_by_its_address(signed_in: PublishService, server: BloggerServer) -> None:
    with server.lock:
        page_id = server.blogger.seed(
            "7001", {"title": "About", "content": "<p>Who we are.</p>"}, page=True
        )
        url = server.blogger.pages["7001"][page_id]["url"]
    path = signed_in.paths.drafts_dir / "about.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: About\npublished:\n  {BLOG}: {url}\n---\nWho we are now.\n")
    signed_in.publish(path, overwrite=True)
    with server.lock:
        assert "Who we are now." in server.blogger.pages["7001"][page_id]["content"]
        assert posts(server) == []
    assert load_records(path)[BLOG]["kind"] == "page"


def test_the_record_moves_with_the_draft_when_renamed_or_trashed(
    signed_in: PublishService, server: BloggerServer
) -> None:
    store = DraftStore(signed_in.paths.drafts_dir, signed_in.paths.trash_dir)
    path = store.new_draft("Harbour days", body="Boats.\n")
    first = signed_in.publish(path)
    renamed = store.rename(path, "Harbour notes")
    assert load_records(renamed)[BLOG]["id"] == first.post_id
    assert not records_path(path).exists()
    renamed.write_text(renamed.read_text().replace("Boats.", "Boats and gulls."))
    assert signed_in.publish(renamed).post_id == first.post_id
    assert server.count("blogger.posts.getByPath") == 0, "found by its record, not looked up"
    trashed = store.trash(renamed)
    assert load_records(trashed)[BLOG]["id"] == first.post_id
    assert len(posts(server)) == 1


def test_the_blog_line_chooses_the_blog_on_the_command_line_too(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    draft.write_text(draft.read_text().replace("labels:", "blog: blogger:7002\nlabels:"))
    result = signed_in.publish(draft)
    assert result.blog_key == "blogger:7002"
    assert posts(server, "7002") and posts(server) == []
