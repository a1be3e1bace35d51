"""Every control has a name a screen reader says and a keyboard path.

The walk follows the focus chain (the order Tab visits) of the main window and of each main
dialog, and asks Qt's accessibility layer for the name it gives each focusable control: a
button's or check box's text, a field's buddy label, or the accessible name set in code.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QWidget,
)

from editor.ui.main_window import MainWindow

SHORT_WORDS = {"OK", "No", "Go"}
CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology is given for `widget`, if it says something.

    A symbol on a button ("Aa", "↑", ".*") is read out as letters or not at all, so a name
    needs a word: three letters, or one of the usual short button words.
    """
    owner = widget.parentWidget()
    if isinstance(owner, (QComboBox, QAbstractSpinBox)) or (
        owner is not None and owner.focusProxy() is widget
    ):
        widget = owner  # the part inside is announced with its owner's name
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    name = (name or widget.accessibleName()).replace("&", "").strip()
    letters = sum(c.isalpha() for c in name)
    return name if letters >= 3 or name in SHORT_WORDS else ""


def describe(widget: QWidget) -> str:
    parents = []
    w: QWidget | None = widget
    while w is not None and not w.isWindow():
        parents.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return " < ".join(parents)


def tab_stops(root: QWidget) -> Iterator[QWidget]:
    """The widgets Tab visits in `root`'s window, in order."""
    seen: set[int] = set()
    widget = root.nextInFocusChain()
    while widget is not root and id(widget) not in seen:
        seen.add(id(widget))
        if (
            widget.window() is root.window()
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            yield widget
        widget = widget.nextInFocusChain()


def unnamed(root: QWidget) -> list[str]:
    return [describe(w) for w in tab_stops(root) if not accessible_name(w)]


def unreachable(root: QWidget) -> list[str]:
    """Visible, enabled controls Tab never visits (toolbar buttons have menu entries)."""
    stops = {id(w) for w in tab_stops(root)}
    missing = []
    for widget in root.findChildren(QWidget):
        in_toolbar = isinstance(widget.parentWidget(), QToolBar)
        # the parts of a combo box, spin box or tab bar are reached through their owner
        owner = widget.parentWidget()
        if (
            isinstance(widget, CONTROLS)
            and widget.isVisible()
            and widget.isEnabled()
            and not in_toolbar
            and not isinstance(owner, (QComboBox, QAbstractSpinBox))
            and not isinstance(widget, QHeaderView)  # column titles, not a control
            and widget.window() is root.window()
            and id(widget) not in stops
            and not (isinstance(widget, QAbstractButton) and widget.focusProxy() is not None)
        ):
            missing.append(describe(widget))
    return missing


def assert_accessible(root: QWidget) -> None:
    stops = list(tab_stops(root))
    assert len(stops) >= 2, "the walk found the controls"
    problems = [f"no name: {w}" for w in unnamed(root)]
    problems += [f"no tab stop: {w}" for w in unreachable(root)]
    assert not problems, "\n".join(problems)


def test_main_window_controls_have_names_and_tab_stops(window: MainWindow) -> None:
    assert_accessible(window)


def test_find_bar_controls_have_names_and_tab_stops(qtbot, window: MainWindow) -> None:
    window.desk.find_bar.open_bar(True)
    qtbot.waitUntil(window.desk.find_bar.isVisible)
    bar_widgets = set(map(id, window.desk.find_bar.findChildren(QWidget)))
    names = {id(w): accessible_name(w) for w in tab_stops(window) if id(w) in bar_widgets}
    assert len(names) >= 4
    assert all(names.values()), unnamed(window)


def open_dialog(qtbot, window: MainWindow, which: str) -> QDialog:  # type: ignore[no-untyped-def]
    if which == "preferences":
        window.desk.open_preferences()
        dialog = window.desk.dialog
    elif which == "connect":
        window.publishing.connect_action.trigger()
        dialog = window.publishing.connect_dialog
    elif which == "image hosts":
        window.publishing.hosts_action.trigger()
        dialog = window.publishing.hosts_dialog
    elif which == "import":
        window.publishing.sync.show_import_dialog()
        dialog = window.publishing.sync.import_dialog
    elif which == "shortcuts":
        window.help_menu.show_shortcuts()
        dialog = window.help_menu.dialog
    elif which == "report":
        window.help_menu.show_report()
        dialog = window.help_menu.dialog
    else:
        window.help_menu.show_guide()
        dialog = window.help_menu.dialog
    assert isinstance(dialog, QDialog)
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize(
    "which",
    ["preferences", "connect", "image hosts", "import", "shortcuts", "report", "guide"],
)
def test_dialog_controls_have_names_and_tab_stops(qtbot, window: MainWindow, which: str) -> None:
    dialog = open_dialog(qtbot, window, which)
    assert_accessible(dialog)
    dialog.close()


def test_connect_dialog_wordpress_tab_too(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window, "connect")
    tabs = dialog.tabs  # type: ignore[attr-defined]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        assert unnamed(dialog) == [], tabs.tabText(index)
    dialog.close()


def test_every_menu_and_menu_entry_has_a_mnemonic(window: MainWindow) -> None:
    missing = []
    clashes = []
    menus = [a.menu() for a in window.menuBar().actions()]
    titles = [a.text() for a in window.menuBar().actions()]
    missing += [t for t in titles if "&" not in t.replace("&&", "")]
    letters = [t[t.index("&") + 1].lower() for t in titles if "&" in t]
    clashes += sorted({c for c in letters if letters.count(c) > 1})
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        entries = [a for a in menu.actions() if not a.isSeparator() and a.text()]
        used: list[str] = []
        for action in entries:
            if action.menu() is not None:
                menus.append(action.menu())
            text = action.text().replace("&&", "")
            if "&" not in text:
                if action.isEnabled():  # a disabled note ("No blog connected yet") is no entry
                    missing.append(f"{menu.title()} ▸ {action.text()}")
                continue
            used.append(text[text.index("&") + 1].lower())
        clashes += [f"{menu.title()}: {c}" for c in sorted({c for c in used if used.count(c) > 1})]
    assert not missing + clashes, "\n".join(missing + clashes)


def test_toolbar_actions_are_also_in_a_menu(window: MainWindow) -> None:
    in_menus: set[int] = set()
    menus = [a.menu() for a in window.menuBar().actions()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            in_menus.add(id(action))
            if action.menu() is not None:
                menus.append(action.menu())
    for toolbar in window.findChildren(QToolBar):
        for action in toolbar.actions():
            if action.isSeparator() or not isinstance(action, QAction):
                continue
            if action.text():
                assert id(action) in in_menus, action.text()
