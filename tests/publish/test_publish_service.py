"""Publishing drafts: create, update, drafts, scheduling, status changes, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from editor.core.post import parse_post
from editor.core.post_records import read_post
from editor.publish.errors import ConflictError, NotFoundError, PostGoneError
from editor.publish.service import PublishMode, PublishService

from .blogger_server import BloggerServer


def body_bytes(path: Path) -> bytes:
    """The file's bytes after the front matter (the part publishing must never change)."""
    data = path.read_bytes()
    marker = b"\r\n---\r\n" if b"\r\n" in data else b"\n---\n"
    return data.split(marker, 1)[1]


def record(path: Path, blog_key: str = "blogger:7001") -> dict:
    return read_post(path).publish_record(blog_key) or {}


def posts(server: BloggerServer, blog_id: str = "7001") -> list[dict]:
    return list(server.blogger.posts[blog_id].values())


def test_publish_creates_a_live_post_and_records_it(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    before = body_bytes(draft)
    result = signed_in.publish(draft)
    [post] = posts(server)
    assert result.created and result.status == "LIVE"
    assert result.url == post["url"] and result.url.startswith("http://notes.example")
    assert post["title"] == "Hello Blogger"
    assert post["labels"] == ["news", "tests"]
    assert "<em>emphasis</em>" in post["content"]
    assert body_bytes(draft) == before
    rec = record(draft)
    assert rec["id"] == post["id"] and rec["status"] == "LIVE"
    assert rec["updated"] == post["updated"] and rec["url"] == post["url"]


def test_publishing_again_updates_the_same_post(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    draft.write_text(draft.read_text().replace("first paragraph", "revised paragraph"))
    second = signed_in.publish(draft)
    [post] = posts(server)
    assert second.post_id == first.post_id and not second.created
    assert "revised paragraph" in post["content"]
    assert post["labels"] == ["news", "tests"]  # a full-replace PUT must resend the labels
    assert server.count("blogger.posts.insert") == 1
    assert record(draft)["updated"] == post["updated"]


def test_update_keeps_fields_set_in_bloggers_editor(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    post = server.blogger.posts["7001"][first.post_id]
    post["readerComments"] = "DONT_ALLOW_SHOW_EXISTING"  # a setting, not an edit of the text
    signed_in.publish(draft)
    assert post["readerComments"] == "DONT_ALLOW_SHOW_EXISTING"
    assert post["published"]


def test_draft_mode_creates_a_blogger_draft(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    result = signed_in.publish(draft, mode=PublishMode.DRAFT)
    [post] = posts(server)
    assert post["status"] == "DRAFT" and result.status == "DRAFT"
    assert record(draft)["status"] == "DRAFT"


def test_schedule_creates_a_draft_then_schedules_it(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    when = datetime.now(UTC) + timedelta(days=3)
    result = signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=when)
    [post] = posts(server)
    assert post["status"] == "SCHEDULED" == result.status
    assert post["published"] == when.replace(microsecond=0).isoformat()
    assert server.count("blogger.posts.publish") == 1


def test_status_changes_live_draft_scheduled_live(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.publish(draft)
    assert signed_in.publish(draft, mode=PublishMode.DRAFT).status == "DRAFT"
    assert server.count("blogger.posts.revert") == 1
    later = datetime.now(UTC) + timedelta(hours=5)
    assert signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=later).status == "SCHEDULED"
    assert signed_in.publish(draft).status == "LIVE"  # "publish now" really means now
    [post] = posts(server)
    assert post["status"] == "LIVE"
    assert server.count("blogger.posts.insert") == 1


def test_republishing_a_live_post_does_not_call_publish(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.publish(draft)
    signed_in.publish(draft)
    assert server.count("blogger.posts.publish") == 0


def test_conflict_when_the_post_was_edited_on_the_blog(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    server.blogger.edit_on_web("7001", first.post_id, content="<p>Edited on the web</p>")
    draft.write_text(draft.read_text().replace("first paragraph", "local change"))
    saved = draft.read_bytes()
    with pytest.raises(ConflictError) as info:
        signed_in.publish(draft)
    conflict = info.value
    assert conflict.theirs.content == "<p>Edited on the web</p>"
    assert "local change" in conflict.ours.content
    assert conflict.changed_fields() == ["content"]
    assert conflict.recorded_updated != conflict.theirs.updated
    assert "changed elsewhere" in conflict.message and "\n" not in conflict.message
    assert draft.read_bytes() == saved
    assert posts(server)[0]["content"] == "<p>Edited on the web</p>"


def test_overwrite_replaces_their_version(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    server.blogger.edit_on_web("7001", first.post_id, title="Their title")
    result = signed_in.publish(draft, overwrite=True)
    assert result.post_id == first.post_id
    assert posts(server)[0]["title"] == "Hello Blogger"


def test_take_theirs_saves_their_version_next_to_the_draft(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    server.blogger.edit_on_web(
        "7001", first.post_id, title="Their title", labels=["web"], content="<p>Theirs</p>"
    )
    saved = draft.read_bytes()
    with pytest.raises(ConflictError) as info:
        signed_in.publish(draft)
    new = signed_in.take_theirs(draft, info.value, "blogger:7001")
    assert new.parent == draft.parent and new != draft
    assert draft.read_bytes() == saved
    taken = parse_post(new.read_text())
    assert taken.title == "Their title" and taken.labels == ["web"]
    assert taken.body.strip() == "<p>Theirs</p>"
    # The new draft owns the post now: publishing it updates without a conflict.
    new.write_text(new.read_text().replace("Theirs", "Theirs, continued"))
    assert signed_in.publish(new).post_id == first.post_id
    assert "Theirs, continued" in posts(server)[0]["content"]
    assert signed_in.take_theirs(draft, info.value, "blogger:7001") != new


def test_a_scheduled_post_going_live_is_not_a_conflict(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    soon = datetime.now(UTC) + timedelta(minutes=5)
    first = signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=soon)
    assert first.status == "SCHEDULED"
    server.blogger.edit_on_web("7001", first.post_id, status="LIVE")  # the time came
    assert signed_in.publish(draft).post_id == first.post_id


def test_a_post_deleted_on_the_blog_can_be_published_as_a_new_post(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    del server.blogger.posts["7001"][first.post_id]
    saved = draft.read_bytes()
    with pytest.raises(PostGoneError) as info:
        signed_in.publish(draft)
    message = info.value.message
    assert isinstance(info.value, NotFoundError)
    assert message.startswith("The post was deleted from Field Notes") and "new post" in message
    assert "\n" not in message and "publish:" not in message and "front matter" not in message
    assert draft.read_bytes() == saved and posts(server) == []
    again = signed_in.publish(draft, as_new=True)
    [post] = posts(server)
    assert again.created and again.post_id == post["id"] != first.post_id
    assert record(draft)["id"] == post["id"] and record(draft)["url"] == post["url"]
    assert server.count("blogger.posts.insert") == 2  # the first post and its replacement
    signed_in.publish(draft)  # and from now on the new post is updated
    assert len(posts(server)) == 1 and server.count("blogger.posts.insert") == 2


def test_as_new_keeps_the_records_of_other_blogs(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    first = signed_in.publish(draft)
    second = signed_in.publish(draft, "Second Blog")
    del server.blogger.posts["7001"][first.post_id]
    again = signed_in.publish(draft, as_new=True)
    assert record(draft, "blogger:7001")["id"] == again.post_id != first.post_id
    assert record(draft, "blogger:7002")["id"] == second.post_id


def test_publish_to_a_second_blog_keeps_both_records(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.publish(draft)
    signed_in.publish(draft, "Second Blog")
    assert record(draft, "blogger:7001")["id"] != record(draft, "blogger:7002")["id"]
    assert len(posts(server, "7002")) == 1


def test_crlf_and_bom_are_kept_and_body_is_byte_identical(
    signed_in: PublishService, draft: Path
) -> None:
    text = draft.read_text().replace("\n", "\r\n")
    draft.write_bytes(b"\xef\xbb\xbf" + text.encode())
    before = body_bytes(draft)
    signed_in.publish(draft)
    data = draft.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert body_bytes(draft) == before


def test_front_matter_keeps_unknown_keys_and_comments(
    signed_in: PublishService, draft: Path
) -> None:
    draft.write_text(draft.read_text().replace("labels:", "# my note\nmood: calm\nlabels:"))
    signed_in.publish(draft)
    text = draft.read_text()
    assert "# my note\nmood: calm\n" in text
    meta = yaml.safe_load(text.split("---\n")[1])
    assert set(meta) == {"title", "mood", "labels", "published", "status"}  # status: live


def test_local_images_are_listed_in_a_warning(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    extra = "\n![Figure](images/fig-1.png)\n\n<img src='/tmp/x.jpg'>\n\n`![code](no.png)`\n"
    draft.write_text(draft.read_text() + extra)
    result = signed_in.publish(draft)
    [warning] = result.warnings
    assert "images/fig-1.png, /tmp/x.jpg." in warning and "cannot receive images" in warning
    assert "https://example.org/pic.png" not in warning
    assert len(posts(server)) == 1


def test_remote_images_give_no_warning(signed_in: PublishService, draft: Path) -> None:
    assert signed_in.publish(draft).warnings == []
