"""Publish ▸ Import Posts from Blog…: choose a blog, watch the count, read the report.

The import runs on the dialog's own worker thread (editor/ui/blog_sync.py); Cancel stops it
between two posts, and importing again goes on from there. The report lists what was imported
and every draft kept partly as HTML, with why; activating a line opens that draft.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.publish.accounts import Blog
from editor.publish.import_report import ImportProgress, ImportReport
from editor.ui.sync_worker import BlogSyncWorker
from editor.ui.workers import start_dialog_worker

_PATH = Qt.ItemDataRole.UserRole


class ImportDialog(QDialog):
    """Import every post of one blog into the drafts library."""

    request_blogs = Signal()
    request_import = Signal(str, bool)
    open_draft = Signal(object)  # Path
    imported = Signal(object)  # ImportReport

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Posts from Blog")
        self.setMinimumWidth(620)
        explain = QLabel(
            "Every post of the blog — live, drafts and scheduled — becomes a draft here."
            " Publishing such a draft updates its post on the blog. Importing again skips"
            " what has not changed."
        )
        explain.setWordWrap(True)
        self.blog_box = QComboBox()
        self.blog_box.setAccessibleName("Blog to import")
        blog_label = QLabel("&Blog:")
        blog_label.setBuddy(self.blog_box)
        self.pages_box = QCheckBox("Include the blog's &pages")
        self.pages_box.setChecked(True)
        top = QHBoxLayout()
        top.addWidget(blog_label)
        top.addWidget(self.blog_box, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Import progress")
        self.progress.hide()
        self.status = QLabel("Loading your blogs…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Import status")
        self.report_list = QListWidget()
        self.report_list.setAccessibleName("Import report")
        self.report_list.setWordWrap(True)
        self.report_list.itemActivated.connect(self._open_item)
        self.report_list.hide()
        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel Import")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_box = close
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(top)
        layout.addWidget(self.pages_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.report_list, 1)
        layout.addLayout(buttons)
        self.running = False
        self.report: ImportReport | None = None

        self.worker = BlogSyncWorker()
        self.thread = start_dialog_worker(self, self.worker, "broadsheet-import")
        self.request_blogs.connect(self.worker.load_blogs)
        self.request_import.connect(self.worker.run_import)
        self.worker.blogs_loaded.connect(self._on_blogs)
        self.worker.progress.connect(self._on_progress)
        self.worker.imported.connect(self._on_imported)
        self.worker.failed.connect(self._on_failed)
        self.finished.connect(lambda _r: self.worker.cancel.set())  # closing stops the run
        self.request_blogs.emit()

    def _on_blogs(self, blogs: list[Blog]) -> None:
        self.blog_box.clear()
        for blog in blogs:
            self.blog_box.addItem(f"{blog.name} ({blog.url})" if blog.url else blog.name, blog.key)
        self.import_button.setEnabled(bool(blogs))
        if blogs:
            self._say("Choose a blog and press Import.")
        else:
            self._say("No blog is connected yet: use Publish ▸ Connect a Blog… first.")

    def start(self) -> None:
        key = self.blog_box.currentData()
        if not key or self.running:
            return
        self.running = True
        self.report_list.clear()
        self.report_list.hide()
        self.import_button.setEnabled(False)
        self.blog_box.setEnabled(False)
        self.pages_box.setEnabled(False)
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.progress.show()
        self._say("Reading the blog…")
        self.request_import.emit(str(key), self.pages_box.isChecked())

    def cancel(self) -> None:
        """Stop between two posts; what is imported stays, and importing again goes on."""
        self.worker.cancel.set()
        self.cancel_button.setEnabled(False)
        self._say("Stopping after this post…")

    def _on_progress(self, progress: ImportProgress) -> None:
        self._say(progress.text)

    def _on_imported(self, report: ImportReport) -> None:
        self._finish()
        self.report = report
        lines = report.lines()
        self._say(lines[0])
        for line in lines[1:]:
            self.report_list.addItem(QListWidgetItem(line))
        for path, _reasons in report.partly_html + report.whole_html:
            self._attach_path(path)
        self.report_list.show()
        self.imported.emit(report)

    def _attach_path(self, path: Path) -> None:
        """Let the report line that names `path` open it."""
        for i in range(self.report_list.count()):
            item = self.report_list.item(i)
            if path.name in item.text() and item.data(_PATH) is None:
                item.setData(_PATH, str(path))
                item.setToolTip(f"Open {path.name} (Enter or double-click)")

    def _on_failed(self, message: str) -> None:
        self._finish()
        self._say(message, error=True)

    def _finish(self) -> None:
        self.running = False
        self.progress.hide()
        self.cancel_button.hide()
        self.import_button.setEnabled(True)
        self.import_button.setText("&Import Again")
        self.blog_box.setEnabled(True)
        self.pages_box.setEnabled(True)

    def _open_item(self, item: QListWidgetItem) -> None:
        path = item.data(_PATH)
        if path:
            self.open_draft.emit(Path(path))

    def _say(self, message: str, error: bool = False) -> None:
        # A sign, not a colour, marks a failure: it reads on either theme's background.
        self.status.setText(("⚠ " if error else "") + message)
