"""Posts Broadsheet holds in its queue, seen from the window: Publish ▸ Schedule… on a blog that
cannot schedule (the loopback Micropub site) queues the post for its time, and the Move
Schedule…/Cancel Schedule actions work on it; the post panel says a queued draft waits; posts
queued from the command line show up at once; several posts sent together are all named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox

from editor.core.drafts import DraftStore
from editor.publish.base import PublishMode
from editor.publish.providers import provider
from editor.publish.queue import PublishQueue
from editor.publish.service import PublishService
from editor.ui.main_window import MainWindow
from tests.publish.micropub_server import MicropubServer
from tests.ui.conftest import open_and_wait


@dataclass
class Site:
    server: MicropubServer
    blog: str  # the blog's key


@pytest.fixture
def micropub() -> Iterator[Site]:
    """A signed-in Micropub blog (a platform that cannot schedule), the default blog."""
    server = MicropubServer().start()
    with requests.Session() as session:
        service = PublishService(session=session)
        form = provider("micropub").sign_in_form
        assert form is not None
        result = form.run(service, {"site": server.site, "token": server.issue_token()}, print)
        [blog] = result.blogs
        service.set_default_blog(blog.key)
    yield Site(server, blog.key)
    server.stop()
    assert server.violations == []


def open_draft(qtbot, window: MainWindow, store: DraftStore, title: str = "Held for Friday"):  # type: ignore[no-untyped-def]
    path = store.new_draft(title, body="A first paragraph, out at its time.\n")
    path.write_text(path.read_text().replace("labels: []", "labels: [essays]"))
    window.publishing.request_accounts.emit()
    qtbot.waitUntil(lambda: bool(getattr(window.publishing.accounts, "blogs", {})), timeout=5000)
    open_and_wait(qtbot, window, path)
    return path


def waiting(window: MainWindow) -> int:
    queue = window.publishing.queue
    return queue.indicator.count if queue.indicator.isVisible() else 0


def idle(window: MainWindow, start: str):  # type: ignore[no-untyped-def]
    return lambda: window.publishing.busy_path is None and window.banner.text().startswith(start)


def test_schedule_on_a_blog_that_cannot_schedule_waits_in_the_queue_and_can_be_moved(
    qtbot, window: MainWindow, store: DraftStore, micropub: Site
) -> None:
    path = open_draft(qtbot, window, store)
    at = (dt.datetime.now().astimezone() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    window.publishing.publish(PublishMode.SCHEDULE, at=at)
    qtbot.waitUntil(idle(window, "Waiting to publish"), timeout=15000)
    text = window.banner.text()
    assert "cannot schedule" not in text.split("so Broadsheet")[-1], text
    assert f"{at:%H:%M}" in text and "computer is on" in text and "running" in text, text
    assert window.banner.kind == "info"
    [entry] = PublishQueue().items()
    assert entry.path == str(path) and entry.blog == micropub.blog
    assert dt.datetime.fromisoformat(entry.due or "") == at
    assert micropub.server.count("create") == 0, "nothing sent before its time"
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=5000)
    queue = window.publishing.queue
    assert queue.watch.timer.isActive() and queue.state.ready == 0

    # The post panel says who publishes it, and when.
    panel = window.post_panel
    qtbot.waitUntil(lambda: panel.status_label.text().startswith("Scheduled by Broadsheet"))
    assert f"{at:%H:%M}" in panel.status_label.text()

    # Move Schedule… and Cancel Schedule are there for it.
    moves = window.publishing.schedule_moves
    window.publishing.menu.aboutToShow.emit()
    assert moves.move_action.isVisible() and moves.move_action.isEnabled()
    assert moves.cancel_action.isVisible() and moves.cancel_action.isEnabled()
    moves.move_action.trigger()
    dialog = moves.dialog
    assert dialog is not None
    assert dialog.when.dateTime().toPython() == at.replace(tzinfo=None)
    moved = at + dt.timedelta(days=1, hours=2)
    dialog.when.setDateTime(QDateTime(moved.date(), moved.time()))
    dialog.accept()
    qtbot.waitUntil(idle(window, "Moved"), timeout=15000)
    [entry] = PublishQueue().items()
    assert dt.datetime.fromisoformat(entry.due or "") == moved
    qtbot.waitUntil(lambda: f"{moved:%H:%M}" in panel.status_label.text(), timeout=5000)

    window.publishing.menu.aboutToShow.emit()
    moves.cancel_action.trigger()
    box = moves.confirm
    assert isinstance(box, QMessageBox)
    [yes] = [b for b in box.buttons() if b.text() == "Cancel Schedule"]
    yes.click()
    qtbot.waitUntil(idle(window, "Cancelled"), timeout=15000)
    assert PublishQueue().items() == []
    qtbot.waitUntil(lambda: waiting(window) == 0, timeout=5000)
    qtbot.waitUntil(lambda: panel.status_label.text().startswith("Local draft"), timeout=5000)
    window.publishing.menu.aboutToShow.emit()
    assert not moves.move_action.isVisible()
    assert micropub.server.count("create") == 0
