"""Counts in the status bar: the draft's words, characters, reading time, and the selection's."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from editor.core.stats import describe_counts, describe_selection
from editor.ui.editor_pane import MarkdownEditor

SELECTION_DELAY_MS = 120  # a drag-selection recounts once it rests, not per pixel


class CountsLabel(QLabel):
    """'2,340 / 3,000 words (78%) · 13,020 characters · 11 min read', or the selection's counts.

    The draft's counts come from the render worker (never recounted on the GUI thread); only a
    selection is counted here, after the writer stops dragging.
    """

    def __init__(self, editor: MarkdownEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countsLabel")
        self.editor = editor
        self.document_text = ""
        self.selection_text = ""
        self._timer = QTimer(self, singleShot=True, interval=SELECTION_DELAY_MS)
        self._timer.timeout.connect(self.count_selection)
        editor.selectionChanged.connect(self._timer.start)

    def set_document_counts(self, words: int, chars: int, target: int | None) -> None:
        """The whole draft's counts (from the render worker)."""
        self.document_text = describe_counts(words, chars, target)
        self._show()

    def clear(self) -> None:
        """No draft open."""
        self.document_text = self.selection_text = ""
        self._show()

    def count_selection(self) -> None:
        """Count the selected text now."""
        selected = self.editor.textCursor().selectedText()
        # Qt gives paragraph separators for line breaks
        self.selection_text = (
            describe_selection(selected.replace("\u2029", "\n")) if selected else ""
        )
        self._show()

    def _show(self) -> None:
        self.setText(self.selection_text or self.document_text)
        self.setToolTip(self.document_text if self.selection_text else "")
