"""What every image host must do, checked against each one's real server on loopback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import requests

from editor.core.drafts import assets_dir_for
from editor.core.render import render_post
from editor.publish.hosts.base import DEFAULT_PREFIX, content_key, key_prefix
from editor.publish.hosts.errors import ImageHostAuthError, ImageUploadError
from editor.publish.hosts.uploader import prepare_images
from editor.publish.hosts.uploads_index import index_path, load_index
from editor.publish.records import read_draft

from ..blogger_server import BloggerServer
from .compose import blogger_client, publish_with_images
from .conftest import Rig
from .drafts import make_draft, sha


def prepare(draft: Path, rig: Rig, host=None):  # type: ignore[no-untyped-def]
    post = read_draft(draft)
    return prepare_images(draft, render_post(post), host or rig.host)


def test_uploaded_images_load_from_their_public_urls(rig: Rig, tmp_path: Path) -> None:
    draft = make_draft(tmp_path / "drafts")
    before = draft.read_bytes()
    steps: list[tuple[int, int]] = []
    post = read_draft(draft)
    result = prepare_images(draft, render_post(post), rig.host, lambda n, m: steps.append((n, m)))
    assets = assets_dir_for(draft)
    assert set(result.urls) == {
        "pictures.assets/red.png", "pictures.assets/blue.png", "./pictures.assets/red.png"
    }  # fmt: skip
    for src, url in result.urls.items():
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(url, timeout=10).content == (draft.parent / src).read_bytes()
    assert "pictures.assets" not in result.html
    assert 'alt="A red square"' in result.html and 'title="The red one"' not in result.html
    assert "The red one" in result.html  # the caption stays
    assert 'alt="blue &amp; small"' in result.html
    assert steps[0] == (0, 2) and steps[-1] == (2, 2)
    assert draft.read_bytes() == before  # the draft keeps its local paths
    assert (assets / "red.png").exists()
    assert len(rig.stored()) == 2  # red used twice is stored once


def test_publishing_again_uploads_nothing_new(rig: Rig, tmp_path: Path) -> None:
    draft = make_draft(tmp_path / "drafts")
    first = prepare(draft, rig)
    stored = rig.stored()
    sent = len(rig.session.sent)
    again = prepare(draft, rig)
    assert again.urls == first.urls and again.html == first.html
    assert again.uploaded == [] and again.changes == {}
    assert rig.stored() == stored  # same files, untouched (size, mtime, inode)
    assert len(rig.session.sent) == sent  # not even a HEAD: the draft remembers


@pytest.mark.parametrize("rig", ["s3", "webdav", "sftp", "wordpress"], indirect=True)
def test_without_the_drafts_memory_the_host_still_stores_nothing_twice(
    rig: Rig, tmp_path: Path
) -> None:
    draft = make_draft(tmp_path / "drafts")
    first = prepare(draft, rig)
    stored = rig.stored()
    index_path(draft).unlink()
    writes = rig.session.count("PUT") + rig.session.count("POST")
    again = prepare(draft, rig)
    assert again.urls == first.urls
    assert rig.stored() == stored  # the host found each key (HEAD, stat, search) and kept it
    assert rig.session.count("PUT") + rig.session.count("POST") == writes


def test_wrong_credentials_give_one_clear_sentence(rig: Rig, tmp_path: Path) -> None:
    draft = make_draft(tmp_path / "drafts")
    with pytest.raises(ImageUploadError) as caught:
        prepare(draft, rig, rig.wrong())
    error = caught.value
    assert error.host.startswith("Test ")
    # A command uploads all images in one run, so its failure names them all.
    assert set(error.image.split(", ")) <= {"pictures.assets/red.png", "pictures.assets/blue.png"}
    assert error.message.startswith(f"Could not upload {error.image} to {error.host}: ")
    assert error.message.endswith("Nothing was sent to the blog.")
    assert "\n" not in error.message and "Traceback" not in error.message
    if rig.kind == "command":
        assert "exit code 2" in error.message and "403 Forbidden" in error.message
    else:
        assert isinstance(error.cause, ImageHostAuthError)
        assert "wrong" not in error.message  # no secret in the message
    assert rig.stored() == {}
    assert load_index(draft) == {}


def test_a_failed_upload_midway_leaves_the_blog_untouched(
    rig: Rig, tmp_path: Path, server: BloggerServer
) -> None:
    draft = make_draft(tmp_path / "drafts")
    before = draft.read_bytes()
    blue = (assets_dir_for(draft) / "blue.png").read_bytes()
    key = content_key(sha(blue), "blue.png", "image/png", key_prefix(DEFAULT_PREFIX, date.today()))
    blocker = rig.path_of(key, sha(blue))
    blocker.mkdir(parents=True)  # a folder where the file must go: the server cannot store it
    (blocker / "keep").write_bytes(b"x")
    client = blogger_client(server, requests.Session())
    with pytest.raises(ImageUploadError) as caught:
        publish_with_images(draft, rig.host, client)
    assert caught.value.image.endswith("pictures.assets/blue.png")
    assert "Test " in caught.value.message
    assert server.count("blogger.posts.insert") == 0
    assert server.blogger.posts["7001"] == {}
    assert draft.read_bytes() == before
    if rig.kind != "command":  # one run uploads all: there, a failed run uploaded nothing known
        # What did upload is remembered, so trying again uploads only the missing one.
        remembered = load_index(draft)[rig.host.host_id]
        assert list(remembered) == [sha((assets_dir_for(draft) / "red.png").read_bytes())]
    (blocker / "keep").unlink()
    blocker.rmdir()
    post = publish_with_images(draft, rig.host, client)
    assert server.count("blogger.posts.insert") == 1
    assert "pictures.assets" not in post.content
    assert len(load_index(draft)[rig.host.host_id]) == 2


def test_test_connection_round_trips_a_tiny_image(rig: Rig) -> None:
    url = rig.host.test_connection()
    assert url.startswith("http://127.0.0.1:") and url.endswith(".png")
    if rig.host.can_delete:
        assert rig.stored() == {}
