"""The live preview: one fixed QWebEngineView page whose article content is patched.

The post arrives as pieces (see `editor.core.pieces`); only the pieces that changed are
replaced in the page's #content, so the reader's scroll position and selection stay put.
Broadsheet's own script (resources/preview.js) runs in an isolated world and does the
patching; if the page does not hold what we believe (it was reloaded), the content is set
in full.

The page loads images and nothing else, and ignores `<base href>` (editor/ui/preview_guard.py);
clicked web and email links open in the system browser, anything else is refused in one
sentence on the status bar.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, QTimer, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices, QPalette
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMainWindow, QSplitter, QToolTip, QWidget

from editor.core.pieces import Piece, PieceChange, splice
from editor.ui.preview_guard import guard_profile, may_open, policy_meta, refusal

WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld


def preview_css(name: str = "preview.css") -> str:
    """A stylesheet shipped in resources/."""
    return resources.files("editor.resources").joinpath(name).read_text(encoding="utf-8")


def preview_script() -> QWebEngineScript:
    """Broadsheet's page helpers (window.__bs), injected into every load of the page."""
    script = QWebEngineScript()
    script.setName("broadsheet-preview")
    script.setSourceCode(preview_css("preview.js"))
    script.setWorldId(WORLD)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setRunsOnSubFrames(False)
    return script


# The "picture not found" box (resources/preview.js) in every look: it keeps the look's own
# text colour over a faint translucent red, so it reads on light and dark pages alike.
MISSING_PICTURE_CSS = (
    " .bs-missing-picture { display: inline-block; box-sizing: border-box; max-width: 100%;"
    " padding: 1.2em 1.5em; margin: 0.2em 0; color: inherit;"
    " background: rgba(200, 40, 40, 0.10); border: 2px dashed rgba(200, 40, 40, 0.75);"
    " border-radius: 4px; font: 600 0.95rem/1.4 sans-serif; text-align: left; }"
)


def page_template(css: str) -> str:
    """The fixed preview page; the post's title goes into #bs-title, its HTML into #content."""
    # The post's own scripts never run in the preview: JavaScript is off for the page, and the
    # policy forbids them too; it lets images load and nothing else (preview_guard.py).
    # No scroll anchoring: the page is patched while the writer types, and the view must
    # stay where it is rather than jump to keep some other paragraph in place.
    # The title sits outside #content, as blog themes put it above the post body (and as
    # exports do: editor/core/export.py), so #content holds exactly what is published.
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{policy_meta()}"
        f"<style id='bs-look'>{css}</style><style>html, body {{ overflow-anchor: none; }}"
        f" #bs-title[hidden] {{ display: none !important; }}{MISSING_PICTURE_CSS}</style>"
        "</head><body><main class='page'><div class='post-outer'><div class='post'>"
        "<h1 id='bs-title' class='post-title entry-title' hidden></h1>"
        "<article id='content' class='post-body entry-content'></article>"
        "</div></div></main></body></html>"
    )


class PreviewPage(QWebEnginePage):
    """Keeps the preview on its page: web and email links open in the system browser."""

    link_refused = Signal(str)  # a clicked link that was not opened: one sentence why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allow_navigation = False
        self.request_filter = guard_profile(self.profile())

    def acceptNavigationRequest(  # noqa: N802 (Qt API name)
        self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Only our own template load is allowed; the post's frames never load."""
        if not is_main_frame:
            return False
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            self.follow_link(QUrl(url))
            return False
        return self.allow_navigation

    def follow_link(self, url: QUrl) -> None:
        """Hand a web or email link to the system; refuse any other, saying why."""
        if may_open(url):
            QDesktopServices.openUrl(url)
        elif not self.is_in_page(url):
            self.link_refused.emit(refusal(url))

    def is_in_page(self, url: QUrl) -> bool:
        """An anchor in the post itself (#footnote): the page scrolls to it by itself."""
        here = self.url().toString().partition("#")[0]
        return url.hasFragment() and url.toString().partition("#")[0] == here

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage:  # noqa: N802
        """A link that asks for a new window (target=_blank) goes through `follow_link` too."""
        return _NewWindowLink(self)


class _NewWindowLink(QWebEnginePage):
    """A page that never shows: it passes the link it was opened for to the preview's page."""

    def __init__(self, owner: PreviewPage) -> None:
        super().__init__(owner)
        self.owner = owner

    def acceptNavigationRequest(  # noqa: N802 (Qt API name)
        self, url: QUrl | str, _nav_type: QWebEnginePage.NavigationType, _is_main_frame: bool
    ) -> bool:
        """Follow the link the preview's way, and go."""
        self.owner.follow_link(QUrl(url))
        self.deleteLater()
        return False


class PreviewPane(QWebEngineView):
    """Shows the rendered post; `set_pieces` patches the content without reloading the page."""

    content_applied = Signal(int)  # generation now in the page's DOM
    scroll_position_changed = Signal(QPointF)  # the page's, once the page is made

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        deferred: bool = False,
        placeholder: QWidget | None = None,  # one the window laid out already (deferred)
    ) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.setAccessibleName("Preview")
        self._ready = False
        self._base: Path | None = None
        self._wanted_base: Path | None = None  # asked for before the page was made
        self._latest: tuple[tuple[Piece, ...], int] | None = None  # newest content asked for
        self._shown: tuple[Piece, ...] | None = None  # what the page holds (None: unknown)
        self._given: tuple[Piece, ...] | None = None  # the pieces `_shown` was made from
        self.applied_generation = -1
        self.patches = 0  # pages patched in place / set in full (for tests and benchmarks)
        self.resets = 0
        self._tagfiltered: dict[str, str] = {}  # template -> filtered, for the last pieces
        self.filtered_chars = 0  # characters run through `tagfilter` so far (for tests)
        self.loadFinished.connect(self._on_load_finished)
        self._css = preview_css()
        self._page_css = self._css  # the CSS the page was last loaded with
        self._hover_note = ""  # the refusal shown while the pointer is on such a link
        self._title = ""  # the post's title, shown above the body
        # Deferred (the window's start-up): Chromium starts when the first page is made, or
        # when the view is first shown (about 0.3 s), so until the window's first paint is
        # done a plain placeholder holds the pane's place, and shows or hides for it.
        self.placeholder: QWidget | None = None
        if deferred:
            self.placeholder = placeholder or QWidget()
            self.placeholder.setObjectName("previewPlaceholder")
            self.placeholder.setAccessibleName("Preview (starting)")
            self.placeholder.setAutoFillBackground(True)  # the page's colour, near enough
            self.placeholder.setBackgroundRole(QPalette.ColorRole.Base)
            # Without a parent (hiding a web view, even one never shown, makes its page); it
            # goes with the placeholder if the window closes before the page was made.
            self.placeholder.destroyed.connect(self._placeholder_gone)
        else:
            self._make_page()

    def _make_page(self) -> None:
        page = PreviewPage(self)
        page.link_refused.connect(self._say)
        page.linkHovered.connect(self._on_link_hovered)
        page.scrollPositionChanged.connect(self.scroll_position_changed)
        self.setPage(page)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadIconsForPage, False)
        page.scripts().insert(preview_script())

    def _placeholder_gone(self) -> None:
        if self.placeholder is not None and shiboken6.isValid(self):
            self.deleteLater()

    def slot(self) -> QWidget:
        """What the window lays out: the placeholder while deferred, else the pane itself."""
        return self.placeholder if self.placeholder is not None else self

    def activate(self) -> None:
        """Make the page and take the placeholder's place (size and shown state included)."""
        placeholder = self.placeholder
        if placeholder is None or not placeholder.window().isVisible():
            # Not yet shown, or closing (a quit right after the start): no engine now, and
            # no page made after the window, which must go before the engine's profile.
            return
        self.placeholder = None
        self._make_page()
        holder = placeholder.parentWidget()
        if isinstance(holder, QSplitter):
            holder.replaceWidget(holder.indexOf(placeholder), self)
        placeholder.deleteLater()
        if self._wanted_base is not None:
            self.set_base_folder(self._wanted_base)

    def activate_after_paint(self, widget: QWidget) -> None:
        """Activate once `widget` has painted (the window is on screen), or after a second."""
        watcher = _FirstPaint(widget, self.activate)
        QTimer.singleShot(1000, watcher.fire)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt API name)
        """Shown or hidden; while deferred, the placeholder is."""
        if self.placeholder is not None:
            self.placeholder.setVisible(visible)
        else:
            super().setVisible(visible)

    def isHidden(self) -> bool:  # noqa: N802 (Qt API name)
        """Hidden by the writer (the placeholder's state while deferred)."""
        return self.placeholder.isHidden() if self.placeholder is not None else super().isHidden()

    def isVisible(self) -> bool:  # noqa: N802 (Qt API name)
        """On screen (the placeholder's state while deferred)."""
        return self.placeholder.isVisible() if self.placeholder is not None else super().isVisible()

    def _say(self, sentence: str, timeout_ms: int = 8000) -> None:
        """One sentence for the writer: in the window's status bar, else in a tooltip."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(sentence, timeout_ms)
        elif sentence:
            QToolTip.showText(QCursor.pos(), sentence, self)

    def _on_link_hovered(self, address: str) -> None:
        """Say before the click that a link will not open (javascript: links never ask)."""
        page = self.page()
        assert isinstance(page, PreviewPage)
        url = QUrl(address)
        note = "" if not address or may_open(url) or page.is_in_page(url) else refusal(url)
        window = self.window()
        showing = window.statusBar().currentMessage() if isinstance(window, QMainWindow) else ""
        if note:
            self._say(note, 0)
        elif self._hover_note and showing == self._hover_note:
            self._say("", 0)  # the pointer left the link: take the note away
        self._hover_note = note

    def set_base_folder(self, folder: Path) -> None:
        """Load the page so relative image paths resolve next to the draft (once per folder)."""
        if self.placeholder is not None:
            self._wanted_base = folder  # loaded when the page is made
            return
        if folder == self._base:
            return
        self._base = folder
        self._ready = False
        page = self.page()
        assert isinstance(page, PreviewPage)
        page.allow_navigation = True
        self._shown = None
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
        self._shown = None  # a fresh page: nothing of ours in it
        if self._title:
            self._put_title()
        if self._latest is not None:
            self.set_pieces(*self._latest)

    def set_title(self, title: str) -> None:
        """Show the post's title above its body, as the blog does (as text: never as HTML)."""
        if title == self._title:
            return
        self._title = title
        if self._ready:
            self._put_title()

    def _put_title(self) -> None:
        self.run_in_page(f"__bs.setTitle({json.dumps(self._title)})", lambda _r: None)

    def set_html(self, html: str, generation: int) -> None:
        """Put the post's whole HTML into the page (queued until the page has loaded)."""
        self.set_pieces((Piece(html),), generation)

    def set_pieces(
        self, pieces: Sequence[Piece], generation: int, change: PieceChange | None = None
    ) -> None:
        """Show the post's pieces, replacing only those that changed since the last call.

        `change`: the renderer says which one piece differs from the pieces it gave before;
        used when those are the pieces the page shows, so a keystroke costs that piece.
        GFM's tagfilter applies here, to the preview only (see `tagfilter`).
        """
        shown = self._shown
        given, self._given = self._given, tuple(pieces)
        if change is not None and shown is not None and self._ready and change.basis is given:
            self._patch_one(self._given, generation, shown, change.at)
            return
        pieces = self._filtered(pieces)
        self._latest = (pieces, generation)
        if not self._ready:
            self._given = None  # nothing is shown from them yet
            return  # applied when the page has loaded
        if shown is None:
            htmls = json.dumps([piece.html() for piece in pieces])
            script = f"__bs.reset({htmls})"
        else:
            cut = splice(shown, pieces)
            htmls = json.dumps([piece.html() for piece in cut.added])
            shifts = json.dumps(cut.shifts)
            script = f"__bs.patch({len(shown)}, {cut.start}, {cut.removed}, {htmls}, {shifts})"
        self._shown = pieces
        full = shown is None
        self.page().runJavaScript(
            script, WORLD, lambda ok: self._applied(generation, bool(ok), full)
        )

    def _patch_one(
        self, pieces: tuple[Piece, ...], generation: int, shown: tuple[Piece, ...], index: int
    ) -> None:
        """Replace the one piece that changed (the others are the very pieces shown)."""
        from editor.core.md_writer import tagfilter  # Markdown: with the first content

        template, base = pieces[index]
        piece = Piece(tagfilter(template), base)
        self.filtered_chars += len(template)
        filtered = (*shown[:index], piece, *shown[index + 1 :])
        self._latest = (filtered, generation)
        self._shown = filtered
        script = f"__bs.patch({len(shown)}, {index}, 1, {json.dumps([piece.html()])}, [])"
        self.page().runJavaScript(
            script, WORLD, lambda ok: self._applied(generation, bool(ok), False)
        )

    def _filtered(self, pieces: Sequence[Piece]) -> tuple[Piece, ...]:
        """The pieces with `tagfilter` applied, filtering only templates not seen last time.

        A keystroke changes one piece of thousands: the others keep their template (the same
        string from the renderer's cache), so they are looked up, not scanned again; and the
        filtered strings stay the same objects, which `splice` then compares at once.
        """
        from editor.core.md_writer import tagfilter  # Markdown: with the first content

        last = self._tagfiltered
        seen: dict[str, str] = {}
        out = []
        for template, base in pieces:
            filtered = last.get(template)
            if filtered is None:
                filtered = tagfilter(template)
                self.filtered_chars += len(template)
            seen[template] = filtered
            out.append(Piece(filtered, base))
        self._tagfiltered = seen
        return tuple(out)

    def _applied(self, generation: int, ok: bool, full: bool) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the page ran the script
        if not ok:
            # The page lost track (reloaded, or its content was replaced): set it in full,
            # once the newest content is the one that failed (older failures follow suit).
            self._shown = None
            if not full and self._latest is not None and self._latest[1] == generation:
                self.set_pieces(*self._latest)
            return
        if full:
            self.resets += 1
        else:
            self.patches += 1
        self.applied_generation = generation
        self.content_applied.emit(generation)

    def scroll_to_line(
        self, line: float, last_line: int, callback: Callable[[object], None]
    ) -> None:
        """Scroll the page so that source line `line` is at the top; callback gets the offset."""
        self.run_in_page(f"__bs.scrollToLine({line:.4f}, {last_line})", callback)

    def line_at(self, y: float, last_line: int, callback: Callable[[object], None]) -> None:
        """Ask which source line (fractional) is shown at page offset `y`."""
        self.run_in_page(f"__bs.lineAt({y:.2f}, {last_line})", callback)

    def set_stylesheet(self, css: str) -> None:
        """Switch the preview's look (light/dark) in place: the content and scroll stay."""
        if css == self._css and css == self._page_css:
            return
        self._css = css  # also used when the page is next loaded
        if self._ready:
            self._page_css = css
            script = f"document.getElementById('bs-look').textContent = {json.dumps(css)}; true;"
            self.run_in_page(script, lambda _r: None)

    def run_in_page(self, script: str, callback: Callable[[object], None]) -> None:
        """Run our own script in the isolated world (the post's scripts stay disabled);
        nothing runs before the page is made (there is nothing to ask or move yet)."""
        if self.placeholder is None:
            self.page().runJavaScript(script, WORLD, callback)


class _FirstPaint(QObject):
    """Calls `then` (once) right after `widget` first paints."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self.fire)  # after this paint has been shown
        return False

    def fire(self) -> None:
        if self.then is None or not shiboken6.isValid(self):
            return
        then, self.then = self.then, None
        self.widget.removeEventFilter(self)
        then()
