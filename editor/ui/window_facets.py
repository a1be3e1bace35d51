"""What the window's controllers and mixins may use of the main window, as small Protocols.

A controller names the facets it needs instead of importing editor.ui.main_window: the window
satisfies each of these (structurally), and no module but the builders (main_window.py,
window_parts.py, first_paint.py, app.py) imports the window. tests/test_layers.py holds that.

Nothing here runs: the Protocols are for the reader and the type checker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QFileSystemWatcher, QThread, QTimer, SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStatusBar, QToolBar

    from editor.core.draft_life import DraftLife
    from editor.core.history import HistoryStore
    from editor.core.open_draft import OpenDocument
    from editor.core.paths import AppPaths
    from editor.core.session import SessionState
    from editor.core.settings import Settings
    from editor.ui.banner import Banner
    from editor.ui.desk import WritersDesk
    from editor.ui.drafts_sidebar import DraftsSidebar
    from editor.ui.editor_pane import MarkdownEditor
    from editor.ui.file_worker import FileWorker
    from editor.ui.insert_tools import InsertTools
    from editor.ui.looks import PreviewLooks
    from editor.ui.preview_pane import PreviewPane
    from editor.ui.publishing import PublishController


class Messages(Protocol):
    """Where a controller tells the writer something: the status bar and the banner."""

    banner: Banner

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt API name)


class Document(Protocol):
    """The open draft, its text and the window's menus."""

    editor: MarkdownEditor
    menus: dict[str, QMenu]

    @property
    def doc(self) -> OpenDocument | None: ...


class Saving(Protocol):
    """Saving the open draft and opening another."""

    @property
    def dirty(self) -> bool: ...

    def save(self, snapshot: str | None = "typing", force: bool = False) -> None: ...

    def open_path(self, path: Path, encoding: str | None = None) -> None: ...


class InsertHost(Document, Messages, Protocol):
    """What InsertTools uses (editor/ui/insert_tools.py)."""

    file_thread: QThread


class FormatHost(Document, Protocol):
    """What FormatMenu uses (editor/ui/format_menu.py)."""

    inserts: InsertTools


class TitleFilesHost(Protocol):
    """What TitleFileNames uses (editor/ui/title_files.py)."""

    files: FileWorker
    publishing: PublishController

    @property
    def doc(self) -> OpenDocument | None: ...

    @property
    def dirty(self) -> bool: ...


class EncodingsHost(Document, Messages, Saving, Protocol):
    """What FileEncodings uses (editor/ui/file_encodings.py)."""

    files: FileWorker
    life: DraftLife


class ExportHost(Document, Messages, Protocol):
    """What Exporter uses (editor/ui/export.py)."""

    file_thread: QThread
    settings: Settings
    desk: WritersDesk
    caption_style: str
    rendered_title: str


class LooksHost(Messages, Protocol):
    """What PreviewLooks uses (editor/ui/looks.py)."""

    menus: dict[str, QMenu]
    paths: AppPaths
    settings: Settings
    desk: WritersDesk
    caption_style: str
    default_blog_key: str | None

    def refresh_preview(self) -> None: ...


class PostPanelHost(Document, Protocol):
    """What PostPanel uses (editor/ui/post_panel.py)."""

    settings: Settings
    desk: WritersDesk
    looks: PreviewLooks


class PublishingHost(Document, Messages, Saving, Protocol):
    """What PublishController uses (editor/ui/publishing.py); also BlogSyncController's
    SyncWindow (editor/ui/blog_sync.py)."""

    files: FileWorker
    paths: AppPaths
    publish_toolbar: QToolBar
    request_snapshot: SignalInstance
    request_list: SignalInstance

    def refresh_drafts(self) -> None: ...

    def when_editable(self, job: Callable[[], None]) -> None: ...

    def replace_text_after_publish(self, text: str) -> int: ...


class SnippetsHost(Document, Messages, Saving, Protocol):
    """What SnippetsController uses (editor/ui/snippets_ui.py)."""

    paths: AppPaths
    files: FileWorker
    publishing: PublishController


class DeskHost(Document, Messages, Protocol):
    """What WritersDesk uses (editor/ui/desk.py) besides the Qt main window itself."""

    paths: AppPaths
    settings: Settings
    files: FileWorker
    file_thread: QThread
    sidebar: DraftsSidebar
    preview: PreviewPane
    sidebar_action: QAction
    preview_action: QAction
    caption_style: str
    default_blog_key: str | None

    def refresh_preview(self) -> None: ...

    def when_editable(self, job: Callable[[], None]) -> None: ...


class DraftWindow(Document, Messages, Saving, Protocol):
    """The window's own draft handling, as its mixins (editor/ui/external_changes.py,
    editor/ui/draft_safety.py) see the rest of it."""

    life: DraftLife
    files: FileWorker
    settings: Settings
    session: SessionState | None
    history: HistoryStore
    rendered_title: str
    save_label: QLabel
    watcher: QFileSystemWatcher
    autosave_timer: QTimer
    autosave_deadline: QTimer
    disk_check_timer: QTimer
    request_snapshot: SignalInstance
    request_settle: SignalInstance
    request_recovery: SignalInstance
    request_poll: SignalInstance
    request_check: SignalInstance

    @property
    def generation(self) -> int: ...

    def draft_name(self, path: Path) -> str: ...

    def close_draft(self) -> None: ...

    def save_as(self) -> None: ...

    def _update_title(self) -> None: ...

    def _schedule_render(self) -> None: ...

    def _unwatch(self) -> None: ...

    def isActiveWindow(self) -> bool: ...  # noqa: N802 (Qt API name)


if TYPE_CHECKING:

    class DraftWindowBase(QMainWindow, DraftWindow):
        """The base the window's mixins see when type-checked (at run time: `object`): a Qt
        main window (its methods first) with the rest of the window's draft handling."""
