"""The Markdown editing pane: a plain-text editor with highlighting and soft wrap."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontDatabase, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from editor.ui.highlighter import MarkdownHighlighter

EDITOR_FONTS = ["DejaVu Sans Mono", "Noto Sans Mono", "Menlo", "Consolas", "monospace"]


def editor_font(point_size: int = 12) -> QFont:
    """A readable monospaced font (tables and code line up; prose stays calm)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setFamilies(EDITOR_FONTS)
    font.setPointSize(point_size)
    return font


class MarkdownEditor(QPlainTextEdit):
    """Where the writer types: soft-wrapped, highlighted Markdown."""

    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorPane")
        self.setFont(editor_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(18)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setPlaceholderText("Open a draft from the list, or press Ctrl+N to start a new one.")
        self.highlighter = MarkdownHighlighter(self.document())

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API name)
        """Tell the window, which saves when the writer looks away."""
        super().focusOutEvent(event)
        self.focus_lost.emit()

    def set_text_keep_undo_clean(self, text: str) -> None:
        """Replace the whole text for a newly opened document (fresh undo history)."""
        self.setPlainText(text)
        self.document().setModified(False)
