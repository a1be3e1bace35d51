"""Issue 13, defects 2 and 4 in the window: while the draft cannot take the text (another
program's change is pending, the file was deleted, it is read-only), the text still reaches the
disk, and the next start offers it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.recovery import CONFLICT, DELETED, READ_ONLY, RecoveryStore
from editor.core.settings import Settings
from editor.ui.main_window import MainWindow
from tests.ui.conftest import close_and_delete, open_and_wait, type_at_end
from tests.ui.test_never_lose_a_word import external_write


def copies() -> RecoveryStore:
    return RecoveryStore(app_paths().data_dir / "recovery")


def new_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load())
    win.show()
    return win


def test_typing_while_their_change_is_pending_reaches_the_disk_and_is_offered_again(
    qtbot, store: DraftStore
) -> None:
    window = new_window(qtbot)
    path = store.new_draft("Shared", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    theirs = path.read_text().replace("Original.", "Edited elsewhere.")
    external_write(path, theirs)
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    type_at_end(qtbot, window, "My words, typed while I decide.")
    # within the autosave interval, not "once the writer chooses"
    qtbot.waitUntil(
        lambda: (c := copies().get(path)) is not None and "while I decide." in c.text,
        timeout=2000,
    )
    assert copies().get(path).reason == CONFLICT
    assert path.read_text() == theirs, "theirs is not overwritten while he decides"
    mine = window.editor.toPlainText()
    close_and_delete(window)  # quits without choosing

    again = new_window(qtbot)
    try:
        again.open_path(path)
        qtbot.waitUntil(lambda: again.banner.topic == "external", timeout=5000)
        assert "recovery copy" in again.banner.text()
        assert "changed by another program" in again.banner.text()
        assert again.editor.toPlainText() == mine
        again.banner.button("Keep Mine").click()
        qtbot.waitUntil(lambda: path.read_text() == mine, timeout=10_000)
        qtbot.waitUntil(lambda: copies().get(path) is None, timeout=10_000)
        assert any(s.read() == theirs for s in again.history.snapshots(path))
    finally:
        close_and_delete(again)


def test_reload_theirs_drops_the_copy_and_keeps_mine_in_history(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Shared", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    external_write(path, path.read_text().replace("Original.", "Theirs."))
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    type_at_end(qtbot, window, "Mine.")
    qtbot.waitUntil(lambda: copies().get(path) is not None, timeout=2000)
    mine = window.editor.toPlainText()
    window.banner.button("Reload Theirs").click()
    qtbot.waitUntil(lambda: copies().get(path) is None, timeout=10_000)
    assert any(s.read() == mine for s in window.history.snapshots(path))


def test_a_deleted_draft_keeps_the_typing_and_the_next_start_brings_it_back(
    qtbot, store: DraftStore
) -> None:
    window = new_window(qtbot)
    path = store.new_draft("Doomed", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    path.unlink()
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    type_at_end(qtbot, window, "Still mine.")
    qtbot.waitUntil(
        lambda: (c := copies().get(path)) is not None and "Still mine." in c.text, timeout=2000
    )
    assert copies().get(path).reason == DELETED
    mine = window.editor.toPlainText()
    close_and_delete(window)

    again = new_window(qtbot)
    try:
        again.open_path(path)  # what the next start does with the newest recovery copy
        qtbot.waitUntil(lambda: again.banner.topic == "external", timeout=5000)
        assert "deleted" in again.banner.text() and again.editor.toPlainText() == mine
        again.banner.button("Save Mine Again").click()
        qtbot.waitUntil(lambda: path.exists() and path.read_text() == mine, timeout=10_000)
        qtbot.waitUntil(lambda: copies().get(path) is None, timeout=10_000)
    finally:
        close_and_delete(again)


def test_closing_a_deleted_draft_puts_its_text_in_the_trash(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Doomed", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    path.unlink()
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    type_at_end(qtbot, window, "Last words.")
    window.banner.button("Close Draft").click()
    trash = app_paths().trash_dir
    qtbot.waitUntil(lambda: any(trash.glob("doomed.*.md")), timeout=10_000)
    [kept] = trash.glob("doomed.*.md")
    assert kept.read_text().rstrip().endswith("Last words.")
    qtbot.waitUntil(lambda: copies().get(path) is None, timeout=10_000)


def test_a_read_only_draft_says_so_keeps_the_text_and_offers_save_as(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Locked", body="Original.\n")
    before = path.read_bytes()
    path.chmod(0o444)
    open_and_wait(qtbot, window, path, "Original.")
    assert window.banner.topic == "save" and "read-only" in window.banner.text()
    assert window.banner.button("Save As…") is not None
    type_at_end(qtbot, window, "Typed into a locked file.")
    qtbot.waitUntil(
        lambda: (c := copies().get(path)) is not None and "locked file." in c.text, timeout=2000
    )
    assert copies().get(path).reason == READ_ONLY
    with qtbot.waitSignal(window.files.save_failed, timeout=10_000):  # Ctrl+S tries again
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "read-only" in window.banner.text()
    assert path.read_bytes() == before and oct(path.stat().st_mode & 0o777) == "0o444"
    path.chmod(0o644)  # the writer makes it writable and presses Ctrl+S again
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "locked file." in path.read_text(), timeout=10_000)
    qtbot.waitUntil(lambda: copies().get(path) is None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=10_000)  # said once saved


def test_a_draft_opened_through_a_symlink_stays_a_symlink(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    real = tmp_path / "synced" / "essay.md"
    real.parent.mkdir()
    real.write_text("---\ntitle: Linked\n---\n\nOriginal.\n")
    link = store.drafts_dir / "linked.md"
    store.ensure()
    link.symlink_to(real)
    open_and_wait(qtbot, window, link, "Original.")
    type_at_end(qtbot, window, "Through the link.")
    window.save_by_hand()
    qtbot.waitUntil(lambda: "Through the link." in real.read_text(), timeout=10_000)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert window.banner.topic != "external"


def test_save_as_from_a_read_only_draft_moves_the_text_to_the_new_file(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch
) -> None:
    path = store.new_draft("Locked", body="Original.\n")
    before = path.read_bytes()
    path.chmod(0o444)
    open_and_wait(qtbot, window, path, "Original.")
    type_at_end(qtbot, window, "Kept for the copy.")
    qtbot.waitUntil(lambda: copies().get(path) is not None, timeout=2000)
    new = path.with_name("locked-copy.md")
    monkeypatch.setattr(
        "editor.ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(new), "")
    )
    window.banner.button("Save As…").click()
    qtbot.waitUntil(lambda: new.exists() and "Kept for the copy." in new.read_text(), timeout=10000)
    qtbot.waitUntil(lambda: copies().get(path) is None, timeout=10_000)
    assert path.read_bytes() == before
    assert window.doc is not None and window.doc.path == new
    type_at_end(qtbot, window, " More.")
    qtbot.waitUntil(lambda: "More." in new.read_text(), timeout=10_000)


def test_a_change_the_file_watcher_misses_is_still_noticed(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    """Network and synced folders often send no file events, and Qt's watcher can lose a
    watch when a save replaces the file: a light poll of the file's size and time finds it."""
    path = store.new_draft("Synced", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    window.watcher.fileChanged.disconnect()  # no file event will ever arrive
    window.watcher.directoryChanged.disconnect()
    external_write(path, path.read_text().replace("Original.", "Changed on another computer."))
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=6000)
    assert window.banner.button("Reload Theirs") is not None
