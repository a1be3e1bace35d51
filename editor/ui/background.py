"""One way to run a plain callable off the GUI thread and hear back on the GUI thread.

    runner = Runner(self)                      # `self`: the QObject that gets the answers
    runner.run(lambda: read_labels(paths), done=self._on_labels, failed=self._on_problem)

The callable comes from editor/core or editor/publish and never touches a widget. Its result
goes to `done`, or the exception it raised to `failed`, always on the GUI thread. A job that
reports progress takes a `Job` and calls `job.report(value)`; `progress` gets each value on
the GUI thread. `job.cancel()` (or the receiver being destroyed) stops every later callback;
a long job may look at `job.cancelled` and stop early.

Where the callable runs:
- by default, on a small thread pool shared by the whole window (joined at quit:
  `wait_for_background_jobs`);
- `Runner(receiver, pool=...)`: on the receiver's own pool (joined when the pool goes);
- `Runner(receiver, thread=...)`: on a long-lived thread such as the file thread, in the order
  asked, after whatever was queued to that thread before (a copy into a draft's folder after
  the save queued before it). Jobs still queued when that thread quits never run and never
  answer, as requests queued to a worker there never did.

The answer is carried by a small relay that belongs to nobody's widget tree, so a receiver
(a dialog, the window) destroyed before the job ends is never called back: the relay sees the
receiver gone (shiboken6.isValid) and drops the answer, and the job's thread never emits on a
deleted object.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
P = TypeVar("P")

POOL_THREADS = 4  # the shared pool: one-shot reads and network calls, never CPU-bound loops


class Job(Generic[P]):
    """A job handed to the background: cancel it, or (from the job) report progress.

    `report` and `cancelled` are safe from the job's thread; `cancel` from any thread.
    """

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancelled = threading.Event()
        self._over = threading.Event()

    @property
    def cancelled(self) -> bool:
        """True once cancelled (or the receiver was destroyed): nothing more is delivered."""
        return self._cancelled.is_set()

    @property
    def over(self) -> bool:
        """True once the answer (result, failure) was delivered or dropped."""
        return self._over.is_set()

    def cancel(self) -> None:
        """Deliver nothing more; a job not yet started does not start."""
        self._cancelled.set()

    def report(self, value: P) -> None:
        """Send `value` to the `progress` callback, on the GUI thread (from the job's thread)."""
        if not self.cancelled:
            self._relay.progressed.emit(value)


class _Relay(QObject):
    """Carries one job's answers to the GUI thread. It lives on the GUI thread, with no parent
    (the receiver may go first), and is kept alive by `_RELAYS` until it is deleted."""

    # The payloads are typed by Runner.run's signature; Qt carries them as Python objects.
    answered = Signal(bool, object)  # succeeded, the result (T) or the exception
    progressed = Signal(object)  # a progress value (P)

    def __init__(
        self,
        receiver: QObject,
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None,
        progress: Callable[[Any], None] | None,
    ) -> None:
        super().__init__()
        self.receiver = receiver
        self.done = done
        self.failed = failed
        self.progress = progress
        self.job: Job[Any] = Job(self)
        # Connected to this object's own slots: queued to the GUI thread when emitted elsewhere.
        self.answered.connect(self._deliver)
        self.progressed.connect(self._report)

    def _wanted(self) -> bool:
        return not self.job.cancelled and shiboken6.isValid(self.receiver)

    @Slot(object)
    def _report(self, value: object) -> None:
        if self.progress is not None and not self.job.over and self._wanted():
            self.progress(value)

    @Slot(bool, object)
    def _deliver(self, succeeded: bool, value: object) -> None:
        try:
            if not self._wanted():
                return
            if succeeded:
                self.done(value)
            elif isinstance(value, Exception) and self.failed is not None:
                self.failed(value)
            elif isinstance(value, Exception):
                log.error("A background job failed", exc_info=value)
        finally:
            self.job._over.set()
            self.done = self.failed = self.progress = _drop
            self.deleteLater()


def _drop(*_args: object) -> None:
    """Callbacks of an answered job: nothing more goes to its receiver."""


_RELAYS: dict[int, _Relay] = {}


def _keep(relay: _Relay) -> None:
    key = id(relay)
    _RELAYS[key] = relay
    relay.destroyed.connect(lambda *_: _RELAYS.pop(key, None))


def _execute(relay: _Relay, work: Callable[[Job[Any]], object]) -> None:
    """Run `work` on the current (background) thread and send its answer."""
    job = relay.job
    if job.cancelled:
        relay.answered.emit(False, RuntimeError("cancelled"))  # dropped: only frees the relay
        return
    try:
        result = work(job)
    except Exception as exc:  # noqa: BLE001 - every failure is an answer, on the GUI thread
        relay.answered.emit(False, exc)
    else:
        relay.answered.emit(True, result)


class _Task(QRunnable):
    def __init__(self, relay: _Relay, work: Callable[[Job[Any]], object]) -> None:
        super().__init__()
        self.relay = relay
        self.work = work

    def run(self) -> None:
        _execute(self.relay, self.work)
        self.relay = self.work = None  # type: ignore[assignment]


class _Lane(QObject):
    """Runs jobs on a long-lived thread, in the order they were asked for."""

    submit = Signal(object, object)  # _Relay, the work

    def __init__(self) -> None:
        super().__init__()
        self.submit.connect(self._run)  # queued: this object lives on the lane's thread

    @Slot(object, object)
    def _run(self, relay: _Relay, work: Callable[[Job[Any]], object]) -> None:
        _execute(relay, work)


_LANES: dict[int, _Lane] = {}  # one per long-lived thread, for as long as the program runs
_POOL: QThreadPool | None = None


def _shared_pool() -> QThreadPool:
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("broadsheet-background")
        _POOL.setMaxThreadCount(POOL_THREADS)
    return _POOL


def _lane(thread: QThread) -> _Lane:
    lane = _LANES.get(id(thread))
    if lane is None or not _same(lane.thread(), thread):  # (an id used again)
        lane = _Lane()
        lane.moveToThread(thread)
        key = id(thread)
        _LANES[key] = lane
        thread.destroyed.connect(lambda *_: _LANES.pop(key, None))  # not holding the thread
    return lane


def _same(one: QObject, other: QObject) -> bool:
    return shiboken6.getCppPointer(one) == shiboken6.getCppPointer(other)


def wait_for_background_jobs() -> None:
    """Join the shared pool's jobs (at quit, before Qt shuts down)."""
    if _POOL is not None:
        _POOL.waitForDone()


class Runner:
    """Runs callables off the GUI thread for `receiver`, which gets the answers.

    Once `receiver` is destroyed its jobs are cancelled: the callbacks are never called.
    """

    def __init__(
        self,
        receiver: QObject,
        *,
        thread: QThread | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        if thread is not None and pool is not None:
            raise ValueError("a runner runs on a thread or on a pool, not both")
        self.receiver = receiver
        self.thread = thread
        self.pool = pool
        self._jobs: list[Job[Any]] = []
        jobs = self._jobs  # the closure must not hold the receiver's wrapper

        def cancel_all(*_: object) -> None:
            for job in jobs:
                job.cancel()

        receiver.destroyed.connect(cancel_all)

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> Job[None]:
        """Run `work()` in the background; its result goes to `done`, its exception to
        `failed` (or the log), on the GUI thread."""
        return self.run_job(lambda _job: work(), done, failed)

    def run_job(
        self,
        work: Callable[[Job[P]], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None] | None = None,
        progress: Callable[[P], None] | None = None,
    ) -> Job[P]:
        """Run `work(job)` in the background: it may `job.report(value)` (to `progress`)
        and look at `job.cancelled`. Answers as `run`."""
        relay = _Relay(self.receiver, done, failed, progress)
        _keep(relay)
        job: Job[P] = relay.job
        self._jobs[:] = [old for old in self._jobs if not old.over]
        self._jobs.append(job)
        if not shiboken6.isValid(self.receiver):
            job.cancel()
        if self.thread is not None:
            _lane(self.thread).submit.emit(relay, work)
        else:
            (self.pool or _shared_pool()).start(_Task(relay, work))
        return job
