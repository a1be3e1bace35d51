"""Focus mode leaves only the text: menus and toolbars go, their keys keep working."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

CTRL = Qt.KeyboardModifier.ControlModifier


def test_focus_mode_hides_menus_and_toolbars_and_brings_them_back(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Focus", body="A bold idea.\n")
    open_and_wait(qtbot, window, path)
    toolbars = window.findChildren(QToolBar)
    assert toolbars and all(bar.isVisible() for bar in toolbars)
    assert window.menuBar().isVisible()
    qtbot.keyClick(window.editor, Qt.Key.Key_F11)
    assert window.desk.focus.active
    assert window.menuBar().isHidden()
    assert all(bar.isHidden() for bar in toolbars)
    # the menus' keys still work with their menus out of sight
    text = window.editor.toPlainText()
    cursor = window.editor.textCursor()
    cursor.setPosition(text.index("bold"))
    cursor.setPosition(text.index("bold") + 4, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert "A **bold** idea." in window.editor.toPlainText()
    qtbot.keyClick(window.editor, Qt.Key.Key_F11)  # F11 leaves as it entered
    assert not window.desk.focus.active
    assert window.menuBar().isVisible()
    assert all(bar.isVisible() for bar in toolbars)


def test_a_toolbar_hidden_before_focus_mode_stays_hidden_after(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Focus", body="Words.\n")
    open_and_wait(qtbot, window, path)
    toolbar = window.publishing.toolbar
    toolbar.hide()
    window.desk.focus.enter()
    assert window.menuBar().isHidden()
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not window.desk.focus.active
    assert window.menuBar().isVisible() and toolbar.isHidden()
