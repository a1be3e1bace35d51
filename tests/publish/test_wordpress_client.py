"""The WordPress client without WordPress: payloads, errors, retries, the ?rest_route= form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from editor.core.post_images import local_image_sources, rewrite_sources
from editor.publish.addresses import site_id
from editor.publish.base import PostContent
from editor.publish.blogger import marker_comment
from editor.publish.errors import (
    AuthError,
    ConfigError,
    InvalidRequestError,
    NotFoundError,
    OfflineError,
    PermissionError_,
    PostGoneError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.media_library import upload_name
from editor.publish.service import PublishMode, PublishService
from editor.publish.wordpress import WordPressClient, categories_of
from editor.publish.wordpress_api import map_wordpress_error, normalize_site_url

from .conftest import Sleeps
from .fake_wordpress import PASSWORD, USER, FakeWordPress

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 40


def client(fake: FakeWordPress, sleeps: Sleeps | None = None, **kw) -> WordPressClient:
    return WordPressClient(
        requests.Session(),
        fake.url,
        USER,
        PASSWORD,
        timeout=(2, 2),
        sleep=Sleeps() if sleeps is None else sleeps,
        **kw,
    )


def service(sleeps: Sleeps) -> PublishService:
    return PublishService(
        session=requests.Session(), timeout=(2.0, 2.0), sleep=sleeps, landing_window=0.5
    )


def draft(tmp_path: Path, body: str = "Hello *there*.\n", **meta: str) -> Path:
    head = "".join(f"{k}: {v}\n" for k, v in {"title": "Fake post", **meta}.items())
    path = tmp_path / "post.md"
    path.write_text(f"---\n{head}---\n\n{body}", encoding="utf-8")
    return path


def response(status: int, body: object, ctype: str = "application/json") -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r.headers["Content-Type"] = ctype
    return r


# --- pure functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("example.com", "https://example.com"),
        ("https://Example.com/blog/", "https://example.com/blog"),
        ("https://example.com/wp-admin/post-new.php", "https://example.com"),
        ("https://example.com/blog/wp-json/wp/v2", "https://example.com/blog"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ],
)
def test_site_addresses_are_normalized(typed: str, expected: str) -> None:
    assert normalize_site_url(typed) == expected


def test_site_ids_drop_the_scheme() -> None:
    assert site_id("https://example.com/blog") == "example.com/blog"
    assert site_id("http://127.0.0.1:8089") == "127.0.0.1:8089"


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (401, {"code": "incorrect_password"}, SignedOutError, "application password"),
        (401, {"code": "invalid_username"}, SignedOutError, "user name"),
        (
            403,
            {
                "code": "rest_cannot_create",
                "message": "Sorry, you are not allowed to create posts as this user.",
            },
            PermissionError_,
            "Contributor",
        ),
        (
            403,
            {
                "code": "rest_cannot_create",
                "message": "Sorry, you are not allowed to create terms in this taxonomy.",
            },
            PermissionError_,
            "tags or categories",
        ),
        (403, b"<html>Forbidden</html>", PermissionError_, "firewall"),
        (404, {"code": "rest_post_invalid_id"}, NotFoundError, "does not exist"),
        (404, {"code": "rest_no_route"}, NotFoundError, "turned it off"),
        (
            400,
            {"code": "rest_invalid_param", "message": "Invalid parameter(s): date_gmt"},
            InvalidRequestError,
            "date_gmt",
        ),
        (413, b"<html>Too large</html>", InvalidRequestError, "larger"),
        (429, {}, QuotaError, "limiting"),
        (502, b"<html>Bad gateway</html>", ServerError, "HTTP 502"),
    ],
)
def test_error_envelope_becomes_one_sentence(status, body, error, words) -> None:  # noqa: ANN001
    mapped = map_wordpress_error(response(status, body))
    assert type(mapped) is error
    assert words in mapped.message and "\n" not in mapped.message
    assert mapped.message.endswith(".") and "<" not in mapped.message


def test_categories_from_front_matter() -> None:
    assert categories_of({}) is None
    assert categories_of({"categories": "Essays, Travel"}) == ["Essays", "Travel"]
    assert categories_of({"categories": ["A", None, " "]}) == ["A"]


def test_rewrite_changes_only_the_matching_sources() -> None:
    html = (
        '<p><a href="pics/a b.png" style="x"><img alt="a &amp; b" src="pics/a b.png"></a>'
        "<img src=\"https://x.org/web.png\"> <img src='x&amp;y.png'></p>\n"
        '<code>&lt;img src="pics/a b.png"&gt;</code>'
    )
    assert local_image_sources(html) == ["pics/a b.png", "x&y.png"]
    out = rewrite_sources(
        html, {"pics/a b.png": "https://s/u/a.png?v=1&w=2", "x&y.png": "https://s/u/xy.png"}
    )
    assert out.count('"https://s/u/a.png?v=1&amp;w=2"') == 2  # the image and its link
    assert '<img src="https://s/u/xy.png">' in out and 'src="https://x.org/web.png"' in out
    assert '&lt;img src="pics/a b.png"&gt;' in out  # text in code is not a tag
    assert rewrite_sources(html, {}) == html


def test_upload_names_are_ascii_with_the_hash() -> None:
    assert upload_name("Café Photo.PNG", "ab" * 32) == f"cafe-photo-{'ab' * 8}.png"
    odd = upload_name('we"ird/..\\name', "cd" * 32)
    assert not set(odd) & set('"/\\ ') and "cdcdcdcd" in odd  # safe in a header


# --- against the fake site ------------------------------------------------------------------


def test_insert_sends_title_content_marker_status_and_tag_ids() -> None:
    with FakeWordPress() as fake:
        fake.state.terms["tags"][7] = "News"
        wp = client(fake)
        post = wp.insert_post(
            "x", PostContent("T", "<p>b</p>", ["news", "Arts & Crafts"]), draft=True, marker="m1"
        )
        [create] = fake.calls("POST", "wp/v2/posts")
        body = create.json()
        assert body["title"] == "T" and body["status"] == "draft"
        assert body["content"] == "<p>b</p>" + marker_comment("m1")
        assert "categories" not in body  # none in the front matter: leave WordPress's alone
        [made] = fake.calls("POST", "wp/v2/tags")
        assert made.json() == {"name": "Arts & Crafts"}
        assert body["tags"][0] == 7 and len(body["tags"]) == 2
        assert post.labels == ["News", "Arts & Crafts"] and post.status == "DRAFT"
        assert create.headers["authorization"].startswith("Basic ")


def test_an_existing_term_found_late_is_reused() -> None:
    with FakeWordPress() as fake:
        fake.state.terms["categories"][9] = "Essays"
        wp = client(fake)
        wp._find_term = lambda taxonomy, name: None  # type: ignore[method-assign] - a race
        assert wp.term_ids("categories", ["essays"]) == [9]  # term_exists carries its id


def test_publish_and_schedule_payloads() -> None:
    with FakeWordPress() as fake:
        wp = client(fake)
        post = wp.insert_post("x", PostContent("T", "<p>b</p>"), draft=True, marker="m")
        at = datetime(2999, 5, 1, 9, 30, tzinfo=UTC)
        scheduled = wp.publish_post("x", post.id, at)
        assert fake.seen[-1].json() == {"status": "future", "date_gmt": "2999-05-01T09:30:00"}
        assert scheduled.status == "SCHEDULED"
        assert wp.revert_post("x", post.id).status == "DRAFT"
        # "Now" replaces the future date, else WordPress would keep the post scheduled.
        assert wp.publish_post("x", post.id).status == "LIVE"
        assert fake.seen[-1].json()["status"] == "publish" and "date_gmt" in fake.seen[-1].json()


def test_the_rest_route_form_when_pretty_permalinks_are_off(tmp_path: Path, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress(pretty=False) as fake:
        svc = service(sleeps)
        svc.sign_in_wordpress(fake.url, USER, PASSWORD)
        result = svc.publish(draft(tmp_path, labels="[a]"))
        assert result.created and fake.state.posts[int(result.post_id)]["status"] == "publish"
        assert fake.calls("GET", "wp/v2/tags")[0].params == {
            "search": "a",
            "per_page": "100",
            "hide_empty": "false",
        }


def test_sign_in_records_the_site(sleeps, memory_keyring) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        svc = service(sleeps)
        result = svc.sign_in_wordpress(fake.url + "/wp-admin/", USER, PASSWORD)
        [blog] = result.blogs
        assert blog.key == f"wordpress:{site_id(fake.url)}" and blog.name == "Fake & Site"
        assert result.account.label == "Wendy Writer on Fake & Site"
        assert memory_keyring.items == {
            ("broadsheet", f"app-password:wordpress:{USER}@{site_id(fake.url)}"): PASSWORD
        }
        assert [b.key for b in svc.refresh_blogs()] == [blog.key]


@pytest.mark.parametrize(
    ("options", "password", "error", "words"),
    [
        ({"app_passwords": False}, PASSWORD, AuthError, "does not offer application passwords"),
        ({"strip_auth": True}, PASSWORD, AuthError, "CGIPassAuth On"),
        ({"wrong_password_code": "incorrect_password"}, "bad", SignedOutError, "did not accept"),
        ({"xmlrpc": False}, "bad", AuthError, "either the user name or application password"),
        ({}, "bad", SignedOutError, "did not accept the user name “writer”"),
    ],
)
def test_sign_in_failures(options, password, error, words, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress(**options) as fake:
        with pytest.raises(error) as caught:
            service(sleeps).sign_in_wordpress(fake.url, USER, password)
        assert type(caught.value) is error
        assert words in caught.value.message and "\n" not in caught.value.message


def test_rest_api_off_or_not_wordpress(sleeps) -> None:  # noqa: ANN001
    # /wp-json/ is an HTML 404 and /?rest_route=/ an HTML page: not a WordPress REST API.
    with FakeWordPress() as fake, pytest.raises(NotFoundError) as caught:
        fake.pretty = False
        service(sleeps).sign_in_wordpress(fake.url + "/wp-json-less", USER, PASSWORD)
    assert "does not answer like a WordPress site" in caught.value.message
    assert "an HTML page" in caught.value.message


def test_plain_http_to_the_internet_is_refused(sleeps) -> None:  # noqa: ANN001
    with pytest.raises(ConfigError, match="unencrypted"):
        service(sleeps).sign_in_wordpress("http://blog.example.com", USER, PASSWORD)


def test_offline(sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        url = fake.url
    with pytest.raises(OfflineError, match="Could not reach"):
        service(sleeps).sign_in_wordpress(url, USER, PASSWORD)


def test_retries_honour_retry_after_and_give_up_on_long_waits(sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        wp = client(fake, sleeps)
        post = wp.insert_post("x", PostContent("T", "<p>b</p>"), draft=True, marker="m")
        fake.fault("GET", f"wp/v2/posts/{post.id}", "status", status=503, retry_after="2")
        assert wp.get_post("x", post.id).id == post.id
        assert sleeps == [2.0]
        fake.fault("GET", f"wp/v2/posts/{post.id}", "status", status=429, retry_after="9999")
        with pytest.raises(QuotaError, match="minutes"):
            wp.get_post("x", post.id)


@pytest.mark.parametrize(
    "kind",
    ["lost", "status"],  # created but the answer lost / a 500 that created nothing
)
def test_insert_faults_never_duplicate(kind: str, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        wp = client(fake, sleeps)
        fake.fault("POST", "wp/v2/posts", kind, status=500)
        post = wp.insert_post("x", PostContent("T", "<p>b</p>"), draft=True, marker="mk")
        assert list(fake.state.posts) == [int(post.id)]
        search = fake.calls("GET", "wp/v2/posts")[0].params
        assert search == {"search": "mk", "status": "any", "context": "edit", "per_page": "20"}


def test_a_connection_reset_on_create_is_resolved_by_the_next_publish(tmp_path, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        svc = service(sleeps)
        svc.sign_in_wordpress(fake.url, USER, PASSWORD)
        path = draft(tmp_path)
        fake.fault("POST", "wp/v2/posts", "reset")
        with pytest.raises(OfflineError, match="was lost while creating the post") as info:
            svc.publish(path)
        assert "has not appeared on Fake & Site" in info.value.message
        result = svc.publish(path)
        assert list(fake.state.posts) == [int(result.post_id)]


def test_publish_uploads_images_once_and_rewrites_the_html(tmp_path: Path, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        svc = service(sleeps)
        svc.sign_in_wordpress(fake.url, USER, PASSWORD)
        (tmp_path / "img").mkdir()
        (tmp_path / "img" / "a.png").write_bytes(PNG)
        path = draft(
            tmp_path, "![A](img/a.png)\n\n![web](https://e.org/w.png)\n", categories="[Essays]"
        )
        result = svc.publish(path)
        [upload] = fake.calls("POST", "wp/v2/media")
        assert upload.headers["content-type"] == "image/png" and upload.body == PNG
        assert upload.headers["content-disposition"].startswith('attachment; filename="a-')
        [item] = fake.state.media.values()
        content = fake.state.posts[int(result.post_id)]["content"]
        assert f'src="{item["source_url"]}"' in content and "img/a.png" not in content
        assert fake.state.posts[int(result.post_id)]["categories"] == [
            i for i, n in fake.state.terms["categories"].items() if n == "Essays"
        ]
        svc.publish(path)
        assert len(fake.calls("POST", "wp/v2/media")) == 1
        assert "img/a.png" in path.read_text()  # the draft keeps its local path


def test_a_missing_image_stops_before_anything_is_created(tmp_path: Path, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        svc = service(sleeps)
        svc.sign_in_wordpress(fake.url, USER, PASSWORD)
        with pytest.raises(Exception, match="cannot be read") as caught:
            svc.publish(draft(tmp_path, "![gone](nowhere.png)\n"))
        assert "nowhere.png" in str(caught.value) and fake.state.posts == {}


def test_a_post_deleted_on_the_site_can_be_published_as_a_new_post(tmp_path: Path, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        svc = service(sleeps)
        svc.sign_in_wordpress(fake.url, USER, PASSWORD)
        path = draft(tmp_path)
        first = svc.publish(path, mode=PublishMode.DRAFT)
        fake.state.posts.clear()
        with pytest.raises(PostGoneError, match="^The post was deleted from Fake & Site") as info:
            svc.publish(path)
        assert "front matter" not in info.value.message and "publish:" not in info.value.message
        again = svc.publish(path, as_new=True)
        assert again.created and again.post_id != first.post_id
        assert list(fake.state.posts) == [int(again.post_id)]
        assert len(fake.calls("POST", "wp/v2/posts")) == 2  # the first create and this one


def test_schedule_through_the_service(tmp_path: Path, sleeps) -> None:  # noqa: ANN001
    with FakeWordPress() as fake:
        svc = service(sleeps)
        svc.sign_in_wordpress(fake.url, USER, PASSWORD)
        at = datetime.now(UTC) + timedelta(days=2)
        result = svc.publish(draft(tmp_path), mode=PublishMode.SCHEDULE, at=at)
        assert result.status == "SCHEDULED"
