"""No false conflicts and a true status against the real WordPress."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from editor.core.post import parse_post
from editor.publish.errors import ConflictError
from editor.publish.service import PublishService

from .conftest import WordPressSite
from .test_real_wordpress import remote, write_draft

pytestmark = pytest.mark.wordpress


def test_labels_order_and_local_edits_are_no_conflict_and_only_web_changes_are_named(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex[:8]
    labels = f"[zeta {word}, alpha {word}, mid {word}]"
    draft = write_draft(tmp_path, f"Order {word}", "First words.\n", labels=labels)
    first = signed_in.publish(draft)
    assert parse_post(draft.read_text()).meta["status"] == "live"
    draft.write_text(draft.read_text().replace("First words", "Second words"), encoding="utf-8")
    assert signed_in.publish(draft).post_id == first.post_id  # no conflict from tag order
    edited = wordpress_site.rest(
        "POST", f"wp/v2/posts/{first.post_id}", json={"title": f"Retitled {word}"}
    )
    assert edited.status_code == 200
    draft.write_text(draft.read_text().replace("Second words", "Third words"), encoding="utf-8")
    with pytest.raises(ConflictError) as caught:
        signed_in.publish(draft)
    assert caught.value.changed_fields() == ["title"]  # not the content changed here
    assert remote(wordpress_site, first.post_id)["title"]["raw"] == f"Retitled {word}"
