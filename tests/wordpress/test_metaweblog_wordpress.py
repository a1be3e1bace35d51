"""The MetaWeblog client against the real WordPress on loopback (its xmlrpc.php speaks the
MetaWeblog and Blogger APIs). Faults the real site cannot be made to give (429, 5xx, a lost
answer) come from a loopback proxy in front of it; everything else is WordPress's own answer.

The client signs in with the application password, as a writer would on WordPress 5.6 and
later (WordPress's XML-RPC takes it as it takes the login password; one test shows the login
password of a new user works too, which is what other MetaWeblog platforms ask for).
"""

from __future__ import annotations

import contextlib
import io
import uuid
import xmlrpc.client
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import requests

from editor.cli import main
from editor.core.paths import app_paths
from editor.core.post_records import read_post
from editor.publish.accounts import Blog
from editor.publish.base import DRAFT, LIVE, SCHEDULED, PostContent, RemotePost
from editor.publish.blogger import marker_comment
from editor.publish.errors import (
    ConfigError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    OfflineError,
    PermissionError_,
    QuotaError,
    SignedOutError,
)
from editor.publish.metaweblog import MetaWeblogClient
from editor.publish.metaweblog_accounts import blog_key
from editor.publish.metaweblog_api import discover_endpoint
from editor.publish.providers import sign_in_forms
from editor.publish.recorded import update_recorded
from editor.publish.records import record_of
from editor.publish.service import PublishService

from .conftest import WordPressSite
from .proxy import WordPressProxy
from .seed import png

pytestmark = pytest.mark.wordpress

# A home page with WordPress's own <head> (the tests install no theme, whose header would
# print it): rsd_link() there is what real WordPress blogs carry.
HOME_PLUGIN = """<?php
add_action('template_redirect', function () {
    if (!is_front_page() && !is_home()) { return; }
    echo '<!DOCTYPE html><html><head>'; wp_head(); echo '</head><body></body></html>';
    exit;
});
"""


class FaultyProxy(WordPressProxy):
    """The proxy, plus answers WordPress cannot be made to give: the next requests get
    `status` (after passing the request on to WordPress when `forward_first`)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.faults: list[tuple[int, dict[str, str], bool, bytes]] = []

    def answer_next(
        self,
        status: int,
        headers: dict[str, str] | None = None,
        *,
        forward_first: bool = False,
        body: bytes = b"<html><body>Trouble</body></html>",
    ) -> None:
        with self.lock:
            self.faults.append((status, headers or {}, forward_first, body))

    def forward(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault is None:
            super().forward(handler)
            return
        status, headers, forward_first, page = fault
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self.lock:
            self.seen.append((handler.command, handler.path, False))
        if forward_first:
            sent = {"Content-Type": handler.headers.get("Content-Type", "text/xml")}
            requests.post(self.target + handler.path, data=body, headers=sent, timeout=60)
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        xml = page.startswith(b"<?xml")
        handler.send_header("Content-Type", "text/xml" if xml else "text/html")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)


def endpoint(site: WordPressSite) -> str:
    return f"{site.url}/xmlrpc.php"


def client_for(url: str, site: WordPressSite, **kwargs: object) -> MetaWeblogClient:
    waits = kwargs.pop("waits", None)
    sleep = waits.append if isinstance(waits, list) else (lambda _s: None)
    return MetaWeblogClient(
        requests.Session(),
        url,
        site.user,
        site.app_password,
        timeout=(5.0, 30.0),
        sleep=sleep,
        blog_id="1",
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def client(wordpress_site: WordPressSite) -> MetaWeblogClient:
    return client_for(endpoint(wordpress_site), wordpress_site)


def rest_post(site: WordPressSite, post_id: str) -> dict:
    return site.get(f"wp/v2/posts/{post_id}", context="edit")


def posts_with(site: WordPressSite, text: str) -> list[dict]:
    """Every post (any status) whose content holds `text`, as the admin sees them."""
    found = site.get("wp/v2/posts", search=text, status="any", context="edit", per_page=50)
    return [p for p in found if text in p["content"]["raw"]]


def new_user(site: WordPressSite, role: str) -> tuple[str, str]:
    name, password = f"mwl-{role}-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    answer = site.rest(
        "POST",
        "wp/v2/users",
        json={
            "username": name,
            "email": f"{name}@example.test",
            "password": password,
            "roles": [role],
        },
    )
    assert answer.status_code == 201, answer.text
    return name, password


def content(word: str, **kwargs: object) -> PostContent:
    return PostContent(f"Title {word}", f"<p>Body {word}</p>", **kwargs)  # type: ignore[arg-type]


# --- signing in and finding the endpoint --------------------------------------------------


def test_blogs_with_the_application_password(
    client: MetaWeblogClient, wordpress_site: WordPressSite
) -> None:
    [blog] = client.list_blogs()
    assert (blog.id, blog.name, blog.url) == ("1", "Broadsheet Test Blog", wordpress_site.url)
    assert blog_key(client.endpoint, blog.id) == f"metaweblog:1@{endpoint(wordpress_site)}"


def test_the_login_password_of_an_author_works_too(wordpress_site: WordPressSite) -> None:
    name, password = new_user(wordpress_site, "author")
    author = MetaWeblogClient(requests.Session(), endpoint(wordpress_site), name, password)
    assert [b.id for b in author.list_blogs()] == ["1"]


def test_a_wrong_password_is_one_sentence_without_the_password(
    wordpress_site: WordPressSite,
) -> None:
    wrong = "not-the-password-" + uuid.uuid4().hex
    bad = MetaWeblogClient(requests.Session(), endpoint(wordpress_site), "admin", wrong)
    with pytest.raises(SignedOutError) as caught:
        bad.list_blogs()
    assert "did not accept the user name or password" in caught.value.message
    message = caught.value.message
    assert wrong not in message and message.endswith("again.") and message.count(". ") == 0


@pytest.fixture
def home_page_with_rsd(wordpress_site: WordPressSite) -> Iterator[None]:
    plugin = wordpress_site.content_dir / "mu-plugins" / "broadsheet-metaweblog-home.php"
    plugin.write_text(HOME_PLUGIN, encoding="utf-8")
    try:
        yield
    finally:
        plugin.unlink()


def test_the_endpoint_is_found_from_the_blogs_home_page(
    wordpress_site: WordPressSite, home_page_with_rsd: None
) -> None:
    page = requests.get(wordpress_site.url + "/", timeout=30).text
    assert 'rel="EditURI"' in page  # WordPress's own link, not ours
    found, blog_id = discover_endpoint(requests.Session(), wordpress_site.url)
    assert (found, blog_id) == (endpoint(wordpress_site), "1")


def test_the_endpoint_address_itself_and_the_rsd_address_work(
    wordpress_site: WordPressSite,
) -> None:
    session = requests.Session()
    assert discover_endpoint(session, endpoint(wordpress_site)) == (endpoint(wordpress_site), "")
    rsd = endpoint(wordpress_site) + "?rsd"
    assert discover_endpoint(session, rsd) == (endpoint(wordpress_site), "1")


def test_an_address_that_is_no_endpoint_says_so(wordpress_site: WordPressSite) -> None:
    # The tests' WordPress has no theme: its home page is empty, without an RSD link.
    found, _blog = discover_endpoint(requests.Session(), wordpress_site.url)
    not_xmlrpc = client_for(found, wordpress_site)
    with pytest.raises(ConfigError, match="did not answer like an XML-RPC endpoint"):
        not_xmlrpc.list_blogs()


# --- posts ---------------------------------------------------------------------------------


def test_draft_update_publish_schedule_and_revert_keep_one_post(
    client: MetaWeblogClient, wordpress_site: WordPressSite
) -> None:
    word = uuid.uuid4().hex
    first = client.insert_post(
        "1",
        content(
            word,
            labels=["mwl-one", "two words"],
            categories=["uncategorized"],
            description=f"Excerpt {word}",
        ),
        draft=True,
        marker=word,
    )
    data = rest_post(wordpress_site, first.id)
    assert first.status == DRAFT and data["status"] == "draft"
    assert data["title"]["raw"] == f"Title {word}" and data["excerpt"]["raw"] == f"Excerpt {word}"
    assert sorted(first.labels) == ["mwl-one", "two words"]
    assert first.categories == ["Uncategorized"]  # the blog's spelling

    updated = client.update_post(
        "1", first.id, content(word + "-2", labels=["mwl-one"]), base=first
    )
    assert updated.id == first.id and updated.status == DRAFT
    assert updated.title == f"Title {word}-2" and updated.labels == ["mwl-one"]
    assert rest_post(wordpress_site, first.id)["excerpt"]["raw"] == f"Excerpt {word}"  # kept

    later = datetime.now(UTC) + timedelta(days=3)
    scheduled = client.publish_post("1", first.id, later)
    assert scheduled.status == SCHEDULED and rest_post(wordpress_site, first.id)["status"] == (
        "future"
    )
    assert rest_post(wordpress_site, first.id)["date_gmt"] == later.strftime("%Y-%m-%dT%H:%M:%S")

    live = client.publish_post("1", first.id)
    data = rest_post(wordpress_site, first.id)
    assert live.status == LIVE and data["status"] == "publish"
    assert live.url == data["link"] and live.title == f"Title {word}-2"
    assert abs(datetime.fromisoformat(data["date_gmt"] + "+00:00") - datetime.now(UTC)) < (
        timedelta(minutes=2)
    )

    again = client.update_post("1", first.id, content(word + "-3", labels=["mwl-one"]), base=live)
    assert again.status == LIVE and rest_post(wordpress_site, first.id)["status"] == "publish"

    back = client.revert_post("1", first.id)
    data = rest_post(wordpress_site, first.id)
    assert back.status == DRAFT and data["status"] == "draft"
    assert data["content"]["raw"].startswith(f"<p>Body {word}-3</p>")
    assert len(posts_with(wordpress_site, word)) == 1


def test_publish_straight_away_and_read_it_back(
    client: MetaWeblogClient, wordpress_site: WordPressSite
) -> None:
    word = uuid.uuid4().hex
    post = client.insert_post("1", content(word, labels=["x"]), draft=False, marker=word)
    assert post.status == LIVE and rest_post(wordpress_site, post.id)["status"] == "publish"
    fetched = client.get_post("1", post.id)
    assert fetched.content == f"<p>Body {word}</p>" + marker_comment(word)
    assert fetched.digest() == post.digest()
    assert client.find_post("1", word) == post
    listed = client.list_page("1").items
    assert post.id in [p.id for p in listed]
    assert client.find_by_address("1", post.url) == post


def test_an_update_keeps_a_post_waiting_for_review_waiting(
    client: MetaWeblogClient, wordpress_site: WordPressSite
) -> None:
    word = uuid.uuid4().hex
    made = wordpress_site.rest(
        "POST", "wp/v2/posts", json={"title": word, "content": "x", "status": "pending"}
    )
    assert made.status_code == 201, made.text
    post_id = str(made.json()["id"])
    base = client.get_post("1", post_id)
    assert base.status == DRAFT
    client.update_post("1", post_id, content(word), base=base)
    data = rest_post(wordpress_site, post_id)
    assert data["status"] == "pending" and data["title"]["raw"] == f"Title {word}"


def test_an_unknown_category_stops_before_anything_is_created(
    client: MetaWeblogClient, wordpress_site: WordPressSite
) -> None:
    word = uuid.uuid4().hex
    with pytest.raises(InvalidRequestError, match="no category “Nowhere”.*Uncategorized"):
        client.insert_post("1", content(word, categories=["Nowhere"]), draft=True, marker=word)
    assert posts_with(wordpress_site, word) == []


def test_a_label_with_a_comma_is_refused_in_one_sentence(client: MetaWeblogClient) -> None:
    with pytest.raises(InvalidRequestError, match="has a comma"):
        client.insert_post("1", content("c", labels=["a, b"]), draft=True, marker="c")


def test_a_missing_post_is_not_found(client: MetaWeblogClient) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        client.get_post("1", "987654")
    with pytest.raises(NotFoundError):
        client.update_post(
            "1", "987654", content("gone"), base=RemotePost("987654", "", "", [], LIVE, "", "")
        )


def test_a_subscriber_may_not_post(wordpress_site: WordPressSite) -> None:
    name, password = new_user(wordpress_site, "subscriber")
    reader = MetaWeblogClient(requests.Session(), endpoint(wordpress_site), name, password)
    word = uuid.uuid4().hex
    with pytest.raises(PermissionError_, match="may not do this"):
        reader.insert_post("1", content(word), draft=True, marker=word)
    assert posts_with(wordpress_site, word) == []


# --- conflicts -------------------------------------------------------------------------------


def test_a_web_edit_since_the_last_publish_is_a_conflict(
    client: MetaWeblogClient, wordpress_site: WordPressSite
) -> None:
    word = uuid.uuid4().hex
    blog = Blog(blog_key(client.endpoint, "1"), "Test", wordpress_site.url, "metaweblog:admin@x")
    post = client.insert_post("1", content(word, labels=["c"]), draft=False, marker=word)
    record: dict[str, object] = {**record_of(post), "labels": list(post.labels)}

    # Unchanged on the blog: the update goes through, and its record is the next base.
    done = update_recorded(client, blog, record, content(word + "-2", labels=["c"]), False, print)
    record = {**record_of(done), "labels": list(done.labels)}

    # Edited in WordPress (same second or not: the digest decides).
    edit = wordpress_site.rest(
        "POST", f"wp/v2/posts/{post.id}", json={"content": f"<p>Edited on the web {word}</p>"}
    )
    assert edit.status_code == 200, edit.text
    with pytest.raises(ConflictError) as caught:
        update_recorded(client, blog, record, content(word + "-3", labels=["c"]), False, print)
    assert caught.value.changed_fields() == ["content"]
    assert "Edited on the web" in caught.value.theirs.content
    assert "Edited on the web" in rest_post(wordpress_site, post.id)["content"]["raw"]

    forced = update_recorded(client, blog, record, content(word + "-3", labels=["c"]), True, print)
    assert forced.title == f"Title {word}-3"


# --- faults: lost answers, 429, 5xx ------------------------------------------------------


def test_a_lost_answer_to_new_post_makes_no_duplicate(wordpress_site: WordPressSite) -> None:
    word = uuid.uuid4().hex
    with WordPressProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site)
        proxy.lose_answer("POST", "/xmlrpc.php")
        post = through.insert_post("1", content(word), draft=True, marker=word)
    assert [p["id"] for p in posts_with(wordpress_site, word)] == [int(post.id)]
    assert post.title == f"Title {word}"


def test_a_lost_answer_to_an_edit_is_sent_again(wordpress_site: WordPressSite) -> None:
    word = uuid.uuid4().hex
    waits: list[float] = []
    with WordPressProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site, waits=waits)
        post = through.insert_post("1", content(word), draft=True, marker=word)
        proxy.lose_answer("POST", "/xmlrpc.php")
        done = through.update_post("1", post.id, content(word + "-2"), base=post)
    assert done.title == f"Title {word}-2" and len(waits) == 1
    assert len(posts_with(wordpress_site, word)) == 1


def test_a_500_after_the_post_was_made_finds_it_instead_of_sending_again(
    wordpress_site: WordPressSite,
) -> None:
    word = uuid.uuid4().hex
    with FaultyProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site)
        proxy.answer_next(500, forward_first=True)
        post = through.insert_post("1", content(word), draft=True, marker=word)
    assert [p["id"] for p in posts_with(wordpress_site, word)] == [int(post.id)]


def test_an_unreadable_answer_to_new_post_is_looked_for_not_sent_again(
    wordpress_site: WordPressSite,
) -> None:
    # A plugin printing a notice before the XML: the post was made, the answer is garbage.
    word = uuid.uuid4().hex
    with FaultyProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site)
        proxy.answer_next(200, forward_first=True)
        post = through.insert_post("1", content(word), draft=True, marker=word)
    assert [p["id"] for p in posts_with(wordpress_site, word)] == [int(post.id)]


def test_categories_come_from_get_categories_where_movable_type_calls_are_missing(
    wordpress_site: WordPressSite,
) -> None:
    word = uuid.uuid4().hex
    missing = xmlrpc.client.dumps(
        xmlrpc.client.Fault(-32601, "server error. requested method does not exist."),
        methodresponse=True,
    )
    with FaultyProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site)
        proxy.answer_next(200, body=missing.encode())  # mt.getCategoryList
        post = through.insert_post(
            "1", content(word, categories=["UNCATEGORIZED"]), draft=True, marker=word
        )
    assert post.categories == ["Uncategorized"]


def test_503_with_retry_after_is_waited_for(wordpress_site: WordPressSite) -> None:
    waits: list[float] = []
    with FaultyProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site, waits=waits)
        proxy.answer_next(503, {"Retry-After": "2"})
        assert [b.id for b in through.list_blogs()] == ["1"]
    assert waits == [2.0]


def test_429_that_does_not_end_is_one_sentence(wordpress_site: WordPressSite) -> None:
    with FaultyProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site)
        for _ in range(4):
            proxy.answer_next(429, {"Retry-After": "1"})
        with pytest.raises(QuotaError) as caught:
            through.list_blogs()
    assert caught.value.message == (
        f"{proxy.url.removeprefix('http://')} is limiting requests (HTTP 429); wait a while"
        " and try again."
    )


def test_a_lost_answer_and_no_way_to_look_is_uncertain_and_sends_nothing_again(
    wordpress_site: WordPressSite,
) -> None:
    word = uuid.uuid4().hex
    with WordPressProxy(wordpress_site.url) as proxy:
        through = client_for(proxy.url + "/xmlrpc.php", wordpress_site)
        for _ in range(1 + 4):  # the create, then every attempt to look for it (4 in all)
            proxy.lose_answer("POST", "/xmlrpc.php")
        with pytest.raises(OfflineError) as caught:
            through.insert_post("1", content(word), draft=True, marker=word)
    assert caught.value.uncertain and "will not make a copy" in caught.value.message
    assert len(posts_with(wordpress_site, word)) == 1  # made once, never sent again


# --- images ----------------------------------------------------------------------------------


def test_images_go_to_the_media_library_once(
    client: MetaWeblogClient, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    seed = uuid.uuid4().int % 60000
    (tmp_path / "pic.png").write_bytes(png(seed))
    html = '<p><img src="pic.png" alt="A"></p>'
    before = wordpress_site.total("wp/v2/media")
    rewritten, media = client.upload_media(html, tmp_path, None, lambda _m: None)
    [entry] = media.values()
    assert rewritten == f'<p><img src="{entry["url"]}" alt="A"></p>'
    image = requests.get(entry["url"], timeout=30)
    assert image.status_code == 200 and image.content == png(seed)
    again, _same = client.upload_media(html, tmp_path, media, lambda _m: None)
    assert again == rewritten and wordpress_site.total("wp/v2/media") == before + 1


# --- signing in through the registry: the command line, the keyring -----------------------


def test_login_from_the_home_page_then_publish_and_update_from_the_command_line(
    wordpress_site: WordPressSite,
    home_page_with_rsd: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broadsheet_home: Path,
    memory_keyring: object,
) -> None:
    # The password comes on stdin (a pipe), never as an argument.
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress_site.app_password + "\n"))
    args = ["login", "metaweblog", wordpress_site.url, "--user", wordpress_site.user]
    assert main(args) == 0
    out = capsys.readouterr().out
    remote_id = f"1@{endpoint(wordpress_site)}"
    assert f"{remote_id}\tBroadsheet Test Blog\t{wordpress_site.url}" in out
    assert wordpress_site.app_password not in out
    config = (broadsheet_home / "config" / "accounts.json").read_text()
    assert wordpress_site.app_password not in config and f"metaweblog:{remote_id}" in config
    assert wordpress_site.app_password in memory_keyring.items.values()  # type: ignore[attr-defined]

    assert main(["blogs"]) == 0  # asks the blog again: still the one blog
    assert f"{remote_id}\tBroadsheet Test Blog\t{wordpress_site.url}\tdefault" in (
        capsys.readouterr().out.splitlines()
    )

    word = uuid.uuid4().hex
    draft = tmp_path / "cli.md"
    draft.write_text(f"---\ntitle: Over XML-RPC\nlabels: [cli, xml]\n---\n\nFirst {word}.\n")
    assert main(["publish", str(draft), "--blog", remote_id]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith(f"{wordpress_site.url}/over-xml-rpc")
    draft.write_text(draft.read_text().replace("First", "Second"))
    assert main(["publish", str(draft), "--blog", remote_id]) == 0
    assert capsys.readouterr().out.strip() == url
    [post] = posts_with(wordpress_site, word)
    assert f"Second {word}" in post["content"]["raw"] and post["status"] == "publish"


def test_login_with_a_wrong_password_fails_with_one_sentence(
    wordpress_site: WordPressSite,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broadsheet_home: Path,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-password-123\n"))
    args = ["login", "metaweblog", endpoint(wordpress_site), "--user", "admin"]
    assert main(args) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("broadsheet: 127.0.0.1:") and "did not accept the user name" in last
    assert not (broadsheet_home / "config" / "accounts.json").exists()


def test_import_brings_the_blogs_posts_into_drafts_and_sync_sees_a_web_edit(
    wordpress_site: WordPressSite,
    client: MetaWeblogClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    word = uuid.uuid4().hex
    post = client.insert_post(
        "1", content(word, labels=["imported", "xml"]), draft=False, marker=word
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress_site.app_password + "\n"))
    args = ["login", "metaweblog", endpoint(wordpress_site), "--user", wordpress_site.user]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["import"]) == 0, capsys.readouterr().err
    key = blog_key(endpoint(wordpress_site), "1")
    [path] = [
        p
        for p in app_paths().drafts_dir.glob("*.md")
        if (read_post(p).publish_record(key) or {}).get("id") == post.id
    ]
    draft = read_post(path)
    assert draft.title == f"Title {word}" and sorted(draft.labels) == ["imported", "xml"]
    assert f"Body {word}" in draft.body and "broadsheet:" not in draft.body  # marker gone

    edit = wordpress_site.rest(
        "POST", f"wp/v2/posts/{post.id}", json={"content": f"<p>Changed on the web {word}</p>"}
    )
    assert edit.status_code == 200, edit.text
    capsys.readouterr()
    assert main(["sync"]) == 0, capsys.readouterr().err
    assert f"Changed on the web {word}" in read_post(path).body


def test_a_create_that_timed_out_is_waited_for_not_sent_again(
    wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    session = requests.Session()
    # The site takes 5 s to create the post; Broadsheet stops listening after 3 s.
    service = PublishService(session=session, timeout=(5.0, 3.0), landing_window=30.0)
    _name, form = sign_in_forms()["metaweblog"]
    with WordPressProxy(wordpress_site.url) as proxy:
        values = {
            "site": f"{proxy.url}/xmlrpc.php",
            "user": wordpress_site.user,
            "password": wordpress_site.app_password,
        }
        form.run(service, values, lambda _m: None)
        proxy.hold("POST", "/xmlrpc.php", seconds=5.0)
        word = uuid.uuid4().hex
        draft = tmp_path / "slow.md"
        draft.write_text(f"---\ntitle: Slow site\n---\n\nUnique {word}.\n", encoding="utf-8")
        said: list[str] = []
        with contextlib.suppress(OfflineError):  # whatever the first publish said…
            service.publish(draft, progress=said.append)
        result = service.publish(draft)  # …the writer publishes again at once
        assert proxy.released.wait(30)
    session.close()
    assert [p["id"] for p in posts_with(wordpress_site, word)] == [int(result.post_id)]
    host = proxy.url.split("//")[1]
    assert any(s.startswith(f"{host} did not answer in time (timed out)") for s in said), said
