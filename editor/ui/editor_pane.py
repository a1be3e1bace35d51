"""The Markdown editing pane: a plain-text editor with highlighting and soft wrap."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QPoint, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QMenu, QPlainTextEdit, QTextEdit, QWidget

from editor.core.editor_text import (
    BLOCK_BREAKERS,
    changed_span,
    protect_more,
    protect_text,
    restore_text,
)
from editor.ui.highlighter import MarkdownHighlighter
from editor.ui.markdown_keys import MarkdownKeys
from editor.ui.text_mirror import TextMirror

EDITOR_FONTS = ["DejaVu Sans Mono", "Noto Sans Mono", "Menlo", "Consolas", "monospace"]
DOCUMENT_MARGIN = 18

MenuHook = Callable[[QMenu, QTextCursor], None]
MimeHook = Callable[[QMimeData], bool]  # True: it took the pasted/dropped data


def editor_font(point_size: int = 12, family: str = "") -> QFont:
    """A readable monospaced font (tables and code line up; prose stays calm)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setFamilies([family, *EDITOR_FONTS] if family else EDITOR_FONTS)
    font.setPointSize(point_size)
    return font


class MarkdownEditor(QPlainTextEdit):
    """Where the writer types: soft-wrapped, highlighted Markdown."""

    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorPane")
        self.setAccessibleName("Draft text")
        self.setFont(editor_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setPlaceholderText("Open a draft from the list, or press Ctrl+N to start a new one.")
        self.highlighter = MarkdownHighlighter(self.document())
        self.keys = MarkdownKeys(self)
        self.menu_hooks: list[MenuHook] = []  # add entries to the right-click menu
        self.mime_hook: MimeHook | None = None  # images pasted or dropped (editor/ui/insert_tools)
        # Find matches, spelling and so on each own a list; Qt shows their union.
        self._extra: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._column_chars: int | None = None
        self._typewriter = False
        self._stand_ins: dict[str, str] = {}  # characters Qt cannot hold (editor/core/editor_text)
        self.cursorPositionChanged.connect(self._keep_line_centred)
        # The text for the preview, followed edit by edit (after the highlighter's slot).
        self.mirror = TextMirror(self)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API name)
        """Tell the window, which saves when the writer looks away."""
        super().focusOutEvent(event)
        self.focus_lost.emit()

    def set_text_keep_undo_clean(self, text: str) -> None:
        """Replace the whole text for a newly opened document (fresh undo history)."""
        shown, self._stand_ins = protect_text(text)
        self.setPlainText(shown)
        self.document().setModified(False)

    def insert_text(self, cursor: QTextCursor, text: str) -> None:
        """Insert `text` at `cursor` keeping characters Qt would turn into block breaks."""
        if any(ch in text for ch in BLOCK_BREAKERS):
            text = protect_more(text, self._stand_ins, self.document().toRawText())
        cursor.insertText(text)

    def replace_text(self, new_text: str) -> None:
        """Replace only the span that changed, as one undoable edit (the cursor, scroll and
        undo history of the rest stay as they are)."""
        old = self.toPlainText()
        if new_text == old:
            return
        start, end_old, end_new = changed_span(old, new_text)
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end_old, QTextCursor.MoveMode.KeepAnchor)
        self.insert_text(cursor, new_text[start:end_new])

    def place_cursor_at_body(self) -> None:
        """Put the cursor where the writing is: the start of the body, after the front matter
        (below it, in a fresh draft)."""
        from editor.core.post import split_front_matter  # YAML: not needed for the first paint

        text = self.toPlainText()
        raw, body = split_front_matter(text)
        cursor = self.textCursor()
        cursor.setPosition(len(text) - len(body) if raw is not None else 0)
        if raw is not None and not body.strip():
            cursor.setPosition(len(text))
        self.setTextCursor(cursor)

    @property
    def stand_ins(self) -> dict[str, str]:
        """{stand-in: original} of the characters Qt cannot hold (editor/core/editor_text)."""
        return self._stand_ins

    def current_text(self) -> str:
        """`toPlainText()` for what runs on every keystroke (the preview): followed edit by
        edit, not copied out of the document whole (editor/ui/text_mirror.py)."""
        return self.mirror.text()

    def toPlainText(self) -> str:  # noqa: N802 (Qt API name)
        """The text exactly as the writer has it: no-break spaces, line and paragraph
        separators included (Qt's own plain-text export rewrites them)."""
        return restore_text(self.document().toRawText(), self._stand_ins)

    # ---------------------------------------------------------------- appearance
    def set_editor_font(self, family: str, point_size: int) -> None:
        """Use another font ("" for the built-in monospaced list)."""
        self.setFont(editor_font(point_size, family))
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._update_margins()

    def set_extra_selections(self, kind: str, selections: list[QTextEdit.ExtraSelection]) -> None:
        """Show `selections` for one feature, keeping the other features' selections."""
        if not selections and not self._extra.get(kind):
            return
        self._extra[kind] = selections
        self.setExtraSelections([s for group in self._extra.values() for s in group])

    def extra_selections_of(self, kind: str) -> list[QTextEdit.ExtraSelection]:
        """The selections one feature shows."""
        return list(self._extra.get(kind, []))

    def set_text_column(self, chars: int | None) -> None:
        """Keep the text in a centred column `chars` wide (None: use the full width)."""
        self._column_chars = chars
        # the margins beside the column are the page too, not a grey frame around it
        self.setAutoFillBackground(chars is not None)
        self.setBackgroundRole(QPalette.ColorRole.Base if chars else QPalette.ColorRole.Window)
        self.setFrameShape(QFrame.Shape.NoFrame if chars else QFrame.Shape.StyledPanel)
        self._update_margins()

    def text_column_margin(self) -> int:
        """The empty space left and right of the text column, in pixels."""
        return self.viewportMargins().left()

    def _update_margins(self) -> None:
        side = 0
        if self._column_chars:
            text_width = self.fontMetrics().horizontalAdvance("n" * self._column_chars)
            wanted = text_width + 2 * DOCUMENT_MARGIN + self.verticalScrollBar().sizeHint().width()
            side = max(0, (self.width() - wanted) // 2)
        if side != self.viewportMargins().left():
            self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API name)
        """The centred column follows the window's width."""
        super().resizeEvent(event)
        self._update_margins()

    # ---------------------------------------------------------------- typewriter
    def set_typewriter(self, on: bool) -> None:
        """Keep the cursor's line at the vertical middle while typing and moving."""
        self._typewriter = on
        # lets the last lines scroll up to the middle too
        self.setCenterOnScroll(on)
        if on:
            self.centerCursor()

    @property
    def typewriter(self) -> bool:
        """Whether typewriter scrolling is on."""
        return self._typewriter

    def _keep_line_centred(self) -> None:
        if self._typewriter:
            self.centerCursor()

    # ------------------------------------------------------------------- input
    def event(self, event: QEvent) -> bool:
        """Formatting shortcuts beat the text control's own key bindings (Ctrl+K)."""
        if event.type() == QEvent.Type.ShortcutOverride and self.keys.is_format_key(event):  # type: ignore[arg-type]
            event.ignore()  # not for the text control: the window's Format actions take it
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API name)
        """Markdown help first (lists, pairs, indenting), then the usual editing."""
        if not self.isReadOnly() and self.keys.handle(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt API name)
        """Image data and files can be pasted or dropped too (the hook copies them)."""
        if self.mime_hook is not None and (source.hasImage() or source.hasUrls()):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt API name)
        """Paste and drop: the hook takes images (a drop has moved the cursor to its spot)."""
        if self.mime_hook is not None and self.mime_hook(source):
            return
        super().insertFromMimeData(source)

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The right-click menu at `pos` (viewport coordinates), with the hooks' entries."""
        menu = self.createStandardContextMenu(pos)
        cursor = self.cursorForPosition(pos)
        for hook in self.menu_hooks:
            hook(menu, cursor)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API name)
        """Show the right-click menu (spelling suggestions come first)."""
        menu = self.build_context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()
