"""File ▸ Export HTML… and Export PDF…: the published body in the preview's current look,
printed light when that look is dark (exports are for paper and sharing).

HTML: rendered and written (with local images copied into `<name>_files/`) on the file
thread through the atomic writer. PDF: the same standalone page laid out by the preview's
engine on a hidden page (`QWebEnginePage.printToPdf`, asynchronous), its bytes then written
on the file thread too. That page fetches what the preview fetches (images only, no
`<base href>`: editor/ui/preview_guard.py), so the PDF shows what the preview showed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from editor.core.atomic import WriteError, atomic_write_bytes
from editor.core.drafts import file_stem_for
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.post_images import missing_local_images, picture_name
from editor.core.snippets import SnippetFolder
from editor.ui.background import Runner
from editor.ui.preview_guard import guard_profile, policy_meta

if TYPE_CHECKING:
    from editor.ui.window_facets import ExportHost

log = logging.getLogger(__name__)

EXPORT_FOLDER_KEY = "export_folder"  # settings: where the last export went


@dataclass(frozen=True)
class HtmlExport:
    """Export the document `text` (of the draft at `draft`) to `target` with `css`."""

    text: str
    draft: Path
    target: Path
    css: str
    caption_style: str


@dataclass(frozen=True)
class PdfExport:
    """Write the PDF `data` to `target`; `body_html` and `folder` tell which pictures it lacks."""

    target: Path
    data: bytes
    body_html: str
    folder: Path


def _pictures(names: list[str]) -> str:
    """“the picture quay.jpg was” / “3 pictures (a.jpg, b.png, c.gif) were”."""
    if len(names) == 1:
        return f"the picture {names[0]} was"
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"{len(names)} pictures ({shown}) were"


# What writing an export answers: the file written and the names of the pictures not found.
Exported = tuple[Path, list[str]]


def write_html(request: HtmlExport) -> Exported:
    """Render the post and write the standalone HTML file (+ its images), on the file thread.
    Raises WriteError."""
    from editor.core.export import export_html

    post = parse_post(request.text, request.draft.name)
    result = export_html(
        post,
        request.draft,
        request.target,
        request.css,
        caption_style=request.caption_style,
        snippets=SnippetFolder(app_paths().snippets_dir),
    )
    return request.target, [picture_name(src) for src in result.missing]


def write_pdf(request: PdfExport) -> Exported:
    """Write a finished PDF durably, and look for the pictures it could not show. Raises
    WriteError."""
    atomic_write_bytes(request.target, request.data)
    missing = missing_local_images(request.body_html, request.folder)
    return request.target, [picture_name(src) for src in missing]


class Exporter(QObject):
    """The two export actions of the File menu."""

    exported = Signal(object)  # Path, on the GUI thread
    failed = Signal(str)

    def __init__(self, window: ExportHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.runner = Runner(self, thread=window.file_thread)  # after the saves queued before
        self.pdf_page: QWebEnginePage | None = None
        self._pdf_target: Path | None = None
        self._pdf_body = ""
        self._pdf_folder = Path()
        menu = window.menus["file"]
        anchor = next(a for a in menu.actions() if a.text() == "&Close Draft")
        self.html_action = QAction("E&xport HTML…", parent)
        self.html_action.triggered.connect(self.ask_html)
        self.pdf_action = QAction("Export &PDF…", parent)
        self.pdf_action.triggered.connect(self.ask_pdf)
        menu.insertAction(anchor, self.html_action)
        menu.insertAction(anchor, self.pdf_action)
        menu.insertSeparator(anchor)

    def _suggested(self, suffix: str) -> str:
        """The post's title as a file name, in the folder the last export went to."""
        doc = self.window.doc
        if doc is None:
            return ""
        folder = self.window.settings.get(EXPORT_FOLDER_KEY)
        where = Path(folder) if isinstance(folder, str) and folder else doc.path.parent
        return str(where / (file_stem_for(self.window.rendered_title or doc.path.stem) + suffix))

    def _remember_folder(self, target: Path) -> None:
        # kept with the other settings, written when the window closes
        self.window.settings.set(EXPORT_FOLDER_KEY, str(target.absolute().parent))

    def ask_html(self) -> None:
        """Choose where, then export HTML."""
        if self.window.doc is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.parent_widget, "Export HTML", self._suggested(".html"), "HTML (*.html *.htm)"
        )
        if name:
            self._remember_folder(Path(name))
            self.export_html(Path(name))

    def ask_pdf(self) -> None:
        """Choose where, then export PDF."""
        if self.window.doc is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.parent_widget, "Export PDF", self._suggested(".pdf"), "PDF (*.pdf)"
        )
        if name:
            self._remember_folder(Path(name))
            self.export_pdf(Path(name))

    def export_html(self, target: Path) -> None:
        """Write a standalone HTML file of the open post (on the file thread)."""
        doc = self.window.doc
        if doc is None:
            return
        request = HtmlExport(
            self.window.editor.toPlainText(),
            doc.path,
            target.absolute(),
            self.window.desk.export_stylesheet(),
            self.window.caption_style,
        )
        self.window.statusBar().showMessage(f"Exporting {target.name} …")
        self.runner.run(lambda: write_html(request), self._on_written, self._on_write_failed)

    def export_pdf(self, target: Path) -> None:
        """Lay the post out in the preview's engine and print it to a PDF file."""
        doc = self.window.doc
        if doc is None:
            return
        if self.pdf_page is not None:
            self.failed.emit("A PDF export is already running.")
            return
        from editor.core.export import standalone_html
        from editor.core.snippet_render import render_with_snippets

        post = parse_post(self.window.editor.toPlainText(), doc.path.name)
        snippets = SnippetFolder(self.window.paths.snippets_dir)
        body = render_with_snippets(post, snippets, caption_style=self.window.caption_style)
        page_html = standalone_html(post.title, body, self.window.desk.export_stylesheet())
        page_html = page_html.replace("<head>", "<head>" + policy_meta(), 1)
        page = QWebEnginePage(self)
        guard_profile(page.profile())  # images only, as in the preview (a no-op once it exists)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        page.loadFinished.connect(self._print_pdf)
        self.pdf_page = page
        self._pdf_target = target.absolute()
        self._pdf_body, self._pdf_folder = body, doc.path.parent
        self.window.statusBar().showMessage(f"Exporting {target.name} …")
        page.setHtml(page_html, QUrl.fromLocalFile(str(doc.path.parent) + "/"))

    def _print_pdf(self, ok: bool) -> None:
        page = self.pdf_page
        if page is None:
            return
        if not ok:
            self._pdf_done(None)
            return
        page.printToPdf(self._pdf_done)

    def _pdf_done(self, data: object) -> None:
        page, target = self.pdf_page, self._pdf_target
        self.pdf_page, self._pdf_target = None, None
        if page is not None:
            page.deleteLater()
        raw = bytes(data) if data is not None else b""  # QByteArray; empty means it failed
        if target is None or not raw.startswith(b"%PDF"):
            self._on_failed("Could not export the PDF: the page could not be laid out.")
            return
        request = PdfExport(target, raw, self._pdf_body, self._pdf_folder)
        self.runner.run(lambda: write_pdf(request), self._on_written, self._on_write_failed)

    def _on_written(self, exported: Exported) -> None:
        self._on_exported(*exported)

    def _on_write_failed(self, exc: Exception) -> None:
        if not isinstance(exc, WriteError):
            log.error("Exporting failed", exc_info=exc)  # a bug
            return
        self._on_failed(f"Could not export: {exc}")

    def _on_exported(self, path: Path, missing: list[str]) -> None:
        self.window.statusBar().showMessage(f"Exported {path}", 8000)
        if missing:
            self.window.banner.show_message(
                f"Exported {path.name}, but {_pictures(missing)} not found beside the draft,"
                " so the export shows no picture there.",
                "warning",
                topic="export",
            )
        self.exported.emit(path)

    def _on_failed(self, message: str) -> None:
        self.window.statusBar().clearMessage()
        self.window.banner.show_message(message, "error", topic="export")
        self.failed.emit(message)
