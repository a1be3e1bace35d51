"""Markdown help at the keyboard: list continuation, indenting, wrapping and auto-pairs.

The text logic lives in editor.core.markdown_edit; this module turns key presses into calls to
it and applies the resulting edits to the editor as single undo steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextBlock, QTextCursor

from editor.core.markdown_edit import (
    PAIRS,
    Edit,
    closer_for,
    continue_block,
    indent_lines,
    outdent_lines,
    toggle_link,
    toggle_wrap,
)
from editor.core.utf16 import from_utf16, to_utf16
from editor.ui.highlighter import FENCE_BACKTICK, FENCE_TILDE, FRONT_MATTER

if TYPE_CHECKING:
    from editor.ui.editor_pane import MarkdownEditor

Mod = Qt.KeyboardModifier
FORMAT_KEYS = {Qt.Key.Key_B, Qt.Key.Key_I, Qt.Key.Key_K}


@dataclass
class _Closer:
    """A closing character we inserted; it may be typed over or removed with its opener.

    Text is only typed between the opener and the closer, so the closer stays a fixed
    distance (`tail`) from the end of its line.
    """

    block: int
    opened_at: int  # column just after the opener
    tail: int  # characters from the closer to the end of the line
    text: str


class MarkdownKeys:
    """Handles the keys that behave differently in Markdown; everything else passes through."""

    def __init__(self, editor: MarkdownEditor) -> None:
        self.editor = editor
        self._closers: list[_Closer] = []
        editor.cursorPositionChanged.connect(self._forget_stale_closers)

    @staticmethod
    def is_format_key(event: QKeyEvent) -> bool:
        """Ctrl+B, Ctrl+I, Ctrl+K: the Format menu's keys."""
        return event.modifiers() == Mod.ControlModifier and event.key() in FORMAT_KEYS

    def handle(self, event: QKeyEvent) -> bool:
        """Apply Markdown help for this key press; False lets the editor handle it."""
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods == Mod.ShiftModifier:
                self.editor.textCursor().insertText("\n")  # a plain line break, no list help
                return True
            return mods == Mod.NoModifier and self._enter()
        if key == Qt.Key.Key_Tab and mods == Mod.NoModifier:
            return self._indent(True)
        if key == Qt.Key.Key_Backtab:
            return self._indent(False)
        if key == Qt.Key.Key_Backspace and mods == Mod.NoModifier:
            return self._backspace()
        text = event.text()
        if (
            len(text) == 1
            and text.isprintable()
            and not mods & (Mod.ControlModifier | Mod.AltModifier)
        ):
            return self._typed(text)
        return False

    # ------------------------------------------------------------------ editing
    def _apply(self, base: int, text: str, edit: Edit) -> None:
        """Apply `edit` to `text`, which starts at document position `base`, as one undo step."""
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.setPosition(base + to_utf16(text, edit.start))
        cursor.setPosition(base + to_utf16(text, edit.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(edit.text)
        cursor.endEditBlock()
        new = text[: edit.start] + edit.text + text[edit.end :]
        cursor.setPosition(base + to_utf16(new, edit.anchor))
        cursor.setPosition(base + to_utf16(new, edit.cursor), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)

    @staticmethod
    def _in_code_or_front_matter(block: QTextBlock) -> bool:
        previous = block.previous()
        state = previous.userState() if previous.isValid() else -1
        return state in (FRONT_MATTER, FENCE_BACKTICK, FENCE_TILDE)

    def _enter(self) -> bool:
        cursor = self.editor.textCursor()
        block = cursor.block()
        if cursor.hasSelection() or self._in_code_or_front_matter(block):
            return False
        text = block.text()
        edit = continue_block(text, from_utf16(text, cursor.positionInBlock()))
        if edit is None:
            return False
        self._apply(block.position(), text, edit)
        self.editor.ensureCursorVisible()
        return True

    def _selected_blocks(self) -> tuple[QTextBlock, QTextBlock]:
        cursor = self.editor.textCursor()
        doc = self.editor.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
            last = last.previous()  # a selection ending at a line start leaves that line alone
        return first, last

    def _indent(self, deeper: bool) -> bool:
        first, last = self._selected_blocks()
        blocks = [first]
        while blocks[-1] != last:
            blocks.append(blocks[-1].next())
        lines = [b.text() for b in blocks]
        changed = indent_lines(lines) if deeper else outdent_lines(lines)
        if changed is None:
            return not deeper  # Shift+Tab elsewhere does nothing (never moves focus)
        cursor = self.editor.textCursor()
        had_selection = cursor.hasSelection()
        column = cursor.positionInBlock()
        delta = len(changed[0]) - len(lines[0])
        start = first.position()
        old = "\n".join(lines)
        new = "\n".join(changed)
        if had_selection:
            self._apply(start, old, Edit(0, len(old), new, 0, len(new)))
        else:
            at = max(0, from_utf16(lines[0], column) + delta)
            self._apply(start, old, Edit(0, len(old), new, at, at))
        return True

    # -------------------------------------------------------------- wrapping
    def _selection_context(self) -> tuple[int, str, int, int]:
        """(document position, text, start, end) of the whole lines holding the selection."""
        first, last = self._selected_blocks()
        lines = [first.text()]
        block = first
        while block != last:
            block = block.next()
            lines.append(block.text())
        text = "\n".join(lines)
        cursor = self.editor.textCursor()
        base = first.position()
        start = from_utf16(text, cursor.selectionStart() - base)
        end = from_utf16(text, cursor.selectionEnd() - base)
        return base, text, start, end

    def wrap(self, marker: str) -> None:
        """Wrap the selection (or the word at the cursor) in `marker`, or unwrap it."""
        base, text, start, end = self._selection_context()
        self._apply(base, text, toggle_wrap(text, start, end, marker))

    def format_lines(self, change: Callable[[str, int, int], Edit]) -> None:
        """Apply a line format (heading, quote, list …) to the lines of the selection."""
        base, text, start, end = self._selection_context()
        self._apply(base, text, change(text, start, end))

    def link(self) -> None:
        """Make the selection a link with "url" selected, or turn a link back into text."""
        base, text, start, end = self._selection_context()
        self._apply(base, text, toggle_link(text, start, end))

    # ------------------------------------------------------------- auto-pairs
    def _closer_column(self, closer: _Closer, block: QTextBlock) -> int | None:
        """Where `closer` is now in `block`'s text (None when it is gone)."""
        if block.blockNumber() != closer.block:
            return None
        text = block.text()
        column = len(text) - closer.tail
        if column < closer.opened_at or text[column : column + len(closer.text)] != closer.text:
            return None
        return column

    def _forget_stale_closers(self) -> None:
        if not self._closers:
            return
        cursor = self.editor.textCursor()
        block = cursor.block()
        column = from_utf16(block.text(), cursor.positionInBlock())
        kept = []
        for closer in self._closers:
            at = self._closer_column(closer, block)
            if at is not None and closer.opened_at <= column <= at:
                kept.append(closer)
        self._closers = kept

    def _typed(self, char: str) -> bool:
        cursor = self.editor.textCursor()
        block = cursor.block()
        text = block.text()
        column = from_utf16(text, cursor.positionInBlock())
        if self._closers and not cursor.hasSelection():
            top = self._closers[-1]
            at = self._closer_column(top, block)
            if at == column and top.text.startswith(char):
                top.text = top.text[1:]
                top.tail -= 1
                if not top.text:
                    self._closers.pop()
                cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
                self.editor.setTextCursor(cursor)  # typed over our own closer
                return True
        if self._in_code_or_front_matter(block):
            return False
        if cursor.hasSelection():
            doc = self.editor.document()
            one_line = doc.findBlock(cursor.selectionStart()) == doc.findBlock(
                cursor.selectionEnd()
            )
            if char not in PAIRS or not one_line:
                return False  # typing replaces the selection, as usual
            start = from_utf16(text, cursor.selectionStart() - block.position())
            end = from_utf16(text, cursor.selectionEnd() - block.position())
            wrapped = char + text[start:end] + PAIRS[char]
            self._apply(block.position(), text, Edit(start, end, wrapped, start + 1, end + 1))
            return True
        closer = closer_for(text, column, char)
        if closer is None:
            return False
        self._apply(
            block.position(), text, Edit(column, column, char + closer, column + 1, column + 1)
        )
        opened = column + 1
        new_length = len(text) + 1 + len(closer)
        self._closers.append(_Closer(block.blockNumber(), opened, new_length - opened, closer))
        return True

    def _backspace(self) -> bool:
        cursor = self.editor.textCursor()
        if not self._closers or cursor.hasSelection():
            return False
        block = cursor.block()
        text = block.text()
        column = from_utf16(text, cursor.positionInBlock())
        top = self._closers[-1]
        at = self._closer_column(top, block)
        if at != column or column != top.opened_at:
            return False
        self._closers.pop()
        # removes the character just typed and the closer it brought
        self._apply(
            block.position(),
            text,
            Edit(column - 1, column + len(top.text), "", column - 1, column - 1),
        )
        return True
