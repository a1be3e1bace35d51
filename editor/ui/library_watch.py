"""The drafts list follows the drafts folder while the window is open.

Another program (a sync client, a second editor, a shell) may add, replace, rename or delete
drafts while Broadsheet runs. The folder is watched (a settled burst of changes lists the
library again; the index reads only files whose size or time changed), and the list is also
refreshed when the writer comes back to the window, for edits made in place, which a folder
watch does not report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

# A sync client writes many files at once, and the window's own autosaves touch the folder
# while the writer types: list once the folder has been quiet this long.
SETTLE_MS = 1000


class LibraryWatch(QObject):
    """Calls `refresh` after the drafts folder changed, and when the app is active again."""

    def __init__(self, folder: Path, refresh: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.folder = folder
        self.refresh = refresh
        self.watcher = QFileSystemWatcher(self)
        self.settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self.settle.timeout.connect(self._changed)
        self.watcher.directoryChanged.connect(lambda _path: self.settle.start())
        self.watch()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_state)

    def watch(self, *_listed: object) -> None:
        """Watch the folder (again: it may have been created or replaced since, as on the
        first start, where the sample draft makes it after the window): also after each
        listing of the library."""
        if self.folder.is_dir() and str(self.folder) not in self.watcher.directories():
            self.watcher.addPath(str(self.folder))

    def _changed(self) -> None:
        self.watch()
        self.refresh()

    def _on_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self._changed()
