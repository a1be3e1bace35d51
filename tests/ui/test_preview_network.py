"""The preview fetches images and nothing else, ignores `<base href>`, and hands only web and
email links to the system (a loopback server records every request the page makes)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage
from pytestqt.exceptions import TimeoutError

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from editor.ui.preview_pane import PreviewPage
from tests.ui.conftest import open_and_wait, page_eval
from tests.ui.test_insert_and_images import make_png

LINK = QWebEnginePage.NavigationType.NavigationTypeLinkClicked


class RecordingServer:
    """A loopback web server that records the path of every request and answers all of them."""

    def __init__(self, png: bytes) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                paths.append(self.path)
                if self.path.endswith(".png"):
                    body, kind = png, "image/png"
                elif self.path.endswith(".css"):
                    body, kind = b"p { color: rgb(9, 9, 9); }", "text/css"
                elif self.path.endswith(".html"):
                    body, kind = b"<p>framed</p>", "text/html"
                else:
                    body, kind = b"\x00" * 64, "application/octet-stream"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Access-Control-Allow-Origin", "*")  # fonts: no CORS excuse
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
def web(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[RecordingServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = RecordingServer(make_png(tmp_path / "served.png", 20, 10).read_bytes())
    yield server
    server.stop()


def bait_draft(store: DraftStore, url: str) -> Path:
    """A draft that asks for everything a page can fetch, next to a local image of its own."""
    store.ensure()
    make_png(store.drafts_dir / "local.png", 30, 15)
    path = store.drafts_dir / "bait.md"
    path.write_text(
        "---\ntitle: Bait\n---\n"
        f'<base href="{url}base/">\n<link rel="stylesheet" href="{url}linked.css">\n\n'
        f'<style>@import url("{url}imported.css");'
        f' @font-face {{ font-family: Bait; src: url("{url}face.woff2"); }}'
        " p { font-family: Bait, serif; }</style>\n\n"
        "A local picture: ![local](local.png)\n\n"
        f'<iframe src="{url}frame.html"></iframe>\n'
        f'<video src="{url}video.mp4" autoplay muted></video>\n'
        f'<audio src="{url}audio.mp3" preload="auto"></audio>\n'
        f'<link rel="prefetch" href="{url}prefetch.html">\n'
        f'<link rel="preload" as="font" href="{url}preload.woff2" crossorigin>\n\n'
        f'A remote picture: <img src="{url}remote.png" alt="remote">\n\nThe end.\n',
        encoding="utf-8",
    )
    return path


# Each thing the draft asks for, and how the page says it refused it (its console message)
# when the request never reaches the server.
BAITS = {
    "/linked.css": "linked.css",
    "/imported.css": "imported.css",
    "/face.woff2": "face.woff2",
    "/frame.html": "Refused to frame",
    "/video.mp4": "video.mp4",
    "/audio.mp3": "audio.mp3",
    "/prefetch.html": "prefetch.html",
    "/preload.woff2": "preload.woff2",
    "/base/local.png": "base URI",
}
# Baits inside a <style> or an <iframe>: the preview shows those tags as text (GFM's
# tagfilter), so they are never even tried.
FILTERED = {"/imported.css", "/face.woff2", "/frame.html"}


def images(qtbot, window: MainWindow) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """[src, naturalWidth] of every image in the preview's post."""
    script = (
        "JSON.stringify(Array.from(document.querySelectorAll('#content img'))"
        ".map(i => [i.src, i.complete ? i.naturalWidth : -1]))"
    )
    return json.loads(str(page_eval(qtbot, window.preview, script)))


def test_the_preview_fetches_the_remote_image_and_nothing_else(
    qtbot, window: MainWindow, store: DraftStore, web: RecordingServer
) -> None:
    path = bait_draft(store, web.url)
    page = window.preview.page()
    assert isinstance(page, PreviewPage)
    console: list[str] = []
    page.javaScriptConsoleMessage = lambda _level, text, _line, _source: console.append(text)  # type: ignore[method-assign]
    open_and_wait(qtbot, window, path, "The end.")
    refused = getattr(page, "request_filter", None)

    def accounted(path: str, said: str) -> bool:
        """The page asked for `path` (the server saw it) or refused it (and said so)."""
        return (
            path in web.paths
            or any(said in text for text in console)
            or any(said in url for url in getattr(refused, "refused", []))
        )

    def missing() -> list[str]:
        return [
            path
            for path, said in BAITS.items()
            if path not in FILTERED and not accounted(path, said)
        ]

    with contextlib.suppress(TimeoutError):  # the assertions below say what went wrong
        qtbot.waitUntil(lambda: not missing(), timeout=10000)
    assert web.paths == ["/remote.png"], "only the remote image was requested"
    assert missing() == [], "everything else was refused before the network"
    qtbot.waitUntil(lambda: [w for _src, w in images(qtbot, window)] == [30, 20], timeout=10000)
    local, remote = (src for src, _w in images(qtbot, window))
    assert local == QUrl.fromLocalFile(str(store.drafts_dir / "local.png")).toString()
    assert remote == f"{web.url}remote.png"


def test_pdf_export_fetches_what_the_preview_fetches(
    qtbot, window: MainWindow, store: DraftStore, web: RecordingServer, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, bait_draft(store, web.url), "The end.")
    qtbot.waitUntil(lambda: "/remote.png" in web.paths, timeout=10000)
    target = tmp_path / "bait.pdf"
    with qtbot.waitSignal(window.exporter.exported, timeout=20000):
        window.exporter.export_pdf(target)
    assert target.read_bytes().startswith(b"%PDF")
    # The page is laid out (stylesheets, frames and images loaded or refused) before it prints.
    assert set(web.paths) == {"/remote.png"}


def test_only_web_and_email_links_go_to_the_system(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "editor.ui.preview_pane.QDesktopServices.openUrl", lambda url: opened.append(url.toString())
    )
    page = window.preview.page()
    assert isinstance(page, PreviewPage)
    said: list[str] = []
    page.link_refused.connect(said.append)
    refused = [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "smb://server/share",
        "ms-settings:privacy",
    ]
    for address in refused:
        assert page.acceptNavigationRequest(QUrl(address), LINK, True) is False
    assert opened == [], "nothing but web and email links reaches the system opener"
    assert len(said) == len(refused)
    assert said[0] == (
        "Only web and email links open from the preview; “file:///etc/passwd” does not."
    )
    assert window.statusBar().currentMessage() == said[-1]
    for address in ("https://example.org/x", "http://example.org/y", "mailto:me@example.org"):
        assert page.acceptNavigationRequest(QUrl(address), LINK, True) is False
    assert opened == ["https://example.org/x", "http://example.org/y", "mailto:me@example.org"]
    frame = QWebEnginePage.NavigationType.NavigationTypeOther
    assert page.acceptNavigationRequest(QUrl("https://example.org/embed"), frame, False) is False


def _link_point(qtbot, window: MainWindow, selector: str) -> QPoint:  # type: ignore[no-untyped-def]
    """Scroll a link into view; where to point at it (widget coordinates)."""
    script = (
        f"(() => {{ const a = document.querySelector({json.dumps(selector)}); a.scrollIntoView();"
        " const b = a.getBoundingClientRect(); return (b.left + 2) + ',' + (b.top + b.height / 2);"
        " })()"
    )
    x, y = (float(v) for v in str(page_eval(qtbot, window.preview, script)).split(","))
    return QPoint(int(x), int(y))


def test_links_under_the_pointer(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "editor.ui.preview_pane.QDesktopServices.openUrl", lambda url: opened.append(url.toString())
    )
    filler = "\n\n".join(f"Paragraph {i}. " + "Words to scroll past. " * 20 for i in range(40))
    path = store.new_draft(
        "Links",
        body=(
            "A claim[^1], <a href='https://example.org/new' target='_blank'>a new tab</a>"
            " and [a script](javascript:alert(1)).\n\n"
            f"{filler}\n\n[^1]: The footnote.\n\nThe end.\n"
        ),
    )
    open_and_wait(qtbot, window, path, "The end.")
    view = window.preview.focusProxy()
    # An in-page anchor scrolls the page and goes nowhere else.
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=_link_point(qtbot, window, "sup a"))
    qtbot.waitUntil(
        lambda: float(page_eval(qtbot, window.preview, "window.scrollY")) > 1000,  # type: ignore[arg-type]
        timeout=5000,
    )
    assert opened == [] and window.statusBar().currentMessage() == ""
    # A link asking for a new window opens in the browser like any web link.
    point = _link_point(qtbot, window, "a[target]")
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: opened == ["https://example.org/new"], timeout=5000)
    # A javascript: link never asks to navigate: the writer is told while pointing at it.
    qtbot.mouseMove(view, _link_point(qtbot, window, "a[href^=javascript]"))
    qtbot.waitUntil(lambda: "“javascript:alert(1)” does not" in window.statusBar().currentMessage())
    qtbot.mouseMove(view, QPoint(1, 1))
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "")
