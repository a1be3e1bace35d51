"""On the real WordPress: a draft whose record beside it is lost finds its post by the address
in its `published:` line (by slug, or by `?p=` for a draft), and a draft from before, with the
old `publish:` block, updates its post and is tidied."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from editor.core.post import parse_post, serialize_post, split_front_matter
from editor.core.post_records import load_records, records_path
from editor.publish.base import PublishMode
from editor.publish.errors import ConflictError
from editor.publish.service import PublishService
from editor.publish.wordpress import blog_key

from .conftest import WordPressSite
from .test_real_wordpress import write_draft

pytestmark = pytest.mark.wordpress


def same_title_posts(site: WordPressSite, word: str) -> list[dict]:
    return site.get("wp/v2/posts", search=word, status="any", context="edit")


def test_a_lost_record_finds_the_post_by_its_slug_then_asks_before_overwriting(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex[:10]
    draft = write_draft(tmp_path, f"Harbour {word}", f"Boats {word}.\n")
    first = signed_in.publish(draft)
    key = blog_key(wordpress_site.url)
    link = parse_post(draft.read_text()).published_addresses()[key]
    assert f"harbour-{word}" in link and "?p=" not in link
    records_path(draft).unlink()
    assert signed_in.publish(draft).post_id == first.post_id  # unchanged: no question
    assert load_records(draft)[key]["id"] == first.post_id
    records_path(draft).unlink()
    draft.write_text(draft.read_text().replace("Boats", "Boats and gulls"))
    with pytest.raises(ConflictError) as caught:
        signed_in.publish(draft)
    assert caught.value.found_by_address
    signed_in.publish(draft, overwrite=True)
    [post] = same_title_posts(wordpress_site, word)
    assert str(post["id"]) == first.post_id and "Boats and gulls" in post["content"]["raw"]


def test_a_wordpress_draft_is_found_by_its_plain_link(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex[:10]
    draft = write_draft(tmp_path, f"Draft {word}", f"Words {word}.\n")
    first = signed_in.publish(draft, mode=PublishMode.DRAFT)
    key = blog_key(wordpress_site.url)
    assert f"?p={first.post_id}" in parse_post(draft.read_text()).published_addresses()[key]
    records_path(draft).unlink()
    again = signed_in.publish(draft, mode=PublishMode.DRAFT)
    assert again.post_id == first.post_id
    assert len(same_title_posts(wordpress_site, word)) == 1


def test_a_draft_from_before_updates_its_post_and_is_tidied(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex[:10]
    draft = write_draft(tmp_path, f"Old {word}", f"First {word}.\n", labels="[old-one]")
    first = signed_in.publish(draft)
    key = blog_key(wordpress_site.url)
    old_record = load_records(draft)[key]
    records_path(draft).unlink()
    old = parse_post(draft.read_text())
    del old.meta["published"]
    old.meta["publish"] = {key: old_record}  # as Broadsheet wrote it before
    draft.write_text(serialize_post(old).replace(f"First {word}", f"Second {word}"))
    again = signed_in.publish(draft)
    assert again.post_id == first.post_id and not again.created
    [post] = same_title_posts(wordpress_site, word)
    assert f"Second {word}" in post["content"]["raw"]
    raw, _body = split_front_matter(draft.read_text())
    assert "publish:" not in raw and "digest" not in raw
    assert f"published:\n  {key}: {post['link']}\n" in raw
