"""Markdown help at the keyboard, with real key events: lists, wrapping, indenting, pairs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

CTRL = Qt.KeyboardModifier.ControlModifier


def open_blank(qtbot, window: MainWindow, store: DraftStore, body: str = "") -> None:  # type: ignore[no-untyped-def]
    path = store.new_draft("Keys", body=body)
    open_and_wait(qtbot, window, path)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.waitUntil(window.editor.hasFocus, timeout=10_000)


def body_of(window: MainWindow) -> str:
    return window.editor.toPlainText().split("---\n", 2)[-1]


def select(window: MainWindow, needle: str) -> None:
    text = window.editor.toPlainText()
    start = text.index(needle)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)


def test_enter_continues_a_numbered_list_and_ends_it_on_an_empty_item(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store)
    qtbot.keyClicks(window.editor, "1. first")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, "second")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    assert body_of(window).endswith("1. first\n2. second\n3. ")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)  # empty item: the list ends
    qtbot.keyClicks(window.editor, "After the list.")
    assert body_of(window).endswith("1. first\n2. second\nAfter the list.")


def test_enter_continues_task_items_and_quotes(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store)
    qtbot.keyClicks(window.editor, "- [x] done")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, "todo")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    assert body_of(window).endswith("- [ ] todo\n")
    qtbot.keyClicks(window.editor, "> quoted")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, "more")
    # the empty item lost its marker and the quote was typed on that line
    assert body_of(window).endswith("- [x] done\n- [ ] todo\n> quoted\n> more")


def test_enter_is_plain_inside_fenced_code(qtbot, window: MainWindow, store: DraftStore) -> None:
    open_blank(qtbot, window, store, body="```\n- code\n```\n")
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("- code") + len("- code"))
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    assert "- code\n\n```" in window.editor.toPlainText()


def test_tab_and_shift_tab_indent_and_outdent_list_items(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store)
    qtbot.keyClicks(window.editor, "- top")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClick(window.editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(window.editor, "nested")
    assert body_of(window).endswith("- top\n    - nested")
    qtbot.keyClick(window.editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.editor, "!")
    assert body_of(window).endswith("- top\n- nested!")


def test_ctrl_b_wraps_and_unwraps_as_single_undo_steps(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store, body="A bold idea.\n")
    select(window, "bold")
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert "A **bold** idea." in window.editor.toPlainText()
    assert window.editor.textCursor().selectedText() == "bold"
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert "A bold idea." in window.editor.toPlainText()
    qtbot.keyClick(window.editor, Qt.Key.Key_I, CTRL)
    assert "A *bold* idea." in window.editor.toPlainText()
    window.editor.undo()
    assert "A bold idea." in window.editor.toPlainText()


def test_ctrl_k_makes_a_link_with_url_selected(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store, body="Read the docs today.\n")
    select(window, "the docs")
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    assert "Read [the docs](url) today." in window.editor.toPlainText()
    assert window.editor.textCursor().selectedText() == "url"
    qtbot.keyClicks(window.editor, "https://example.org")
    assert "[the docs](https://example.org)" in window.editor.toPlainText()


def test_pairs_are_inserted_typed_over_and_removed_by_backspace(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store)
    qtbot.keyClicks(window.editor, "see (")
    assert body_of(window).endswith("see ()")
    qtbot.keyClicks(window.editor, "note)")
    assert body_of(window).endswith("see (note)")  # the typed ) went over ours
    qtbot.keyClicks(window.editor, " and [")
    qtbot.keyClick(window.editor, Qt.Key.Key_Backspace)
    assert body_of(window).endswith("see (note) and ")
    qtbot.keyClicks(window.editor, "**")
    assert body_of(window).endswith("and ****")
    qtbot.keyClicks(window.editor, "strong**.")
    assert body_of(window).endswith("and **strong**.")
    qtbot.keyClicks(window.editor, " `code`")
    assert body_of(window).endswith("**strong**. `code`")


def test_typing_inside_words_is_never_paired(qtbot, window: MainWindow, store: DraftStore) -> None:
    open_blank(qtbot, window, store, body="function\n")
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("function") + 4)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "(")
    assert "func(tion" in window.editor.toPlainText()
