"""The publish queue in the window: the "Waiting to publish: N" indicator, the queue dialog,
and sending the queue when the network is back (editor/ui/network_watch.py).

A Publish that finds the blog unreachable (or its server failing) is queued by the publish
worker (editor.publish.queue.publish_or_queue); this controller shows the queue and sends it
in order, exactly once (editor.publish.queue.send_queue), off the GUI thread. A conflict stops
the queue and asks the writer with the same dialog as a Publish click. A Schedule… on a blog
that cannot schedule is queued until its time. The queue file is watched, so posts queued from
the command line show up at once; each reading also tells the post panel which drafts wait.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar, QWidget

from editor.publish.base import PublishMode
from editor.publish.errors import ConflictError, OfflineError, PublishError, ServerError
from editor.ui.network_watch import FIRST_TRY_MS, LONGEST_WAIT_MS, NetworkWatch
from editor.ui.queue_dialog import QueueDialog
from editor.ui.queue_indicator import QueueIndicator
from editor.ui.queue_worker import QueueRow, QueueSent, QueueState, QueueWorker

if TYPE_CHECKING:
    from editor.ui.banner import Banner
    from editor.ui.publish_worker import PublishWorker
    from editor.ui.publishing import PublishController


class QueueController(QObject):
    """Indicator, dialog and watch of the publish queue for one window."""

    request_refresh = Signal()
    request_check = Signal()  # the queue's folder changed: read it again if its file did
    request_send = Signal()
    request_cancel = Signal(str)
    waiting_changed = Signal(object)  # {draft path: its status in words}, for the post panel

    # The back-off of the network watch (tests make it short).
    first_try_ms = FIRST_TRY_MS
    longest_wait_ms = LONGEST_WAIT_MS
    # A change to the queue file (the command line, another window) is read after this pause.
    settle_ms = 150

    def __init__(
        self,
        publishing: PublishController,
        publish_worker: PublishWorker,
        status_bar: QStatusBar,
        banner: Banner,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.publishing = publishing
        self.banner = banner
        self.parent_widget = parent
        self.state = QueueState()
        self.sending = False
        self.listed_once = False
        self.dialog: QueueDialog | None = None
        self.sent_now: list[QueueSent] = []  # what the send under way put out so far
        self.worker = QueueWorker(lambda: publish_worker.service)
        self.worker.moveToThread(publish_worker.thread())  # the publish thread: one at a time
        self.request_refresh.connect(self.worker.refresh)
        self.request_check.connect(self.worker.refresh_if_changed)
        self.request_send.connect(self.worker.send)
        self.request_cancel.connect(self.worker.cancel)
        self.worker.listed.connect(self._on_listed)
        self.worker.sent.connect(self._on_sent)
        self.worker.stopped.connect(self._on_stopped)
        self.worker.send_finished.connect(self._on_send_finished)
        self.watch = NetworkWatch(self, self.first_try_ms, self.longest_wait_ms)
        self.watch.due.connect(self.send_now)
        self.indicator = QueueIndicator()
        self.indicator.clicked.connect(self.show_dialog)
        status_bar.addPermanentWidget(self.indicator)
        self.action = QAction("&Waiting to Publish…", parent)
        self.action.setToolTip("The posts waiting for the blog to answer")
        self.action.triggered.connect(self.show_dialog)  # the publishing menu shows it
        # Posts queued elsewhere show up at once: the file is replaced at every change (the
        # folder's watch sees that), and its own watch is set again after each replace.
        queue_file = publishing.window.paths.publish_queue_file
        self.watched = (str(queue_file.parent), str(queue_file))
        self.files = QFileSystemWatcher(self)
        self.settle = QTimer(self, singleShot=True, interval=self.settle_ms)
        self.settle.timeout.connect(self._file_changed)
        self.files.fileChanged.connect(self.settle.start)
        self.files.directoryChanged.connect(self.settle.start)
        # Read once the first draft is editable: reading imports the publishing stack on the
        # publish thread, whose import lock the opening must not meet (issue 17).
        publishing.window.when_editable(self.request_refresh.emit)

    # ------------------------------------------------------------------ the queue
    def refresh(self) -> None:
        """Read the queue again (after a publish was queued)."""
        self.request_refresh.emit()

    def held(self, path: Path) -> datetime | None:
        """When the queue publishes the draft at `path`, if it holds it until a time."""
        return self.state.held(path)

    def _file_changed(self) -> None:
        self._arm()
        self.request_check.emit()

    def _arm(self) -> None:
        """Watch the queue's folder and file (a replaced file drops out of the watch)."""
        have = set(self.files.files()) | set(self.files.directories())
        wanted = [path for path in self.watched if path not in have]
        if wanted:
            self.files.addPaths(wanted)  # the file only once it exists: no failure said

    def send_now(self) -> None:
        """Send what is due, in order, on the publish thread."""
        if self.sending or not self.state.rows:
            return
        self.sent_now = []
        self.watch.resume()
        self.watch.stop()
        self.sending = True
        self._show()
        self.request_send.emit()

    def network_seems_back(self) -> None:
        """A publish just reached a blog: what waits for the network may go too."""
        if self.state.ready and not self.watch.paused:
            self.send_now()

    def cancel(self, queued_id: str) -> None:
        self.request_cancel.emit(queued_id)

    def _on_listed(self, state: QueueState) -> None:
        first = not self.listed_once
        self.listed_once = True
        self.state = state
        if not self.sending:
            # At start, what waits is tried at once: the network is often back by then.
            self.watch.schedule(state.ready, state.next_due, soon=first)
        self._arm()
        self._show()
        self.waiting_changed.emit(dict(state.drafts))

    def _show(self) -> None:
        rows = self.state.rows
        note = next((row.queued.note for row in rows if row.queued.note), "")
        self.indicator.show_count(len(rows), note)
        if self.dialog is not None:
            self.dialog.show_state(self.state, self.watch.next_try, self.sending)

    def _on_sent(self, sent: QueueSent) -> None:
        from editor.ui.publish_worker import PublishJob, PublishOutcome

        queued = sent.row.queued
        job = PublishJob(Path(queued.path), queued.blog, PublishMode(queued.mode), queued.when)
        self.publishing.keep_record(PublishOutcome(job, sent.result))
        self.sent_now.append(sent)

    def _published_words(self) -> str:
        """One sentence for what the send put out (said once, when it ends or stops)."""
        sent, self.sent_now = self.sent_now, []
        if len(sent) == 1:
            url = sent[0].result.url
            return f"Published from the queue: “{sent[0].row.title}”" + (
                f" is at {url}." if url else " is on the blog."
            )
        titles = [f"“{one.row.title}”" for one in sent[:3]]
        more = f" and {len(sent) - 3} more" if len(sent) > 3 else ""
        return (
            f"{len(sent)} posts published from the queue: {', '.join(titles)}{more}."
            if sent
            else ""
        )

    def _on_stopped(self, row: QueueRow, problem: PublishError) -> None:
        if isinstance(problem, OfflineError | ServerError):
            self.watch.failed()  # still unreachable: wait longer next time
            return
        done = self._published_words()  # said before why it stopped
        done = f"{done} " if done else ""
        if isinstance(problem, ConflictError):
            self.watch.pause()
            self.banner.show_message(
                f"{done}“{row.title}” waits to be published, but the post on {row.blog_name} was"
                " changed elsewhere since you last published it. Nothing was overwritten.",
                "warning",
                "publish-queue",
                [
                    ("Resolve…", lambda: self.resolve(row, problem)),
                    ("Open Draft", lambda: self.publishing.open_draft(Path(row.queued.path))),
                ],
            )
            return
        self.watch.failed()
        self.banner.show_message(
            f"{done}“{row.title}” could not be published from the queue: {problem.message}",
            "error",
            "publish-queue",
            [("Waiting to Publish…", self.show_dialog)],
        )

    def _on_send_finished(self, anything: bool) -> None:
        self.sending = False
        said = self._published_words()
        if said:
            self.banner.show_message(said, "info", "publish")
        if anything:
            self.watch.succeeded()
        if not self.watch.paused:
            self.watch.schedule(self.state.ready, self.state.next_due)
        self._show()

    def resolve(self, row: QueueRow, conflict: ConflictError) -> None:
        """The conflict dialog of a Publish click; whatever the writer answers, the post
        leaves the queue (answered), and the rest of the queue goes on."""
        self.banner.clear_message(topic="publish-queue")
        self.request_cancel.emit(row.queued.id)  # before a publish it may start: same thread
        self.publishing.answer_conflict(
            Path(row.queued.path),
            row.queued.blog,
            PublishMode(row.queued.mode),
            row.queued.when,
            conflict,
        )
        self.watch.resume()
        self.watch.schedule(self.state.ready, self.state.next_due)  # a newer listing re-arms

    # ------------------------------------------------------------------ the dialog
    def show_dialog(self) -> None:
        """Publish ▸ Waiting to Publish… (or a click on the indicator)."""
        if self.dialog is None:
            dialog = QueueDialog(self.parent_widget)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.send_requested.connect(self.send_now)
            dialog.cancel_requested.connect(self.cancel)
            dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
            self.dialog = dialog
        self.request_refresh.emit()
        self._show()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def shutdown(self) -> None:
        self.watch.pause()
        if self.dialog is not None:
            self.dialog.reject()
