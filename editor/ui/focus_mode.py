"""Focus mode: full screen, only the text in a centred column; the layout comes back after."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

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
        self._hidden = [pane for pane in self.panes if not pane.isHidden()]
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
        self.editor.set_text_column(None)
        self.window.setWindowState(self._state)
        self.editor.setFocus()
        self.editor.ensureCursorVisible()
        self.changed.emit(False)
