"""Update all N posts: the dialog that re-publishes every published post using a snippet.

The batch (editor/publish/snippet_update.py) runs on the dialog's own worker thread and reports
by signals; Cancel stops it between posts. A post changed on the blog is listed, not sent, with
a way to open its draft.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.publish.errors import PublishError
from editor.ui.publish_worker import ServiceWorker
from editor.ui.workers import start_dialog_worker

if TYPE_CHECKING:
    from editor.publish.service import PublishService
    from editor.publish.snippet_update import PostOutcome, UpdateProgress, UpdateReport, UsingPost

PATH_ROLE = Qt.ItemDataRole.UserRole
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 1
OUTCOME_WORDS = {
    "updated": "✓ Updated",
    "conflict": "⚠ Changed on the blog, not updated",
    "failed": "✗ Not updated",
}
SENDING = "→ Updating…"
WAITING = "○ Waiting"


class SnippetWorker(ServiceWorker):
    """Lists the posts using a snippet and updates them, on its own thread."""

    usage = Signal(object)  # {snippet name: published posts using it}
    listed = Signal(str, object, int)  # name, [UsingPost], posts done by an interrupted run
    progressed = Signal(object)  # UpdateProgress
    finished = Signal(object)  # UpdateReport
    failed = Signal(str)  # one sentence

    def __init__(self, service: PublishService | None = None) -> None:
        super().__init__()
        self._service = service
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop between posts (called from the GUI thread while `run` works)."""
        self._cancel.set()

    @Slot()
    def count_usage(self) -> None:
        """Each snippet with the number of published posts using it."""
        from editor.publish.snippet_update import usage_counts

        try:
            self.usage.emit(usage_counts(self.service))
        except PublishError as exc:
            self.failed.emit(exc.message)

    @Slot(str)
    def list_posts(self, name: str) -> None:
        """The posts an update of `name` sends (an interrupted run's, when there is one)."""
        from editor.publish.snippet_update import SnippetUpdate

        try:
            update = SnippetUpdate(self.service, name)
            interrupted = update.interrupted()
            done = len(interrupted["done"]) if interrupted else 0
            self.listed.emit(name, update.posts(), done)
        except PublishError as exc:
            self.failed.emit(exc.message)

    @Slot(str)
    def run(self, name: str) -> None:
        """Update every post using `name`, reporting after each one."""
        from editor.core.atomic import WriteError
        from editor.publish.snippet_update import SnippetUpdate

        self._cancel.clear()
        try:
            update = SnippetUpdate(self.service, name)
            report = update.run(self.progressed.emit, self._cancel.is_set)
        except PublishError as exc:
            self.failed.emit(exc.message)
        except WriteError as exc:
            self.failed.emit(
                f"Nothing was sent: the update's journal could not be written ({exc})."
            )
        else:
            self.finished.emit(report)


class UpdateAllDialog(QDialog):
    """Lists the published posts using a snippet; "Update all N posts" re-publishes them."""

    request_list = Signal(str)
    request_run = Signal(str)
    open_draft = Signal(object)  # Path: the writer wants to see a post that was not updated

    def __init__(
        self, parent: QWidget | None, name: str, service: PublishService | None = None
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.setWindowTitle(f"Update Posts Using “{name}”")
        self.setAccessibleName("Update all posts using a snippet")
        self.resize(600, 400)
        self.posts: list[UsingPost] = []
        self.running = False
        self.report: UpdateReport | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel(f"Finding the published posts that use “{name}”…")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        note = QLabel(
            "Each post is checked on its blog first: a post changed there since you last"
            " published it is left as it is and listed here."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName("Posts using the snippet")
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.list.itemActivated.connect(lambda _item: self._open_selected())
        layout.addWidget(self.list, 1)
        self.current = QLabel("")
        self.current.setAccessibleName("Current post")
        self.current.setWordWrap(True)
        layout.addWidget(self.current)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Update progress")
        self.progress.setFormat("%v of %m posts")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.summary = QLabel("")
        self.summary.setAccessibleName("Summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.start_button = QPushButton("&Update All Posts")
        self.start_button.setAccessibleName("Update all posts")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.open_button = QPushButton("&Open Draft")
        self.open_button.setAccessibleName("Open the draft of the selected post")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_selected)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.worker = SnippetWorker(service)
        self.thread_ = start_dialog_worker(self, self.worker, "broadsheet-snippets")
        # The dialog gone (its window closed) while a batch runs: the batch stops after the
        # post being sent, so quitting never waits for the whole batch; the journal keeps the
        # rest. Set directly, on the thread that destroys the dialog: the worker's is busy.
        stop = self.worker._cancel
        self.destroyed.connect(lambda *_: stop.set())
        self.request_list.connect(self.worker.list_posts)
        self.request_run.connect(self.worker.run)
        self.worker.listed.connect(self._on_listed)
        self.worker.progressed.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.request_list.emit(name)

    # ------------------------------------------------------------------ listing
    @Slot(str, object, int)
    def _on_listed(self, _name: str, posts: list[UsingPost], done: int) -> None:
        self.posts = posts
        self.list.clear()
        for post in posts:
            item = QListWidgetItem(self._line(post))
            item.setData(PATH_ROLE, str(post.path))
            item.setToolTip(post.url or str(post.path))  # where the post is
            self.list.addItem(item)
        count = len(posts)
        if not count:
            self.heading.setText(f"No published post uses “{self.name}”.")
            self.cancel_button.setText("&Close")
            return
        plural = "s" if count != 1 else ""
        self.heading.setText(f"{count} published post{plural} use “{self.name}”.")
        if done:
            self.summary.setText(
                f"An earlier update stopped after {done} of {count} posts; it goes on with the"
                " rest."
            )
        self.start_button.setText(f"&Update All {count} Post{plural}")
        self.start_button.setAccessibleName(f"Update all {count} posts")
        self.start_button.setEnabled(True)
        self.start_button.setDefault(True)
        self.start_button.setFocus()
        self.progress.setRange(0, count)
        self.progress.setValue(done)

    def _line(self, post: UsingPost, said: str = WAITING) -> str:
        return f"{said} — {post.title}"

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Send every post (the worker reports after each one)."""
        if self.running or not self.posts:
            return
        self.running = True
        self.start_button.setEnabled(False)
        self.cancel_button.setText("&Cancel")
        self.summary.setText("")
        self.current.setText("Starting…")
        self.request_run.emit(self.name)

    def cancel(self) -> None:
        """Cancel stops the batch after the post being sent; before or after, it closes."""
        if self.running:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.current.setText("Cancelling after the post being sent…")
            return
        self.reject()

    @Slot(object)
    def _on_progress(self, step: UpdateProgress) -> None:
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(step.done)
        if step.current is not None:
            self.current.setText(
                f"Updating “{step.current.title}” ({step.done + 1} of {step.total})…"
            )
            item = self._item(step.current)
            if item is not None:
                item.setText(self._line(step.current, SENDING))
        if step.outcome is not None:
            self._show_outcome(step.outcome)

    def _item(self, post: UsingPost) -> QListWidgetItem | None:
        for row, listed in enumerate(self.posts):
            if listed.key == post.key and row < self.list.count():
                return self.list.item(row)
        return None

    def _show_outcome(self, outcome: PostOutcome) -> None:
        item = self._item(outcome.post)
        if item is not None:
            said = OUTCOME_WORDS.get(outcome.outcome, outcome.outcome)
            text = self._line(outcome.post, said)
            if outcome.outcome == "failed" and outcome.message:
                text += f": {outcome.message}"
            item.setText(text)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, outcome.message)
            item.setToolTip(outcome.message or outcome.post.url)
            item.setData(OUTCOME_ROLE, outcome.outcome)
        self._update_buttons()

    @Slot(object)
    def _on_finished(self, report: UpdateReport) -> None:
        self.running = False
        self.report = report
        for outcome in report.outcomes:
            self._show_outcome(outcome)
        self.progress.setValue(len(report.outcomes))
        self.current.setText("")
        self.summary.setText(report.summary())
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Close")
        self.start_button.setEnabled(not report.finished)
        if not report.finished:
            self.start_button.setText("&Go On")
            self.start_button.setAccessibleName("Go on with the posts not yet updated")
        self._update_buttons()

    @Slot(str)
    def _on_failed(self, sentence: str) -> None:
        self.running = False
        self.summary.setText(sentence)
        self.current.setText("")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Close")

    # ------------------------------------------------------------------ drafts
    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        outcome = item.data(OUTCOME_ROLE) if item is not None else None
        self.open_button.setEnabled(outcome in ("conflict", "failed"))

    def _open_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(OUTCOME_ROLE) in ("conflict", "failed"):
            self.open_draft.emit(Path(item.data(PATH_ROLE)))

    def done(self, result: int) -> None:
        """Closing by Escape or a button ends the worker's thread too."""
        if self.running:
            self.cancel()
            return  # the batch stops after its current post; then Close closes
        super().done(result)  # the worker's thread retires (start_dialog_worker)
