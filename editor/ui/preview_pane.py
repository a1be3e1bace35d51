"""The live preview: one fixed QWebEngineView page whose article content is swapped."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import shiboken6
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld


def preview_css(name: str = "preview.css") -> str:
    """A stylesheet shipped in resources/."""
    return resources.files("editor.resources").joinpath(name).read_text(encoding="utf-8")


def page_template(css: str) -> str:
    """The fixed preview page; the post's HTML goes into #content."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        # The post's own scripts never run in the preview: JavaScript is off for the page, and
        # this policy forbids scripts too. Images load from anywhere (remote and local).
        "<meta http-equiv='Content-Security-Policy'"
        " content=\"script-src 'none'; object-src 'none'\">"
        f"<style id='bs-look'>{css}</style></head><body><main class='page'>"
        "<article id='content' class='post-body entry-content'></article>"
        "</main></body></html>"
    )


class PreviewPage(QWebEnginePage):
    """Keeps the preview on its page: clicked links open in the system browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allow_navigation = False

    def acceptNavigationRequest(  # noqa: N802 (Qt API name)
        self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Only our own template load is allowed in the main frame."""
        if not is_main_frame:
            return True  # embedded players (iframes) load inside the post
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            QDesktopServices.openUrl(QUrl(url))
            return False
        return self.allow_navigation

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> None:  # noqa: N802
        """Links that ask for a new window are opened by the link handler instead."""
        return None


class PreviewPane(QWebEngineView):
    """Shows the rendered post; `set_html` swaps the content without reloading the page."""

    content_applied = Signal(int)  # generation now in the page's DOM

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        page = PreviewPage(self)
        self.setPage(page)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        self._ready = False
        self._base: Path | None = None
        self._pending: tuple[str, int] | None = None
        self.applied_generation = -1
        self.loadFinished.connect(self._on_load_finished)
        self._css = preview_css()
        self._page_css = self._css  # the CSS the page was last loaded with

    def set_base_folder(self, folder: Path) -> None:
        """Load the page so relative image paths resolve next to the draft (once per folder)."""
        if folder == self._base:
            return
        self._base = folder
        self._ready = False
        page = self.page()
        assert isinstance(page, PreviewPage)
        page.allow_navigation = True
        self._page_css = self._css
        self.setHtml(page_template(self._css), QUrl.fromLocalFile(str(folder) + "/"))

    def _on_load_finished(self, _ok: bool) -> None:
        page = self.page()
        assert isinstance(page, PreviewPage)
        page.allow_navigation = False
        self._ready = True
        if self._css != self._page_css:  # the look changed while the page was loading
            self._page_css = ""
            self.set_stylesheet(self._css)
        if self._pending is not None:
            html, generation = self._pending
            self._pending = None
            self.set_html(html, generation)

    def set_html(self, html: str, generation: int) -> None:
        """Put the post's HTML into the page (queued until the page has loaded)."""
        if not self._ready:
            self._pending = (html, generation)
            return
        script = f"document.getElementById('content').innerHTML = {json.dumps(html)}; true;"
        self.page().runJavaScript(script, WORLD, lambda _r: self._applied(generation))

    def _applied(self, generation: int) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the page ran the script
        self.applied_generation = generation
        self.content_applied.emit(generation)

    def set_stylesheet(self, css: str) -> None:
        """Switch the preview's look (light/dark) in place: the content and scroll stay."""
        if css == self._css and css == self._page_css:
            return
        self._css = css  # also used when the page is next loaded
        if self._ready:
            self._page_css = css
            script = f"document.getElementById('bs-look').textContent = {json.dumps(css)}; true;"
            self.run_in_page(script, lambda _r: None)

    def run_in_page(self, script: str, callback) -> None:  # type: ignore[no-untyped-def]
        """Run our own script in the isolated world (the post's scripts stay disabled)."""
        self.page().runJavaScript(script, WORLD, callback)
