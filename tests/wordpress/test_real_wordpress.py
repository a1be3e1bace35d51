"""Publishing to a real WordPress (Debian's package) on loopback, through PublishService."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from editor.core.post import parse_post
from editor.core.post_images import rewrite_sources
from editor.core.post_records import read_post
from editor.core.render import render_post
from editor.publish.base import PostContent
from editor.publish.blogger import marker_comment
from editor.publish.errors import AuthError, ConflictError, OfflineError, SignedOutError
from editor.publish.pending import PendingInserts
from editor.publish.service import PublishMode, PublishService
from editor.publish.wordpress import WordPressClient, blog_key
from editor.publish.wordpress_api import RestRoot

from .conftest import WordPressSite
from .proxy import WordPressProxy
from .seed import png

pytestmark = pytest.mark.wordpress


def write_draft(folder: Path, title: str, body: str, **meta: str) -> Path:
    lines = [f"title: {title}"] + [f"{k}: {v}" for k, v in meta.items()]
    path = folder / f"{uuid.uuid4().hex[:8]}.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n\n" + body, encoding="utf-8")
    return path


def record(path: Path, site_url: str) -> dict:
    return read_post(path).publish_record(blog_key(site_url)) or {}


def rendered(path: Path) -> str:
    """What Broadsheet's renderer makes of the draft, as published to WordPress."""
    return render_post(parse_post(path.read_text(encoding="utf-8")), caption_style="figure")


def remote(site: WordPressSite, post_id: str) -> dict:
    return site.get(f"wp/v2/posts/{post_id}", context="edit")


def tag_names(site: WordPressSite, data: dict, taxonomy: str = "tags") -> list[str]:
    ids = data[taxonomy]
    terms = site.get(f"wp/v2/{taxonomy}", include=",".join(map(str, ids)), context="edit")
    return sorted(t["name"] for t in terms)


def test_sign_in_remembers_the_site_and_keeps_the_password_in_the_keyring(
    service: PublishService, wordpress_site: WordPressSite, memory_keyring, broadsheet_home: Path
) -> None:
    result = service.sign_in_wordpress(
        wordpress_site.url + "/wp-admin/", wordpress_site.user, wordpress_site.app_password
    )
    [blog] = result.blogs
    assert blog.key == blog_key(wordpress_site.url) and blog.name == "Broadsheet Test Blog"
    assert blog.url == wordpress_site.url
    assert service.accounts().find_blog(blog.remote_id) == blog
    assert wordpress_site.app_password in memory_keyring.items.values()
    stored = "".join(p.read_text() for p in broadsheet_home.rglob("*") if p.is_file())
    assert wordpress_site.app_password not in stored


def test_draft_then_publish_then_update_keeps_one_post(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex
    draft = write_draft(tmp_path, "Draft first", f"A *first* version {word}.\n", labels="[wp-one]")
    first = signed_in.publish(draft, mode=PublishMode.DRAFT)
    data = remote(wordpress_site, first.post_id)
    assert first.created and first.status == "DRAFT" and data["status"] == "draft"
    # On creation the post carries the insert marker (an HTML comment) after the HTML.
    assert data["content"]["raw"].startswith(rendered(draft))
    assert data["content"]["raw"].removeprefix(rendered(draft)).startswith("<!--broadsheet:")

    live = signed_in.publish(draft)
    assert live.post_id == first.post_id and live.status == "LIVE"
    assert remote(wordpress_site, first.post_id)["status"] == "publish"

    draft.write_text(draft.read_text().replace("*first*", "*second*"), encoding="utf-8")
    again = signed_in.publish(draft)
    data = remote(wordpress_site, first.post_id)
    assert again.post_id == first.post_id and not again.created
    assert data["content"]["raw"] == rendered(draft)  # exactly the renderer's HTML
    assert data["title"]["raw"] == "Draft first"
    rec = record(draft, wordpress_site.url)
    assert rec["id"] == first.post_id and rec["status"] == "LIVE"
    assert rec["updated"] == data["modified_gmt"] and rec["url"] == data["link"]
    found = wordpress_site.get("wp/v2/posts", search=word, status="any")
    assert [p["id"] for p in found] == [int(first.post_id)]


def test_schedule_sets_future_status_and_date(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    draft = write_draft(tmp_path, "Later", "Comes out later.\n")
    at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    result = signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=at)
    data = remote(wordpress_site, result.post_id)
    assert result.status == "SCHEDULED" and data["status"] == "future"
    assert data["date_gmt"] == at.strftime("%Y-%m-%dT%H:%M:%S")
    # Publishing now makes the scheduled post live now, not at its old date.
    now = signed_in.publish(draft)
    data = remote(wordpress_site, result.post_id)
    assert now.status == "LIVE" and data["status"] == "publish"
    assert datetime.fromisoformat(data["date_gmt"]).replace(tzinfo=UTC) < at


def test_labels_become_tags_and_categories_are_attached(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    word = uuid.uuid4().hex[:6]
    labels = f"[travel-{word}, 'Arts & Crafts {word}']"
    first = write_draft(tmp_path, "Tagged", "Text.\n", labels=labels, categories=f"[Essays {word}]")
    result = signed_in.publish(first)
    data = remote(wordpress_site, result.post_id)
    assert tag_names(wordpress_site, data) == sorted(
        [f"Arts &amp; Crafts {word}", f"travel-{word}"]
    )
    assert tag_names(wordpress_site, data, "categories") == [f"Essays {word}"]
    tags_before = wordpress_site.total("wp/v2/tags", search=word)
    second = write_draft(tmp_path, "Tagged too", "More.\n", labels=f"[TRAVEL-{word}]")
    other = signed_in.publish(second)
    assert wordpress_site.total("wp/v2/tags", search=word) == tags_before  # reused, not copied
    assert remote(wordpress_site, other.post_id)["tags"] == [
        t for t in data["tags"] if tag_names(wordpress_site, {"tags": [t]}) == [f"travel-{word}"]
    ]


def test_a_local_image_is_uploaded_once_and_the_post_points_at_it(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    (tmp_path / "pics").mkdir()
    image = png(int(uuid.uuid4().int % 65536))
    (tmp_path / "pics" / "Photo one.png").write_bytes(image)
    body = (
        'Look:\n\n![A photo](<pics/Photo one.png> "The caption")\n\n'
        "Inline ![x](<pics/Photo one.png>).\n"
    )
    draft = write_draft(tmp_path, "With a picture", body)
    on_disk = draft.read_text()
    media_before = wordpress_site.total("wp/v2/media")

    result = signed_in.publish(draft)
    assert wordpress_site.total("wp/v2/media") == media_before + 1
    [entry] = record(draft, wordpress_site.url)["media"].values()
    url = entry["url"]
    assert url.startswith(wordpress_site.url + "/wp-content/uploads/")
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == image
    assert fetched.headers["Content-Type"] == "image/png"
    expected = rewrite_sources(rendered(draft), {"pics/Photo one.png": url})
    raw = remote(wordpress_site, result.post_id)["content"]["raw"]
    assert raw.startswith(expected) and "pics/Photo one.png" not in raw
    assert raw.count(f'src="{url}"') == 2
    assert parse_post(draft.read_text()).body == parse_post(on_disk).body  # local paths kept

    signed_in.publish(draft)  # again: nothing new uploaded
    assert wordpress_site.total("wp/v2/media") == media_before + 1
    assert remote(wordpress_site, result.post_id)["content"]["raw"] == expected

    copy = write_draft(tmp_path, "Same picture", "![again](pics/Photo%20one.png)\n")
    signed_in.publish(copy)  # another draft, same bytes: found by its hash, not uploaded
    assert wordpress_site.total("wp/v2/media") == media_before + 1


def test_a_deleted_upload_is_uploaded_again(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    (tmp_path / "p.png").write_bytes(png(int(uuid.uuid4().int % 65536)))
    draft = write_draft(tmp_path, "Picture gone", "![p](p.png)\n")
    signed_in.publish(draft)
    [entry] = record(draft, wordpress_site.url)["media"].values()
    gone = wordpress_site.rest("DELETE", f"wp/v2/media/{entry['id']}", params={"force": "true"})
    assert gone.status_code == 200
    signed_in.publish(draft)
    [again] = record(draft, wordpress_site.url)["media"].values()
    assert again["id"] != entry["id"]
    assert requests.get(again["url"], timeout=10).status_code == 200


def test_a_change_made_in_wordpress_is_a_conflict(
    signed_in: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    draft = write_draft(tmp_path, "Ours", "Our text.\n")
    first = signed_in.publish(draft)
    edited = wordpress_site.rest(
        "POST", f"wp/v2/posts/{first.post_id}", json={"title": "Theirs", "content": "<p>x</p>"}
    )
    assert edited.status_code == 200
    draft.write_text(draft.read_text().replace("Our text", "Our new text"), encoding="utf-8")
    with pytest.raises(ConflictError) as caught:
        signed_in.publish(draft)
    assert caught.value.theirs.title == "Theirs" and caught.value.ours.title == "Ours"
    assert set(caught.value.changed_fields()) >= {"title", "content"}
    assert remote(wordpress_site, first.post_id)["title"]["raw"] == "Theirs"
    signed_in.publish(draft, overwrite=True)
    assert remote(wordpress_site, first.post_id)["title"]["raw"] == "Ours"


def test_a_lost_answer_to_create_makes_no_duplicate(
    service: PublishService, wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    with WordPressProxy(wordpress_site.url) as proxy:
        service.sign_in_wordpress(proxy.url, wordpress_site.user, wordpress_site.app_password)
        proxy.lose_answer("POST", "/wp/v2/posts")
        word = uuid.uuid4().hex
        draft = write_draft(tmp_path, "Lost answer", f"Unique {word}.\n")
        result = service.publish(draft)
    lost = [p for m, p, _a in proxy.seen if m == "POST" and p.endswith("/wp/v2/posts")]
    assert len(lost) == 1  # created once; the lost answer was recovered by the marker search
    found = wordpress_site.get("wp/v2/posts", search=word, status="any")
    assert [p["id"] for p in found] == [int(result.post_id)]
    assert result.created and record(draft, proxy.url)["id"] == result.post_id
    assert PendingInserts(service.paths).get(blog_key(proxy.url), draft) is None


def test_publishing_again_after_a_create_timed_out_makes_no_duplicate(
    wordpress_site: WordPressSite, tmp_path: Path
) -> None:
    session = requests.Session()
    # The site takes 5 s to create the post; Broadsheet stops listening after 3 s.
    service = PublishService(session=session, timeout=(5.0, 3.0), landing_window=30.0)
    with WordPressProxy(wordpress_site.url) as proxy:
        service.sign_in_wordpress(proxy.url, wordpress_site.user, wordpress_site.app_password)
        proxy.hold("POST", "/wp/v2/posts", seconds=5.0)
        word = uuid.uuid4().hex
        draft = write_draft(tmp_path, "Slow site", f"Unique {word}.\n")
        said: list[str] = []
        with contextlib.suppress(OfflineError):  # whatever the first publish said…
            service.publish(draft, progress=said.append)
        result = service.publish(draft)  # …the writer publishes again at once
        assert proxy.released.wait(30)
    session.close()
    found = wordpress_site.get("wp/v2/posts", search=word, status="any")
    assert [p["id"] for p in found] == [int(result.post_id)]
    creates = [p for m, p, _a in proxy.seen if m == "POST" and p.endswith("/wp/v2/posts")]
    assert len(creates) == 1
    host = proxy.url.split("//")[1]
    assert any(s.startswith(f"{host} did not answer in time (timed out)") for s in said), said


def test_the_rest_route_form_works_without_pretty_permalinks(
    wordpress_site: WordPressSite,
) -> None:
    session = requests.Session()
    root = RestRoot(wordpress_site.url, wordpress_site.url, pretty=False)
    client = WordPressClient(
        session, wordpress_site.url, wordpress_site.user, wordpress_site.app_password, root=root
    )
    marker = uuid.uuid4().hex
    post = client.insert_post(
        "x", PostContent("Query form", "<p>q</p>", ["q-form"]), draft=True, marker=marker
    )
    assert client.find_post("x", marker).id == post.id
    assert client.get_post("x", post.id).labels == ["q-form"]
    assert remote(wordpress_site, post.id)["content"]["raw"] == "<p>q</p>" + marker_comment(marker)


def test_a_wrong_application_password_says_so(
    service: PublishService, wordpress_site: WordPressSite
) -> None:
    with pytest.raises(SignedOutError) as caught:
        service.sign_in_wordpress(
            wordpress_site.url, wordpress_site.user, "abcd efgh ijkl mnop qrst uvwx"
        )
    text = str(caught.value)
    assert "did not accept the user name “admin” with this application password" in text
    assert "\n" not in text and "abcd" not in text
    assert service.accounts().blogs == {}


def test_a_stripped_authorization_header_is_explained(
    service: PublishService, wordpress_site: WordPressSite
) -> None:
    with (
        WordPressProxy(wordpress_site.url, strip_auth=True) as proxy,
        pytest.raises(AuthError) as caught,
    ):
        service.sign_in_wordpress(proxy.url, wordpress_site.user, wordpress_site.app_password)
    assert any(had for _m, path, had in proxy.seen if "users/me" in path)  # we did send it
    text = str(caught.value)
    assert not isinstance(caught.value, SignedOutError)
    assert "removes the Authorization header" in text and "Apache/CGI" in text
    assert (
        'SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1' in text and "CGIPassAuth On" in text
    )
