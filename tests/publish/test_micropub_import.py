"""Import a Micropub site (through the post list extension) and sync edits made on the site,
against the loopback contract site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.post_records import read_post
from editor.publish.base import PostContent
from editor.publish.blog_import import mirror_for
from editor.publish.providers import provider
from editor.publish.service import PublishService

from .conftest import TEST_TIMEOUT, Sleeps
from .micropub_server import MicropubServer


@pytest.fixture
def site() -> Iterator[MicropubServer]:
    fake = MicropubServer().start()
    fake.track_updated = False  # the harder case: nothing but the words tells an edit
    yield fake
    fake.stop()
    assert fake.violations == [], "requests outside the Micropub contract"


@pytest.fixture
def service(site: MicropubServer, sleeps: Sleeps) -> Iterator[PublishService]:
    with requests.Session() as session:
        svc = PublishService(session=session, timeout=TEST_TIMEOUT, sleep=sleeps)
        form = provider("micropub").sign_in_form
        assert form is not None
        form.run(svc, {"site": site.site, "token": site.issue_token()}, lambda _m: None)
        yield svc


def drafts() -> list[Path]:
    return sorted(app_paths().drafts_dir.glob("*.md"))


def test_import_then_sync_brings_an_edit_made_on_the_site(
    site: MicropubServer, service: PublishService
) -> None:
    [blog] = service.accounts().blogs.values()
    client = service.client_for(blog)
    urls = [
        client.insert_post(
            blog.remote_id,
            PostContent(f"Post {n}", f"<p>Words of post {n}.</p>", ["walks"]),
            draft=n == 0,
            marker=f"{n:032x}",
        ).url
        for n in range(3)
    ]
    report = mirror_for(service, blog.key).import_all()
    assert report.error == "" and report.posts == 3 and len(drafts()) == 3
    by_url = {read_post(p).records[blog.key]["id"]: p for p in drafts()}
    assert set(by_url) == set(urls)
    first = parse_post(by_url[urls[1]].read_text(encoding="utf-8"), "x")
    assert first.meta["title"] == "Post 1" and first.meta["labels"] == ["walks"]
    assert "Words of post 1." in first.body
    # Edited on the site; the site keeps no `updated`: the words tell.
    site.web_edit(urls[1], content=[{"html": "<p>Rewritten on the site.</p>"}])
    synced = mirror_for(service, blog.key).sync()
    assert synced.error == "" and synced.unchanged == 2
    assert "Rewritten on the site." in by_url[urls[1]].read_text(encoding="utf-8")
