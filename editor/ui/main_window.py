"""The main window: drafts sidebar | Markdown editor | live preview.

Built in two steps (issue 17): `__init__` makes what the first paint shows (editor/ui/
first_paint.py); `build_rest` (editor/ui/window_parts.py) adds everything else, at once for
a window made in code, right after the first paint at start-up (editor/ui/app.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from editor.core.atomic import WriteError
from editor.core.draft_life import DraftLife
from editor.core.open_draft import SaveRequest
from editor.core.paths import AppPaths
from editor.core.preferences import load_preferences
from editor.core.session import SessionState
from editor.core.settings import Settings
from editor.ui.banner import Banner
from editor.ui.draft_safety import DraftSafetyMixin
from editor.ui.editor_pane import MarkdownEditor
from editor.ui.external_changes import ExternalChangesMixin
from editor.ui.first_paint import (
    POST_PANEL_SIZE,
    SPLITTER_SIZES,
    build_menus,
    build_toolbar,
    first_text,
    placeholder,
    post_panel_slot,
    remembered_size,
)
from editor.ui.theme import apply_theme, wants_dark

# Start-up jobs (the spelling word list, the publish queue) start this long after the first
# draft became editable, so its first paint is not shared with them; and at the latest this
# long after the window was built, whatever the first opening does.
STARTUP_JOBS_DELAY_MS = 100
STARTUP_JOBS_FALLBACK_MS = 5000

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QFileSystemWatcher, QThread
    from PySide6.QtGui import QAction

    from editor.core.drafts import DraftInfo, DraftStore
    from editor.core.history import HistoryStore
    from editor.core.open_draft import LoadedDocument
    from editor.core.recovery import RecoveryStore
    from editor.ui.desk import WritersDesk
    from editor.ui.drafts_sidebar import DraftsSidebar
    from editor.ui.export import Exporter
    from editor.ui.file_encodings import FileEncodings
    from editor.ui.file_worker import FileWorker
    from editor.ui.format_menu import FormatMenu
    from editor.ui.help_menu import HelpMenu
    from editor.ui.insert_tools import InsertTools
    from editor.ui.library_watch import LibraryWatch
    from editor.ui.looks import PreviewLooks
    from editor.ui.post_panel import PostPanel
    from editor.ui.preview_pane import PreviewPane
    from editor.ui.publishing import PublishController
    from editor.ui.scroll_sync import ScrollSync
    from editor.ui.slow_render import SlowRenderNote
    from editor.ui.title_files import TitleFileNames
    from editor.ui.workers import RenderResult, RenderWorker


class MainWindow(DraftSafetyMixin, ExternalChangesMixin, QMainWindow):
    """Broadsheet's window. Disk and rendering happen on worker threads."""

    request_load = Signal(object, object)  # path, encoding for a file that is not UTF-8
    request_save = Signal(object)
    request_list = Signal()
    request_create = Signal(str)
    request_rename = Signal(object, str, bool)
    request_trash = Signal(object)
    request_render = Signal(object)
    request_check = Signal(object, str)
    request_poll = Signal(object, str)
    request_snapshot = Signal(object, str, str)
    request_recovery = Signal(object, str, str, str)  # path, text, reason, base hash
    request_settle = Signal(object, object, str)  # path, text for the history or None, reason

    # Made by build_rest (editor/ui/window_parts.py), declared for the controllers' Protocols
    # (editor/ui/window_facets.py), which the window satisfies.
    files: FileWorker
    file_thread: QThread
    history: HistoryStore
    caption_style: str
    sidebar: DraftsSidebar
    preview: PreviewPane
    sidebar_action: QAction
    preview_action: QAction
    watcher: QFileSystemWatcher
    autosave_timer: QTimer
    autosave_deadline: QTimer
    disk_check_timer: QTimer
    desk: WritersDesk
    publishing: PublishController
    inserts: InsertTools
    looks: PreviewLooks
    store: DraftStore
    recovery: RecoveryStore
    formats: FormatMenu
    help_menu: HelpMenu
    exporter: Exporter
    encodings: FileEncodings
    title_files: TitleFileNames
    library_watch: LibraryWatch
    post_panel: PostPanel
    disk_poll_timer: QTimer
    render_timer: QTimer
    scroll_sync: ScrollSync
    save_action: QAction
    renderer: RenderWorker
    render_thread: QThread
    slow_render: SlowRenderNote

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        session: SessionState | None = None,
        *,
        defer_preview: bool = False,  # the preview engine starts after the first paint
        defer_rest: bool = False,  # the caller calls build_rest (after the first paint)
    ) -> None:
        super().__init__()
        self._defer_preview = defer_preview
        self.paths = paths
        self.settings = settings
        self.session = session
        self.life = DraftLife()  # the open draft's state and the save/conflict decisions
        self._rendering = False
        self._render_again = False
        self._loading = False
        self._closing = False
        self.built = False  # True once build_rest has run: drafts open only then
        # Start-up jobs that wait until the first draft is editable (`when_editable`); None
        # once they have started.
        self._startup_jobs: list[Callable[[], None]] | None = []
        self.rendered_title = ""
        self.default_blog_key: str | None = None  # known once accounts are read (ui/looks.py)
        self._build_widgets()
        self._restore_geometry()
        self._update_title()
        if not defer_rest:
            self.build_rest()

    # ----------------------------------------------------------------- building
    def _build_widgets(self) -> None:
        """What the first paint shows: the panes in their places, menus and toolbar."""
        self.editor = MarkdownEditor()
        self.editor.highlighter.in_view = lambda _line: False  # colours come with the rest
        prefs = load_preferences(self.settings)  # the look the window will have, from the start
        apply_theme(wants_dark(prefs.theme))
        self.editor.set_editor_font(prefs.font_family, prefs.font_size)
        self.banner = Banner()
        self.editor_column = QWidget()
        column = QVBoxLayout(self.editor_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        # the post panel's place, as tall as it was last time (it comes with the rest)
        self.post_panel_slot = post_panel_slot(self.settings)
        column.addWidget(self.post_panel_slot)
        column.addWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(placeholder("draftsPlaceholder", "Drafts (starting)"))
        self.splitter.addWidget(self.editor_column)
        self.splitter.addWidget(placeholder("previewPlaceholder", "Preview (starting)"))
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes(SPLITTER_SIZES)
        self.setCentralWidget(self.splitter)
        self.save_label = QLabel()
        self.statusBar().addPermanentWidget(self.save_label)
        self.menus = build_menus(self)
        self.publish_toolbar = build_toolbar(self)
        self.resize(1400, 860)

    def show_first_text(self, path: Path) -> bool:
        """Before the rest is built: show the draft's text, read-only (typing waits for the
        lock, autosave and the file watch, which come with the draft's real opening)."""
        text = first_text(path)
        if text is None or self.built:
            return False
        self.editor.set_text_keep_undo_clean(text)
        self.editor.setReadOnly(True)
        from editor.core.positions import recall_position

        position = recall_position(self.settings, str(Path(path).absolute()))
        if position is not None:  # where the writer was: the real opening goes there too
            self.editor.verticalScrollBar().setValue(position.scroll)
        return True

    def build_rest(self) -> None:
        """Build and wire everything the first paint did without."""
        from editor.ui.window_parts import build_rest

        build_rest(self)
        self.built = True
        # The caller opens the first draft right after this, before the event loop turns: if
        # none is being opened by then, the start-up jobs wait no longer.
        QTimer.singleShot(0, self, self._start_if_idle)

    def when_editable(self, job: Callable[[], None]) -> None:
        """Run `job` once the first draft is open for typing (issue 17: opening waits for
        nothing but its own load), or now when that moment is past."""
        if self._startup_jobs is None:
            job()
        else:
            self._startup_jobs.append(job)

    def _start_if_idle(self) -> None:
        if not self._loading:
            self._start_deferred()
        else:  # a load that asks first (an encoding) must not hold them back for good
            QTimer.singleShot(STARTUP_JOBS_FALLBACK_MS, self, self._start_deferred)

    def _after_first_open(self) -> None:
        """The first draft is editable: the start-up jobs start once it has been shown."""
        if self._startup_jobs is not None:
            QTimer.singleShot(STARTUP_JOBS_DELAY_MS, self, self._start_deferred)

    def _start_deferred(self) -> None:
        jobs, self._startup_jobs = self._startup_jobs, None
        for job in jobs or []:
            job()

    # ------------------------------------------------------------------ drafts
    def refresh_drafts(self) -> None:
        """Re-read the drafts folder (on the file thread)."""
        self.request_list.emit()

    def _on_listed(self, drafts: list[DraftInfo]) -> None:
        self.sidebar.set_drafts(drafts)
        self.sidebar.mark_current(self.doc.path if self.doc else None)

    def new_draft(self) -> None:
        """Create a new draft and open it."""
        self.request_create.emit("Untitled")

    def open_dialog(self) -> None:
        """Choose any Markdown file to open."""
        start = str(self.doc.path.parent if self.doc else self.paths.drafts_dir)
        name, _ = QFileDialog.getOpenFileName(
            self, "Open Markdown file", start, "Markdown (*.md *.markdown *.txt);;All files (*)"
        )
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path, encoding: str | None = None) -> None:
        """Open a draft (the current one is saved first, in order, on the file thread);
        `encoding` is the writer's choice for a file that is not UTF-8."""
        path = Path(path).absolute()
        if self.doc is not None and self.doc.path == path:
            self.editor.setFocus()
            return
        self.save()
        self._loading = True
        self.request_load.emit(path, encoding)

    def _on_loaded(self, loaded: LoadedDocument) -> None:
        self._loading = False
        self.desk.leaving_document()
        self._release_doc()
        doc = self.life.opened(loaded)
        self.editor.setReadOnly(doc.read_only)
        self.editor.blockSignals(True)
        self.editor.set_text_keep_undo_clean(loaded.text)
        self.editor.blockSignals(False)
        self.banner.clear_message()
        self.save_label.setText("")  # nothing said yet about this draft
        if loaded.lock_problem:
            self.banner.show_message(loaded.lock_problem, "warning", topic="locked")
        self._watch(loaded.path)
        self._remember_open()
        self.preview.set_base_folder(loaded.path.parent)
        self._schedule_render()
        self.sidebar.mark_current(loaded.path)
        self.settings.set("last_draft", str(loaded.path))
        self._update_title()
        self.editor.setFocus()
        self.editor.place_cursor_at_body()
        self.desk.document_loaded()  # back to the writer's last position in this draft
        self.publishing.document_changed()
        if loaded.file_read_only:
            self._show_read_only()
        self.take_in_recovered(loaded)
        self._after_first_open()

    def _on_load_failed(self, path: Path, message: str) -> None:
        self._loading = False
        if self.doc is None and self.editor.isReadOnly():  # the first paint's text goes too
            self.editor.set_text_keep_undo_clean("")
            self.editor.setReadOnly(False)
        self.banner.show_message(message, "error")
        self._after_first_open()

    def close_draft(self) -> None:
        """Save and close the open draft."""
        if self.doc is None:
            return
        self.save()
        if self.life.must_settle:
            # The writer closes without choosing: his version goes into the history (a
            # deleted draft's into the trash folder, where he can find it).
            self.request_settle.emit(self.doc.path, self.editor.toPlainText(), "conflict")
        self.desk.leaving_document()
        self._release_doc()
        self.life.closed()
        self._remember_open()
        self.editor.setReadOnly(False)
        self.editor.blockSignals(True)
        self.editor.set_text_keep_undo_clean("")
        self.editor.blockSignals(False)
        self.preview.set_html("", self.generation)
        self.sidebar.mark_current(None)
        self.desk.document_closed()
        self.publishing.document_changed()
        self._update_title()

    def rename_draft(self, path: Path | None) -> None:
        """Ask for a new title; the file name follows it."""
        path = path or (self.doc.path if self.doc else self.sidebar.selected_path())
        if path is None:
            return
        is_open = self.doc is not None and self.doc.path == path
        current = self.rendered_title if is_open else self.sidebar.title_of(path) or path.stem
        title, ok = QInputDialog.getText(self, "Rename draft", "New title:", text=current)
        if not ok or not title.strip():
            return
        from editor.core.post import retitled

        title = title.strip()
        if is_open:
            self.editor.replace_text(retitled(self.editor.toPlainText(), title, path.name))
            self.save()
        self.request_rename.emit(path, title, is_open)

    def _on_moved(self, old: Path, new: Path) -> None:
        if self.life.moved(old, new):
            self._watch(new)
            self._remember_open()
            self.settings.set("last_draft", str(new))
            self._update_title()
            # the assets folder moved with the draft: its images' links follow (one undo step)
            from editor.core.drafts import rewrite_asset_links

            self.editor.replace_text(
                rewrite_asset_links(self.editor.toPlainText(), old.stem, new.stem)
            )
            self.save()

    def trash_draft(self, path: Path | None) -> None:
        """Move a draft to the trash (the open one is saved and closed first)."""
        path = path or (self.doc.path if self.doc else self.sidebar.selected_path())
        if path is None:
            return
        if self.doc is not None and self.doc.path == path:
            self.close_draft()
        self.request_trash.emit(path)

    def _on_trashed(self, path: Path) -> None:
        name = self.sidebar.title_of(path) or path.name
        self.statusBar().showMessage(f"Moved “{name}” to the trash ({self.paths.trash_dir})")

    # ------------------------------------------------------------------ saving
    def _on_text_changed(self) -> None:
        if not self.life.edited():
            return
        self.autosave_timer.start()
        if not self.autosave_deadline.isActive():
            self.autosave_deadline.start()
        self._schedule_render()
        self._update_title()

    def save(self, snapshot: str | None = "typing", force: bool = False) -> None:
        """Save the open draft now (durably, on the file thread), if it has unsaved edits."""
        if self._closing:  # closeEvent wrote the text; the focus leaving as the window goes
            return
        self.post_panel.commit_typed()  # a field typed into a moment ago goes with it
        self.autosave_timer.stop()
        self.autosave_deadline.stop()
        text = self.editor.toPlainText()
        self.editor.mirror.check(text)  # read whole anyway: the preview's copy must agree
        request = self.life.save_request(text, snapshot, force)
        if isinstance(request, SaveRequest):
            self.save_label.setText("Saving…")
            self.request_save.emit(request)
        elif request is not None:  # the draft cannot take it now; the disk still does
            self.keep_recovery_copy(request)

    def save_by_hand(self) -> None:
        """Ctrl+S: save, and keep a snapshot in the draft's history."""
        if self.doc is not None and not self.dirty and not self.doc.conflict:
            text = self.editor.toPlainText()
            self.request_snapshot.emit(self.doc.path, text, "save")
            self.save_label.setText("Saved")
            return
        self.save(snapshot="save")

    def _on_saved(self, path: Path, digest: str, generation: int) -> None:
        if not self.life.saved(path, digest, generation):
            self.refresh_drafts()
            return
        self._watch(path)
        self.save_label.setText("Saved" if not self.dirty else "Unsaved changes")
        self.banner.clear_message(topic="save")
        self._update_title()
        self.refresh_drafts()

    def _on_save_failed(self, path: Path, message: str, generation: int, read_only: bool) -> None:
        if read_only and self.life.save_refused_read_only(path, generation):
            self._show_read_only()
            return
        self.save_label.setText("Not saved")
        self.banner.show_message(
            f"{message}. Your text is safe in the editor and in a recovery copy: press Ctrl+S to"
            " retry, or use File ▸ Save As… to save it elsewhere.",
            "error",
            topic="save",
        )

    def save_as(self) -> None:
        """Save the open text under a new name and keep editing that file."""
        if self.doc is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save draft as", str(self.doc.path), "Markdown (*.md)"
        )
        if not name:
            return
        from editor.core.locks import DraftLock, DraftLockedError

        new_path = Path(name).absolute()
        self._release_doc()
        try:
            lock = DraftLock(self.paths.state_dir / "locks", new_path)
        except (DraftLockedError, OSError) as exc:
            self.banner.show_message(str(exc), "error", topic="save")
            return
        old_path = self.life.saved_as(new_path, lock)
        self.editor.setReadOnly(False)
        self.save(snapshot="save", force=True)
        # The text lives in the new file now (or, if that write fails, in its recovery copy):
        # the old file's recovery copy would only offer it a second time.
        self.request_settle.emit(old_path, None, "")
        self._watch(new_path)
        self._remember_open()
        self.preview.set_base_folder(self.doc.path.parent)
        self._update_title()

    # --------------------------------------------------------------- rendering
    def _schedule_render(self) -> None:
        self.render_timer.start()

    def refresh_preview(self) -> None:
        """Render again (e.g. the caption style changed)."""
        self._schedule_render()

    def _render_now(self) -> None:
        if self._rendering:
            self._render_again = True  # exactly one follow-up render, whatever was typed
            return
        if self.doc is None:
            return
        from editor.ui.workers import RenderRequest

        self._rendering = True
        text = self.editor.current_text()  # not toPlainText(): a keystroke copies its line
        self.request_render.emit(
            RenderRequest(text, self.generation, self.doc.path.name, self.caption_style)
        )

    def _on_rendered(self, result: RenderResult) -> None:
        self._rendering = False
        if self.doc is None:
            return
        self.preview.set_pieces(result.pieces, result.generation, result.change)
        self.rendered_title = result.title
        self._update_title()
        self.desk.on_rendered(result)  # counts and outline
        from editor.core.post import front_matter_warning

        if result.front_matter_error and self.banner.topic != "save":  # save errors come first
            self.banner.show_message(
                front_matter_warning(result.front_matter_error), topic="front_matter"
            )
        else:
            self.banner.clear_message(topic="front_matter")
        if self._render_again:
            self._render_again = False
            self._render_now()

    # --------------------------------------------------------------- the window
    def _update_title(self) -> None:
        if self.doc is None:
            self.setWindowTitle("Broadsheet")
            self.setWindowModified(False)
            self.save_label.setText("")
            return
        title = self.rendered_title or self.doc.path.stem
        self.setWindowTitle(f"{title}[*] — Broadsheet")  # (Qt ignores the same title)
        if self.isWindowModified() != self.dirty:  # each call retitles the window: ~1 ms
            self.setWindowModified(self.dirty)

    def _toggle_sidebar(self) -> None:
        self.sidebar.setVisible(self.sidebar_action.isChecked())

    def _toggle_preview(self) -> None:
        self.preview.setVisible(self.preview_action.isChecked())

    def _restore_geometry(self) -> None:
        geometry = self.settings.get("window_geometry")
        if isinstance(geometry, str):
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        sizes = self.settings.get("splitter_sizes")
        valid = isinstance(sizes, list) and len(sizes) == 3
        if valid and all(isinstance(s, int) and s > 50 for s in sizes):
            self.splitter.setSizes(sizes)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API name)
        """Finish every queued write, then save what is left, before the window goes."""
        if self._closing or not self.built:  # before the rest is built no draft is open
            if not self._closing and self.session is not None:
                with contextlib.suppress(OSError):
                    self.session.finish()
            self._closing = True
            event.accept()
            return
        from editor.ui.workers import stop_thread

        self.post_panel.commit_typed()
        self.autosave_timer.stop()
        self.render_timer.stop()
        # The preview is going: a render in flight (the first of a 10 MB draft takes seconds)
        # stops at its next block rather than keep the quit waiting. It writes nothing.
        self.renderer.call_off()
        self.publishing.shutdown()  # a publish in flight finishes (or times out) first
        stop_thread(self.file_thread)  # queued saves land first, in order
        stop_thread(self.render_thread)
        if self.dirty and self.doc is not None and not self._final_save():
            self.file_thread.start()
            self.renderer.resume()
            self.render_thread.start()
            self._rendering = False  # the render called off never answers: render afresh
            self._schedule_render()
            event.ignore()
            return
        self.looks.shutdown()  # now the window surely closes
        self.snippets.stop()
        self.desk.save_state()  # leaves focus mode first, so the normal geometry is kept
        self.settings.set("window_geometry", bytes(self.saveGeometry().toBase64()).decode())
        self.settings.set("splitter_sizes", self.splitter.sizes())
        self.settings.set(POST_PANEL_SIZE, remembered_size(self.post_panel))
        with contextlib.suppress(WriteError):  # lost geometry must not block the quit
            self.settings.save()
        self._release_doc()
        if self.session is not None:  # last: everything is on disk, the exit is clean
            with contextlib.suppress(OSError):
                self.session.finish()
        self._closing = True
        event.accept()
