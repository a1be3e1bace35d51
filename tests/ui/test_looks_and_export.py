"""Preview looks, the blog's own style captured from a (loopback) blog, caption styles,
the checklist widget, and HTML/PDF export."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from editor.core.caption_style import set_caption_style
from editor.core.checklist import CheckItem
from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.render import render_post
from editor.core.settings import Settings
from editor.publish.accounts import Account, AccountsConfig, Blog, save_accounts
from editor.ui.checklist_view import ALL_CLEAR, ChecklistView
from editor.ui.main_window import MainWindow
from tests.ui.conftest import close_and_delete, open_and_wait, page_eval
from tests.ui.test_insert_and_images import image_widths, make_png

PAGE = """<!DOCTYPE html><html><head><title>A Blogger blog</title>
<link rel="stylesheet" type="text/css" href="/static/widgets.css">
<link rel="preload" as="font" href="/fonts/preload.woff2" crossorigin>
<link rel="icon" href="/favicon.ico">
<script src="/js/app.js"></script>
<style id="page-skin-1" type="text/css"><!--
@import url("/fonts/css2?family=Blog+Sans");
@font-face { font-family: "Blog Sans"; src: url(/fonts/blog-sans.woff2) format("woff2"); }
body { background: #f0e8d8 url(/img/body-bg.png) repeat-x; }
.post-body { font-family: "Blog Sans", sans-serif; font-size: 23px; color: rgb(1, 2, 3); }
.post-body p { background-image: url("/img/paragraph.png"); }
--></style>
</head><body><div class="post-outer"><div class="post-body entry-content">
<img src="/img/header.jpg"><p>A post.</p></div></div>
<script>document.write('<img src="/img/tracker.gif">')</script></body></html>"""
WIDGETS = """.post-body h2 { color: rgb(4, 5, 6); background: url(/img/h2.png); }
@font-face { font-family: Widget; src: url("/fonts/widget.woff") }
.post-body blockquote { font-family: Widget; border-left: 7px solid rgb(7, 8, 9); }"""


class BlogServer:
    """A loopback blog that logs every request path."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        log = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                log.append(self.path)
                if self.path == "/":
                    body, kind = PAGE.encode(), "text/html; charset=utf-8"
                elif self.path == "/static/widgets.css":
                    body, kind = WIDGETS.encode(), "text/css"
                else:
                    body, kind = b"\x00" * 64, "application/octet-stream"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def blog(monkeypatch: pytest.MonkeyPatch) -> Iterator[BlogServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = BlogServer()
    yield server
    server.stop()


STYLED = (
    "(() => { const c = document.getElementById('content'); const s = getComputedStyle(c);"
    " return s.fontSize + '|' + s.color; })()"
)


def test_blog_style_is_captured_without_fetching_anything_but_stylesheets(
    qtbot, window: MainWindow, store: DraftStore, blog: BlogServer
) -> None:
    path = store.new_draft(
        "Styled", body="## A heading\n\nA paragraph.\n\n> A quote.\n\n<!--more-->\n\nEnd.\n"
    )
    open_and_wait(qtbot, window, path, "End.")
    with qtbot.waitSignal(window.looks.blog_style_ready, timeout=15000):
        window.looks.capture(blog.url)
    assert blog.requests == ["/", "/static/widgets.css"]
    assert window.desk.prefs.preview_look == "blog"
    assert window.looks.look_actions["blog"].isChecked()
    qtbot.waitUntil(
        lambda: page_eval(qtbot, window.preview, STYLED) == "23px|rgb(1, 2, 3)", timeout=5000
    )
    heading = "getComputedStyle(document.querySelector('#content h2')).color"
    assert page_eval(qtbot, window.preview, heading) == "rgb(4, 5, 6)"
    qtbot.wait(1500)  # let the page try to load what its CSS refers to
    assert blog.requests == ["/", "/static/widgets.css"], "the preview fetched nothing remote"
    port = blog.url.rsplit(":", 1)[1].strip("/")
    cached = app_paths().cache_dir / "blog-style" / f"url_127.0.0.1_{port}"
    css = (cached / "style.css").read_text()
    assert "font-size: 23px" in css and "url(" not in css and "@font-face" not in css
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look="light"))
    qtbot.waitUntil(lambda: page_eval(qtbot, window.preview, STYLED) != "23px|rgb(1, 2, 3)",
                    timeout=5000)  # fmt: skip


def test_blog_style_is_offered_offline_after_capture(
    qtbot, window: MainWindow, store: DraftStore, blog: BlogServer
) -> None:
    path = store.new_draft("Offline", body="Words.\n")
    open_and_wait(qtbot, window, path, "Words.")
    with qtbot.waitSignal(window.looks.blog_style_ready, timeout=15000):
        window.looks.capture(blog.url)

    def saved_key() -> str:
        return str(Settings(app_paths().settings_file).load().get("blog_style_key", ""))

    qtbot.waitUntil(lambda: saved_key().startswith("url:"), timeout=5000)
    blog.stop()  # offline from now on
    again = MainWindow(app_paths(), Settings(app_paths().settings_file).load())
    again.show()
    try:
        open_and_wait(qtbot, again, path, "Words.")  # read-only: the first window holds it
        qtbot.waitUntil(
            lambda: page_eval(qtbot, again.preview, STYLED) == "23px|rgb(1, 2, 3)", timeout=8000
        )
        assert again.desk.prefs.preview_look == "blog"
    finally:
        close_and_delete(again)


def test_choosing_my_blogs_style_captures_the_default_blogs_page(
    qtbot, store: DraftStore, blog: BlogServer
) -> None:
    paths = app_paths()
    config = AccountsConfig()
    config.add_account(
        Account("google:1", "blogger", "me"), [Blog("blogger:42", "My Blog", blog.url, "google:1")]
    )
    save_accounts(config, paths)
    settings = Settings(paths.settings_file).load()
    set_caption_style(settings, "figure", "blogger:42")
    win = MainWindow(paths, settings)
    win.show()
    try:
        path = store.new_draft("Default blog", body='![A](https://example.org/a.png "Cap")\n')
        open_and_wait(qtbot, win, path, "Cap")
        qtbot.waitUntil(lambda: win.looks.known_loaded, timeout=5000)
        assert win.default_blog_key == "blogger:42" and win.caption_style == "figure"
        figures = "document.querySelectorAll('#content figure').length"
        qtbot.waitUntil(lambda: page_eval(qtbot, win.preview, figures) == 1, timeout=5000)
        with qtbot.waitSignal(win.looks.blog_style_ready, timeout=15000):
            # what the Preferences dialog does when "My blog's style" is picked
            win.desk.set_preferences(win.desk.prefs.with_changes(preview_look="blog"))
        assert (paths.cache_dir / "blog-style" / "blogger_42" / "style.css").is_file()
        assert blog.requests == ["/", "/static/widgets.css"]
        qtbot.waitUntil(
            lambda: page_eval(qtbot, win.preview, STYLED) == "23px|rgb(1, 2, 3)", timeout=5000
        )
    finally:
        close_and_delete(win)


def test_a_failed_capture_says_so_once_and_keeps_the_look(
    qtbot, window: MainWindow, store: DraftStore, blog: BlogServer
) -> None:
    url = blog.url
    blog.stop()
    path = store.new_draft("Unreachable", body="Words.\n")
    open_and_wait(qtbot, window, path, "Words.")
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look="blogger"))
    with qtbot.waitSignal(window.looks.blog_style_failed, timeout=15000) as failed:
        window.looks.capture(url)
    assert "Could not" in failed.args[0]
    assert window.banner.isVisible() and "keeps its current look" in window.banner.text()
    assert window.desk.prefs.preview_look == "blogger"
    assert window.looks.look_actions["blogger"].isChecked()


def test_caption_style_setting_changes_the_preview(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Captions", body='![A](https://example.org/a.png "The caption")\n')
    open_and_wait(qtbot, window, path, "The caption")
    count = "document.querySelectorAll('#content figure figcaption').length"
    assert page_eval(qtbot, window.preview, count) == 0
    window.desk.set_caption_style(None, "figure")
    qtbot.waitUntil(lambda: page_eval(qtbot, window.preview, count) == 1, timeout=5000)
    assert window.caption_style == "figure"
    window.desk.open_preferences()
    dialog = window.desk.dialog
    assert dialog is not None
    assert dialog.caption_style.currentData() == "figure"
    dialog.caption_style.setCurrentIndex(dialog.caption_style.findData("blogger"))
    table = "document.querySelectorAll('#content table.tr-caption-container').length"
    qtbot.waitUntil(lambda: page_eval(qtbot, window.preview, table) == 1, timeout=5000)
    dialog.close()


def test_checklist_view_shows_levels_and_all_clear(qtbot) -> None:
    view = ChecklistView()
    qtbot.addWidget(view)
    view.set_items([])
    assert view.count() == 1 and view.item(0).text() == ALL_CLEAR and not view.has_errors()
    view.set_items(
        [CheckItem("error", "The post is empty.", "empty"), CheckItem("warning", "No labels.", "x")]
    )
    assert [view.item(i).text() for i in range(view.count())] == [
        "The post is empty.",
        "No labels.",
    ]
    assert view.has_errors() and view.has_warnings()
    assert view.item(0).foreground().color() != view.item(1).foreground().color()


# ----------------------------------------------------------------------------- export


def test_export_html_has_the_published_body_the_css_and_the_images(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    path = store.new_draft("Exported", body="Intro words.\n\n")
    open_and_wait(qtbot, window, path, "Intro words.")
    window.inserts.add_images(files=[make_png(tmp_path / "pic.png")])
    qtbot.waitUntil(lambda: "exported.assets/pic.png" in window.editor.toPlainText(), timeout=5000)
    window.editor.appendPlainText("\nClosing *words*.\n")
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look="blogger"))
    target = tmp_path / "out" / "post.html"
    target.parent.mkdir()
    with qtbot.waitSignal(window.exporter.exported, timeout=10000):
        window.exporter.export_html(target)
    page = target.read_text(encoding="utf-8")
    published = render_post(parse_post(window.editor.toPlainText(), path.name))
    assert published.replace("exported.assets/pic.png", "post_files/pic.png") in page
    assert "#757575" in page  # the Blogger-like look, inlined
    assert (tmp_path / "out" / "post_files" / "pic.png").read_bytes() == (
        (path.parent / "exported.assets" / "pic.png").read_bytes()
    )
    # the exported page shows its image: open it in the preview's engine
    window.preview.set_base_folder(target.parent)
    window.preview.set_html(published.replace("exported.assets/", "post_files/"), 99)
    qtbot.waitUntil(lambda: window.preview.applied_generation == 99, timeout=5000)
    qtbot.waitUntil(lambda: image_widths(qtbot, window) == [40], timeout=8000)


def test_export_pdf_writes_a_pdf(qtbot, window: MainWindow, store: DraftStore, tmp_path: Path):
    path = store.new_draft("Paper", body="A paragraph for paper.\n\n## Heading\n\nMore.\n")
    open_and_wait(qtbot, window, path, "More.")
    target = tmp_path / "paper.pdf"
    with qtbot.waitSignal(window.exporter.exported, timeout=20000) as done:
        window.exporter.export_pdf(target)
    assert done.args[0] == target
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 500
    assert window.exporter.pdf_page is None


@pytest.mark.parametrize("override", [None, "blogger"])
def test_the_default_blogs_platform_sets_the_caption_style_without_the_windows_thread_importing_clients(  # noqa: E501
    qtbot, override: str | None
) -> None:
    """The blogs' worker says what the default blog's platform expects: the window picks the
    same caption style as `caption_style_of` (an override first), from that."""
    from editor.publish.providers import caption_style_of
    from editor.ui.looks import BlogStyleWorker, KnownBlogs

    paths = app_paths()
    config = AccountsConfig()
    config.add_account(
        Account("wp:1", "wordpress", "me"),
        [Blog("wordpress:7", "My Press", "https://press.example.org", "wp:1")],
    )
    save_accounts(config, paths)
    settings = Settings(paths.settings_file).load()
    if override:
        set_caption_style(settings, override, "wordpress:7")
    worker = BlogStyleWorker(paths, lambda: None)  # type: ignore[arg-type,return-value]
    known: list[KnownBlogs] = []
    worker.blogs_loaded.connect(known.append)
    worker.load_blogs()
    assert known[0].default_key == "wordpress:7"
    assert known[0].platform_caption_style == "figure"
    window = MainWindow(paths, settings)
    try:
        window.looks._on_blogs(known[0])
        assert window.caption_style == caption_style_of(settings, "wordpress:7")
        assert window.caption_style == (override or "figure")
    finally:
        close_and_delete(window)
