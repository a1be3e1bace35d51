"""Scroll sync between the editor and the preview, paragraph-accurate, in both directions.

The preview's top-level blocks carry `data-line` (their first source line). The position at
the top of each view is expressed as a fractional source line: block N and 40% of the way to
the next block's line (in the editor) or the next block's top (in the preview), so long
paragraphs, images and code blocks scroll smoothly instead of jumping block by block.

Each side follows the other only when the writer scrolled it: the scroll we cause on the
other side is recognised and ignored (an echo would bounce back and forth), and so is the
preview's own adjustment when its content is patched while typing.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QPointF, QTimer

from editor.ui.editor_pane import MarkdownEditor
from editor.ui.preview_pane import PreviewPane

ECHO_SECONDS = 0.35  # how long a scroll we caused on the other side is not followed back


class ScrollSync(QObject):
    """Keeps the preview showing what the editor shows at its top, and the reverse."""

    def __init__(self, editor: MarkdownEditor, preview: PreviewPane, parent: QObject) -> None:
        super().__init__(parent)
        self.editor = editor
        self.preview = preview
        self.enabled = True
        self._setting_editor = False
        self._quiet_preview_until = 0.0  # preview scroll events before this are ours
        self._quiet_editor_until = 0.0
        self._preview_y = 0.0
        self._editor_timer = QTimer(self, singleShot=True, interval=0)
        self._editor_timer.timeout.connect(self.sync_preview)
        self._preview_timer = QTimer(self, singleShot=True, interval=0)
        self._preview_timer.timeout.connect(self.sync_editor)
        editor.verticalScrollBar().valueChanged.connect(self._on_editor_scrolled)
        preview.scroll_position_changed.connect(self._on_preview_scrolled)
        preview.content_applied.connect(self._on_content_applied)

    # ------------------------------------------------------------ editor -> preview
    def editor_line(self) -> float:
        """The fractional source line at the top of the editor."""
        editor = self.editor
        block = editor.firstVisibleBlock()
        if not block.isValid():
            return 0.0
        geometry = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
        part = -geometry.top() / geometry.height() if geometry.height() > 0 else 0.0
        return block.blockNumber() + min(1.0, max(0.0, part))

    def _on_editor_scrolled(self, _value: int) -> None:
        if self._setting_editor or time.monotonic() < self._quiet_editor_until:
            return
        if self.enabled:
            self._editor_timer.start()

    def sync_preview(self) -> None:
        """Scroll the preview to the editor's top line."""
        self._quiet_preview_until = time.monotonic() + ECHO_SECONDS
        last_line = self.editor.blockCount() - 1
        self.preview.scroll_to_line(self.editor_line(), last_line, self._preview_scrolled_to)

    def _preview_scrolled_to(self, y: object) -> None:
        if isinstance(y, int | float):
            self._preview_y = float(y)
        self._quiet_preview_until = time.monotonic() + ECHO_SECONDS

    # ------------------------------------------------------------ preview -> editor
    def _on_preview_scrolled(self, position: QPointF) -> None:
        y = position.y()
        if time.monotonic() < self._quiet_preview_until or abs(y - self._preview_y) < 1:
            self._preview_y = y
            return
        self._preview_y = y
        if self.enabled:
            self._preview_timer.start()

    def sync_editor(self) -> None:
        """Scroll the editor to the source line at the top of the preview."""
        last_line = self.editor.blockCount() - 1
        self.preview.line_at(self._preview_y, last_line, self._scroll_editor_to)

    def _scroll_editor_to(self, line: object) -> None:
        if not isinstance(line, int | float):
            return
        document = self.editor.document()
        line = round(float(line), 2)
        number = max(0, min(int(line), document.blockCount() - 1))
        block = document.findBlockByNumber(number)
        lines = max(1, block.lineCount())
        value = block.firstLineNumber() + int((line - number) * lines)
        self._setting_editor = True
        try:
            self.editor.verticalScrollBar().setValue(value)
        finally:
            self._setting_editor = False
        self._quiet_editor_until = time.monotonic() + ECHO_SECONDS

    def _on_content_applied(self, _generation: int) -> None:
        # Patching content above the view may let the page keep its place by scrolling.
        self._quiet_preview_until = time.monotonic() + ECHO_SECONDS
