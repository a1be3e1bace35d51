"""The publish queue's worker: reads, sends and cancels the posts waiting to be published.

It lives on the publish thread (beside the PublishWorker, whose service it shares), so a send
from the queue and a click on Publish never run at the same time. It never touches a widget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from editor.publish.errors import PublishError

if TYPE_CHECKING:
    from editor.publish.queue import Queued
    from editor.publish.service import PublishResult, PublishService


@dataclass(frozen=True)
class QueueRow:
    """One waiting publish, with what the window shows of it."""

    queued: Queued
    title: str  # the draft's title (its file name when it cannot be read)
    blog_name: str  # the blog's name (its key when it is not set up any more)


@dataclass(frozen=True)
class QueueState:
    """The queue as the worker last read it."""

    rows: tuple[QueueRow, ...] = ()
    ready: int = 0  # how many may be sent now (the others wait for their time)
    next_due: datetime | None = None  # when the first held one may go
    problem: str = ""  # the queue file could not be read
    # What the post panel says of each draft in the queue: {draft path: status in words}.
    drafts: Mapping[str, str] = field(default_factory=dict)

    def held(self, path: Path) -> datetime | None:
        """When the draft at `path` goes out, if the queue holds it until a time."""
        wanted = str(path.absolute())
        due = next((r.queued.due for r in self.rows if r.queued.path == wanted), None)
        return datetime.fromisoformat(due) if due else None


@dataclass(frozen=True)
class QueueSent:
    """A waiting publish that went out."""

    row: QueueRow
    result: PublishResult


class QueueWorker(QObject):
    """Slots run on the publish thread; results come back by signal."""

    listed = Signal(object)  # QueueState
    sent = Signal(object)  # QueueSent, one per post that went out
    stopped = Signal(object, object)  # QueueRow, PublishError: where and why sending stopped
    send_finished = Signal(bool)  # something was sent

    def __init__(self, service: Callable[[], PublishService]) -> None:
        super().__init__()
        self._service = service  # the publish worker's, made on this thread at first use
        self._seen: tuple[int, int, int] | None = None  # the queue file as last listed

    def _queue(self):  # type: ignore[no-untyped-def]
        from editor.publish.queue import PublishQueue

        return PublishQueue(self._service().paths)

    def _row(self, queued: Queued) -> QueueRow:
        from editor.publish.records import read_draft

        try:
            title = read_draft(Path(queued.path)).title or Path(queued.path).name
        except PublishError:
            title = Path(queued.path).name
        try:
            blogs = self._service().accounts().blogs
        except PublishError:
            blogs = {}
        blog = blogs.get(queued.blog)
        return QueueRow(queued, title, blog.name if blog is not None else queued.blog)

    @Slot()
    def refresh(self) -> None:
        """Read the queue file and say what is in it (its folder is made if need be, for the
        window to watch)."""
        with contextlib.suppress(OSError, PublishError):
            self._queue().paths.state_dir.mkdir(parents=True, exist_ok=True)
        self.listed.emit(self._state())

    @Slot()
    def refresh_if_changed(self) -> None:
        """The queue's folder changed (another Broadsheet, the command line): read the queue
        again if its file is not as it was at the last listing."""
        if self._signature() != self._seen:
            self.refresh()

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            stat = self._queue().file.stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _state(self) -> QueueState:
        self._seen = self._signature()
        try:
            items = self._queue().items()
        except PublishError as exc:
            return QueueState(problem=exc.message)
        now = datetime.now(UTC)
        held = [datetime.fromisoformat(q.due) for q in items if q.due and not q.is_due(now)]
        drafts: dict[str, str] = {}
        for q in reversed(items):  # the first entry of a draft speaks for it
            drafts[q.path] = waiting_words(q, now)
        return QueueState(
            rows=tuple(self._row(q) for q in items),
            ready=sum(1 for q in items if q.is_due(now)),
            next_due=min(held, default=None),
            drafts=drafts,
        )

    @Slot()
    def send(self) -> None:
        """Send what is due, in order, exactly once (editor.publish.queue.send_queue); the
        window keeps each post's record (write_back=False), as for its own publishes."""
        from editor.publish.queue import send_queue

        anything = False
        try:
            queue = self._queue()
            before = {q.id: self._row(q) for q in queue.items()}
            report = send_queue(self._service(), queue, write_back=False)
        except PublishError as exc:
            self.listed.emit(QueueState(problem=exc.message))
            self.send_finished.emit(False)
            return
        for queued, result in report.sent:
            anything = True
            self.sent.emit(QueueSent(before.get(queued.id) or self._row(queued), result))
        if report.stopped_at is not None and report.problem is not None:
            row = before.get(report.stopped_at.id) or self._row(report.stopped_at)
            self.stopped.emit(row, report.problem)
        self.listed.emit(self._state())
        self.send_finished.emit(anything)

    @Slot(str)
    def cancel(self, queued_id: str) -> None:
        """Take one publish out of the queue (nothing is sent for it)."""
        try:
            self._queue().cancel(queued_id)
        except PublishError as exc:
            self.listed.emit(replace(self._state(), problem=exc.message))
            return
        self.listed.emit(self._state())


def waiting_words(queued: Queued, now: datetime) -> str:
    """What the post panel's Status row says of a draft in the queue."""
    if queued.is_due(now):
        return "Waiting to publish — goes out when the blog answers"
    from editor.publish.schedule import describe, writer_time

    at, zone = writer_time(datetime.fromisoformat(queued.due or ""))
    return f"Scheduled by Broadsheet for {describe(at, zone)}"
