"""A draft with two local images, published to the Blogger contract server via the S3 host."""

from __future__ import annotations

from pathlib import Path

import requests

from editor.core.drafts import assets_dir_for
from editor.publish.hosts.config import HostConfig, HostsConfig, save_hosts, store_host_secret
from editor.publish.hosts.uploads_index import load_index
from editor.publish.service import PublishService

from ..blogger_server import BloggerServer
from .compose import blogger_client, publish_with_images
from .conftest import S3_KEY, S3_SECRET, CountingSession, Stack, s3_rig
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


def test_publish_service_uploads_local_images_to_the_configured_host_first(
    s3_stack: Stack,
    counting_session: CountingSession,
    signed_in: PublishService,
    server: BloggerServer,
    tmp_path: Path,
) -> None:
    """The real publish path: host from image-hosts.json, secret from the keyring."""
    rig = s3_rig(s3_stack, counting_session)  # creates the bucket
    bucket = rig.folder.name
    assert s3_stack.api and s3_stack.public
    hosts = HostsConfig()
    hosts.add(
        HostConfig(
            "my-s3",
            "s3",
            "My bucket",
            {
                "endpoint": s3_stack.api.url,
                "region": "us-east-1",
                "bucket": bucket,
                "access_key_id": S3_KEY,
                "public_base_url": f"{s3_stack.public.url}/{bucket}",
                "path_style": True,
            },
        )
    )
    # The default host is a dead address: this blog chose the S3 host, so it is never asked.
    hosts.add(
        HostConfig("dead-dav", "webdav", "Old NAS", {"url": "http://127.0.0.1:9/dav",
                   "username": "me", "public_base_url": "http://127.0.0.1:9/pub"})
    )  # fmt: skip
    hosts.default_host = "dead-dav"
    hosts.use_for_blog("blogger:7001", "my-s3")
    save_hosts(hosts)
    store_host_secret("my-s3", S3_SECRET)
    store_host_secret("dead-dav", "unused")
    draft = make_draft(tmp_path / "drafts")
    body_before = draft.read_text().split("---\n", 2)[2]
    steps: list[str] = []
    result = signed_in.publish(draft, progress=steps.append)
    stored = server.blogger.posts["7001"][result.post_id]["content"]
    assert "pictures.assets" not in stored and result.warnings == []
    assert stored.count(f"{s3_stack.public.url}/{bucket}/") == 5
    assert any(step.startswith("Uploading images") for step in steps)
    assert draft.read_text().split("---\n", 2)[2] == body_before, "local paths stay in the draft"
    signed_in.publish(draft)  # re-publishing uploads nothing new
    assert len([p for p in rig.folder.rglob("*") if p.is_file()]) == 2
