"""MicropubClient and IndieAuth sign-in against the loopback Micropub contract server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from editor.publish.base import DRAFT, LIVE, PostContent
from editor.publish.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    OfflineError,
    PermissionError_,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.hosts.base import TINY_PNG
from editor.publish.indieauth import run_sign_in
from editor.publish.micropub import MicropubClient, blog_key
from editor.publish.micropub_api import StoredToken, discover
from editor.publish.recorded import update_recorded
from editor.publish.records import record_of

from .conftest import TEST_TIMEOUT, BrowserStub, Sleeps
from .micropub_server import MicropubServer

POST = PostContent("Hello Micropub", "<p>A <em>first</em> paragraph.</p>", ["news", "tests"])


@pytest.fixture
def site() -> Iterator[MicropubServer]:
    fake = MicropubServer().start()
    yield fake
    fake.stop()
    assert fake.violations == [], "requests outside the Micropub contract"
    assert fake.ignored == [], "properties the server does not know (§3.3.5: dropped)"


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def make_client(
    site: MicropubServer, session: requests.Session, sleeps: Sleeps, token: str | None = None
) -> MicropubClient:
    return MicropubClient(
        session,
        site.site,
        StoredToken(token or site.issue_token()),
        timeout=TEST_TIMEOUT,
        sleep=sleeps,
    )


@pytest.fixture
def client(site: MicropubServer, session: requests.Session, sleeps: Sleeps) -> MicropubClient:
    return make_client(site, session, sleeps)


BLOG = "127.0.0.1"


# --- discovery -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["header", "html", "both"])
def test_the_endpoint_is_found_in_the_link_header_or_the_page(
    where: str, session: requests.Session
) -> None:
    site = MicropubServer(links=where).start()
    try:
        links = discover(session, site.site, timeout=TEST_TIMEOUT)
        assert links.micropub == site.endpoint  # relative header link resolved, query kept
        assert links.title == "Test Site"
        assert ("indieauth-metadata" in links.rels) is (where != "header")
    finally:
        site.stop()


def test_a_site_without_micropub_is_one_sentence(session: requests.Session) -> None:
    site = MicropubServer(links="none").start()
    try:
        with pytest.raises(ConfigError, match="does not name a Micropub endpoint"):
            _ = discover(session, site.site, timeout=TEST_TIMEOUT).micropub
    finally:
        site.stop()


def test_blog_is_the_site(client: MicropubClient, site: MicropubServer) -> None:
    info = client.check_sign_in()
    assert info.name == "Test Site" and info.url == site.site
    assert blog_key(site.site) == f"micropub:{info.id}"


# --- create, read, update ----------------------------------------------------------------------


def test_create_sends_an_h_entry_as_json(client: MicropubClient, site: MicropubServer) -> None:
    remote = client.insert_post(BLOG, POST, draft=False, marker="a" * 32)
    [stored] = site.live_posts()
    assert remote.id == remote.url == stored.url
    props = stored.properties
    assert props["name"] == ["Hello Micropub"]
    assert props["content"] == [{"html": POST.html + "<!--broadsheet:" + "a" * 32 + "-->"}]
    assert props["category"] == ["news", "tests"]
    assert props["post-status"] == ["published"]
    assert (remote.title, remote.labels, remote.status) == ("Hello Micropub", POST.labels, LIVE)
    assert remote.content.startswith(POST.html)


def test_a_draft_is_post_status_draft_and_publishing_replaces_it(
    client: MicropubClient, site: MicropubServer
) -> None:
    remote = client.insert_post(BLOG, POST, draft=True, marker="b" * 32)
    assert remote.status == DRAFT
    assert site.posts[remote.id].properties["post-status"] == ["draft"]
    live = client.publish_post(BLOG, remote.id)
    assert live.status == LIVE and live.id == remote.id
    assert client.revert_post(BLOG, remote.id).status == DRAFT


def test_scheduling_is_refused_honestly(client: MicropubClient) -> None:
    assert client.capabilities.scheduling is False
    remote = client.insert_post(BLOG, POST, draft=True, marker="c" * 32)
    with pytest.raises(ConfigError, match="cannot schedule"):
        client.publish_post(BLOG, remote.id, datetime.now(UTC) + timedelta(days=1))


def test_a_202_accepted_create_is_read_at_its_location(
    client: MicropubClient, site: MicropubServer
) -> None:
    site.accepted = True
    remote = client.insert_post(BLOG, POST, draft=False, marker="d" * 32)
    assert remote.url == site.live_posts()[0].url


def test_update_replaces_title_content_and_labels_of_the_same_post(
    client: MicropubClient, site: MicropubServer
) -> None:
    remote = client.insert_post(BLOG, POST, draft=False, marker="e" * 32)
    new = PostContent("Renamed", "<p>Second version.</p>", ["news"])
    updated = client.update_post(BLOG, remote.id, new, base=remote)
    assert updated.id == remote.id
    assert (updated.title, updated.content, updated.labels) == ("Renamed", new.html, ["news"])
    assert len(site.live_posts()) == 1
    # No labels left: the category property is deleted (an empty replace is not defined).
    bare = client.update_post(BLOG, remote.id, PostContent("Renamed", new.html, []))
    assert bare.labels == [] and "category" not in site.posts[remote.id].properties


@pytest.mark.parametrize("answer", ["body", "moved"])
def test_every_update_answer_of_the_spec_is_understood(
    answer: str, client: MicropubClient, site: MicropubServer
) -> None:
    remote = client.insert_post(BLOG, POST, draft=False, marker="f" * 32)
    site.update_body = answer == "body"
    site.move_on_update = answer == "moved"
    updated = client.update_post(BLOG, remote.id, PostContent("T", "<p>x</p>", []))
    assert updated.title == "T"
    assert (updated.id != remote.id) is (answer == "moved")


def test_a_missing_post_is_not_found(client: MicropubClient, site: MicropubServer) -> None:
    with pytest.raises(NotFoundError):
        client.get_post(BLOG, f"{site.base_url}/post/nothing")
    assert client.find_by_address(BLOG, f"{site.base_url}/post/nothing") is None


@pytest.mark.parametrize("paging", ["after", "offset", "none"])
def test_the_post_list_pages_newest_first(
    paging: str, client: MicropubClient, site: MicropubServer
) -> None:
    """By the extension's cursor, by Micro.blog's offset, and a server that ignores both
    (its first page comes again: the list ends instead of going round forever)."""
    site.paging = paging
    for n in range(3):
        client.insert_post(BLOG, PostContent(f"P{n}", "<p>x</p>", []), draft=False, marker=f"{n}")
    first = client._list(2, "")
    assert first is not None and [p.title for p in first.items] == ["P2", "P1"]
    second = client._list(2, first.next_token)
    assert second is not None
    if paging == "none":
        assert second.items == [] and second.next_token == ""
        return
    assert [p.title for p in second.items] == ["P0"] and second.next_token == ""


# --- exactly once ---------------------------------------------------------------------------------


def test_a_lost_answer_after_create_makes_no_second_post(
    client: MicropubClient, site: MicropubServer
) -> None:
    site.fault("create", "lost")
    remote = client.insert_post(BLOG, POST, draft=False, marker="1" * 32)
    assert site.count("create") == 1 and len(site.live_posts()) == 1
    assert remote.id == site.live_posts()[0].url


def test_a_500_after_create_is_found_not_repeated(
    client: MicropubClient, site: MicropubServer
) -> None:
    site.fault("create", "status_after", status=500)
    client.insert_post(BLOG, POST, draft=False, marker="2" * 32)
    assert site.count("create") == 1 and len(site.live_posts()) == 1


def test_a_create_whose_post_cannot_be_read_back_is_not_sent_again(
    client: MicropubClient, site: MicropubServer
) -> None:
    site.fault("source", "reset", times=9)  # every read of the new post fails
    remote = client.insert_post(BLOG, POST, draft=True, marker="2b" * 16)
    assert site.count("create") == 1 and len(site.live_posts()) == 1
    assert remote.url == site.live_posts()[0].url and remote.status == DRAFT


def test_a_refused_create_is_sent_again(
    client: MicropubClient, site: MicropubServer, sleeps: Sleeps
) -> None:
    site.fault("create", "status", status=429, retry_after="3")
    client.insert_post(BLOG, POST, draft=False, marker="3" * 32)
    assert site.count("create") == 2 and len(site.live_posts()) == 1
    assert sleeps == [3.0]


def test_a_server_that_cannot_list_stops_rather_than_guess(
    session: requests.Session, sleeps: Sleeps
) -> None:
    """The limit of the marker scheme: without a post list a lost create cannot be looked for,
    so it is reported as uncertain (the publish flow then waits) and never sent again here."""
    site = MicropubServer(lists=False).start()
    try:
        client = make_client(site, session, sleeps)
        site.fault("create", "lost")
        with pytest.raises(OfflineError) as caught:
            client.insert_post(BLOG, POST, draft=False, marker="4" * 32)
        assert caught.value.uncertain and "will not make a copy" in caught.value.message
        assert site.count("create") == 1
    finally:
        site.stop()


def test_a_server_that_strips_comments_cannot_be_searched(
    client: MicropubClient, site: MicropubServer
) -> None:
    site.strip_comments = True
    site.fault("create", "lost")
    with pytest.raises(OfflineError):
        client.insert_post(BLOG, POST, draft=False, marker="5" * 32)
    assert site.count("create") == 1  # not repeated blindly: one post, found by the writer


# --- conflicts ---------------------------------------------------------------------------------


def _record(remote) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {**record_of(remote), "labels": list(remote.labels)}


@pytest.mark.parametrize("updated", [True, False], ids=["with-updated", "no-updated"])
def test_an_edit_on_the_site_stops_the_update(
    updated: bool, client: MicropubClient, site: MicropubServer
) -> None:
    """Whether or not the server keeps an `updated` time, the digest finds the web edit."""
    from editor.publish.accounts import Blog

    site.track_updated = updated
    blog = Blog(blog_key(site.site), "Test Site", site.site, blog_key(site.site))
    remote = client.insert_post(BLOG, POST, draft=False, marker="6" * 32)
    record = _record(remote)
    site.web_edit(remote.id, content=[{"html": "<p>Edited on the web.</p>"}])
    ours = PostContent(POST.title, "<p>Our new words.</p>", POST.labels)
    with pytest.raises(ConflictError) as caught:
        update_recorded(client, blog, record, ours, False, lambda _m: None)
    assert caught.value.changed_fields() == ["content"]
    assert site.posts[remote.id].properties["content"] == [{"html": "<p>Edited on the web.</p>"}]
    # Overwriting is the writer's choice.
    kept = update_recorded(client, blog, record, ours, True, lambda _m: None)
    assert kept.content == ours.html


def test_an_unchanged_post_updates_without_a_conflict(
    client: MicropubClient, site: MicropubServer
) -> None:
    from editor.publish.accounts import Blog

    blog = Blog(blog_key(site.site), "Test Site", site.site, blog_key(site.site))
    remote = client.insert_post(BLOG, POST, draft=False, marker="7" * 32)
    ours = PostContent("New title", POST.html, POST.labels)
    updated = update_recorded(client, blog, _record(remote), ours, False, lambda _m: None)
    assert updated.title == "New title" and updated.id == remote.id


# --- errors: one sentence each, never the token --------------------------------------------------


def test_a_revoked_token_says_sign_in_again(client: MicropubClient, site: MicropubServer) -> None:
    token = client.auth.token()
    site.revoke(token)
    with pytest.raises(SignedOutError) as caught:
        client.insert_post(BLOG, POST, draft=False, marker="8" * 32)
    assert "broadsheet login micropub" in caught.value.message
    assert token not in caught.value.message
    assert site.live_posts() == []


def test_a_token_without_the_scope_says_so(
    site: MicropubServer, session: requests.Session, sleeps: Sleeps
) -> None:
    client = make_client(site, session, sleeps, site.issue_token("create"))
    remote = client.insert_post(BLOG, POST, draft=False, marker="9" * 32)
    with pytest.raises(SignedOutError, match="does not allow this .*“update”"):
        client.update_post(BLOG, remote.id, POST)


def test_a_new_token_in_the_keyring_is_used_after_a_401(
    site: MicropubServer, session: requests.Session, sleeps: Sleeps
) -> None:
    old, new = site.issue_token(), site.issue_token()
    site.revoke(old)
    client = MicropubClient(
        session, site.site, StoredToken(old, lambda: new), timeout=TEST_TIMEOUT, sleep=sleeps
    )
    assert client.insert_post(BLOG, POST, draft=False, marker="a1" * 16).id


@pytest.mark.parametrize(
    ("status", "error", "kind", "words"),
    [
        (403, "forbidden", PermissionError_, "may not do this there"),
        (400, "invalid_request", InvalidRequestError, "rejected the request"),
        (500, "", ServerError, "server problem"),
        (429, "", QuotaError, "limiting requests"),
    ],
)
def test_errors_of_the_spec_are_one_sentence(
    status: int,
    error: str,
    kind: type[Exception],
    words: str,
    client: MicropubClient,
    site: MicropubServer,
) -> None:
    remote = client.insert_post(BLOG, POST, draft=False, marker="a2" * 16)
    site.fault("update", "status", status=status, error=error, times=9)
    with pytest.raises(kind, match=words) as caught:
        client.update_post(BLOG, remote.id, POST)
    message = str(caught.value)
    assert message.endswith(".") and ". " not in message and "\n" not in message
    assert client.auth.token() not in message


def test_429_and_500_are_retried_with_the_wait_asked(
    client: MicropubClient, site: MicropubServer, sleeps: Sleeps
) -> None:
    remote = client.insert_post(BLOG, POST, draft=False, marker="a3" * 16)
    site.fault("source", "status", status=429, retry_after="2")
    site.fault("source", "status", status=503)
    assert client.get_post(BLOG, remote.id).id == remote.id
    assert sleeps[0] == 2.0 and len(sleeps) == 2


def test_a_dead_site_is_one_sentence(session: requests.Session, sleeps: Sleeps) -> None:
    site = MicropubServer().start()
    token = site.issue_token()
    site.stop()
    client = MicropubClient(
        session, site.site, StoredToken(token), timeout=TEST_TIMEOUT, sleep=sleeps
    )
    with pytest.raises(OfflineError, match="Could not reach 127.0.0.1"):
        client.list_blogs()
    assert len(sleeps) == 3  # a read is retried (through the one HTTP loop) before giving up


def test_the_token_is_refused_over_plain_http_to_another_host(session: requests.Session) -> None:
    from editor.publish.micropub_api import MicropubApi

    with pytest.raises(ConfigError, match="plain http"):
        MicropubApi(session, "http://example.com/micropub", StoredToken("secret-token"))


# --- the contract server itself refuses what the spec does not allow -----------------------------


def test_the_server_follows_the_spec_for_forms_and_tokens(site: MicropubServer) -> None:
    token = site.issue_token()
    form = {"h": "entry", "content": "hello", "category[]": ["a", "b"], "access_token": token}
    created = requests.post(site.endpoint, data=form, timeout=5)
    assert created.status_code == 201 and created.headers["Location"]
    assert site.live_posts()[0].properties["category"] == ["a", "b"]
    both = requests.post(
        site.endpoint, data=form, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert both.status_code == 400 and both.json()["error"] == "invalid_request"
    none = requests.post(site.endpoint, data={"h": "entry", "content": "x"}, timeout=5)
    assert none.status_code == 401 and none.json()["error"] == "unauthorized"
    update = {"action": "update", "url": created.headers["Location"], "access_token": token}
    assert requests.post(site.endpoint, data=update, timeout=5).status_code == 400
    site.violations.clear()  # the refusals above were the point of this test


def test_the_server_follows_the_micropub_rocks_update_delete_and_query_tests(
    site: MicropubServer,
) -> None:
    """micropub.rocks 400-405 (update), 500-503 (delete), 602-603 (source), 802 (token not
    stored), as the contract server answers them."""
    token = site.issue_token()
    auth = {"Authorization": f"Bearer {token}"}
    created = requests.post(
        site.endpoint,
        data={"h": "entry", "content": "x", "category": "one", "access_token": token},
        timeout=5,
    )
    url = created.headers["Location"]
    assert "access_token" not in site.posts[url].properties  # 802

    def update(**ops: object) -> int:
        body = {"action": "update", "url": url, **ops}
        return requests.post(site.endpoint, json=body, headers=auth, timeout=5).status_code

    assert update(replace={"content": ["new"]}) == 204  # 400
    assert update(add={"category": ["two"]}) == 204  # 401
    assert update(add={"syndication": ["https://elsewhere.example/1"]}) == 204  # 402
    assert update(delete={"category": ["one"]}) == 204  # 403
    assert update(delete=["syndication"]) == 204  # 404
    props = site.posts[url].properties
    assert props["content"] == ["new"] and props["category"] == ["two"]
    assert "syndication" not in props
    assert update(replace={"content": "not an array"}) == 400  # 405
    source = requests.get(
        site.endpoint, params={"q": "source", "url": url}, headers=auth, timeout=5
    ).json()
    assert source["type"] == ["h-entry"] and source["properties"]["content"] == ["new"]  # 602
    some = requests.get(
        site.endpoint,
        params=[("q", "source"), ("url", url), ("properties[]", "category")],
        headers=auth,
        timeout=5,
    ).json()
    assert some == {"properties": {"category": ["two"]}}  # 603
    gone = {"action": "delete", "url": url, "access_token": token}
    assert requests.post(site.endpoint, data=gone, timeout=5).status_code == 204  # 500
    assert site.live_posts() == []
    back = {"action": "undelete", "url": url}
    assert requests.post(site.endpoint, json=back, headers=auth, timeout=5).status_code == 204
    assert len(site.live_posts()) == 1  # 503
    site.violations.clear()  # 405 was refused on purpose


# --- images --------------------------------------------------------------------------------------


def test_images_go_to_the_media_endpoint_once(
    client: MicropubClient, site: MicropubServer, tmp_path: Path
) -> None:
    (tmp_path / "pic.png").write_bytes(TINY_PNG)
    html = '<p><img src="pic.png" alt="A pic"></p>'
    new_html, record = client.upload_media(html, tmp_path, None, lambda _m: None)
    [(path, (data, kind))] = site.files.items()
    assert data == TINY_PNG and kind == "image/png"
    assert new_html == f'<p><img src="{site.base_url}{path}" alt="A pic"></p>'
    again, _ = client.upload_media(html, tmp_path, record, lambda _m: None)
    assert again == new_html and site.count("media") == 1


def test_a_media_endpoint_named_only_by_a_rel_is_used(
    session: requests.Session, sleeps: Sleeps, tmp_path: Path
) -> None:
    site = MicropubServer(media=False).start()
    site.media_rel = True
    try:
        (tmp_path / "pic.png").write_bytes(TINY_PNG)
        client = make_client(site, session, sleeps)
        html, _ = client.upload_media('<img src="pic.png">', tmp_path, None, lambda _m: None)
        assert site.count("media") == 1 and f'src="{site.base_url}/files/' in html
    finally:
        site.stop()


def test_no_media_endpoint_is_one_sentence(
    session: requests.Session, sleeps: Sleeps, tmp_path: Path
) -> None:
    site = MicropubServer(media=False).start()
    try:
        (tmp_path / "pic.png").write_bytes(TINY_PNG)
        client = make_client(site, session, sleeps)
        with pytest.raises(ConfigError, match="has no media endpoint"):
            client.upload_media('<img src="pic.png">', tmp_path, None, lambda _m: None)
    finally:
        site.stop()


# --- IndieAuth sign-in -------------------------------------------------------------------------


def test_indieauth_sign_in_with_pkce(
    site: MicropubServer, session: requests.Session, browser: BrowserStub, sleeps: Sleeps
) -> None:
    token = run_sign_in(session, site.site, open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    assert token.me == site.site and set(token.scope.split()) >= {"create", "update", "media"}
    assert "code_challenge_method=S256" in browser.urls[0]
    client = make_client(site, session, sleeps, token.access_token)
    assert client.insert_post(BLOG, POST, draft=False, marker="b1" * 16).id


@pytest.mark.parametrize("where", ["header", "html"])
def test_indieauth_endpoints_from_the_older_rels(
    where: str, session: requests.Session, browser: BrowserStub
) -> None:
    site = MicropubServer(links=where).start()
    site.legacy_rels = True
    try:
        token = run_sign_in(
            session, site.site, open_browser=False, on_url=browser, timeout_seconds=10
        )
        browser.join()
        assert token.access_token in site.tokens.scopes
        assert browser.urls[0].startswith(f"{site.base_url}/auth?")
    finally:
        site.stop()
    assert site.violations == []


@pytest.mark.parametrize(
    ("op", "kind", "words"),
    [
        ("authorize", "deny", "was not granted"),
        ("authorize", "wrong_state", "state mismatch"),
        ("authorize", "wrong_iss", "did not come from"),
        ("token", "other_me", "not for"),
    ],
)
def test_a_sign_in_that_is_not_ours_is_refused(
    op: str,
    kind: str,
    words: str,
    site: MicropubServer,
    session: requests.Session,
    browser: BrowserStub,
) -> None:
    site.fault(op, kind)
    with pytest.raises(AuthError, match=words):
        run_sign_in(session, site.site, open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()


def test_a_sign_in_nobody_finishes_times_out(
    site: MicropubServer, session: requests.Session
) -> None:
    with pytest.raises(AuthError, match="timed out"):
        run_sign_in(session, site.site, open_browser=False, timeout_seconds=0.3)
