"""Label completion while typing labels in the front matter.

On a `labels:`/`tags:` line of the front matter (a flow list, a comma list or a block list),
once a letter of a label is typed, a popup offers the labels the writer's blogs and drafts
already use; Enter or Tab puts the chosen one in place of what was typed, Escape closes it.
It never opens in the body. The known labels are read on a thread pool owned by the completer
(joined when the editor goes), and read again in the background when they are a little old or
when `refresh` is called (after an import or a sync).

The text analysis is editor.core.label_typing; this module only turns keys into calls to it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QCompleter

from editor.core.draft_labels import LibraryLabels, known_labels
from editor.core.label_typing import (
    FRONT_MATTER_LINES,
    LabelSpot,
    completion_edit,
    front_matter_lines,
    label_spot,
    matching_labels,
)
from editor.core.paths import AppPaths
from editor.core.utf16 import from_utf16, to_utf16
from editor.ui.background import Runner
from editor.ui.editor_pane import MarkdownEditor

log = logging.getLogger(__name__)

STALE_SECONDS = 30.0  # known labels older than this are read again (in the background)
ACCEPT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
CLOSE_KEYS = ACCEPT_KEYS | {Qt.Key.Key_Escape}
EDITING_KEYS = {Qt.Key.Key_Backspace, Qt.Key.Key_Delete}


class LabelCompleter(QObject):
    """Offers known labels while the writer types labels in the front matter."""

    loaded = Signal()  # a read of the known labels ended (read or failed): `known` is current

    def __init__(self, editor: MarkdownEditor, paths: AppPaths) -> None:
        super().__init__(editor)
        self.editor = editor
        self.paths = paths
        self.known: list[str] = []
        self.checks = 0  # looks at the cursor so far (tests wait for one)
        self._loaded_at: float | None = None
        self._loading = False
        self._again = False
        self._typed = False
        # Its own pool of one thread, joined when the completer goes (a read in progress
        # finishes; its answer is dropped).
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setObjectName("broadsheet-labels")
        self.runner = Runner(self, pool=self.pool)
        self.library = LibraryLabels()  # used by one read at a time (one thread)

        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(editor)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(8)
        self.completer.activated[str].connect(self.accept)  # a click on a suggestion
        self.popup = self.completer.popup()
        self.popup.setObjectName("labelSuggestions")
        self.popup.setAccessibleName("Label suggestions")
        self.popup.setAccessibleDescription(
            "Labels your blogs and drafts already use. Up and Down choose, Enter or Tab puts"
            " the label in, Escape closes the list."
        )
        # after QCompleter's own filter on its popup, so this one sees the keys first
        self.popup.installEventFilter(self)
        editor.installEventFilter(self)
        self.timer = QTimer(self, singleShot=True, interval=0)  # after the key is applied
        self.timer.timeout.connect(self._look)
        self.refresh()

    # ------------------------------------------------------------------ known labels
    def refresh(self) -> None:
        """Read the known labels again, in the background (after an import, a sync …)."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        # Always answered (labels or a failure): the completer waits for one per request.
        paths, library = self.paths, self.library
        self.runner.run(
            lambda: known_labels(paths, library), done=self._on_loaded, failed=self._on_failed
        )

    def _on_failed(self, exc: Exception) -> None:
        log.error("Reading the known labels failed", exc_info=exc)
        self._on_loaded(None)

    def _on_loaded(self, labels: list[str] | None) -> None:
        self._loading = False
        self._loaded_at = time.monotonic()
        if labels is not None:
            self.known = labels
        self.loaded.emit()
        if self._again:
            self._again = False
            self.refresh()

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API name)
        """Enter/Tab accept and Escape closes while suggestions show; typing looks again."""
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self.popup.isVisible() and event.key() in CLOSE_KEYS:
                event.accept()  # the key is ours: not the window's Esc (leave focus mode …)
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self.popup.isVisible() and self._handled(event):
                return True
            typed = bool(event.text() and event.text().isprintable()) or (
                event.key() in EDITING_KEYS
            )
            self._look_soon(typed)
        elif kind == QEvent.Type.InputMethod and watched is self.editor:
            self._look_soon(True)
        return False

    def _handled(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Escape:
            self.popup.hide()
            return True
        offered = self.model.stringList()
        if event.key() in ACCEPT_KEYS and modifiers == Qt.KeyboardModifier.NoModifier and offered:
            index = self.popup.currentIndex()
            self.accept(offered[index.row() if 0 <= index.row() < len(offered) else 0])
            return True
        return False

    def _look_soon(self, typed: bool) -> None:
        self._typed = self._typed or typed
        self.timer.start()

    # ------------------------------------------------------------------ suggestions
    def _look(self) -> None:
        """Show, update or hide the suggestions for the label at the cursor."""
        self.checks += 1
        typed, self._typed = self._typed, False
        if not (typed or self.popup.isVisible()):
            return  # moving the cursor alone never opens the list
        found = self._spot_at_cursor()
        if found is None:
            self.popup.hide()
            return
        spot, line = found
        if self._loaded_at is None or time.monotonic() - self._loaded_at > STALE_SECONDS:
            self.refresh()  # this time with what is known; next time with what is new
        matches = [
            label
            for label in matching_labels(spot.partial, self.known, spot.others)
            if completion_edit(line, spot, label) is not None
        ]
        if not matches or matches == [spot.partial]:
            self.popup.hide()
            return
        self.model.setStringList(matches)
        rect = self.editor.cursorRect()
        width = self.popup.sizeHintForColumn(0) + self.popup.verticalScrollBar().sizeHint().width()
        rect.setWidth(width + 2 * self.popup.frameWidth())
        self.completer.complete(rect)
        self.popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def accept(self, label: str) -> None:
        """Put `label` in place of the label being typed."""
        self.popup.hide()
        found = self._spot_at_cursor()
        if found is None:
            return
        spot, line = found
        edit = completion_edit(line, spot, label)
        if edit is None:
            return
        start, end, text = edit
        block = self.editor.textCursor().block()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + to_utf16(line, start))
        cursor.setPosition(block.position() + to_utf16(line, end), QTextCursor.MoveMode.KeepAnchor)
        self.editor.insert_text(cursor, text)
        new_line = line[:start] + text + line[end:]
        cursor.setPosition(block.position() + to_utf16(new_line, start + len(text)))
        self.editor.setTextCursor(cursor)

    def _spot_at_cursor(self) -> tuple[LabelSpot, str] | None:
        """The label being typed at the cursor and its line, when in the front matter."""
        cursor = self.editor.textCursor()
        row = cursor.blockNumber() - 1  # the front matter's own rows start below the fence
        if cursor.hasSelection() or not 0 <= row < FRONT_MATTER_LINES:
            return None
        lines = front_matter_lines(_lines(self.editor.document()))
        if lines is None or row >= len(lines):
            return None
        line = lines[row]
        spot = label_spot(lines, row, from_utf16(line, cursor.positionInBlock()))
        return (spot, line) if spot is not None else None


def _lines(document: QTextDocument) -> Iterator[str]:
    """The document's lines from the top (read only as far as they are asked for)."""
    block = document.firstBlock()
    while block.isValid():
        yield block.text()
        block = block.next()
