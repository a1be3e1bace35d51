"""Format and Help menus: line formats by key as one undo step, shortcuts list, guide, report."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from editor import __version__
from editor.core.drafts import DraftStore
from editor.ui.help_menu import GuideDialog, ReportDialog, ShortcutsDialog
from editor.ui.main_window import MainWindow
from tests.ui.test_editing_keys import body_of, open_blank, select

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_format_menu_has_what_a_writer_expects(window: MainWindow) -> None:
    texts = [a.text().replace("&", "") for a in window.menus["format"].actions() if a.text()]
    for wanted in (
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Quote",
        "Bulleted List",
        "Numbered List",
        "Code Block",
        "Horizontal Rule",
        "Link",
        "Image…",
    ):
        assert wanted in texts


def test_no_two_actions_share_a_shortcut(window: MainWindow) -> None:
    keys = Counter(
        key.toString()
        for action in window.findChildren(QAction)
        for key in action.shortcuts()
        if not key.isEmpty()
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_heading_keys_set_and_clear_a_heading_in_one_undo_step(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store, body="The harbour at dawn\n")
    select(window, "harbour")
    qtbot.keyClick(window.editor, Qt.Key.Key_2, CTRL | ALT)
    assert body_of(window).lstrip().startswith("## The harbour at dawn")
    qtbot.keyClick(window.editor, Qt.Key.Key_1, CTRL | ALT)
    assert body_of(window).lstrip().startswith("# The harbour at dawn")
    window.editor.undo()
    assert body_of(window).lstrip().startswith("## The harbour at dawn")
    window.editor.undo()
    assert body_of(window).lstrip().startswith("The harbour at dawn")


def test_quote_and_lists_work_on_the_selected_lines(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store, body="eggs\nflour\nmilk\n")
    select(window, "eggs\nflour\nmilk")
    qtbot.keyClick(window.editor, Qt.Key.Key_L, CTRL | SHIFT)
    assert "- eggs\n- flour\n- milk" in body_of(window)
    qtbot.keyClick(window.editor, Qt.Key.Key_O, CTRL | SHIFT)
    assert "1. eggs\n2. flour\n3. milk" in body_of(window)
    qtbot.keyClick(window.editor, Qt.Key.Key_Q, CTRL | SHIFT)
    assert "> 1. eggs\n> 2. flour\n> 3. milk" in body_of(window)
    window.editor.undo()
    assert "\n1. eggs\n2. flour" in "\n" + body_of(window)


def test_code_block_rule_and_image_from_the_menu(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_blank(qtbot, window, store, body="print(1)\nAfter.\n")
    select(window, "print(1)")
    window.formats.actions["Code Block"].trigger()
    assert body_of(window).lstrip().startswith("```\nprint(1)\n```\nAfter.")
    select(window, "After.")
    window.formats.actions["Horizontal Rule"].trigger()
    assert "After.\n\n---\n" in body_of(window)
    assert window.formats.actions["Image…"].isEnabled()


def test_the_shortcuts_list_comes_from_the_actions_and_filters_as_you_type(
    qtbot, window: MainWindow
) -> None:
    window.help_menu.show_shortcuts()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, ShortcutsDialog)
    listed = dialog.visible_actions()
    for action in window.findChildren(QAction):
        if not action.shortcut().isEmpty() and action.text().replace("&", "").strip():
            assert action.text().replace("&", "").rstrip("…. ") in listed
    assert "Heading 2" in listed and "Save" in listed
    qtbot.keyClicks(dialog.search, "heading")
    assert sorted(dialog.visible_actions()) == ["Heading 1", "Heading 2", "Heading 3"]
    dialog.search.clear()
    key = QKeySequence("Ctrl+Alt+2").toString(QKeySequence.SequenceFormat.NativeText)
    qtbot.keyClicks(dialog.search, key)
    assert dialog.visible_actions() == ["Heading 2"]


def test_the_markdown_guide_is_rendered_by_our_renderer(window: MainWindow) -> None:
    window.help_menu.show_guide()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, GuideDialog)
    shown = dialog.browser.toPlainText()
    assert "**bold**" in shown  # the example as typed …
    assert "struck out" in shown and "<!--more-->" in shown  # … and the blog extras
    assert "<del>struck out</del>" in dialog.browser.toHtml() or "line-through" in (
        dialog.browser.toHtml()
    )


def test_report_a_problem_prefills_versions_and_copies_them(qtbot, window: MainWindow) -> None:
    window.help_menu.show_report()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, ReportDialog)
    text = dialog.text.toPlainText()
    assert text.startswith("What happened") and f"Broadsheet: {__version__}" in text
    assert "PySide6: " in text and "Python: " in text and "System: " in text
    assert not dialog.text.isReadOnly()  # the writer adds what happened right there
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text


def test_help_menu_entries_sit_before_about(window: MainWindow) -> None:
    help_menu: QMenu = window.menus["help"]
    texts = [a.text() for a in help_menu.actions() if a.text()]
    assert texts[:3] == ["&Keyboard Shortcuts", "&Markdown Guide", "&Report a Problem…"]
    assert texts[-1] == "&About Broadsheet"
