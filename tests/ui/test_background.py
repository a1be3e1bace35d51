"""The background runner: answers on the GUI thread, failures as failures, progress, cancel,
and nothing at all for a receiver destroyed before its job ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QThreadPool

from editor.ui.background import Job, Runner, wait_for_background_jobs
from editor.ui.workers import start_worker, stop_thread


def _flush() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture
def receiver(qtbot) -> Iterator[QObject]:  # type: ignore[no-untyped-def]
    owner = QObject()
    yield owner
    wait_for_background_jobs()


def test_the_result_arrives_on_the_gui_thread(qtbot, receiver: QObject) -> None:  # type: ignore[no-untyped-def]
    ran_on: list[threading.Thread] = []
    got: list[tuple[int, threading.Thread]] = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    Runner(receiver).run(work, done=lambda value: got.append((value, threading.current_thread())))
    qtbot.waitUntil(lambda: got != [])
    assert got == [(42, threading.main_thread())]
    assert ran_on != [threading.main_thread()]


def test_an_exception_arrives_as_a_failure(qtbot, receiver: QObject) -> None:  # type: ignore[no-untyped-def]
    failures: list[tuple[Exception, threading.Thread]] = []
    results: list[object] = []

    def work() -> int:
        raise ValueError("no word list")

    Runner(receiver).run(
        work,
        done=results.append,
        failed=lambda exc: failures.append((exc, threading.current_thread())),
    )
    qtbot.waitUntil(lambda: failures != [])
    (exc, thread), *more = failures
    assert isinstance(exc, ValueError) and str(exc) == "no word list"
    assert thread is threading.main_thread() and more == [] and results == []


def test_progress_arrives_in_order_before_the_result(qtbot, receiver: QObject) -> None:  # type: ignore[no-untyped-def]
    seen: list[object] = []

    def work(job: Job[int]) -> str:
        for step in range(5):
            job.report(step)
        return "finished"

    Runner(receiver).run_job(
        work, done=lambda text: seen.append(text), progress=lambda step: seen.append(step)
    )
    qtbot.waitUntil(lambda: "finished" in seen)
    assert seen == [0, 1, 2, 3, 4, "finished"]


def test_a_cancelled_job_delivers_nothing_and_can_stop_early(qtbot, receiver: QObject) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()
    release = threading.Event()
    saw_cancel: list[bool] = []
    delivered: list[object] = []

    def work(job: Job[int]) -> int:
        started.set()
        release.wait(5)
        saw_cancel.append(job.cancelled)
        job.report(1)
        return 7

    job = Runner(receiver).run_job(
        work, done=delivered.append, failed=delivered.append, progress=delivered.append
    )
    assert started.wait(5)
    job.cancel()
    release.set()
    wait_for_background_jobs()
    qtbot.waitUntil(lambda: job.over)
    _flush()
    assert saw_cancel == [True] and delivered == []


def test_a_receiver_destroyed_first_is_never_called(qtbot) -> None:  # type: ignore[no-untyped-def]
    class Panel(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.got: list[object] = []

        def take(self, value: object) -> None:
            self.got.append(value)  # would touch a deleted object

    panel = Panel()
    calls: list[object] = []
    release = threading.Event()

    def work() -> int:
        release.wait(5)
        return 1

    job = Runner(panel).run(
        work, done=lambda value: (calls.append(value), panel.take(value)), failed=calls.append
    )
    panel.deleteLater()
    _flush()  # the C++ object is gone, its job still running
    assert job.cancelled
    release.set()
    wait_for_background_jobs()
    qtbot.waitUntil(lambda: job.over)
    _flush()
    assert calls == []


def test_a_lane_keeps_the_order_of_its_thread(qtbot, receiver: QObject) -> None:  # type: ignore[no-untyped-def]
    class Worker(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.log: list[str] = []

        def note(self, word: str) -> None:
            self.log.append(word)

    from PySide6.QtCore import Signal

    class Asker(QObject):
        ask = Signal(str)

    thread = start_worker(worker := Worker(), "test-lane")
    asker = Asker()
    asker.ask.connect(worker.note)
    threads: list[QThread | None] = []
    answers: list[list[str]] = []
    runner = Runner(receiver, thread=thread)
    asker.ask.emit("saved")  # queued to the thread before the job: runs before it

    def work() -> list[str]:
        threads.append(QThread.currentThread())
        return list(worker.log)

    runner.run(work, done=answers.append)
    qtbot.waitUntil(lambda: answers != [])
    stop_thread(thread)
    assert answers == [["saved"]] and threads == [thread]


def test_a_runner_on_its_own_pool_uses_it(qtbot, receiver: QObject) -> None:  # type: ignore[no-untyped-def]
    pool = QThreadPool(receiver)
    pool.setMaxThreadCount(1)
    got: list[str] = []
    Runner(receiver, pool=pool).run(lambda: "read", done=got.append)
    pool.waitForDone()
    qtbot.waitUntil(lambda: got == ["read"])
