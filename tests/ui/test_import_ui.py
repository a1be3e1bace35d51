"""Import and sync from the window, against the Blogger contract server."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.core.history import HistoryStore
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.publish.blog_import import mirror_for
from editor.publish.service import PublishService
from editor.ui.import_dialog import ImportDialog
from editor.ui.main_window import MainWindow
from editor.ui.sync_conflict_dialog import SyncConflictDialog
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.publish.test_blog_import import BLOG, draft_of, seed_examples


def test_import_from_the_menu_shows_progress_and_the_report(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    seed_examples(server)
    window.publishing.sync.import_action.trigger()
    dialog = window.publishing.sync.import_dialog
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    assert dialog.blog_box.currentData() == BLOG
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.status.text().startswith("Imported from Field Notes: 12 posts")
    lines = [dialog.report_list.item(i).text() for i in range(dialog.report_list.count())]
    assert any(line.startswith("New drafts: 12") for line in lines), lines
    assert len(DraftStore(app_paths().drafts_dir, app_paths().trash_dir).draft_paths()) == 12
    # The drafts list fills with the imported posts and says where each stands.
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 12, timeout=5000)
    details = [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())]
    assert sum("published" in d for d in details) == 11
    assert sum("draft on the blog" in d for d in details) == 1
    dialog.reject()


def test_sync_conflict_shows_both_versions_and_takes_the_chosen_one(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["Three demands, and what we do next"]
    path: Path = draft_of(post_id)
    mine = path.read_text(encoding="utf-8") + "\nWritten here, offline.\n"
    path.write_text(mine, encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, content="<p>Fixed on the web.</p>")
    window.publishing.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: window.banner.button("Compare…") is not None, timeout=15000)
    assert "changed there and here" in window.banner.text()
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 12, timeout=5000)
    details = [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())]
    assert sum("changed on the blog and here" in d for d in details) == 1
    window.banner.button("Compare…").click()
    qtbot.waitUntil(
        lambda: isinstance(window.publishing.sync.conflict_dialog, SyncConflictDialog),
        timeout=5000,
    )
    dialog = window.publishing.sync.conflict_dialog
    assert "Written here, offline." in dialog.mine_view.toPlainText()
    assert "Fixed on the web." in dialog.theirs_view.toPlainText()
    assert path.read_text(encoding="utf-8") == mine, "nothing is overwritten before the choice"
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.take_button.click()
    text = path.read_text(encoding="utf-8")
    assert "Fixed on the web." in parse_post(text).body
    snapshots = HistoryStore(app_paths().data_dir / "history").snapshots(path)
    assert snapshots[0].read() == mine
    qtbot.waitUntil(lambda: "blog's version" in window.banner.text(), timeout=5000)


def test_cancel_stops_the_import_and_importing_again_goes_on(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr("editor.publish.blogger.LIST_PAGE", 2)
    seed_examples(server)
    server.fault("blogger.posts.list", "delay", seconds=0.4, times=100)  # a slow blog
    window.publishing.sync.import_action.trigger()
    dialog = window.publishing.sync.import_dialog
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    dialog.import_button.click()
    assert dialog.cancel_button.isVisible() and dialog.progress.isVisible()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Read 2 posts"), timeout=10000)
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    assert dialog.report.cancelled
    lines = [dialog.report_list.item(i).text() for i in range(dialog.report_list.count())]
    assert any("goes on from there" in line for line in lines)
    imported = len(DraftStore(app_paths().drafts_dir, app_paths().trash_dir).draft_paths())
    assert 2 <= imported < 12
    server.faults.clear()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.running, timeout=20000)
    qtbot.waitUntil(lambda: dialog.report.resumed, timeout=1000)
    assert len(DraftStore(app_paths().drafts_dir, app_paths().trash_dir).draft_paths()) == 12
    dialog.reject()


def test_a_quiet_check_that_fails_offline_leaves_the_menu_check_working(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from editor.core.blog_state import BlogStates
    from editor.publish.errors import OfflineError

    seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    states = BlogStates(app_paths())
    state = states.load(BLOG)
    state.last_sync = "2020-01-01T00:00:00+00:00"  # due for the quiet check
    states.save(BLOG, state)

    def offline(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OfflineError("Blogger could not be reached (no network).")

    monkeypatch.setattr("editor.publish.blog_import.mirror_for", offline)
    controller = window.publishing.sync
    with qtbot.waitSignal(controller.worker.synced, timeout=5000):
        controller.sync(quiet=True)
    qtbot.waitUntil(lambda: not controller.syncing, timeout=5000)
    assert window.banner.topic != "sync"  # quiet: not a word
    monkeypatch.undo()
    controller.sync_action.trigger()
    qtbot.waitUntil(lambda: "Checked your blogs" in window.banner.text(), timeout=15000)
