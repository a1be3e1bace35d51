"""The dead-image scan over a blog's published posts, and repairing a post from a local copy."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from editor.core.drafts import assets_dir_for
from editor.publish.base import PostContent
from editor.publish.errors import ConflictError
from editor.publish.hosts.deadimages import check_image, image_urls, scan_blog
from editor.publish.hosts.repair import find_local_copies, repair_image
from editor.publish.records import read_draft, record_of, write_record

from ..blogger_server import BloggerServer
from .compose import BLOG_ID, blogger_client, publish_with_images
from .conftest import CountingSession, Stack, s3_rig
from .drafts import make_draft, png

IMAGE = png("served")


class Odd(BaseHTTPRequestHandler):
    """Image addresses as the web has them: octet-stream, no HEAD, login redirects, 403."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_HEAD(self) -> None:
        if self.path == "/no-head.png":
            return self.answer(405, b"", "text/plain")
        self.do_GET()

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        if self.path == "/octet":
            return self.answer(200, IMAGE, "application/octet-stream")
        if self.path in ("/no-head.png", "/image.png"):
            return self.answer(200, IMAGE, "image/png")
        if self.path.startswith("/uc?id="):  # an old Google Drive link: off to a login page
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}/ServiceLogin")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if self.path == "/ServiceLogin":
            return self.answer(200, b"<html>Sign in</html>", "text/html; charset=utf-8")
        if self.path == "/forbidden.jpg":
            return self.answer(403, b"<html>no</html>", "text/html")
        return self.answer(404, b"<html>not found</html>", "text/html")

    def answer(self, status: int, data: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


@pytest.fixture
def odd_web() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Odd)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_check_image_tells_images_from_pages_and_errors(odd_web: str) -> None:
    session = requests.Session()
    paths = ("/image.png", "/octet", "/no-head.png", "/uc?id=1", "/gone.png", "/forbidden.jpg")
    verdicts = {path: check_image(session, odd_web + path) for path in paths}
    assert verdicts["/image.png"].ok and verdicts["/octet"].ok and verdicts["/no-head.png"].ok
    assert verdicts["/uc?id=1"].reason.startswith("redirects to a web page on localhost:")
    assert verdicts["/gone.png"].reason == "HTTP 404"
    assert verdicts["/forbidden.jpg"].reason == "HTTP 403"
    assert check_image(session, "pictures.assets/red.png").reason.startswith("a path on your")
    closed = check_image(session, "http://127.0.0.1:9/x.png", timeout=(1, 1))
    assert not closed.ok and closed.unreachable


def test_image_urls_reads_every_img_once() -> None:
    html = (
        '<img src="https://a.example/x.png?a=1&amp;b=2"><p><img alt="y" src=\'/y.png\'></p>'
        '<img src="https://a.example/x.png?a=1&amp;b=2"><img src="data:image/png;base64,AA">'
    )
    assert image_urls(html) == ["https://a.example/x.png?a=1&b=2", "/y.png"]


def _post(server: BloggerServer, client: Any, title: str, html: str) -> str:
    remote = client.insert_post(
        BLOG_ID, PostContent(title, html, []), draft=False, marker=uuid.uuid4().hex
    )
    return remote.id


def test_scan_finds_dead_images_and_repair_fixes_the_post(
    s3_stack: Stack,
    counting_session: CountingSession,
    server: BloggerServer,
    odd_web: str,
    tmp_path: Path,
) -> None:
    rig = s3_rig(s3_stack, counting_session)
    drafts = tmp_path / "drafts"
    draft = make_draft(drafts)
    client = blogger_client(server, requests.Session())
    published = publish_with_images(draft, rig.host, client)
    # Years later the image host it used is gone: its addresses answer 404 now.
    dead = f"{s3_stack.public.url}/old-host/red.png"
    good_url = next(u for u in image_urls(published.content) if u.startswith(s3_stack.public.url))
    broken = published.content.replace(good_url, dead)
    server.blogger.posts[BLOG_ID][published.id]["content"] = broken
    remote = client.get_post(BLOG_ID, published.id)
    write_record(draft, f"blogger:{BLOG_ID}", record_of(remote))
    other = _post(server, client, "Drive days", f'<p><img src="{odd_web}/uc?id=abc"></p>')
    _post(server, client, "Fine", f'<p><img src="{odd_web}/image.png"></p>')
    _post(server, client, "No pictures", "<p>Words only.</p>")
    for n in range(22):  # more than one page of posts
        _post(server, client, f"Filler {n}", "<p>x</p>")

    report = scan_blog(client, BLOG_ID, requests.Session())
    by_id = {p.post_id: p for p in report}
    assert len(report) == 3  # posts without images are not listed
    assert [d.url for d in by_id[published.id].dead] == [dead]
    assert by_id[published.id].dead[0].reason == "HTTP 404"
    assert by_id[other].dead[0].reason.startswith("redirects to a web page")
    assert [p.dead for p in report if p.title == "Fine"] == [[]]

    [copy] = find_local_copies(dead, published.id, f"blogger:{BLOG_ID}", drafts)
    assert copy == (assets_dir_for(draft) / "red.png").resolve()
    result = repair_image(
        client, BLOG_ID, published.id, dead, copy, rig.host,
        expected_updated=by_id[published.id].updated, drafts_dir=drafts,
    )  # fmt: skip
    content = server.blogger.posts[BLOG_ID][published.id]["content"]
    assert dead not in content and result.new_url in content
    assert requests.get(result.new_url, timeout=10).content == copy.read_bytes()
    assert result.drafts_updated == [draft]
    assert read_draft(draft).publish_record(f"blogger:{BLOG_ID}")["updated"] == result.post.updated
    after = {p.post_id: p for p in scan_blog(client, BLOG_ID, requests.Session())}
    assert after[published.id].dead == []


def test_repair_refuses_when_the_post_changed_since_the_scan(
    s3_stack: Stack,
    counting_session: CountingSession,
    server: BloggerServer,
    tmp_path: Path,
) -> None:
    rig = s3_rig(s3_stack, counting_session)
    client = blogger_client(server, requests.Session())
    dead = f"{s3_stack.public.url}/old-host/blue.png"
    post_id = _post(server, client, "Blue", f'<p><img alt="b" src="{dead}"></p>')
    [scanned] = scan_blog(client, BLOG_ID, requests.Session())
    server.blogger.edit_on_web(BLOG_ID, post_id, title="Blue (edited)")
    local = tmp_path / "blue.png"
    local.write_bytes(png("blue"))
    with pytest.raises(ConflictError):
        repair_image(
            client, BLOG_ID, post_id, dead, local, rig.host, expected_updated=scanned.updated
        )
    assert dead in server.blogger.posts[BLOG_ID][post_id]["content"]
    assert server.count("blogger.posts.update") == 0


def test_cli_images_check_lists_dead_images(
    signed_in: Any, server: BloggerServer, odd_web: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from editor.cli import main

    client = blogger_client(server, requests.Session())
    _post(server, client, "Old trip", f'<p><img src="{odd_web}/gone.png"></p>')
    _post(server, client, "New trip", f'<p><img src="{odd_web}/image.png"></p>')
    assert main(["images", "check"]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("Old trip\thttp://notes.example")
    assert out.splitlines()[1] == f"  {odd_web}/gone.png\tHTTP 404"
    assert "New trip" not in out
    assert "1 of 2 images in 1 of 2 posts with images do not load." in err
    server.blogger.posts[BLOG_ID].clear()
    _post(server, client, "New trip", f'<p><img src="{odd_web}/image.png"></p>')
    assert main(["images", "check", "--blog", BLOG_ID]) == 0
