"""Colour and check only the lines on screen: the rest when they are scrolled into view.

The highlighter follows every line's block state (front matter, code fences) but asks
`in_view` before the inline regexes and the spell checker run. Lines done off screen are
marked (`BlockMarks.coloured` / `checked` False) and redone here once they show. A 50 MB draft
then costs a state pass over its lines on opening, not the Markdown and spelling work of
half a million lines.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QTextBlock

from editor.ui.editor_pane import MarkdownEditor
from editor.ui.highlighter import BlockMarks

MARGIN_BLOCKS = 20  # lines done beyond the screen, so a small scroll shows no flicker


class VisibleLines(QObject):
    """Knows which lines are in view and finishes the ones that were skipped off screen."""

    def __init__(self, editor: MarkdownEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        # whether lines not spell checked yet need a pass (the spell checker sets it)
        self.wants_check: Callable[[], bool] = lambda: False
        self._timer = QTimer(self, singleShot=True, interval=30)
        self._timer.timeout.connect(self.refresh)
        self._window: tuple[int, int] | None = None
        editor.verticalScrollBar().valueChanged.connect(self._scrolled)
        editor.viewport().installEventFilter(self)
        editor.highlighter.in_view = self.in_view

    def window(self) -> tuple[int, int]:
        """First and last block number counted as in view."""
        if self._window is None:
            first = self.editor.firstVisibleBlock().blockNumber()
            height = self.editor.viewport().height()
            lines = height // max(1, self.editor.fontMetrics().lineSpacing())
            self._window = (first - MARGIN_BLOCKS, first + lines + 1 + MARGIN_BLOCKS)
            # Kept while one edit is highlighted (setting a 50 MB text asks 500,000 times);
            # scrolling forgets it at once, anything else by the next turn of the event loop.
            QTimer.singleShot(0, self, self._forget)
        return self._window

    def in_view(self, block: QTextBlock) -> bool:
        """Whether `block` is on screen or near it."""
        low, high = self.window()
        return low <= block.blockNumber() <= high

    def _forget(self) -> None:
        self._window = None

    def _scrolled(self) -> None:
        self._window = None
        self._timer.start()

    def refresh(self) -> None:
        """Colour and check the lines on screen that were skipped while off screen."""
        editor = self.editor
        check = self.wants_check()
        block = editor.firstVisibleBlock()
        offset = editor.contentOffset()
        bottom = editor.viewport().height()
        highlighter = editor.highlighter
        while block.isValid():
            if editor.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            marks = block.userData()
            if (
                not isinstance(marks, BlockMarks)
                or not marks.coloured
                or (check and not marks.checked)
            ):
                highlighter.rehighlightBlock(block)
            block = block.next()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API name)
        """A taller viewport shows lines nobody coloured yet."""
        if event.type() == QEvent.Type.Resize:
            self._window = None
            self._timer.start()
        return False
