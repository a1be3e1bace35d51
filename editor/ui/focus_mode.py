"""Focus mode: full screen, only the text in a centred column; the layout comes back after.

The menu bar and toolbars go too. Qt ignores the shortcuts of actions whose only home is a
hidden menu bar, so the menus' actions are lent to the window while it is out of sight: every
key (F11 and Esc to leave, Ctrl+S, Ctrl+B …) keeps working.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from editor.ui.editor_pane import MarkdownEditor

COLUMN_CHARS = 70  # a comfortable line length for reading and writing prose


class FocusMode(QObject):
    """Hides the panes around the editor and shows the text full screen."""

    changed = Signal(bool)

    def __init__(self, window: QMainWindow, editor: MarkdownEditor, panes: list[QWidget]) -> None:
        super().__init__(window)
        self.window = window
        self.editor = editor
        self.panes = panes
        self.active = False
        self._hidden: list[QWidget] = []
        self._lent: list[QAction] = []  # menu actions added to the window while menus are hidden
        self._state = Qt.WindowState.WindowNoState

    def toggle(self) -> None:
        """Enter focus mode, or leave it."""
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        """Hide the sidebar, preview and outline; full screen with a centred text column."""
        if self.active:
            return
        self.active = True
        self._state = self.window.windowState()
        chrome = [self.window.menuBar(), *self.window.findChildren(QToolBar)]
        self._hidden = [pane for pane in [*self.panes, *chrome] if not pane.isHidden()]
        own = set(self.window.actions())
        self._lent = [a for a in self._menu_actions() if a not in own and not a.isSeparator()]
        self.window.addActions(self._lent)
        for pane in self._hidden:
            pane.hide()
        self.editor.set_text_column(COLUMN_CHARS)
        self.window.showFullScreen()
        self.editor.setFocus()
        self.editor.ensureCursorVisible()
        self.changed.emit(True)

    def leave(self) -> None:
        """Bring back exactly the panes and window state from before."""
        if not self.active:
            return
        self.active = False
        for pane in self._hidden:
            pane.show()
        self._hidden = []
        for action in self._lent:
            self.window.removeAction(action)
        self._lent = []
        self.editor.set_text_column(None)
        self.window.setWindowState(self._state)
        self.editor.setFocus()
        self.editor.ensureCursorVisible()
        self.changed.emit(False)

    def _menu_actions(self) -> list[QAction]:
        """Every action in the menu bar's menus and their submenus."""
        found: list[QAction] = []
        menus = [a.menu() for a in self.window.menuBar().actions() if a.menu() is not None]
        while menus:
            menu = menus.pop()
            for action in menu.actions():
                sub = action.menu()
                if isinstance(sub, QMenu):
                    menus.append(sub)
                else:
                    found.append(action)
        return found
