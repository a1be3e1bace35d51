"""What the draft says after publishing is true: status follows the post, no false conflicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from editor.core.post import parse_post, serialize_post
from editor.core.post_records import load_records, records_path
from editor.publish.base import PublishMode
from editor.publish.errors import ConflictError
from editor.publish.service import PublishService

from .blogger_server import BloggerServer

BLOG = "blogger:7001"


def meta(path: Path) -> dict:
    return parse_post(path.read_text(encoding="utf-8")).meta


def make_old(draft: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """Turn a published draft into one from before: its record (changed by `edit`) back in the
    front matter's `publish:` block, nothing beside it."""
    record = load_records(draft)[BLOG]
    edit(record)
    records_path(draft).unlink()
    parsed = parse_post(draft.read_text(encoding="utf-8"))
    parsed.meta.pop("published", None)
    parsed.meta["publish"] = {BLOG: record}
    draft.write_text(serialize_post(parsed), encoding="utf-8")


def test_status_follows_the_post_after_every_publish(
    signed_in: PublishService, draft: Path
) -> None:
    draft.write_text(draft.read_text().replace("labels:", "status: draft\nlabels:"))
    signed_in.publish(draft, mode=PublishMode.DRAFT)
    assert meta(draft)["status"] == "draft"
    signed_in.publish(draft)
    assert meta(draft)["status"] == "live"
    later = datetime.now(UTC) + timedelta(days=3)
    signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=later)
    assert meta(draft)["status"] == "scheduled"
    signed_in.publish(draft, mode=PublishMode.DRAFT)
    assert meta(draft)["status"] == "draft"


def test_labels_in_another_order_on_the_blog_are_no_conflict(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    result = signed_in.publish(draft)  # labels: [news, tests]
    make_old(draft, lambda r: r.pop("labels"))  # as records written before labels were kept
    with server.lock:
        server.blogger.edit_on_web("7001", result.post_id, labels=["tests", "news"])
    draft.write_text(draft.read_text().replace("first paragraph", "changed paragraph"))
    assert signed_in.publish(draft).post_id == result.post_id  # no ConflictError


def test_a_conflict_names_only_what_changed_on_the_blog(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    result = signed_in.publish(draft)
    draft.write_text(draft.read_text().replace("first paragraph", "changed paragraph"))
    with server.lock:
        server.blogger.edit_on_web("7001", result.post_id, title="Retitled on the web")
    with pytest.raises(ConflictError) as caught:
        signed_in.publish(draft)
    assert caught.value.changed_fields() == ["title"]  # the content changed here, not there
    assert "changed there: title;" in caught.value.message


def test_a_record_written_before_labels_counted_as_a_set_still_matches(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    import hashlib

    result = signed_in.publish(draft)
    with server.lock:
        post = dict(server.blogger.posts["7001"][result.post_id])
    old = json.dumps([post["title"], list(post["labels"]), post["content"]], ensure_ascii=False)

    def before(record: dict[str, Any]) -> None:
        record["digest"] = hashlib.sha256(old.encode("utf-8")).hexdigest()[:16]
        for key in ("parts", "labels", "draft"):
            record.pop(key, None)

    make_old(draft, before)
    with server.lock:
        server.blogger.edit_on_web("7001", result.post_id)  # only `updated` moves
    assert signed_in.publish(draft).post_id == result.post_id  # no false conflict


def test_tags_in_the_front_matter_are_the_labels_sent_even_with_an_old_record(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    result = signed_in.publish(draft)  # labels: [news, tests]
    make_old(draft, lambda r: r.pop("labels"))  # as records written before labels were kept
    parsed = parse_post(draft.read_text())
    del parsed.meta["labels"]
    parsed.meta["tags"] = ["essays"]
    draft.write_text(serialize_post(parsed))
    signed_in.publish(draft)
    with server.lock:
        assert server.blogger.posts["7001"][result.post_id]["labels"] == ["essays"]
