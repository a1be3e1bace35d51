"""A draft with two local images, published to the Blogger contract server via the S3 host."""

from __future__ import annotations

from pathlib import Path

import requests

from editor.core.drafts import assets_dir_for
from editor.publish.hosts.uploads_index import load_index

from ..blogger_server import BloggerServer
from .compose import blogger_client, publish_with_images
from .conftest import CountingSession, Stack, s3_rig
from .drafts import make_draft


def test_publishing_a_draft_with_local_images_to_blogger(
    s3_stack: Stack, counting_session: CountingSession, server: BloggerServer, tmp_path: Path
) -> None:
    rig = s3_rig(s3_stack, counting_session)
    draft = make_draft(tmp_path / "drafts")
    before = draft.read_bytes()
    steps: list[tuple[int, int]] = []
    post = publish_with_images(
        draft,
        rig.host,
        blogger_client(server, requests.Session()),
        lambda n, m: steps.append((n, m)),
    )
    stored = server.blogger.posts["7001"][post.id]["content"]
    assert "pictures.assets" not in stored
    assets = assets_dir_for(draft)
    for name in ("red.png", "blue.png"):
        [url] = {
            u["url"]
            for u in load_index(draft)[rig.host.host_id].values()
            if u["file"].endswith(name)
        }
        assert f'src="{url}"' in stored
        assert requests.get(url, timeout=10).content == (assets / name).read_bytes()
    # The caption table links the full-size image on the host too, and keeps its caption.
    assert 'class="tr-caption-container"' in stored and ">The red one</td>" in stored
    # red with caption: link + img; blue inline: img; red alone: link + img
    assert stored.count(s3_stack.public.url) == 5
    assert steps == [(0, 2), (1, 2), (2, 2)]
    assert draft.read_bytes() == before
