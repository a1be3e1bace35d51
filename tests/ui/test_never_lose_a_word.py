"""Issue 3: external edits, failing disks, bad files, history, two windows, crash recovery."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.core import atomic
from editor.core.drafts import DraftStore
from editor.core.history import HistoryStore
from editor.core.paths import app_paths
from editor.core.session import SessionState
from editor.core.settings import Settings
from editor.ui.app import initial_draft, recovery_notice
from editor.ui.compare_dialog import HistoryDialog
from editor.ui.main_window import MainWindow
from tests.ui.conftest import close_and_delete, open_and_wait, type_at_end, wait_for_preview


def history(window: MainWindow) -> HistoryStore:
    return window.history


def external_write(path: Path, text: str) -> None:
    """Another program saving the file its own (non-atomic) way."""
    with open(path, "w", encoding="utf-8") as fh:  # noqa: PTH123 - imitating a foreign editor
        fh.write(text)


# ------------------------------------------------------------------ external changes
def test_external_change_is_noticed_and_keep_mine_keeps_theirs_as_snapshot(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Shared", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    theirs = path.read_text().replace("Original.", "Edited elsewhere.")
    external_write(path, theirs)
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    assert "changed by another program" in window.banner.text()
    type_at_end(qtbot, window, "My words.")
    qtbot.wait(1500)  # autosave must not overwrite theirs while the writer decides
    assert path.read_text() == theirs
    window.banner.button("Keep Mine").click()
    qtbot.waitUntil(lambda: "My words." in path.read_text(), timeout=10_000)
    assert "Edited elsewhere." not in path.read_text()
    qtbot.waitUntil(
        lambda: any(s.read() == theirs for s in history(window).snapshots(path)), timeout=10_000
    )
    assert not window.banner.isVisible()


def test_reload_theirs_replaces_the_text_and_keeps_mine_as_snapshot(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Shared", body="Original.\n")
    open_and_wait(qtbot, window, path, "Original.")
    type_at_end(qtbot, window, "Mine typed.")
    qtbot.waitUntil(lambda: "Mine typed." in path.read_text(), timeout=10_000)
    mine = window.editor.toPlainText()
    external_write(path, mine.replace("Mine typed.", "Theirs typed."))
    qtbot.waitUntil(lambda: window.banner.button("Reload Theirs") is not None, timeout=5000)
    window.banner.button("Reload Theirs").click()
    assert "Theirs typed." in window.editor.toPlainText()
    wait_for_preview(qtbot, window.preview, "Theirs typed.")
    qtbot.waitUntil(
        lambda: any(s.read() == mine for s in history(window).snapshots(path)), timeout=10_000
    )
    assert not window.isWindowModified()


def test_own_saves_never_raise_the_external_change_warning(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Mine only", body="Start.\n")
    open_and_wait(qtbot, window, path, "Start.")
    for word in ("one ", "two ", "three "):
        type_at_end(qtbot, window, word)
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda w=word: w in path.read_text(), timeout=10_000)
    qtbot.wait(800)
    assert window.banner.topic != "external"


def test_deleted_while_open_offers_to_save_mine_again(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Doomed", body="Keep this text.\n")
    open_and_wait(qtbot, window, path, "Keep this text.")
    path.unlink()
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    assert "deleted or moved" in window.banner.text()
    assert "Keep this text." in window.editor.toPlainText()
    window.banner.button("Save Mine Again").click()
    qtbot.waitUntil(lambda: path.exists() and "Keep this text." in path.read_text(), timeout=10_000)


def test_compare_shows_the_difference(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.new_draft("Compare", body="Same line.\nOld line.\n")
    open_and_wait(qtbot, window, path, "Old line.")
    external_write(path, path.read_text().replace("Old line.", "New line from them."))
    qtbot.waitUntil(lambda: window.banner.button("Compare…") is not None, timeout=5000)
    shown: list[str] = []

    def fake_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        shown.append(dialog.view.toPlainText())
        dialog.choice = "theirs"
        return 1

    monkeypatch.setattr("editor.ui.compare_dialog.CompareDialog.exec", fake_exec)
    window.banner.button("Compare…").click()
    assert "New line from them." in shown[0] and "Old line." in shown[0]
    assert "3 words removed, 1 word added" in shown[0]
    assert "New line from them." in window.editor.toPlainText()


# ---------------------------------------------------------------------- failing disk
@contextlib.contextmanager
def tiny_tmpfs(folder: Path) -> Iterator[bool]:
    """A 64 KiB tmpfs at `folder` when this machine allows mounting (root in CI); else False."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = False
    if os.geteuid() == 0:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
        )
        mounted = done.returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_disk_full_keeps_old_file_and_text_then_retry_works(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "full"
    with tiny_tmpfs(folder) as real_tmpfs:
        path = folder / "post.md"
        original = "---\ntitle: Full\n---\nOld text on disk.\n"
        path.write_text(original)
        open_and_wait(qtbot, window, path, "Old text on disk.")
        if real_tmpfs:
            filler = folder / "filler.bin"
            with contextlib.suppress(OSError):
                filler.write_bytes(b"\0" * 64 * 1024)  # fills the disk (short write is fine)
        else:  # no mount allowed here: the same failure, injected
            real_fsync = os.fsync

            def no_space(fd: int) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(atomic.os, "fsync", no_space)
        type_at_end(qtbot, window, " " + "New words that do not fit. " * 200)
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.banner.topic == "save", timeout=10_000)
        assert "disk is full" in window.banner.text() and "Save As" in window.banner.text()
        assert path.read_text() == original, "the old file is intact"
        assert "New words that do not fit." in window.editor.toPlainText()
        assert window.isWindowModified()
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
        if real_tmpfs:
            filler.unlink()
        else:
            monkeypatch.setattr(atomic.os, "fsync", real_fsync)
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "New words that do not fit." in path.read_text(), timeout=10_000)
        qtbot.waitUntil(lambda: window.banner.topic != "save", timeout=10_000)
        window.close()  # release the file before the tmpfs is unmounted


@pytest.mark.parametrize(
    ("err", "words"),
    [(errno.EROFS, "read-only"), (errno.EACCES, "permission denied"), (errno.ENOENT, "no longer")],
)
def test_read_only_or_missing_folder_is_one_clear_message(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
    err: int,
    words: str,
) -> None:
    # Injected: CI runs as root, which writes into read-only folders anyway.
    path = store.new_draft("Locked out", body="Safe.\n")
    open_and_wait(qtbot, window, path, "Safe.")
    before = path.read_bytes()

    def refuse(*_a: object, **_k: object) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    type_at_end(qtbot, window, "Unsaved but safe")
    qtbot.waitUntil(lambda: window.banner.topic == "save", timeout=10_000)
    assert words in window.banner.text()
    assert path.read_bytes() == before
    assert "Unsaved but safe" in window.editor.toPlainText()
    monkeypatch.undo()  # the disk is back: closing the window saves the text
    window.close()
    assert "Unsaved but safe" in path.read_text()


def test_drafts_folder_removed_while_open(qtbot, window: MainWindow, store: DraftStore) -> None:
    path = store.new_draft("Gone folder", body="Precious.\n")
    open_and_wait(qtbot, window, path, "Precious.")
    for p in store.drafts_dir.iterdir():
        p.unlink()
    store.drafts_dir.rmdir()
    qtbot.waitUntil(lambda: window.banner.topic == "external", timeout=5000)
    assert "Precious." in window.editor.toPlainText()


# ------------------------------------------------------------------------- bad files
def test_crlf_and_bom_survive_an_edit_in_the_window(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    path = store.drafts_dir / "windows.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Win\r\n---\r\nFirst line.\r\n")
    open_and_wait(qtbot, window, path, "First line.")
    type_at_end(qtbot, window, "Added.")
    qtbot.waitUntil(lambda: b"Added." in path.read_bytes(), timeout=10_000)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_binary_junk_named_md_is_refused(qtbot, window: MainWindow, store: DraftStore) -> None:
    store.ensure()
    path = store.drafts_dir / "junk.md"
    junk = bytes(range(256)) * 10
    path.write_bytes(junk)
    window.open_path(path)
    qtbot.waitUntil(lambda: "binary data" in window.banner.text(), timeout=10_000)
    assert window.doc is None and path.read_bytes() == junk


def test_a_ten_megabyte_draft_opens_and_is_not_rewritten(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    path = store.drafts_dir / "huge.md"
    paragraph = "word " * 100 + "\n\n"
    path.write_text("# Huge\n\n" + paragraph * (10 * 1024 * 1024 // len(paragraph)))
    before = path.stat().st_mtime_ns
    open_and_wait(qtbot, window, path)
    assert window.editor.document().characterCount() > 10_000_000
    qtbot.wait(1500)
    assert path.stat().st_mtime_ns == before, "opening is not editing: nothing is written"


# --------------------------------------------------------------------------- history
def test_history_snapshot_diff_and_undoable_restore(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.new_draft("Versions", body="Version one.\n")
    open_and_wait(qtbot, window, path, "Version one.")
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    def by_hand() -> list:  # type: ignore[type-arg]
        return [s for s in history(window).snapshots(path) if s.reason == "save"]

    qtbot.waitUntil(lambda: len(by_hand()) == 1, timeout=10_000)
    first = window.editor.toPlainText()
    type_at_end(qtbot, window, "Version two.")
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(by_hand()) == 2, timeout=10_000)
    current = window.editor.toPlainText()

    dialog = HistoryDialog(window, history(window), path, current)
    assert dialog.list.count() == len(history(window).snapshots(path)) >= 2
    oldest = dialog.list.count() - 1
    assert "words" in dialog.list.item(oldest).text()
    assert "saved by hand" in dialog.list.item(0).text()
    dialog.list.setCurrentRow(oldest)
    shown = dialog.view.toPlainText()
    assert "Version two." in shown and "1 word" not in shown and "2 words added" in shown
    dialog.close()

    window.restore_text(first)
    assert window.editor.toPlainText() == first
    # The text before the restore is in the history (deduplicated if already there).
    qtbot.waitUntil(
        lambda: any(s.read() == current for s in history(window).snapshots(path)), timeout=10_000
    )
    window.editor.undo()
    assert window.editor.toPlainText() == current, "a restore is one undoable edit"


# ---------------------------------------------------------------------- two windows
def test_second_window_on_the_same_draft_is_read_only(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Contested", body="First window writes.\n")
    open_and_wait(qtbot, window, path, "First window writes.")
    paths = app_paths()
    second = MainWindow(paths, Settings(paths.settings_file))
    second.show()
    try:
        open_and_wait(qtbot, second, path)
        assert second.editor.isReadOnly()
        assert "open in another Broadsheet window" in second.banner.text()
        type_at_end(qtbot, window, " More from the first.")
        qtbot.waitUntil(lambda: "More from the first." in path.read_text(), timeout=10_000)
        second.save()
        qtbot.wait(300)
        assert "More from the first." in path.read_text()
    finally:
        close_and_delete(second)


# ------------------------------------------------------------------- crash recovery
def test_unclean_exit_reopens_what_was_open_with_one_line(qtbot, store: DraftStore) -> None:
    paths = app_paths()
    session = SessionState(paths.state_dir)
    assert session.start() is None
    win = MainWindow(paths, Settings(paths.settings_file), session)
    win.show()
    path = store.new_draft("Never saved by hand", body="")
    open_and_wait(qtbot, win, path)
    type_at_end(qtbot, win, "Typed and then the power went out")
    qtbot.waitUntil(lambda: "power went out" in path.read_text(), timeout=10_000)
    # The crash: the window is never closed, so the session stays marked as running.
    crashed = SessionState(paths.state_dir)
    crashed_state = crashed._read()
    assert crashed_state["clean"] is False and crashed_state["open"] == [str(path)]
    crashed_state["pid"] = 999_999_999  # a process that no longer exists
    import json

    crashed.path.write_text(json.dumps(crashed_state))
    recovery = SessionState(paths.state_dir).start()
    assert recovery is not None and recovery.open_drafts == [path]
    notice = recovery_notice(recovery.open_drafts)
    assert "did not close properly" in notice and "\n" not in notice
    assert "“Never saved by hand”" in notice and path.name not in notice  # its title, not file
    assert store.list_drafts()[0].path == path and len(store.list_drafts()) == 1
    close_and_delete(win)
    assert SessionState(paths.state_dir).start() is None, "a clean exit needs no recovery"


def test_first_run_sample_is_not_installed_twice(store: DraftStore) -> None:
    paths = app_paths()
    settings = Settings(paths.settings_file)
    first = initial_draft(paths, settings, None)
    assert first is not None and first.exists()
    first.unlink()
    assert initial_draft(paths, settings, None) is None
