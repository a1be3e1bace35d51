"""The main window: drafts sidebar | Markdown editor | live preview."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
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
from editor.core.caption_style import caption_style_for
from editor.core.draft_life import DraftLife
from editor.core.drafts import DraftInfo, DraftStore, rewrite_asset_links
from editor.core.history import HistoryStore
from editor.core.locks import DraftLock, DraftLockedError
from editor.core.open_draft import LoadedDocument, SaveRequest
from editor.core.paths import AppPaths
from editor.core.post import front_matter_warning, retitled
from editor.core.recovery import RecoveryStore
from editor.core.session import SessionState
from editor.core.settings import Settings
from editor.ui.banner import Banner
from editor.ui.desk import WritersDesk
from editor.ui.draft_safety import DraftSafetyMixin
from editor.ui.drafts_sidebar import DraftsSidebar
from editor.ui.editor_pane import MarkdownEditor
from editor.ui.export import Exporter
from editor.ui.external_changes import ExternalChangesMixin
from editor.ui.file_encodings import FileEncodings
from editor.ui.file_worker import FileWorker
from editor.ui.format_menu import FormatMenu
from editor.ui.help_menu import HelpMenu, about_box
from editor.ui.insert_tools import InsertTools
from editor.ui.library_watch import LibraryWatch
from editor.ui.looks import PreviewLooks
from editor.ui.post_panel import PostPanel
from editor.ui.preview_pane import PreviewPane
from editor.ui.publishing import PublishController
from editor.ui.scroll_sync import ScrollSync
from editor.ui.slow_render import SlowRenderNote
from editor.ui.title_files import TitleFileNames
from editor.ui.workers import (
    RenderRequest,
    RenderResult,
    RenderWorker,
    start_worker,
    stop_thread,
)

AUTOSAVE_IDLE_MS = 500  # save once the writer pauses…
DISK_SETTLE_MS = 300  # another program's write is finished after this much quiet
DISK_POLL_MS = 2000  # a look at the file's size and time, for changes no event reports
AUTOSAVE_MAX_MS = 600  # …and during non-stop typing at least this often: loss stays under 2 s


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

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        session: SessionState | None = None,
        *,
        defer_preview: bool = False,  # the preview engine starts after the first paint
    ) -> None:
        super().__init__()
        self._defer_preview = defer_preview
        self.paths = paths
        self.settings = settings
        self.session = session
        self.store = DraftStore(paths.drafts_dir, paths.trash_dir)
        self.history = HistoryStore(paths.data_dir / "history")
        self.recovery = RecoveryStore(paths.data_dir / "recovery")
        self.life = DraftLife()  # the open draft's state and the save/conflict decisions
        self._rendering = False
        self._render_again = False
        self._loading = False
        self._closing = False
        self.rendered_title = ""
        self.default_blog_key: str | None = None  # known once accounts are read (ui/looks.py)
        self.caption_style = caption_style_for(settings, None)  # how the preview writes captions

        self._build_widgets()
        self._build_actions()
        self._start_workers()
        # find/replace, spelling, counts, outline, focus mode, themes, session: editor/ui/desk.py
        self.desk = WritersDesk(self)
        self.publishing = PublishController(self)
        # Insert menu + pasted/dropped images; preview looks + blog style; HTML/PDF export
        self.inserts = InsertTools(self)
        self.formats = FormatMenu(self)  # Format ▸ headings, lists …; Help ▸ shortcuts, guide
        self.help_menu = HelpMenu(self)
        # The jump break is a toolbar button too: where the "Read more" cut goes is a decision
        # writers make on every post.
        self.publishing.toolbar.insertAction(
            self.publishing.toolbar.actions()[0], self.inserts.jump_break_action
        )
        self.inserts.jump_break_action.setIconText("Read More ✂")
        self.inserts.jump_break_action.setToolTip(
            "Insert the jump break (<!--more-->): the blog's home page shows the post up to here"
        )
        self.looks = PreviewLooks(self)
        self.exporter = Exporter(self)
        self.encodings = FileEncodings(self)  # files that are not UTF-8: ask, keep, convert
        self.title_files = TitleFileNames(self)  # an unpublished draft's file follows its title
        self.library_watch = LibraryWatch(paths.drafts_dir, self.refresh_drafts, self)
        self.sidebar.listed.connect(self.library_watch.watch)
        self.post_panel = PostPanel(self)  # the front matter as a form above the text
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_IDLE_MS)
        self.autosave_timer.timeout.connect(self.save)
        self.autosave_deadline = QTimer(self, singleShot=True, interval=AUTOSAVE_MAX_MS)
        self.autosave_deadline.timeout.connect(self.save)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_disk_event)
        self.watcher.directoryChanged.connect(self._on_disk_event)
        self.disk_check_timer = QTimer(self, singleShot=True, interval=DISK_SETTLE_MS)
        self.disk_check_timer.timeout.connect(self._check_disk)
        self.disk_poll_timer = QTimer(self, interval=DISK_POLL_MS)
        self.disk_poll_timer.timeout.connect(self._poll_disk)
        self.disk_poll_timer.start()
        self.editor.focus_lost.connect(self.save)
        self.render_timer = QTimer(self, singleShot=True, interval=0)
        self.render_timer.timeout.connect(self._render_now)
        self.scroll_sync = ScrollSync(self.editor, self.preview, self)
        self.editor.textChanged.connect(self._on_text_changed)
        self._restore_geometry()
        self._update_title()

    # ----------------------------------------------------------------- building
    def _build_widgets(self) -> None:
        self.sidebar = DraftsSidebar()
        self.editor = MarkdownEditor()
        self.preview = PreviewPane(deferred=self._defer_preview)
        self.banner = Banner()
        editor_column = QWidget()
        column = QVBoxLayout(editor_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(editor_column)
        self.splitter.addWidget(self.preview.slot())
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([240, 580, 580])
        self.setCentralWidget(self.splitter)
        self.save_label = QLabel()
        self.statusBar().addPermanentWidget(self.save_label)
        self.sidebar.open_requested.connect(self.open_path)
        self.sidebar.new_requested.connect(self.new_draft)
        self.sidebar.rename_requested.connect(self.rename_draft)
        self.sidebar.trash_requested.connect(self.trash_draft)
        self.resize(1400, 860)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        key = QKeySequence.StandardKey
        self._action(file_menu, "&New Draft", self.new_draft, key.New)
        self._action(file_menu, "&Open…", self.open_dialog, key.Open)
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save", self.save_by_hand, key.Save)
        self._action(file_menu, "Save &As…", self.save_as, "Ctrl+Shift+S")
        self._action(file_menu, "&Rename Draft…", lambda: self.rename_draft(None))
        self._action(file_menu, "Move to &Trash", lambda: self.trash_draft(None))
        self._action(file_menu, "&History…", self.show_history, "Ctrl+Shift+H")
        file_menu.addSeparator()
        self._action(file_menu, "&Close Draft", self.close_draft, key.Close)
        self._action(file_menu, "&Quit", self.close, key.Quit)
        edit = bar.addMenu("&Edit")
        self._action(edit, "&Undo", self.editor.undo, key.Undo)
        self._action(edit, "&Redo", self.editor.redo, key.Redo)
        edit.addSeparator()
        self._action(edit, "Cu&t", self.editor.cut, key.Cut)
        self._action(edit, "&Copy", self.editor.copy, key.Copy)
        self._action(edit, "&Paste", self.editor.paste, key.Paste)
        self._action(edit, "Select &All", self.editor.selectAll, key.SelectAll)
        view = bar.addMenu("&View")
        self.sidebar_action = self._action(view, "Show &Drafts", self._toggle_sidebar, "Ctrl+1")
        self.preview_action = self._action(view, "Show &Preview", self._toggle_preview, "Ctrl+2")
        for action in (self.sidebar_action, self.preview_action):
            action.setCheckable(True)
            action.setChecked(True)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Broadsheet", lambda: about_box(self))
        self.menus = {"file": file_menu, "edit": edit, "view": view, "help": help_menu}
        # Menu shortcuts are window-wide; the editor must not swallow Ctrl+W and friends.
        for action in self.findChildren(QAction):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _start_workers(self) -> None:
        self.files = FileWorker(
            self.store, self.history, self.paths.state_dir / "locks", self.recovery
        )
        self.file_thread = start_worker(self.files, "broadsheet-files")
        self.request_load.connect(self.files.load)
        self.request_save.connect(self.files.save)
        self.request_list.connect(self.files.list_drafts)
        self.request_create.connect(self.files.create_draft)
        self.request_rename.connect(self.files.rename)
        self.request_trash.connect(self.files.trash)
        self.request_check.connect(self.files.check)
        self.request_poll.connect(self.files.poll)
        self.request_snapshot.connect(self.files.snapshot)
        self.request_recovery.connect(self.files.keep_recovery)
        self.request_settle.connect(self.files.settle_recovery)
        self.files.overwrote.connect(self._on_overwrote)
        self.files.external_change.connect(self._on_external_change)
        self.files.loaded.connect(self._on_loaded)
        self.files.load_failed.connect(self._on_load_failed)
        self.files.saved.connect(self._on_saved)
        self.files.save_failed.connect(self._on_save_failed)
        self.files.listed.connect(self._on_listed)
        self.sidebar.connect_worker(self.files)  # search and filters, answered on the file thread
        self.files.created.connect(self.open_path)
        self.files.moved.connect(self._on_moved)
        self.files.trashed.connect(self._on_trashed)
        self.files.failed.connect(lambda message: self.banner.show_message(message, "error"))
        self.renderer = RenderWorker()
        self.render_thread = start_worker(self.renderer, "broadsheet-render")
        self.request_render.connect(self.renderer.render)
        self.renderer.rendered.connect(self._on_rendered)
        self.slow_render = SlowRenderNote(self.statusBar())  # a slow render says so
        self.request_render.connect(self.slow_render.started)
        self.renderer.rendered.connect(self.slow_render.finished)

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

    def _on_load_failed(self, path: Path, message: str) -> None:
        self._loading = False
        self.banner.show_message(message, "error")

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
        self.post_panel.commit_typed()  # a field typed into a moment ago goes with it
        self.autosave_timer.stop()
        self.autosave_deadline.stop()
        request = self.life.save_request(self.editor.toPlainText(), snapshot, force)
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
        self._rendering = True
        text = self.editor.toPlainText()
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
        self.setWindowTitle(f"{title}[*] — Broadsheet")
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
        if self._closing:
            event.accept()
            return
        self.post_panel.commit_typed()
        self.autosave_timer.stop()
        self.render_timer.stop()
        self.publishing.shutdown()  # a publish in flight finishes (or times out) first
        stop_thread(self.file_thread)  # queued saves land first, in order
        stop_thread(self.render_thread)
        if self.dirty and self.doc is not None and not self._final_save():
            self.file_thread.start()
            self.render_thread.start()
            event.ignore()
            return
        self.looks.shutdown()  # now the window surely closes
        self.desk.save_state()  # leaves focus mode first, so the normal geometry is kept
        self.settings.set("window_geometry", bytes(self.saveGeometry().toBase64()).decode())
        self.settings.set("splitter_sizes", self.splitter.sizes())
        with contextlib.suppress(WriteError):  # lost geometry must not block the quit
            self.settings.save()
        self._release_doc()
        if self.session is not None:  # last: everything is on disk, the exit is clean
            with contextlib.suppress(OSError):
                self.session.finish()
        self._closing = True
        event.accept()
