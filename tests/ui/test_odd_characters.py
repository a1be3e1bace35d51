"""Issue 13, defect 3: characters the writer did not touch are saved byte for byte."""

from __future__ import annotations

from pathlib import Path

from editor.core.drafts import DraftStore
from editor.core.editor_text import protect_text, restore_text
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, type_at_end

# French typography (narrow and ordinary no-break spaces), "10 km", a line separator pasted
# from a word processor, a paragraph separator, and the two non-characters Qt uses as frames.
ODD = "Il dit\u00a0: «\u202fbonjour\u202f». 10\u00a0km.\u2028Next line\u2029same para\ufdd0\ufdd1\n"


def test_odd_characters_survive_the_first_save(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Typography", body=ODD)
    before = path.read_bytes()
    open_and_wait(qtbot, window, path, "bonjour")
    type_at_end(qtbot, window, "Added.")
    window.save_by_hand()
    qtbot.waitUntil(lambda: b"Added." in path.read_bytes(), timeout=5000)
    assert path.read_bytes() == before + b"Added."
    assert window.editor.toPlainText().endswith(ODD + "Added.")


def test_cursor_positions_match_the_text_the_window_reads(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Typography", body=ODD)
    open_and_wait(qtbot, window, path, "bonjour")
    text = window.editor.toPlainText()
    # every position the editor reports is a position in the text the window saves
    assert len(text) == window.editor.document().characterCount() - 1
    cursor = window.editor.textCursor()
    cursor.setPosition(text.index("same para"))
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "X")
    assert "\u2029Xsame para" in window.editor.toPlainText()


def test_protect_and_restore_round_trip() -> None:
    shown, stand_ins = protect_text(ODD + "\ue000 private use stays")
    assert "\u2029" not in shown and "\ufdd0" not in shown and "\ufdd1" not in shown
    assert len(shown) == len(ODD) + len("\ue000 private use stays")
    raw = shown.replace("\n", "\u2029")  # what Qt's raw text gives back: blocks end in U+2029
    assert restore_text(raw, stand_ins) == ODD + "\ue000 private use stays"
    assert protect_text("plain") == ("plain", {})


def test_a_file_with_no_odd_characters_is_untouched(tmp_path: Path) -> None:
    shown, stand_ins = protect_text("a\nb\n")
    assert shown == "a\nb\n" and stand_ins == {}
    assert restore_text("a\u2029b\u2029", stand_ins) == "a\nb\n"


def test_a_restored_version_keeps_its_paragraph_separators(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Typography", body="Plain.\n")
    open_and_wait(qtbot, window, path, "Plain.")
    old = window.editor.toPlainText() + "Old\u2029version\ufdd0.\n"
    window.restore_text(old)  # History ▸ Restore replaces only the changed span
    assert window.editor.toPlainText() == old
    qtbot.waitUntil(lambda: path.read_bytes() == old.encode(), timeout=5000)
