"""The post panel's search description reaches the real WordPress as the post's excerpt."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from editor.publish.service import PublishService

from .conftest import WordPressSite
from .test_real_wordpress import remote, write_draft

pytestmark = pytest.mark.wordpress


def test_the_search_description_is_the_excerpt_and_stays_when_removed_here(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex[:10]
    draft = write_draft(
        tmp_path, f"Quay {word}", f"Nets {word}.\n", description="A walk  round the quay."
    )
    result = signed_in.publish(draft)
    assert remote(wordpress_site, result.post_id)["excerpt"]["raw"] == "A walk round the quay."
    draft.write_text(draft.read_text().replace("description: A walk  round the quay.\n", ""))
    draft.write_text(draft.read_text().replace("Nets", "Nets and gulls"))
    signed_in.publish(draft)
    data = remote(wordpress_site, result.post_id)
    assert "Nets and gulls" in data["content"]["raw"]
    assert data["excerpt"]["raw"] == "A walk round the quay.", "no line: the blog's stays"
