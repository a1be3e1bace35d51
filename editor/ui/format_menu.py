"""Format ▸ Heading 1–3, Quote, lists, Code Block, Horizontal Rule and Image…, after the
desk's Bold/Italic/Code/Link: each works on the lines of the selection as one undo step."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from editor.core.insertions import rule_insertion
from editor.core.markdown_edit import (
    Edit,
    toggle_bullets,
    toggle_code_block,
    toggle_heading,
    toggle_numbers,
    toggle_quote,
)

if TYPE_CHECKING:
    from editor.ui.window_facets import FormatHost

LineFormat = Callable[[str, int, int], Edit]

# Ctrl+1..3 already show/hide the panes; Ctrl+Alt+1..3 are the headings in Google Docs.
# Quote and the lists follow Typora (Ctrl+Shift+Q) and Word (Ctrl+Shift+L).
LINE_FORMATS: tuple[tuple[str, LineFormat, str | None], ...] = (
    ("Heading &1", partial(toggle_heading, level=1), "Ctrl+Alt+1"),
    ("Heading &2", partial(toggle_heading, level=2), "Ctrl+Alt+2"),
    ("Heading &3", partial(toggle_heading, level=3), "Ctrl+Alt+3"),
    ("&Quote", toggle_quote, "Ctrl+Shift+Q"),
    ("B&ulleted List", toggle_bullets, "Ctrl+Shift+L"),
    ("&Numbered List", toggle_numbers, "Ctrl+Shift+O"),
    ("Code Bloc&k", toggle_code_block, None),
)


class FormatMenu(QObject):
    """The line formats of the Format menu."""

    def __init__(self, window: FormatHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.editor = window.editor
        menu = window.menus["format"]
        menu.addSeparator()
        self.actions: dict[str, QAction] = {}
        for text, change, key in LINE_FORMATS:
            self._add(text, partial(self.format_lines, change), key)
        self._add("Horizontal &Rule", self.horizontal_rule, None)
        menu.addSeparator()
        self._add("I&mage…", window.inserts.choose_images, None)

    def _add(self, text: str, slot: Callable[[], None], key: str | None) -> None:
        action = QAction(text, self.parent_widget)
        if key:
            action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.menus["format"].addAction(action)
        self.actions[text.replace("&", "")] = action

    def _editable(self) -> bool:
        if isinstance(QApplication.focusWidget(), QLineEdit):
            return False  # a key typed in the find bar is not meant for the text
        doc = self.window.doc
        return doc is not None and not doc.read_only

    def format_lines(self, change: LineFormat) -> None:
        """Apply a line format to the lines holding the selection."""
        if self._editable():
            self.editor.keys.format_lines(change)
            self.editor.setFocus()

    def horizontal_rule(self) -> None:
        """A rule on its own paragraph after the current line."""
        if self._editable():
            position = self.editor.textCursor().position()
            self.window.inserts.apply(rule_insertion(self.editor.toPlainText(), position))
            self.editor.setFocus()
