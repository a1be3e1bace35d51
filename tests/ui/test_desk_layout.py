"""Counts, outline, focus mode, typewriter scrolling, themes, preferences and session restore."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QApplication

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.post import split_front_matter
from editor.core.settings import Settings
from editor.ui.main_window import MainWindow
from tests.ui.conftest import close_and_delete, open_and_wait, page_eval

CTRL = Qt.KeyboardModifier.ControlModifier


def new_window() -> MainWindow:
    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load())
    win.show()
    return win


def settings_on_disk() -> dict:
    return json.loads(app_paths().settings_file.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------- counts


def test_status_bar_counts_words_characters_reading_time_and_target(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Counted", body="one two three four\n")
    text = path.read_text(encoding="utf-8").replace("title:", "target_words: 8\ntitle:", 1)
    path.write_text(text, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    counts = window.desk.counts
    expected = "4 / 8 words (50%) · 18 characters · 1 min read"
    qtbot.waitUntil(lambda: counts.text() == expected, timeout=5000)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, "five six")
    qtbot.waitUntil(lambda: counts.text().startswith("6 / 8 words (75%)"), timeout=5000)
    cursor = window.editor.textCursor()
    start = window.editor.toPlainText().index("two")
    cursor.setPosition(start)
    cursor.setPosition(start + len("two three"), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: counts.text().startswith("Selection: 2 words"), timeout=2000)
    assert "9 characters" in counts.text()


# ----------------------------------------------------------------------- outline


OUTLINED = (
    "# Beginning\n\nIntro text.\n\n## Middle part\n\nMiddle text.\n\n```\n# not a heading\n```\n\n"
    "Ending\n======\n\nLast words.\n"
)


def test_outline_lists_headings_and_a_click_moves_the_cursor(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Outlined", body=OUTLINED)
    open_and_wait(qtbot, window, path)
    outline = window.desk.outline
    qtbot.waitUntil(lambda: len(outline.headings) == 3, timeout=5000)
    assert [h.title for h in outline.headings] == ["Beginning", "Middle part", "Ending"]
    top = outline.tree.topLevelItem(0)
    assert top.text(0) == "Beginning" and top.child(0).text(0) == "Middle part"
    ending = outline.tree.topLevelItem(1)
    window.preview.setFocus()
    outline.tree.itemClicked.emit(ending, 0)
    cursor = window.editor.textCursor()
    assert cursor.block().text() == "Ending"
    assert window.editor.hasFocus()
    rect = window.editor.cursorRect()
    assert window.editor.viewport().rect().contains(rect.center())


def test_outline_follows_the_cursor(qtbot, window: MainWindow, store: DraftStore) -> None:
    path = store.new_draft("Following", body=OUTLINED)
    open_and_wait(qtbot, window, path)
    outline = window.desk.outline
    qtbot.waitUntil(lambda: len(outline.headings) == 3, timeout=5000)
    for needle, title in (("Middle text.", "Middle part"), ("Last words", "Ending")):
        cursor = window.editor.textCursor()
        cursor.setPosition(window.editor.toPlainText().index(needle))
        window.editor.setTextCursor(cursor)
        assert outline.tree.currentItem().text(0) == title


# ----------------------------------------------------------------------- focus


def test_focus_mode_hides_the_panes_and_restores_them(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Focus", body="Words.\n")
    open_and_wait(qtbot, window, path)
    window.sidebar_action.trigger()  # the writer hid the drafts before: it stays hidden
    assert window.sidebar.isHidden()
    dock = window.desk.outline_dock
    assert dock.isHidden(), "the outline starts hidden"
    dock.show()
    assert window.preview.isVisible() and dock.isVisible()
    qtbot.keyClick(window.editor, Qt.Key.Key_F11)
    assert window.desk.focus.active
    assert window.preview.isHidden() and dock.isHidden() and window.sidebar.isHidden()
    assert window.isFullScreen()
    qtbot.waitUntil(lambda: window.editor.text_column_margin() > 0, timeout=2000)
    margin = window.editor.text_column_margin()
    window.editor.resize(window.editor.width() + 400, window.editor.height())
    assert window.editor.text_column_margin() == margin + 200  # the column stays centred
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not window.desk.focus.active
    assert window.preview.isVisible() and dock.isVisible()
    assert window.sidebar.isHidden()
    assert window.editor.text_column_margin() == 0
    assert not window.isFullScreen()
    qtbot.keyClick(window.editor, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.desk.focus.active
    qtbot.keyClick(window.editor, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert not window.desk.focus.active


def test_typewriter_scrolling_keeps_the_line_in_the_middle(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    body = "".join(f"Line {i}\n" for i in range(300))
    path = store.new_draft("Typewriter", body=body)
    open_and_wait(qtbot, window, path)
    window.desk.typewriter_action.trigger()
    assert window.editor.typewriter
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("Line 150"))
    window.editor.setTextCursor(cursor)
    for _ in range(5):
        qtbot.keyClick(window.editor, Qt.Key.Key_Down)
    middle = window.editor.viewport().height() / 2
    line = window.editor.fontMetrics().lineSpacing()
    assert abs(window.editor.cursorRect().center().y() - middle) <= line
    assert window.editor.textCursor().block().text() == "Line 155"


# ----------------------------------------------------------------------- themes


def test_dark_theme_changes_the_palette_highlighter_and_preview(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Dark", body="# Heading\n\nText.\n")
    open_and_wait(qtbot, window, path, "Text.")
    light_base = QApplication.palette().color(QPalette.ColorRole.Base)
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="dark"))
    dark_base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert dark_base.lightness() < 80 < light_base.lightness()
    qtbot.waitUntil(
        lambda: window.editor.palette().color(QPalette.ColorRole.Base) == dark_base, timeout=2000
    )
    assert window.editor.highlighter.dark
    background = "getComputedStyle(document.documentElement).backgroundColor"
    qtbot.waitUntil(
        lambda: page_eval(qtbot, window.preview, background) == "rgb(23, 24, 26)", timeout=5000
    )
    assert "Text." in str(page_eval(qtbot, window.preview, "document.body.innerText"))
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look="light"))
    qtbot.waitUntil(
        lambda: page_eval(qtbot, window.preview, background) == "rgb(247, 245, 240)",
        timeout=5000,
    )
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="light"))
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200


# ----------------------------------------------------------------------- preferences


def test_preferences_dialog_applies_at_once_and_persists(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    qtbot.keyClick(window.editor, Qt.Key.Key_Comma, CTRL)
    dialog = window.desk.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.font_size.setValue(17)
    assert window.editor.font().pointSize() == 17
    dialog.typewriter.setChecked(True)
    assert window.editor.typewriter
    dialog.spellcheck.setChecked(False)
    assert not window.desk.spell.enabled
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert window.desk.dark
    qtbot.waitUntil(
        lambda: (
            app_paths().settings_file.exists()
            and settings_on_disk().get("preferences", {}).get("theme") == "dark"
        ),
        timeout=10_000,
    )
    stored = settings_on_disk()["preferences"]
    assert (stored["font_size"], stored["typewriter"], stored["spellcheck"]) == (17, True, False)
    dialog.close()
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="light"))


def test_preferences_are_applied_to_a_new_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(app_paths().settings_file)
    settings.set("preferences", {"font_size": 19, "typewriter": True, "show_counts": False})
    settings.save()
    win = new_window()
    try:
        assert win.editor.font().pointSize() == 19
        assert win.editor.typewriter
        assert win.desk.typewriter_action.isChecked()
        assert win.desk.counts.isHidden()
    finally:
        close_and_delete(win)


# ----------------------------------------------------------------------- session


def test_cursor_scroll_and_panes_come_back_after_reopening(qtbot, store: DraftStore) -> None:
    body = "".join(f"Paragraph number {i}.\n\n" for i in range(400))
    path = store.new_draft("Session", body=body)
    win = new_window()
    open_and_wait(qtbot, win, path)
    position = win.editor.toPlainText().index("Paragraph number 250.")
    cursor = win.editor.textCursor()
    cursor.setPosition(position)
    win.editor.setTextCursor(cursor)
    win.editor.centerCursor()
    scroll = win.editor.verticalScrollBar().value()
    assert scroll > 0
    assert win.desk.outline_dock.isHidden()  # hidden by default
    win.desk.outline_dock.toggleViewAction().trigger()  # the writer shows the outline…
    win.preview_action.trigger()  # …and hides the preview
    close_and_delete(win)

    win = new_window()
    try:
        assert not win.desk.outline_dock.isHidden() and win.preview.isHidden()
        assert not win.preview_action.isChecked()
        open_and_wait(qtbot, win, path)
        assert win.editor.textCursor().position() == position
        qtbot.waitUntil(lambda: win.editor.verticalScrollBar().value() == scroll, timeout=2000)
    finally:
        close_and_delete(win)
    assert str(path) in settings_on_disk()["draft_positions"]


def test_switching_drafts_remembers_each_position(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    first = store.new_draft("First", body="Alpha beta gamma.\n")
    second = store.new_draft("Second", body="Delta epsilon.\n")
    open_and_wait(qtbot, window, first)
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("gamma"))
    window.editor.setTextCursor(cursor)
    open_and_wait(qtbot, window, second)
    text = window.editor.toPlainText()
    body_start = len(text) - len(split_front_matter(text)[1])
    assert window.editor.textCursor().position() == body_start, "a new visit starts at the body"
    open_and_wait(qtbot, window, first)
    assert window.editor.textCursor().position() == window.editor.toPlainText().index("gamma")


def test_window_icon_comes_from_the_resource(window: MainWindow) -> None:
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes() or window.windowIcon().pixmap(64).width() == 64
