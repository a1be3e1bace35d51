"""The rest of the main window: what its first paint did without (issue 17).

`build_rest` runs once, right after the first paint at start-up (or at once for a window made
in code): menus' actions, the drafts list, the preview pane, the file and render threads, the
writer's desk, publishing, the post panel, autosave and the file watch. The modules imported
here are the ones start-up does not wait for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QMetaObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from editor.core.caption_style import caption_style_for
from editor.core.drafts import DraftStore
from editor.core.history import HistoryStore
from editor.core.recovery import RecoveryStore
from editor.ui.desk import WritersDesk
from editor.ui.drafts_sidebar import DraftsSidebar
from editor.ui.export import Exporter
from editor.ui.file_encodings import FileEncodings
from editor.ui.file_worker import FileWorker
from editor.ui.first_paint import SPLITTER_SIZES
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
from editor.ui.snippets_ui import SnippetsController
from editor.ui.title_files import TitleFileNames
from editor.ui.workers import RenderWorker, start_worker

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

AUTOSAVE_IDLE_MS = 500  # save once the writer pauses…
DISK_SETTLE_MS = 300  # another program's write is finished after this much quiet
DISK_POLL_MS = 2000  # a look at the file's size and time, for changes no event reports
AUTOSAVE_MAX_MS = 600  # …and during non-stop typing at least this often: loss stays under 2 s


def build_rest(window: MainWindow) -> None:
    """Build and wire everything the first paint did without, in the order it depends on."""
    paths = window.paths
    window.caption_style = caption_style_for(window.settings, None)  # the preview's captions
    window.store = DraftStore(paths.drafts_dir, paths.trash_dir)
    window.history = HistoryStore(paths.data_dir / "history")
    window.recovery = RecoveryStore(paths.data_dir / "recovery")
    _build_panes(window)
    _build_actions(window)
    _start_workers(window)
    # find/replace, spelling, counts, outline, focus mode, themes, session: editor/ui/desk.py
    window.desk = WritersDesk(window, window)
    window.publishing = PublishController(window, window)
    # Insert menu + pasted/dropped images; preview looks + blog style; HTML/PDF export
    window.inserts = InsertTools(window, window)
    # Format ▸ headings, lists …; Help ▸ shortcuts, guide
    window.formats = FormatMenu(window, window)
    window.help_menu = HelpMenu(window.menus["help"], window)
    # The jump break is a toolbar button too: where the "Read more" cut goes is a decision
    # writers make on every post.
    toolbar = window.publishing.toolbar
    toolbar.insertAction(toolbar.actions()[0], window.inserts.jump_break_action)
    window.inserts.jump_break_action.setIconText("Read More ✂")
    window.inserts.jump_break_action.setToolTip(
        "Insert the jump break (<!--more-->): the blog's home page shows the post up to here"
    )
    window.looks = PreviewLooks(window, window)
    window.exporter = Exporter(window, window)
    window.encodings = FileEncodings(window, window)  # files that are not UTF-8: ask, keep, convert
    # an unpublished draft's file follows its title
    window.title_files = TitleFileNames(window, window)
    window.snippets = SnippetsController(window, window)  # Publish ▸ Snippets…, Insert ▸ Snippet…
    window.library_watch = LibraryWatch(paths.drafts_dir, window.refresh_drafts, window)
    window.sidebar.listed.connect(window.library_watch.watch)
    window.post_panel = PostPanel(window, window)  # the front matter as a form above the text
    queue = window.publishing.queue  # a draft in the publish queue says so in the panel
    queue.waiting_changed.connect(window.post_panel.show_waiting)
    window.post_panel.show_waiting(dict(queue.state.drafts))
    window.post_panel_slot.hide()  # the panel took its place
    window.post_panel_slot.deleteLater()
    window.autosave_timer = QTimer(window, singleShot=True, interval=AUTOSAVE_IDLE_MS)
    window.autosave_timer.timeout.connect(window.save)
    window.autosave_deadline = QTimer(window, singleShot=True, interval=AUTOSAVE_MAX_MS)
    window.autosave_deadline.timeout.connect(window.save)
    window.watcher = QFileSystemWatcher(window)
    window.watcher.fileChanged.connect(window._on_disk_event)
    window.watcher.directoryChanged.connect(window._on_disk_event)
    window.disk_check_timer = QTimer(window, singleShot=True, interval=DISK_SETTLE_MS)
    window.disk_check_timer.timeout.connect(window._check_disk)
    window.disk_poll_timer = QTimer(window, interval=DISK_POLL_MS)
    window.disk_poll_timer.timeout.connect(window._poll_disk)
    window.disk_poll_timer.start()
    window.editor.focus_lost.connect(window.save)
    window.render_timer = QTimer(window, singleShot=True, interval=0)
    window.render_timer.timeout.connect(window._render_now)
    window.scroll_sync = ScrollSync(window.editor, window.preview, window)
    window.editor.textChanged.connect(window._on_text_changed)
    if not window.isVisible():  # the panes' least sizes are known now: ask for the sizes again
        window.splitter.setSizes(SPLITTER_SIZES)
        window._restore_geometry()


def _build_panes(window: MainWindow) -> None:
    """The drafts list and the preview take their placeholders' places (sizes kept)."""
    splitter = window.splitter
    # Shown: as the first paint had them. Not shown yet: the sizes asked for are still
    # pending and the placeholders' geometry means nothing, so they are asked for again.
    sizes = splitter.sizes() if window.isVisible() else None
    window.sidebar = DraftsSidebar()
    _replace(splitter, 0, window.sidebar)
    slot = splitter.widget(2)
    if window._defer_preview:  # the placeholder stays until the preview engine starts
        window.preview = PreviewPane(deferred=True, placeholder=slot)
    else:
        window.preview = PreviewPane()
        _replace(splitter, 2, window.preview)
    if sizes:
        splitter.setSizes(sizes)
    window.sidebar.open_requested.connect(window.open_path)
    window.sidebar.new_requested.connect(window.new_draft)
    window.sidebar.rename_requested.connect(window.rename_draft)
    window.sidebar.trash_requested.connect(window.trash_draft)


def _replace(splitter, index: int, widget) -> None:  # type: ignore[no-untyped-def]
    old = splitter.widget(index)
    hidden = old.isHidden()
    splitter.replaceWidget(index, widget)
    widget.setVisible(not hidden)
    old.deleteLater()


def _action(window: MainWindow, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def _build_actions(window: MainWindow) -> None:
    """File, Edit, View and Help (the menus themselves are there since the first paint)."""
    file_menu, edit, view, help_menu = (window.menus[k] for k in ("file", "edit", "view", "help"))
    key = QKeySequence.StandardKey
    editor = window.editor
    _action(window, file_menu, "&New Draft", window.new_draft, key.New)
    _action(window, file_menu, "&Open…", window.open_dialog, key.Open)
    file_menu.addSeparator()
    window.save_action = _action(window, file_menu, "&Save", window.save_by_hand, key.Save)
    _action(window, file_menu, "Save &As…", window.save_as, "Ctrl+Shift+S")
    _action(window, file_menu, "&Rename Draft…", lambda: window.rename_draft(None))
    _action(window, file_menu, "Move to &Trash", lambda: window.trash_draft(None))
    _action(window, file_menu, "&History…", window.show_history, "Ctrl+Shift+H")
    file_menu.addSeparator()
    _action(window, file_menu, "&Close Draft", window.close_draft, key.Close)
    _action(window, file_menu, "&Quit", window.close, key.Quit)
    _action(window, edit, "&Undo", editor.undo, key.Undo)
    _action(window, edit, "&Redo", editor.redo, key.Redo)
    edit.addSeparator()
    _action(window, edit, "Cu&t", editor.cut, key.Cut)
    _action(window, edit, "&Copy", editor.copy, key.Copy)
    _action(window, edit, "&Paste", editor.paste, key.Paste)
    _action(window, edit, "Select &All", editor.selectAll, key.SelectAll)
    window.sidebar_action = _action(window, view, "Show &Drafts", window._toggle_sidebar, "Ctrl+1")
    window.preview_action = _action(window, view, "Show &Preview", window._toggle_preview, "Ctrl+2")
    for action in (window.sidebar_action, window.preview_action):
        action.setCheckable(True)
        action.setChecked(True)
    _action(window, help_menu, "&About Broadsheet", lambda: about_box(window))
    # Menu shortcuts are window-wide; the editor must not swallow Ctrl+W and friends.
    for action in window.findChildren(QAction):
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)


def _start_workers(window: MainWindow) -> None:
    """The file thread (loads, saves, locks, listing) and the render thread."""
    files = FileWorker(
        window.store, window.history, window.paths.state_dir / "locks", window.recovery
    )
    window.files = files
    window.file_thread = start_worker(files, "broadsheet-files")
    window.request_load.connect(files.load)
    window.request_save.connect(files.save)
    window.request_list.connect(files.list_drafts)
    window.request_create.connect(files.create_draft)
    window.request_rename.connect(files.rename)
    window.request_trash.connect(files.trash)
    window.request_check.connect(files.check)
    window.request_poll.connect(files.poll)
    window.request_snapshot.connect(files.snapshot)
    window.request_recovery.connect(files.keep_recovery)
    window.request_settle.connect(files.settle_recovery)
    files.overwrote.connect(window._on_overwrote)
    files.external_change.connect(window._on_external_change)
    files.loaded.connect(window._on_loaded)
    files.load_failed.connect(window._on_load_failed)
    files.saved.connect(window._on_saved)
    files.save_failed.connect(window._on_save_failed)
    files.listed.connect(window._on_listed)
    window.sidebar.connect_worker(files)  # search and filters, answered on the file thread
    files.created.connect(window.open_path)
    files.moved.connect(window._on_moved)
    files.trashed.connect(window._on_trashed)
    files.failed.connect(lambda message: window.banner.show_message(message, "error"))
    window.renderer = RenderWorker()
    window.render_thread = start_worker(window.renderer, "broadsheet-render")
    window.request_render.connect(window.renderer.render)
    # Markdown is imported there, while this thread builds the rest of the window.
    QMetaObject.invokeMethod(window.renderer, "warm_up", Qt.ConnectionType.QueuedConnection)
    window.renderer.rendered.connect(window._on_rendered)
    window.slow_render = SlowRenderNote(window.statusBar())  # a slow render says so
    window.request_render.connect(window.slow_render.started)
    window.renderer.rendered.connect(window.slow_render.finished)
