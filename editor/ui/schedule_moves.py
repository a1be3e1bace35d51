"""Publish ▸ Move Schedule… and Cancel Schedule: change the time a scheduled post goes live, or
take it back to a draft on the blog (editor.publish.schedule does the work).

Shown while the open draft is scheduled: on its blog (its `status: scheduled` line), or held by
Broadsheet's queue until its time (a blog that cannot schedule; the queue controller's last
reading says so). The change runs on the publish thread like every publish, and its outcome
comes back by signal: the draft's `status:`, `scheduled:` and `published:` lines follow, so the
post panel shows the new time with its zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from editor.core.post import FrontMatterError, parse_post
from editor.core.post_fields import read_fields
from editor.core.post_records import load_records
from editor.publish.base import DRAFT
from editor.publish.errors import LeftAsDraftError, PublishError
from editor.ui.publish_dialogs import ScheduleDialog
from editor.ui.publish_worker import ServiceWorker

if TYPE_CHECKING:
    from editor.publish.schedule import ScheduleChange
    from editor.ui.publishing import PublishController


@dataclass(frozen=True)
class ScheduleJob:
    """Move the draft's scheduled post to `at`, or cancel its schedule (`at` is None)."""

    path: Path
    at: dt.datetime | None


class ScheduleWorker(ServiceWorker):
    """Moves and cancels schedules on the publish thread."""

    progress = Signal(str)
    changed = Signal(object, object)  # ScheduleJob, ScheduleChange
    failed = Signal(object, str)  # ScheduleJob, one sentence
    # ScheduleJob, ScheduleChange: a move stopped halfway left the post a draft on the blog
    # (said just before `failed`); the draft's record says so
    left_as_draft = Signal(object, object)

    @Slot(object)
    def change(self, job: ScheduleJob) -> None:
        """Move or cancel; the window keeps the outcome in the draft's text."""
        try:
            options = {"progress": self.progress.emit, "write_back": False}
            if job.at is None:
                done = self.service.unschedule(job.path, **options)
            else:
                done = self.service.reschedule(job.path, job.at, **options)
        except LeftAsDraftError as exc:
            if exc.record:
                from editor.publish.schedule import ScheduleChange

                left = ScheduleChange(exc.blog_key, "", None, "", DRAFT, False, "", exc.record)
                self.left_as_draft.emit(job, left)
            self.failed.emit(job, exc.message)
            return
        except PublishError as exc:
            self.failed.emit(job, exc.message)
            return
        self.changed.emit(job, done)


class ScheduleMoves(QObject):
    """The two actions of a scheduled draft, in the Publish menu after Schedule…."""

    request = Signal(object)  # ScheduleJob

    def __init__(self, controller: PublishController, menu: QMenu) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.dialog: ScheduleDialog | None = None
        self.confirm: QMessageBox | None = None
        self.move_action = QAction("&Move Schedule…", self.window)
        self.move_action.setToolTip("Publish this scheduled post at another time")
        self.move_action.triggered.connect(self.move)
        self.cancel_action = QAction("Ca&ncel Schedule", self.window)
        self.cancel_action.setToolTip("Do not publish this post at its time: keep it as a draft")
        self.cancel_action.triggered.connect(self.cancel)
        for action in (self.move_action, self.cancel_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menu.addAction(action)
        menu.aboutToShow.connect(self.update_actions)
        self.worker = ScheduleWorker()
        self.worker.moveToThread(controller.thread)
        self.request.connect(self.worker.change)
        self.worker.progress.connect(controller.on_progress)
        self.worker.changed.connect(self._on_changed)
        self.worker.left_as_draft.connect(self._keep)
        self.worker.failed.connect(self._on_failed)
        self.update_actions()

    def scheduled(self) -> bool:
        """The open draft's post is scheduled (as its front matter says), or the queue holds
        it until its time."""
        doc = self.window.doc
        if doc is None:
            return False
        if self.controller.queue.held(doc.path) is not None:
            return True
        return read_fields(self.window.editor.toPlainText()).status == "scheduled"

    def update_actions(self) -> None:
        shown = self.scheduled()
        idle = self.controller.busy_path is None
        for action in (self.move_action, self.cancel_action):
            action.setVisible(shown)
            action.setEnabled(shown and idle)

    def current_time(self) -> dt.datetime | None:
        """When the post goes live now: the queue's time for a post it holds, its record's time
        (one small file, read at the click), else the draft's `scheduled:` line."""
        doc = self.window.doc
        if doc is None:
            return None
        held = self.controller.queue.held(doc.path)
        if held is not None:
            return held
        for record in load_records(doc.path).values():
            when = record.get("scheduled")
            if str(record.get("status") or "").upper() == "SCHEDULED" and isinstance(when, str):
                try:
                    return dt.datetime.fromisoformat(when)
                except ValueError:
                    continue
        return read_fields(self.window.editor.toPlainText()).scheduled

    def move(self) -> None:
        """Ask for the new time (the current one filled in), then move the schedule."""
        from editor.ui.zone_words import zone_name

        if not self._can_start():
            return
        when = self.current_time()
        shown = (when or dt.datetime.now().astimezone()).astimezone()
        dialog = ScheduleDialog(self.window, when=when, zone=zone_name(shown))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._start(dialog.moment()))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def cancel(self) -> None:
        """Ask first, then cancel the schedule (the post stays on the blog as a draft)."""
        if not self._can_start():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Cancel Schedule",
            "Cancel the schedule of this post? It will not go live at its time; it stays on"
            " the blog as a draft, and you can publish or schedule it again.",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        yes = box.addButton("Cancel Schedule", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep Schedule", QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._start(None) if button is yes else None)
        box.finished.connect(lambda _r: setattr(self, "confirm", None))
        self.confirm = box
        box.open()

    def _can_start(self) -> bool:
        doc = self.window.doc
        if doc is None or self.controller.busy_path is not None or not self.scheduled():
            return False
        text = self.window.editor.toPlainText()
        problem = self.controller.blocking_problem(parse_post(text, doc.path.name), doc)
        if problem:
            self.window.banner.show_message(problem, "error", topic="publish")
            return False
        return True

    def _start(self, at: dt.datetime | None) -> None:
        doc = self.window.doc
        if doc is None or self.controller.busy_path is not None:
            return
        self.controller.busy_path = doc.path
        self.controller.show_busy("Moving the schedule…" if at else "Cancelling the schedule…")
        self.update_actions()
        self.request.emit(ScheduleJob(doc.path, at))

    def _on_changed(self, job: ScheduleJob, change: ScheduleChange) -> None:
        self.controller.finish_busy()
        self._keep(job, change)
        self.window.banner.show_message(change.message, "info", "publish")
        if change.queued:  # the indicator, the network watch and the post panel follow
            self.controller.queue.refresh()
        self.update_actions()

    def _keep(self, job: ScheduleJob, change: ScheduleChange) -> None:
        """The change into the draft: the editor's text if it is open, else its file."""
        from editor.publish.schedule import schedule_text

        window = self.window
        doc = window.doc
        if doc is not None and doc.path == job.path:
            text = window.editor.toPlainText()
            try:
                new_text = schedule_text(text, change)
            except FrontMatterError:
                new_text = text  # being edited: the record beside the draft is right already
            if new_text != text:
                window.replace_text_after_publish(new_text)
        elif change.record:
            self.controller.request_apply_record.emit(job.path, change.blog_key, change.record)

    def _on_failed(self, job: ScheduleJob, message: str) -> None:
        self.controller.finish_busy()
        self.update_actions()
        if not self.scheduled():  # left a draft on the blog: scheduling it again is the way
            self.window.banner.show_message(
                message, "error", "publish", [("Schedule…", self.controller.schedule)]
            )
            return
        self.window.banner.show_message(
            f"The schedule was not changed: {message}",
            "error",
            "publish",
            [("Try Again", lambda: self._retry(job))],
        )

    def _retry(self, job: ScheduleJob) -> None:
        if self._can_start() and self.window.doc is not None and self.window.doc.path == job.path:
            self._start(job.at)
