"""A draft with a line longer than LONG_LINE wraps anywhere, not at word boundaries.

Qt's word wrapping looks for a break opportunity from every line it starts: in a run without
one (5 MB of one letter) each of the run's screen lines scans the rest of the run, which is
quadratic (80,000 letters: 0.8 s per keystroke; 5 MB: the best part of an hour). Wrapping
anywhere is linear. Such a line is pasted data, not prose, and drafts without one keep
word wrapping.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextOption

from editor.ui.editor_pane import MarkdownEditor

WORDS = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
ANYWHERE = QTextOption.WrapMode.WrapAnywhere


class LongLineWrap(QObject):
    """Switches the editor to wrapping anywhere while its text has a very long line."""

    def __init__(self, editor: MarkdownEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        # Connected after the highlighter, so it runs once the changed lines were highlighted
        # (which notes any long one for free) and before Qt lays them out.
        editor.document().contentsChange.connect(self._on_change)

    @property
    def wraps_anywhere(self) -> bool:
        """True while a very long line is in the text."""
        return self.editor.wordWrapMode() == ANYWHERE

    def _on_change(self, _position: int, _removed: int, added: int) -> None:
        highlighter = self.editor.highlighter
        seen, highlighter.long_line_seen = highlighter.long_line_seen, False
        whole = added >= self.editor.document().characterCount() - 1  # a new text was set
        # Typing never removes a long line for good by accident; a new text decides afresh.
        anywhere = seen or (self.wraps_anywhere and not whole)
        if anywhere != self.wraps_anywhere:
            self.editor.setWordWrapMode(ANYWHERE if anywhere else WORDS)
