"""The Ghost client against the loopback Ghost (tests/publish/ghost_server.py): tokens, posts,
statuses, tags, the updated_at collision check, exactly-once creates, images, listing, errors.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
import requests

from editor.publish.base import DRAFT, LIVE, PAGE, SCHEDULED, PostContent
from editor.publish.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    DraftError,
    InvalidRequestError,
    NotFoundError,
    OfflineError,
    PermissionError_,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.ghost import GhostClient, blog_key
from editor.publish.ghost_api import AdminToken, normalize_site_url, parse_admin_key

from .conftest import Sleeps
from .ghost_server import GhostServer

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 40
MARKER = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def ghost() -> Iterator[GhostServer]:
    server = GhostServer().start()
    yield server
    server.stop()
    assert server.violations == [], "requests outside the documented Admin API"


@pytest.fixture
def key(ghost: GhostServer) -> str:
    return ghost.add_key()


def client(ghost: GhostServer, key: str, sleeps: Sleeps | None = None, **kw) -> GhostClient:
    return GhostClient(
        requests.Session(),
        ghost.site_url,
        key,
        timeout=(2.0, 1.5),
        sleep=Sleeps() if sleeps is None else sleeps,
        **kw,
    )


def content(title: str = "Hello Ghost", labels: tuple[str, ...] = ("news", "tests")) -> PostContent:
    return PostContent(title, "<h2>Hi</h2>\n<p>A <em>first</em> post.</p>\n", list(labels))


# --- the key, the token, the address ---------------------------------------------------------


def test_the_token_is_what_ghost_verifies(key: str) -> None:
    key_id, secret = parse_admin_key(key)
    now = int(time.time()) - 10
    token = AdminToken(key, clock=lambda: now).token()
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": key_id}
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience="/admin/",
                        options={"verify_exp": False})  # fmt: skip
    assert claims == {"iat": now, "exp": now + 300, "aud": "/admin/"}
    with pytest.raises(jwt.InvalidSignatureError):
        wrong = b"another secret of thirty-two bytes"
        jwt.decode(token, wrong, algorithms=["HS256"], audience="/admin/")


@pytest.mark.parametrize(
    "text",
    ["", "abc", "0123456789abcdef01234567", "0123456789abcdef01234567:zz" + "0" * 62,
     "0123456789abcdef01234567:" + "0" * 63],
)  # fmt: skip
def test_a_key_that_is_not_an_admin_key_is_one_sentence(text: str) -> None:
    with pytest.raises(ConfigError, match="Admin API key is 24"):
        parse_admin_key(text)


def test_site_addresses_are_cleaned() -> None:
    assert normalize_site_url("Example.com/ghost/#/dashboard") == "https://example.com"
    assert normalize_site_url("https://example.com/blog/ghost/api/admin/") == (
        "https://example.com/blog"
    )
    assert blog_key("https://example.com/blog") == "ghost:example.com/blog"


def test_plain_http_to_another_computer_never_carries_the_key(key: str) -> None:
    with pytest.raises(ConfigError, match="uses plain http"):
        GhostClient(requests.Session(), "http://example.com", key)


# --- the site and signing in -------------------------------------------------------------------


def test_site_title_and_sign_in_check(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    info = api.site_info()
    assert (info.name, info.url) == ("Loopback Ghost", ghost.site_url)
    api.check_sign_in()
    assert ghost.count("posts.browse") == 1


def test_a_wrong_key_is_one_sentence_without_the_secret(ghost: GhostServer, key: str) -> None:
    other = GhostServer().add_key()  # a well-formed key this site does not know
    with pytest.raises(SignedOutError) as caught:
        client(ghost, other).check_sign_in()
    message = caught.value.message
    assert message.startswith("Ghost refused the Admin API key for 127.0.0.1:")
    assert "broadsheet login ghost" in message and other.split(":")[1] not in message
    assert message.count(". ") == 0  # one sentence


def test_a_revoked_key_is_refused(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    api.check_sign_in()
    ghost.revoke_keys()
    with pytest.raises(SignedOutError, match="refused the Admin API key"):
        api.check_sign_in()


def test_a_clock_off_by_minutes_is_named(ghost: GhostServer, key: str) -> None:
    ghost.clock_offset = 600  # the token looks expired to the server
    with pytest.raises(SignedOutError, match="clock"):
        client(ghost, key).check_sign_in()


def test_a_token_is_made_anew_after_a_minute_and_after_a_refusal(
    ghost: GhostServer, key: str
) -> None:
    now = [time.time() - 3600]  # a token made an hour ago is refused
    api = client(ghost, key, clock=lambda: now[0])
    with pytest.raises(SignedOutError):
        api.check_sign_in()
    now[0] = time.time()
    api.check_sign_in()
    source = api.api.auth
    first = source.token()
    now[0] += 59
    assert source.token() == first  # one token for a minute: not one per request
    source.refresh(first)  # Ghost refused it
    second = source.token()
    assert second != first
    now[0] += 61
    assert source.token() != second
    api.check_sign_in()


# --- posts -------------------------------------------------------------------------------------


def test_create_a_draft_with_tags_as_html(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    assert post.status == DRAFT and post.labels == ["news", "tests"]
    assert post.content == "<h2>Hi</h2><p>A <em>first</em> post.</p>"  # as Ghost renders it
    assert post.url == ""  # a draft has no address readers see
    assert api.edit_address("b", post.id) == f"{ghost.site_url}/ghost/#/editor/post/{post.id}"
    stored = ghost.posts[post.id]
    assert stored["status"] == "draft" and "broadsheet" not in stored["html"]
    assert stored["codeinjection_head"] == f"<!--broadsheet:{MARKER}-->"
    assert api.get_post("b", post.id) == post


def test_publish_now_schedule_and_revert(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    later = datetime.now(UTC) + timedelta(days=2)
    scheduled = api.publish_post("b", post.id, later)
    assert scheduled.status == SCHEDULED
    assert scheduled.published == later.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    live = api.publish_post("b", post.id)
    assert live.status == LIVE and live.url == f"{ghost.site_url}/hello-ghost/"
    assert datetime.fromisoformat(live.published) <= datetime.now(UTC)
    assert api.revert_post("b", post.id).status == DRAFT


def test_a_time_under_two_minutes_ahead_publishes_now(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    soon = datetime.now(UTC) + timedelta(seconds=30)
    assert api.publish_post("b", post.id, soon).status == LIVE


def test_a_schedule_moves_only_from_the_version_checked(ghost: GhostServer, key: str) -> None:
    from dataclasses import replace

    from editor.publish.errors import ChangedThereError

    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    at = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    checked = api.publish_post("b", post.id, at)
    later = at + timedelta(days=1)
    moved = api.reschedule_post("b", post.id, later, base=checked)
    assert moved.status == SCHEDULED and moved.published == later.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    # A version older than Ghost's (an edit came in after the check): Ghost's 409, no change.
    stale = replace(moved, updated="2020-01-01T00:00:00.000Z")
    with pytest.raises(ChangedThereError) as refused:
        api.reschedule_post("b", post.id, later + timedelta(days=1), base=stale)
    assert "nothing was changed" in refused.value.message
    with pytest.raises(ChangedThereError):
        api.unschedule_post("b", post.id, base=stale)
    assert api.get_post("b", post.id).published == moved.published
    # A moved time Ghost would publish at once is refused, not published.
    with pytest.raises(InvalidRequestError) as soon:
        api.reschedule_post("b", post.id, datetime.now(UTC) + timedelta(seconds=30), base=moved)
    assert "two minutes ahead" in soon.value.message
    assert api.get_post("b", post.id).status == SCHEDULED
    assert api.unschedule_post("b", post.id, base=moved).status == DRAFT


def test_create_published_and_update_keeps_the_id(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=False, marker=MARKER)
    assert post.status == LIVE
    ghost.web_edit(post.id, feature_image="https://example.org/cover.jpg")
    base = api.get_post("b", post.id)
    new = PostContent("Hello again", "<p>Changed.</p>", ["news"], description="Short.")
    updated = api.update_post("b", post.id, new, base=base)
    assert (updated.id, updated.title, updated.labels) == (post.id, "Hello again", ["news"])
    assert updated.content == "<p>Changed.</p>" and updated.updated > base.updated
    stored = ghost.posts[post.id]
    assert stored["custom_excerpt"] == "Short."
    assert stored["feature_image"] == "https://example.org/cover.jpg"  # set in Ghost: kept
    assert len(ghost.posts) == 1


def test_an_edit_made_in_ghost_meanwhile_is_a_conflict(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=False, marker=MARKER)
    ghost.web_edit(post.id, title="Edited in Ghost")
    with pytest.raises(ConflictError) as caught:
        api.update_post("b", post.id, content("Ours"), base=post)  # post.updated is stale now
    assert caught.value.theirs.title == "Edited in Ghost" and caught.value.ours.title == "Ours"
    assert caught.value.recorded_updated == post.updated
    assert ghost.posts[post.id]["title"] == "Edited in Ghost"  # nothing overwritten


def test_a_deleted_post_is_not_found(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    ghost.delete(post.id)
    with pytest.raises(NotFoundError, match="does not exist"):
        api.get_post("b", post.id)


# --- exactly once ------------------------------------------------------------------------------


def test_a_lost_answer_to_a_create_makes_no_second_post(ghost: GhostServer, key: str) -> None:
    sleeps = Sleeps()
    api = client(ghost, key, sleeps)
    ghost.fault("posts.add", "lost")
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    assert len(ghost.posts) == 1 and post.id in ghost.posts
    assert ghost.count("posts.add") == 1  # found by its marker, not sent again


def test_a_create_that_failed_before_landing_is_sent_again(ghost: GhostServer, key: str) -> None:
    sleeps = Sleeps()
    api = client(ghost, key, sleeps)
    ghost.fault("posts.add", "status", status=503)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    assert list(ghost.posts) == [post.id] and ghost.count("posts.add") == 2


def test_a_lost_answer_not_found_yet_is_uncertain(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    ghost.fault("posts.add", "reset")  # dropped before Ghost created anything
    with pytest.raises(OfflineError) as caught:
        api.insert_post("b", content(), draft=True, marker=MARKER)
    assert caught.value.uncertain and "will not make a copy" in caught.value.message
    assert ghost.posts == {}


def test_find_post_finds_only_its_own_marker(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    mine = api.insert_post("b", content(), draft=True, marker=MARKER)
    api.insert_post("b", content("Other"), draft=True, marker="f" * 32)
    assert api.find_post("b", MARKER) == mine
    assert api.find_post("b", "e" * 32) is None


# --- failures ----------------------------------------------------------------------------------


def test_429_is_retried_after_the_wait_ghost_asks(ghost: GhostServer, key: str) -> None:
    sleeps = Sleeps()
    api = client(ghost, key, sleeps)
    ghost.fault("posts.browse", "status", status=429, retry_after="3")
    api.check_sign_in()
    assert sleeps == [3.0]


def test_errors_are_one_sentence_each(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key, max_attempts=2)
    post = api.insert_post("b", content(), draft=True, marker=MARKER)
    cases = [
        ("status", {"status": 500, "times": 2}, ServerError, "server problem"),
        ("status", {"status": 429, "times": 2}, QuotaError, "limiting requests"),
        ("status", {"status": 403, "message": "Permission error, cannot edit post."},
         PermissionError_, "does not allow this Admin API key"),
        ("status", {"status": 401, "message": "Unknown Admin API Key", "times": 2},
         SignedOutError, "refused the Admin API key"),
    ]  # fmt: skip
    for kind, kwargs, error, words in cases:
        ghost.fault("posts.read", kind, **kwargs)
        with pytest.raises(error, match=words) as caught:
            api.get_post("b", post.id)
        assert caught.value.message.count(". ") == 0, caught.value.message


def test_a_proxy_that_drops_the_key_is_named(ghost: GhostServer, key: str) -> None:
    ghost.strip_authorization = True
    with pytest.raises(AuthError) as caught:
        client(ghost, key).check_sign_in()
    assert "removes the Authorization header" in caught.value.message
    assert caught.value.message.count(". ") == 0


def test_ghost_validation_message_is_shown(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    long = PostContent("T", "<p>x</p>", [], description="x" * 301)
    with pytest.raises(InvalidRequestError) as caught:
        api.insert_post("b", long, draft=True, marker=MARKER)
    assert caught.value.message == (
        "Ghost rejected the post: Value in [posts.custom_excerpt] exceeds maximum length of 300"
        " characters."
    )
    ghost.violations.clear()  # the server refused it on purpose


def test_a_site_without_ghost_is_named(ghost: GhostServer, key: str) -> None:
    api = GhostClient(requests.Session(), f"{ghost.site_url}/elsewhere", key, sleep=Sleeps())
    with pytest.raises(NotFoundError, match="does not answer like a Ghost site"):
        api.site_info()


def test_offline_is_one_sentence(key: str) -> None:
    with socket_closed() as url:
        api = GhostClient(requests.Session(), url, key, timeout=(1, 1), sleep=Sleeps())
        with pytest.raises(OfflineError, match="Could not reach Ghost"):
            api.site_info()


class socket_closed:  # noqa: N801 - used as a context manager
    """The address of a port nobody listens on."""

    def __enter__(self) -> str:
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        pass


# --- images ------------------------------------------------------------------------------------


def test_images_are_uploaded_once(ghost: GhostServer, key: str, tmp_path: Path) -> None:
    (tmp_path / "pic one.png").write_bytes(PNG)
    api = client(ghost, key)
    html = '<p><img src="pic%20one.png" alt="A"></p><p><a href="pic%20one.png">big</a></p>'
    out, media = api.upload_media(html, tmp_path, None, lambda _m: None)
    [url] = [entry["url"] for entry in media.values()]
    assert url.startswith(f"{ghost.site_url}/content/images/") and "pic-one-" in url
    assert out == f'<p><img src="{url}" alt="A"></p><p><a href="{url}">big</a></p>'
    assert requests.get(url, timeout=5).content == PNG
    again, media2 = api.upload_media(html, tmp_path, media, lambda _m: None)
    assert (again, media2) == (out, media) and ghost.count("images.upload") == 1


def test_an_image_deleted_from_ghost_is_uploaded_again(
    ghost: GhostServer, key: str, tmp_path: Path
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    api = client(ghost, key)
    _out, media = api.upload_media('<img src="a.png">', tmp_path, None, lambda _m: None)
    ghost.images.clear()
    _out, again = api.upload_media('<img src="a.png">', tmp_path, media, lambda _m: None)
    assert ghost.count("images.upload") == 2 and len(ghost.images) == 1


def test_a_lost_upload_answer_makes_no_second_file(
    ghost: GhostServer, key: str, tmp_path: Path
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    api = client(ghost, key)
    ghost.fault("images.upload", "lost")
    out, media = api.upload_media('<img src="a.png">', tmp_path, None, lambda _m: None)
    assert len(ghost.images) == 1 and ghost.count("images.upload") == 1
    assert list(media.values())[0]["url"] in out


# --- listing -----------------------------------------------------------------------------------


def test_list_pages_through_every_writer_status(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    for n in range(5):
        api.insert_post("b", content(f"Post {n}"), draft=n % 2 == 0, marker=f"{n:032x}")
    ghost.posts[next(iter(ghost.posts))]["status"] = "sent"  # an e-mail only newsletter
    seen, token = [], ""
    import editor.publish.ghost as ghost_module

    page_size = ghost_module.PAGE_SIZE
    ghost_module.PAGE_SIZE = 2
    try:
        while True:
            page = api.list_page("b", token=token)
            seen += page.items
            if not page.next_token:
                break
            token = page.next_token
    finally:
        ghost_module.PAGE_SIZE = page_size
    assert sorted(p.title for p in seen) == [f"Post {n}" for n in range(1, 5)]
    assert all(p.content for p in seen)
    summary = api.list_page("b", bodies=False)
    assert {p.title for p in summary.items} == {p.title for p in seen}
    assert all(p.content == "" and p.labels == ["news", "tests"] for p in summary.items)


def test_find_by_address(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    post = api.insert_post("b", content(), draft=False, marker=MARKER)
    assert api.find_by_address("b", post.url) == post
    assert api.find_by_address("b", f"{ghost.site_url}/no-such-post/") is None
    assert api.find_by_address("b", "https://elsewhere.example/hello-ghost/") is None


def test_an_image_ghost_does_not_take_is_one_sentence(
    ghost: GhostServer, key: str, tmp_path: Path
) -> None:
    (tmp_path / "scan.bmp").write_bytes(b"BM" + b"0" * 40)
    api = client(ghost, key)
    with pytest.raises(InvalidRequestError) as caught:
        api.upload_media('<img src="scan.bmp">', tmp_path, None, lambda _m: None)
    assert caught.value.message.startswith("Ghost does not accept this kind of file (scan-")
    assert caught.value.message.endswith("use a JPEG, PNG, GIF, WebP or SVG image.")
    assert ghost.images == {}


def test_a_missing_image_file_is_named(ghost: GhostServer, key: str, tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="“gone.png” of this draft cannot be read"):
        client(ghost, key).upload_media('<img src="gone.png">', tmp_path, None, lambda _m: None)
    assert ghost.count("images.upload") == 0


# --- pages -------------------------------------------------------------------------------------


def test_pages_are_read_listed_updated_and_published(ghost: GhostServer, key: str) -> None:
    api = client(ghost, key)
    about = ghost.add_page("About", "<p>Who we are.</p>")
    ghost.pages[about["id"]]["tags"] = [{"name": "#internal", "slug": "hash-internal"}]
    api.insert_post("b", content(), draft=False, marker=MARKER)
    [listed] = api.list_page("b", kind=PAGE).items
    assert (listed.kind, listed.title, listed.status) == (PAGE, "About", LIVE)
    assert listed.url == f"{ghost.site_url}/about/"
    assert api.find_by_address("b", listed.url) == listed
    page = api.get_item("b", about["id"], PAGE)
    new = PostContent("About us", "<p>Who we are, really.</p>", [])
    updated = api.update_item("b", about["id"], new, base=page, kind=PAGE)
    assert (updated.id, updated.kind, updated.title) == (about["id"], PAGE, "About us")
    assert ghost.pages[about["id"]]["tags"][0]["name"] == "#internal"  # a page keeps its tags
    assert api.revert_post("b", about["id"], kind=PAGE).status == DRAFT
    assert api.publish_post("b", about["id"], kind=PAGE).status == LIVE
    assert api.edit_address("b", about["id"], PAGE).endswith(f"/editor/page/{about['id']}")
    assert len(ghost.posts) == 1 and len(ghost.pages) == 1
