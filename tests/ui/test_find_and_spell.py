"""Find and replace, and spell checking as you type, in the real window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_text(qtbot, window: MainWindow, store: DraftStore, body: str) -> Path:  # type: ignore[no-untyped-def]
    path = store.new_draft("Desk", body=body)
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(window.editor.hasFocus, timeout=10_000)
    return path


# ----------------------------------------------------------------------- find


def test_find_counts_matches_and_f3_wraps(qtbot, window: MainWindow, store: DraftStore) -> None:
    open_text(qtbot, window, store, "cat dog cat\nbird cat\n")
    bar = window.desk.find_bar
    qtbot.keyClick(window.editor, Qt.Key.Key_F, CTRL)
    assert bar.isVisible() and bar.find_field.hasFocus()
    qtbot.keyClicks(bar.find_field, "cat")
    qtbot.waitUntil(lambda: bar.match_count == 3, timeout=2000)
    assert bar.count_label.text() == "3 matches"
    highlighted = window.editor.extra_selections_of("find")
    assert len(highlighted) == 3
    assert {s.cursor.selectedText() for s in highlighted} == {"cat"}
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert bar.count_label.text() == "1 of 3"
    qtbot.keyClick(window.editor, Qt.Key.Key_F3)
    qtbot.keyClick(window.editor, Qt.Key.Key_F3)
    assert bar.count_label.text() == "3 of 3"
    qtbot.keyClick(window.editor, Qt.Key.Key_F3)  # wraps to the first
    assert bar.count_label.text().startswith("1 of 3")
    assert "wrapped" in bar.count_label.text()
    qtbot.keyClick(window.editor, Qt.Key.Key_F3, SHIFT)  # and back round to the last
    assert bar.count_label.text().startswith("3 of 3")
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.editor.extra_selections_of("find") == []


def test_find_options_case_whole_word_and_regex(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "Cat cat concat CAT\n")
    bar = window.desk.find_bar
    bar.open_bar(False)
    qtbot.keyClicks(bar.find_field, "cat")
    qtbot.waitUntil(lambda: bar.match_count == 4, timeout=2000)
    bar.word_button.click()
    assert bar.match_count == 3
    bar.case_button.click()
    assert bar.match_count == 1
    bar.word_button.click()
    bar.case_button.click()
    bar.find_field.setText("c[ao]n")
    bar.regex_button.click()
    assert bar.match_count == 1
    bar.find_field.setText("(")
    bar.search()
    assert "regular expression" in bar.count_label.text()


def test_replace_all_is_one_undo_step(qtbot, window: MainWindow, store: DraftStore) -> None:
    open_text(qtbot, window, store, "one fish two fish red fish blue fish\n")
    before = window.editor.toPlainText()
    bar = window.desk.find_bar
    qtbot.keyClick(window.editor, Qt.Key.Key_H, CTRL)
    assert bar.replace_row.isVisible()
    qtbot.keyClicks(bar.find_field, "fish")
    bar.replace_field.setText("cat")
    qtbot.waitUntil(lambda: bar.match_count == 4, timeout=2000)
    bar.replace_all_button.click()
    assert "one cat two cat red cat blue cat" in window.editor.toPlainText()
    assert bar.count_label.text() == "Replaced 4"
    window.editor.undo()
    assert window.editor.toPlainText() == before  # all four came back in one step


def test_replace_one_replaces_the_selected_match_and_moves_on(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "x1 x2 x3\n")
    bar = window.desk.find_bar
    bar.open_bar(True)
    bar.regex_button.click()
    qtbot.keyClicks(bar.find_field, r"x(\d)")
    bar.replace_field.setText(r"y\1")
    bar.search()
    bar.find_next()
    bar.replace_one()
    assert "y1 x2 x3" in window.editor.toPlainText()
    assert window.editor.textCursor().selectedText() == "x2"
    assert bar.count_label.text() == "1 of 2"


def test_replace_all_keeps_case_and_leaves_link_addresses(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    body = (
        "# Harbour days\n\nThe harbour at dawn. HARBOUR LIGHTS.\n"
        "[Harbour news](https://example.org/harbour-news) and https://harbour.example/\n"
    )
    open_and_wait(qtbot, window, store.new_draft("Harbour days", body=body))
    bar = window.desk.find_bar
    qtbot.keyClick(window.editor, Qt.Key.Key_H, CTRL)
    assert bar.preserve_case_box.isChecked()  # on, because Match case is off
    assert not bar.in_links_box.isChecked()
    assert bar.preserve_case_box.accessibleName() and bar.in_links_box.accessibleName()
    qtbot.keyClicks(bar.find_field, "harbour")
    bar.replace_field.setText("harbor")
    qtbot.waitUntil(lambda: bar.match_count == 7, timeout=2000)
    bar.replace_all_button.click()
    text = window.editor.toPlainText()
    assert 'title: "Harbor days"' in text and "# Harbor days" in text
    assert "The harbor at dawn. HARBOR LIGHTS." in text
    assert "[Harbor news](https://example.org/harbour-news)" in text
    assert "https://harbour.example/" in text
    assert bar.count_label.text() == "Replaced 5 (left 2 in link addresses)"
    # Alt+L asks for the addresses too; the case of what was typed then goes everywhere
    window.editor.undo()
    bar.replace_field.setFocus()
    qtbot.keyClick(bar.replace_field, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(bar.in_links_box.isChecked, timeout=2000)  # a mnemonic clicks animated
    qtbot.keyClick(bar.replace_field, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not bar.preserve_case_box.isChecked(), timeout=2000)
    bar.replace_all_button.click()
    assert "example.org/harbor-news" in window.editor.toPlainText()
    assert 'title: "harbor days"' in window.editor.toPlainText()
    # Match case turns preserving off, and back on when it is turned off
    bar.preserve_case_box.setChecked(True)
    bar.case_button.click()
    assert not bar.preserve_case_box.isChecked()
    bar.case_button.click()
    assert bar.preserve_case_box.isChecked()


def test_replace_one_skips_a_match_in_a_link_address(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "<https://cat.example> Cat\n")
    bar = window.desk.find_bar
    bar.open_bar(True)
    qtbot.keyClicks(bar.find_field, "cat")
    bar.replace_field.setText("dog")
    bar.search()
    bar.find_next()
    bar.replace_one()  # the first match is in the address: left, and the next one selected
    assert bar.count_label.text() == "Left a link address as it is"
    assert window.editor.textCursor().selectedText() == "Cat"
    bar.replace_one()
    assert "<https://cat.example> Dog" in window.editor.toPlainText()


# ----------------------------------------------------------------------- spelling


def wait_for_spelling(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.desk.spell.active, timeout=10000)


def underlined_words(window: MainWindow, line: int) -> list[str]:
    """The runs of text in a line that carry the wavy spelling underline in its layout."""
    block = window.editor.document().findBlockByNumber(line)
    marked = [False] * len(block.text())
    for fmt_range in block.layout().formats():
        if fmt_range.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
            for i in range(fmt_range.start, fmt_range.start + fmt_range.length):
                marked[i] = True
    runs = "".join(c if m else " " for c, m in zip(block.text(), marked, strict=True))
    return runs.split()


def line_of(window: MainWindow, needle: str) -> int:
    return window.editor.toPlainText()[: window.editor.toPlainText().index(needle)].count("\n")


def test_misspelt_word_gets_a_wavy_underline_but_code_and_urls_do_not(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "Start.\n")
    wait_for_spelling(qtbot, window)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, "A wrold with `codde` and https://exampel.org/pgae here")
    line = line_of(window, "A wrold")
    assert underlined_words(window, line) == ["wrold"]


def test_fenced_code_and_front_matter_are_not_checked(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "```\nnott chekced\n```\n\nThis is fine.\n")
    wait_for_spelling(qtbot, window)
    text = window.editor.toPlainText()
    for number in range(text.count("\n") + 1):
        assert underlined_words(window, number) == [], number


def test_context_menu_offers_suggestions_and_replaces_the_word(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "The wrold is big.\n")
    wait_for_spelling(qtbot, window)
    start = window.editor.toPlainText().index("wrold")
    cursor = window.editor.textCursor()
    cursor.setPosition(start + 2)
    point = window.editor.cursorRect(cursor).center()
    menu = window.editor.build_context_menu(point)
    suggestions = [a for a in menu.actions() if a.objectName() == "spellSuggestion"]
    assert "world" in [a.text() for a in suggestions]
    next(a for a in suggestions if a.text() == "world").trigger()
    assert "The world is big." in window.editor.toPlainText()
    menu.deleteLater()


def test_add_to_dictionary_is_saved_and_ignore_lasts_the_session(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "Broadshet and Qwzx both.\n")
    wait_for_spelling(qtbot, window)
    line = line_of(window, "Broadshet")
    qtbot.waitUntil(lambda: underlined_words(window, line) == ["Broadshet", "Qwzx"], timeout=10_000)

    def menu_at(word: str):  # type: ignore[no-untyped-def]
        cursor = window.editor.textCursor()
        cursor.setPosition(window.editor.toPlainText().index(word) + 1)
        return window.editor.build_context_menu(window.editor.cursorRect(cursor).center())

    menu = menu_at("Broadshet")
    next(a for a in menu.actions() if a.text().startswith("Add “Broadshet”")).trigger()
    dictionary = app_paths().config_dir / "dictionary.txt"
    qtbot.waitUntil(dictionary.exists, timeout=10_000)
    assert dictionary.read_text(encoding="utf-8") == "broadshet\n"
    menu = menu_at("Qwzx")
    next(a for a in menu.actions() if a.text() == "Ignore").trigger()
    assert underlined_words(window, line) == []
    assert "qwzx" not in dictionary.read_text(encoding="utf-8")


def test_turning_spelling_off_removes_the_underlines(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, window, store, "A wrold.\n")
    wait_for_spelling(qtbot, window)
    line = line_of(window, "wrold")
    assert underlined_words(window, line) == ["wrold"]
    window.desk.spell_action.trigger()
    assert underlined_words(window, line) == []
    assert window.editor.build_context_menu(QPoint(5, 5)) is not None


def test_only_the_visible_part_of_a_long_draft_is_checked(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    body = "".join(f"Paragraf {i} of text.\n\n" for i in range(600))
    open_text(qtbot, window, store, body)
    wait_for_spelling(qtbot, window)
    last = window.editor.document().blockCount() - 3
    assert underlined_words(window, last) == []  # far below the screen: not checked yet
    window.editor.verticalScrollBar().setValue(window.editor.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: underlined_words(window, last) == ["Paragraf"], timeout=10_000)
