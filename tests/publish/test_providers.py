"""The provider registry and the capability flags: what differs between platforms is asked of
`Capabilities`, and the registry is the one place that knows the platforms' names."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest

from editor.core.paths import AppPaths
from editor.publish import blogger, providers, wordpress
from editor.publish.accounts import Blog, config_path, load_accounts
from editor.publish.base import (
    LABELS,
    LIVE,
    POST,
    TAGS_AND_CATEGORIES,
    BlogClient,
    BlogInfo,
    Capabilities,
    PostContent,
    PublishMode,
    RemotePost,
)
from editor.publish.blogger import BloggerClient
from editor.publish.errors import ConfigError, ConflictError
from editor.publish.hosts.checkup import blogger_client
from editor.publish.recorded import update_recorded
from editor.publish.service import PublishService
from editor.publish.wordpress import WordPressClient

ACCOUNTS = {
    "version": 1,
    "accounts": {
        "google:1": {"provider": "blogger", "label": "Ann"},
        "wordpress:ann@example.com": {"provider": "wordpress", "label": "Ann on Notes"},
        "google:2": {"label": "an account written before providers were kept"},
    },
    "blogs": {
        "blogger:42": {"name": "Walks", "url": "https://walks.example", "account": "google:1"},
        "wordpress:example.com": {
            "name": "Notes",
            "url": "https://example.com",
            "account": "wordpress:ann@example.com",
        },
    },
}


def test_blogger_does_what_blogger_does() -> None:
    can = BloggerClient.capabilities
    assert can.pages and can.scheduling
    assert can.taxonomy == LABELS
    assert not can.media_library  # its API takes no images: they go to an image host
    assert can.image_check  # so the dead-image check can repair them there
    assert not can.whole_second_times  # `updated` has sub-second precision
    assert not can.classic_html  # its posts keep their <p>


def test_wordpress_does_what_wordpress_does() -> None:
    can = WordPressClient.capabilities
    assert can.pages and can.scheduling
    assert can.taxonomy == TAGS_AND_CATEGORIES
    assert can.media_library
    assert not can.image_check
    assert can.whole_second_times
    assert can.classic_html


def test_every_provider_in_accounts_has_an_entry(paths: AppPaths) -> None:
    path = config_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ACCOUNTS), encoding="utf-8")
    config = load_accounts(paths)
    names = {a.provider for a in config.accounts.values()} | {
        b.provider for b in config.blogs.values()
    }
    assert names == {"blogger", "wordpress"}
    for name in names:
        entry = providers.provider(name)
        assert entry.name == name and entry.display_name
    # The keys the sign-ins write name registered providers.
    assert Blog(blogger.blog_key("1"), "", "", "").provider in providers.PROVIDERS
    assert Blog(wordpress.blog_key("https://example.com"), "", "", "").provider in (
        providers.PROVIDERS
    )
    assert providers.capabilities_of(config.blogs["blogger:42"]) == BloggerClient.capabilities
    assert providers.provider("wordpress").capabilities == WordPressClient.capabilities


def test_an_unknown_provider_is_one_clear_sentence(paths: AppPaths) -> None:
    # (A platform Broadsheet will not know: the list of known ones grows with each publisher.)
    unknown = Blog("livejournal:7", "Essays", "https://essays.example", "livejournal:ann")
    with pytest.raises(ConfigError) as caught:
        PublishService(paths=paths).client_for(unknown)
    message = caught.value.message
    assert message.startswith(
        "Broadsheet cannot publish to “livejournal” blogs; it publishes to Blogger, WordPress"
    )
    names = [p.display_name for p in providers.PROVIDERS.values()]
    assert message.endswith(f" and {names[-1]}.") and all(n in message for n in names)
    with pytest.raises(ConfigError):
        providers.capabilities_of(unknown)


def test_blogs_are_chosen_by_what_their_platform_can_do() -> None:
    walks = Blog("blogger:42", "Walks", "https://walks.example", "google:1")
    notes = Blog("wordpress:example.com", "Notes", "https://example.com", "wordpress:a")
    newer = Blog("tumblr:7", "Essays", "https://essays.example", "tumblr:ann")
    every = [walks, notes, newer]
    # The dead-image dialog lists the blogs it can check; the image-hosts dialog those whose
    # images go to an image host (a blog of an unknown platform is in neither).
    assert providers.blogs_where(every, lambda can: can.image_check) == [walks]
    assert providers.blogs_where(every, lambda can: not can.media_library) == [walks]


class StubClient(BlogClient):
    """A blog holding one post, whose platform can do what `capabilities` says."""

    capabilities: ClassVar[Capabilities] = Capabilities()

    def __init__(self, post: RemotePost) -> None:
        self.post = post
        self.updates: list[PostContent] = []

    def list_blogs(self) -> list[BlogInfo]:
        return []

    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        return self.post

    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        raise AssertionError("nothing is created here")

    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        return None

    def update_post(
        self, blog_id: str, post_id: str, post: PostContent, *, base: RemotePost | None = None
    ) -> RemotePost:
        self.updates.append(post)
        return replace(self.post, title=post.title, content=post.html)

    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        return self.post

    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        return self.post


class WholeSeconds(StubClient):
    capabilities = Capabilities(whole_second_times=True)


SAME_SECOND = "2026-12-02T08:00:00Z"


def _edited_within_the_second(cls: type[StubClient]) -> tuple[StubClient, dict[str, object]]:
    """A post published at SAME_SECOND and edited on the blog within that second, and the
    record of that publish."""
    published = RemotePost("1", "Title", "<p>ours</p>", [], LIVE, "https://b/1", SAME_SECOND)
    edited = replace(published, content="<p>edited on the blog</p>")
    record: dict[str, object] = {
        "id": "1",
        "updated": SAME_SECOND,
        "digest": published.digest(),
        "parts": published.parts(),
        "labels": [],
    }
    return cls(edited), record


@pytest.mark.parametrize("cls", [StubClient, WholeSeconds])
def test_whole_second_times_let_the_digest_alone_decide_a_conflict(
    cls: type[StubClient], tmp_path: Path
) -> None:
    client, record = _edited_within_the_second(cls)
    blog = Blog("stub:1", "Stub", "https://b", "stub:ann")
    ours = PostContent("Title", "<p>ours, edited</p>")

    def update() -> RemotePost:
        return update_recorded(client, blog, record, ours, False, lambda _m: None)

    if cls.capabilities.whole_second_times:
        with pytest.raises(ConflictError):  # the time did not move, the words did
            update()
        assert client.updates == []
    else:
        # Sub-second times: an unchanged `updated` means nothing was edited there.
        update()
        assert [u.html for u in client.updates] == ["<p>ours, edited</p>"]


def test_the_image_check_needs_a_platform_that_can_do_it(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = PublishService(paths=paths)
    notes = Blog("wordpress:example.com", "Notes", "https://example.com", "wordpress:a")
    stub = StubClient(RemotePost("1", "", "", [], LIVE, "", ""))
    monkeypatch.setattr(service, "client_for", lambda _blog: stub)
    with pytest.raises(ConfigError, match="works with Blogger blogs; Notes keeps its images"):
        blogger_client(service, notes)
    checkable = ImageCheck(stub.post)
    monkeypatch.setattr(service, "client_for", lambda _blog: checkable)
    assert blogger_client(service, notes) is checkable  # the flag decides, not the class


class ImageCheck(StubClient):
    capabilities = Capabilities(image_check=True)


class NoScheduling(StubClient):
    capabilities = Capabilities(scheduling=False)


def test_a_platform_that_cannot_schedule_says_so_before_anything_is_sent(
    signed_in: PublishService, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub = NoScheduling(RemotePost("1", "", "", [], LIVE, "", ""))
    monkeypatch.setattr(signed_in, "client_for", lambda _blog: stub)
    later = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    before = draft.read_bytes()
    with pytest.raises(ConfigError, match="cannot schedule posts; publish it now instead"):
        signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=later)
    assert stub.updates == []  # (and StubClient refuses inserts)
    assert draft.read_bytes() == before


def test_choosing_an_image_host_for_a_blog_with_a_media_library_is_refused(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """`broadsheet images use HOST --blog B` asks the flag, not the platform's name."""
    from editor.cli import main
    from editor.publish.hosts.config import HostConfig, HostsConfig, save_hosts

    hosts = HostsConfig(default_host="photos")
    hosts.add(HostConfig("photos", "webdav", settings={"url": "https://dav.example/photos/"}))
    save_hosts(hosts, paths)
    path = config_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ACCOUNTS), encoding="utf-8")
    assert main(["images", "use", "default", "--blog", "Notes"]) == 1
    assert "Notes keeps its images in its own media library." in capsys.readouterr().err
    assert main(["images", "use", "default", "--blog", "Walks"]) == 0
