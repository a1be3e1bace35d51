"""Issue 13, defect 11, in the real window: UTF-16 opens and saves as UTF-16; a Windows-1252
file is offered, opened, kept as Windows-1252, and converted to UTF-8 only when asked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, wait_for_preview

OLD_POST = "---\r\ntitle: “Old” post\r\n---\r\n\r\nIt’s a café — 5 €.\r\n"


def type_at_end(window: MainWindow, text: str) -> None:
    """Type at the end of the text, one key event per character, as a keyboard layout with
    these letters sends them (QTest.keyClicks knows only ASCII)."""
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(window.editor, event)


def save_by_hand(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def legacy_draft(store: DraftStore) -> tuple[Path, bytes]:
    store.ensure()
    path = store.drafts_dir / "old.md"
    data = OLD_POST.encode("cp1252")
    path.write_bytes(data)
    return path, data


def open_as_windows_1252(qtbot, window: MainWindow, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Open the file, answer the banner's offer with the keyboard, wait for the text."""
    window.open_path(path)
    qtbot.waitUntil(lambda: window.banner.button("Open as Windows-1252") is not None, timeout=5000)
    text = window.banner.text()
    assert "not valid UTF-8" in text and "line 2, column 8" in text  # the “ of “Old”
    assert window.doc is None and window.banner.button("Cancel") is not None
    button = window.banner.button("Open as Windows-1252")
    qtbot.waitUntil(button.hasFocus, timeout=10_000)  # the keyboard path: Space opens
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == path, timeout=5000)


def test_a_utf16_file_opens_and_an_edit_is_saved_as_utf16_with_its_bom(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    path = store.drafts_dir / "wide.md"
    post = "\ufeff---\r\ntitle: Wide\r\n---\r\n\r\nIt’s in UTF-16.\r\n"
    path.write_bytes(post.encode("utf-16-le"))
    open_and_wait(qtbot, window, path, "It’s in UTF-16.")
    assert window.editor.toPlainText() == post[1:].replace("\r\n", "\n")
    assert not window.banner.isVisible()
    type_at_end(window, "Łódź ✓")
    save_by_hand(qtbot, window)
    expected = (post + "Łódź ✓").encode("utf-16-le")
    qtbot.waitUntil(lambda: path.read_bytes() == expected, timeout=5000)
    assert path.read_bytes().startswith(b"\xff\xfe-\x00-\x00-\x00\r\x00\n\x00")


def test_a_windows_1252_file_is_offered_kept_and_converted_only_when_asked(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path, data = legacy_draft(store)
    convert_action = window.encodings.convert_action
    open_as_windows_1252(qtbot, window, path)
    assert window.editor.toPlainText() == OLD_POST.replace("\r\n", "\n")
    wait_for_preview(qtbot, window.preview, "It’s a café — 5 €.")
    assert path.read_bytes() == data  # opening changed nothing
    assert "Windows-1252" in window.banner.text()
    assert window.banner.button("Convert to UTF-8") is not None
    window.menus["file"].aboutToShow.emit()
    assert convert_action.isEnabled()

    type_at_end(window, "Naïve “café” — 10 €.")
    save_by_hand(qtbot, window)
    still_cp1252 = (OLD_POST + "Naïve “café” — 10 €.").encode("cp1252")
    qtbot.waitUntil(lambda: path.read_bytes() == still_cp1252, timeout=5000)

    window.banner.button("Convert to UTF-8").click()
    as_utf8 = (OLD_POST + "Naïve “café” — 10 €.").encode("utf-8")
    qtbot.waitUntil(lambda: path.read_bytes() == as_utf8, timeout=5000)
    old_text = still_cp1252.decode("cp1252").replace("\r\n", "\n")
    assert any(s.read() == old_text for s in window.history.snapshots(path))
    qtbot.waitUntil(
        lambda: "now saved as UTF-8" in window.statusBar().currentMessage(), timeout=10_000
    )
    window.menus["file"].aboutToShow.emit()
    assert not convert_action.isEnabled()


def test_a_character_windows_1252_cannot_store_stops_the_save_and_offers_utf8(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path, data = legacy_draft(store)
    open_as_windows_1252(qtbot, window, path)
    type_at_end(window, "We met in Łódź.")
    save_by_hand(qtbot, window)
    qtbot.waitUntil(lambda: "cannot store" in window.banner.text(), timeout=5000)
    message = window.banner.text()
    assert "“Ł”" in message and "line 6, column 11" in message and "safe" in message
    assert window.save_label.text() == "Not saved" and window.isWindowModified()
    assert path.read_bytes() == data
    assert window.editor.toPlainText().endswith("We met in Łódź.")
    window.encodings.convert_action.trigger()  # File ▸ Convert to UTF-8
    expected = (OLD_POST + "We met in Łódź.").encode("utf-8")
    qtbot.waitUntil(lambda: path.read_bytes() == expected, timeout=5000)
    [before] = window.history.snapshots(path)  # the version on disk before converting
    assert before.reason == "encoding" and before.read() == OLD_POST.replace("\r\n", "\n")
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=10_000)
    assert "cannot store" not in window.banner.text()


def test_cancel_opens_nothing_and_changes_nothing(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path, data = legacy_draft(store)
    window.open_path(path)
    qtbot.waitUntil(lambda: window.banner.button("Cancel") is not None, timeout=5000)
    window.banner.button("Cancel").click()
    assert not window.banner.isVisible() and window.doc is None
    window.save()
    assert path.read_bytes() == data


def test_a_file_changed_by_another_program_in_its_legacy_encoding_reads_as_text(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path, _data = legacy_draft(store)
    open_as_windows_1252(qtbot, window, path)
    theirs = OLD_POST.replace("It’s a café", "C’est un café")
    path.write_bytes(theirs.encode("cp1252"))
    qtbot.waitUntil(lambda: window.banner.button("Reload Theirs") is not None, timeout=5000)
    window.banner.button("Reload Theirs").click()
    assert window.editor.toPlainText() == theirs.replace("\r\n", "\n")


def test_a_windows_1252_draft_follows_its_title_without_an_error(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    path = store.drafts_dir / "untitled.md"
    path.write_bytes(OLD_POST.encode("cp1252"))
    open_as_windows_1252(qtbot, window, path)
    type_at_end(window, "More.")
    save_by_hand(qtbot, window)
    renamed = store.drafts_dir / "old-post.md"
    qtbot.waitUntil(lambda: renamed.exists() and not path.exists(), timeout=5000)
    assert renamed.read_bytes() == (OLD_POST + "More.").encode("cp1252")
    assert "could not follow the title" not in window.banner.text()
    assert window.banner.button("Convert to UTF-8") is not None
