"""Publish ▸ Move Schedule… and Cancel Schedule in the window, against the Blogger contract
server: shown only for a scheduled draft, the dialog filled in with the current time, the work
off the GUI thread, and the draft (and its post panel) showing the new time and zone."""

from __future__ import annotations

import datetime as dt
import threading

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox

from editor.core.drafts import DraftStore
from editor.core.post_fields import read_fields
from editor.publish.base import PublishMode
from editor.publish.service import PublishService
from editor.ui.main_window import MainWindow
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.ui.test_publish_ui import posts, ready


def wait_said(qtbot, window: MainWindow, start: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: window.banner.text().startswith(start) and window.publishing.busy_path is None,
        timeout=15000,
    )


def published_at(post: dict) -> dt.datetime:  # type: ignore[type-arg]
    return dt.datetime.fromisoformat(post["published"].replace("Z", "+00:00"))


def test_a_scheduled_draft_can_be_moved_and_cancelled_from_the_publish_menu(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    ready(qtbot, window, store)
    moves = window.publishing.schedule_moves
    window.publishing.menu.aboutToShow.emit()
    assert not moves.move_action.isVisible() and not moves.cancel_action.isVisible()

    first = (dt.datetime.now().astimezone() + dt.timedelta(days=9)).replace(second=0, microsecond=0)
    window.publishing.publish(PublishMode.SCHEDULE, at=first)
    wait_said(qtbot, window, "Scheduled")
    window.publishing.menu.aboutToShow.emit()
    assert moves.move_action.isVisible() and moves.move_action.isEnabled()
    assert moves.cancel_action.isVisible() and moves.cancel_action.isEnabled()
    assert moves.move_action in window.publishing.menu.actions()

    # Move: the dialog shows the time it is scheduled for now, in the writer's zone.
    moves.move_action.trigger()
    dialog = moves.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.when.dateTime().toPython() == first.replace(tzinfo=None)
    moved = first + dt.timedelta(days=2, hours=3)
    dialog.when.setDateTime(QDateTime(moved.date(), moved.time()))
    worker_threads: list[object] = []
    moves.worker.changed.connect(
        lambda *_a: worker_threads.append(threading.current_thread()),
    )
    dialog.accept()
    wait_said(qtbot, window, "Moved")
    [post] = posts(server)
    assert post["status"] == "SCHEDULED" and published_at(post) == moved
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    fields = read_fields(window.editor.toPlainText())
    assert fields.status == "scheduled" and fields.scheduled == moved
    assert f"{moved:%H:%M}" in window.banner.text()
    panel = window.post_panel  # the new time, with its zone
    qtbot.waitUntil(
        lambda: panel.when_edit.dateTime().toPython() == moved.replace(tzinfo=None), timeout=5000
    )
    assert panel.schedule_box.isChecked() and "UTC" in panel.zone_label.text()

    # Cancel: asked first; keeping the schedule changes nothing.
    moves.cancel_action.trigger()
    box = moves.confirm
    assert isinstance(box, QMessageBox)
    [keep] = [b for b in box.buttons() if b.text() == "Keep Schedule"]
    keep.click()
    assert window.publishing.busy_path is None and posts(server)[0]["status"] == "SCHEDULED"
    moves.cancel_action.trigger()
    box = moves.confirm
    assert isinstance(box, QMessageBox)
    [yes] = [b for b in box.buttons() if b.text() == "Cancel Schedule"]
    yes.click()
    wait_said(qtbot, window, "Cancelled")
    assert posts(server)[0]["status"] == "DRAFT"
    fields = read_fields(window.editor.toPlainText())
    assert fields.status == "draft" and fields.scheduled is None
    window.publishing.menu.aboutToShow.emit()
    assert not moves.move_action.isVisible() and not moves.cancel_action.isVisible()
    assert server.count("blogger.posts.insert") == 1


def test_a_failed_move_says_why_and_keeps_the_schedule(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    ready(qtbot, window, store)
    first = (dt.datetime.now().astimezone() + dt.timedelta(days=4)).replace(second=0, microsecond=0)
    window.publishing.publish(PublishMode.SCHEDULE, at=first)
    wait_said(qtbot, window, "Scheduled")
    [post] = posts(server)
    with server.lock:
        post["title"] = "Retitled in Blogger"
        post["updated"] = "2031-01-01T00:00:00Z"
    before = window.editor.toPlainText()
    moves = window.publishing.schedule_moves
    window.publishing.menu.aboutToShow.emit()
    moves.move_action.trigger()
    dialog = moves.dialog
    assert dialog is not None
    later = first + dt.timedelta(days=1)
    dialog.when.setDateTime(QDateTime(later.date(), later.time()))
    dialog.accept()
    wait_said(qtbot, window, "The schedule was not changed")
    assert "changed on" in window.banner.text() and window.banner.button("Try Again") is not None
    assert published_at(posts(server)[0]) == first
    assert window.editor.toPlainText() == before


def test_a_move_that_stops_halfway_leaves_the_draft_saying_draft(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    ready(qtbot, window, store)
    first = (dt.datetime.now().astimezone() + dt.timedelta(days=4)).replace(second=0, microsecond=0)
    window.publishing.publish(PublishMode.SCHEDULE, at=first)
    wait_said(qtbot, window, "Scheduled")
    moves = window.publishing.schedule_moves
    moves.worker._service = PublishService(sleep=lambda _s: None)
    server.fault("blogger.posts.publish", "status", status=500, times=50)
    window.publishing.menu.aboutToShow.emit()
    moves.move_action.trigger()
    dialog = moves.dialog
    assert dialog is not None
    later = first + dt.timedelta(days=1)
    dialog.when.setDateTime(QDateTime(later.date(), later.time()))
    dialog.accept()
    wait_said(qtbot, window, "The post was turned back into a draft on the blog")
    assert posts(server)[0]["status"] == "DRAFT"
    fields = read_fields(window.editor.toPlainText())
    assert fields.status == "draft" and fields.scheduled is None
    assert window.banner.button("Schedule…") is not None
    window.publishing.menu.aboutToShow.emit()
    assert not moves.move_action.isVisible() and not moves.cancel_action.isVisible()
