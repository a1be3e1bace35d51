"""Import and sync in the window: the worker that runs them, and the menu actions.

Publish ▸ Import Posts from Blog… opens the import dialog; Publish ▸ Check the Blog for Changes
syncs every blog; a quiet sync runs a while after start-up for blogs not checked in the last
hour (nothing is shown unless something changed). All network and disk work is on the worker's
thread; the window learns the outcome by signals and shows it in the banner.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from editor.publish.import_report import ImportReport
from editor.publish.sync_conflicts import (
    SyncConflict,
)
from editor.ui.sync_worker import BlogSyncWorker
from editor.ui.workers import start_worker, stop_thread

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from editor.ui.banner import Banner


class SyncWindow(Protocol):
    """What the controller uses of the main window (not the window itself)."""

    banner: Banner
    request_list: SignalInstance  # re-list the drafts

    def open_path(self, path: Path, encoding: str | None = None) -> None: ...


QUIET_SYNC_DELAY_MS = 20_000  # after start-up: the writer's first minute belongs to writing


class BlogSyncController(QObject):
    """The import/sync menu actions of one window, and the banner messages they lead to."""

    request_sync = Signal(bool)
    request_conflicts = Signal()
    request_resolve = Signal(object, bool)

    def __init__(self, window: SyncWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self.parent_widget = parent
        self.worker = BlogSyncWorker()
        self.thread = start_worker(self.worker, "broadsheet-sync")
        self.request_sync.connect(self.worker.run_sync)
        self.request_conflicts.connect(self.worker.load_conflicts)
        self.request_resolve.connect(self.worker.resolve)
        self.worker.synced.connect(self._on_synced)
        self.worker.sync_failed.connect(self._on_sync_failed)
        self.worker.conflicts_loaded.connect(self._on_conflicts)
        self.worker.resolved.connect(self._on_resolved)
        self.worker.resolve_failed.connect(lambda message: self._say(message, "error"))
        self.import_dialog: QObject | None = None
        self.conflict_dialog: QObject | None = None
        self.syncing = False
        self.import_action = QAction("Import Posts from &Blog…", parent)
        self.import_action.setToolTip("Bring every post of a blog into your drafts")
        self.import_action.triggered.connect(self.show_import_dialog)
        self.sync_action = QAction("Check the Blog for C&hanges", parent)
        self.sync_action.setToolTip("Bring back posts changed on the blog since the last check")
        self.sync_action.triggered.connect(lambda: self.sync(quiet=False))
        self.conflicts_action = QAction("Compare &Versions Changed on the Blog…", parent)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.quiet_timer = QTimer(self)
        self.quiet_timer.setSingleShot(True)
        self.quiet_timer.timeout.connect(lambda: self.sync(quiet=True))

    def add_to(self, menu: object) -> None:
        """Put the actions in the Publish menu."""
        for action in (self.import_action, self.sync_action, self.conflicts_action):
            menu.addAction(action)  # type: ignore[attr-defined]

    def start_quiet_sync(self, delay_ms: int = QUIET_SYNC_DELAY_MS) -> None:
        """Check blogs not checked for an hour, a while after start-up, without a word unless
        something changed."""
        self.quiet_timer.start(delay_ms)

    def close(self) -> None:
        self.quiet_timer.stop()
        self.worker.cancel.set()
        stop_thread(self.thread)

    # ---------------------------------------------------------------- sync
    def sync(self, *, quiet: bool) -> None:
        if self.syncing:
            return
        self.syncing = True
        if not quiet:
            self._say("Checking the blog for changes…", "info")
        self.request_sync.emit(quiet)

    def _on_synced(self, reports: list[ImportReport], quiet: bool) -> None:
        self.syncing = False
        self._refresh()
        waiting = sum(len(r.conflicts) for r in reports)
        changed = [r for r in reports if r.changed_anything]
        if quiet and not changed:
            return
        if not reports:
            self._say("No blog is connected yet: use Publish ▸ Connect a Blog… first.", "info")
            return
        parts = []
        for report in reports:
            facts = [
                f"{len(report.updated)} brought up to date" if report.updated else "",
                f"{len(report.created)} new" if report.created else "",
                f"{len(report.conflicts)} changed there and here" if report.conflicts else "",
                f"{len(report.deleted)} deleted there" if report.deleted else "",
                report.error.rstrip("."),
            ]
            said = ", ".join(f for f in facts if f) or "nothing new"
            parts.append(f"{report.blog_name}: {said}.")
        text = "Checked your blogs. " + " ".join(parts)
        if waiting:
            text += " Nothing was overwritten: choose which version to keep."
            self.window.banner.show_message(
                text, "warning", topic="sync", actions=[("Compare…", self.show_conflicts)]
            )
        else:
            self.window.banner.show_message(text, "info", topic="sync")

    # ------------------------------------------------------------ conflicts
    def show_conflicts(self) -> None:
        self.request_conflicts.emit()

    def _on_conflicts(self, found: list[tuple[SyncConflict, str, str]]) -> None:
        if not found:
            self._say("No post is waiting for a choice between two versions.", "info")
            return
        from editor.ui.sync_conflict_dialog import SyncConflictDialog

        dialog = SyncConflictDialog(found, self.parent_widget)
        dialog.chosen.connect(self.request_resolve.emit)
        self.worker.resolved.connect(dialog.settled)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "conflict_dialog", None))
        dialog.open()

    def _on_resolved(self, path: object, message: str) -> None:
        self.window.request_list.emit()
        self._say(message, "info")

    # --------------------------------------------------------------- import
    def show_import_dialog(self) -> None:
        from editor.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.parent_widget)
        dialog.open_draft.connect(self.window.open_path)
        dialog.imported.connect(lambda _report: self._refresh())
        self.import_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "import_dialog", None))
        dialog.open()

    def _refresh(self) -> None:
        """The drafts list and the labels offered while typing follow what came in."""
        self.window.request_list.emit()
        labels = getattr(getattr(self.window, "desk", None), "labels", None)
        if labels is not None:
            labels.refresh()

    def _on_sync_failed(self, message: str) -> None:
        self.syncing = False
        self._say(message, "error")

    def _say(self, message: str, level: str) -> None:
        self.window.banner.show_message(message, level, topic="sync")
