"""The worker behind import and sync in the window: runs them, and the writer's choices, on its
own thread and reports by signals. It never touches a widget."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import Signal, Slot

from editor.publish.errors import PublishError
from editor.publish.import_report import ImportReport
from editor.publish.sync_conflicts import (
    SyncConflict,
    conflicts,
    keep_mine,
    take_theirs,
    writer_view,
)
from editor.ui.publish_worker import ServiceWorker

log = logging.getLogger(__name__)


class BlogSyncWorker(ServiceWorker):
    """Runs imports, syncs and conflict choices on its own thread; never touches a widget."""

    blogs_loaded = Signal(object)  # list[Blog]
    progress = Signal(object)  # ImportProgress
    imported = Signal(object)  # ImportReport
    synced = Signal(object, bool)  # list[ImportReport], quiet
    sync_failed = Signal(str)  # a check asked for by the writer could not run
    failed = Signal(str)
    conflicts_loaded = Signal(object)  # list[(SyncConflict, mine, theirs)]
    resolved = Signal(object, str)  # draft path, what happened
    resolve_failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.cancel = threading.Event()  # set from the GUI thread: Cancel

    @Slot()
    def load_blogs(self) -> None:
        try:
            self.blogs_loaded.emit(list(self.service.accounts().blogs.values()))
        except PublishError as exc:
            self.failed.emit(exc.message)

    @Slot(str, bool)
    def run_import(self, blog_key: str, pages: bool) -> None:
        self.cancel.clear()
        # Imported here, on the worker's thread: the HTML converter (BeautifulSoup) is not
        # needed to show the window, and importing it cost a good part of start-up.
        from editor.publish.blog_import import mirror_for

        try:
            mirror = mirror_for(
                self.service, blog_key, progress=self.progress.emit, cancel=self.cancel, pages=pages
            )
            self.imported.emit(mirror.import_all())
        except PublishError as exc:
            self.failed.emit(exc.message)
        except Exception:  # noqa: BLE001 - a bug must end the run with a message, not hang it
            log.exception("Import failed")
            self.failed.emit("The import stopped on an unexpected problem; nothing was lost.")

    @Slot(bool)
    def run_sync(self, quiet: bool) -> None:
        self.cancel.clear()
        reports: list[ImportReport] = []
        from editor.publish.blog_import import blogs_due, mirror_for

        try:
            blogs = (
                blogs_due(self.service) if quiet else list(self.service.accounts().blogs.values())
            )
            for blog in blogs:
                mirror = mirror_for(self.service, blog.key, cancel=self.cancel)
                reports.append(mirror.sync())
        except Exception as exc:  # noqa: BLE001 - the run must end with a signal either way
            if not isinstance(exc, PublishError):
                log.exception("Sync failed")
            if not quiet:
                self.sync_failed.emit(
                    exc.message
                    if isinstance(exc, PublishError)
                    else "Checking the blog stopped on an unexpected problem."
                )
                return
        self.synced.emit(reports, quiet)  # a quiet check says nothing unless something changed

    @Slot()
    def load_conflicts(self) -> None:
        found = []
        for conflict in conflicts(self.service.paths):
            try:
                found.append(
                    (conflict, writer_view(conflict.mine()), writer_view(conflict.theirs()))
                )
            except PublishError as exc:
                self.resolve_failed.emit(exc.message)
        self.conflicts_loaded.emit(found)

    @Slot(object, bool)
    def resolve(self, conflict: SyncConflict, keep: bool) -> None:
        try:
            (keep_mine if keep else take_theirs)(self.service.paths, conflict)
        except (PublishError, OSError) as exc:
            self.resolve_failed.emit(str(exc))
            return
        if keep:
            message = f"Kept your version of “{conflict.title}”; the blog's is in its history."
        else:
            message = f"“{conflict.title}” now has the blog's version; yours is in its history."
        self.resolved.emit(conflict.path, message)
