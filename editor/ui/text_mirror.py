"""The editor's text as a Python string, kept up to date edit by edit.

`MarkdownEditor.toPlainText()` copies the whole document out of Qt (its raw text, converted to
a Python string, stand-ins mapped back): about 10 ms for 100,000 words, on the GUI thread, on
every keystroke that the preview renders. The mirror instead replaces the lines an edit
touched (`QTextDocument.contentsChange` says where), so a keystroke costs its own line plus
one memory copy of the string.

Positions in Qt's document are UTF-16 units; in a Python string, code points. They agree
while the text has no character outside the Basic Multilingual Plane (emoji, some CJK): with
one, the mirror reads the whole text again, as before. Anything it cannot follow (a new text,
a change reported past the end) also makes it read the whole text, once, when next asked.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from editor.core.editor_text import restore_text

if TYPE_CHECKING:
    from editor.ui.editor_pane import MarkdownEditor

log = logging.getLogger(__name__)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units: positions differ


class TextMirror(QObject):
    """`editor.toPlainText()` without copying the whole document on each edit."""

    def __init__(self, editor: MarkdownEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self._text: str | None = None  # None: read the whole text when next asked
        self.full_reads = 0  # whole-text reads so far (for tests)
        editor.document().contentsChange.connect(self._on_change)

    def text(self) -> str:
        """The editor's text, exactly as `toPlainText()` returns it."""
        if self._text is None:
            text = self.editor.toPlainText()
            self.full_reads += 1
            # Positions only agree without astral characters: with one, read each time.
            self._text = None if _ASTRAL.search(text) else text
            return text
        return self._text

    def check(self, text: str) -> None:
        """Compare with the editor's whole text, read anyway (saving): forget a difference."""
        if self._text is not None and self._text != text:
            log.warning("The preview's copy of the text went out of step; it is read again")
            self._text = None

    def _on_change(self, position: int, removed: int, added: int) -> None:
        old = self._text
        if old is None:
            return
        self._text = None  # unless the change is followed below
        document = self.editor.document()
        first = document.findBlock(position)
        last = document.findBlock(position + added)
        if not (first.isValid() and last.isValid()):
            return  # past the end: a whole new text, read when asked
        start = first.position()
        end = last.position() + last.length() - 1  # the end of its line (no separator)
        old_end = end - (added - removed)
        if old_end > len(old) or old_end < start or (old_end < len(old) and old[old_end] != "\n"):
            return  # not the lines we hold (a change reported oddly): read when asked
        if start and old[start - 1] != "\n":
            return
        lines = []
        block = first
        while True:
            lines.append(block.text())
            if block == last:
                break
            block = block.next()
        span = "\n".join(lines)
        if _ASTRAL.search(span):
            return  # positions and string indices differ from here on
        span = restore_text(span, self.editor.stand_ins)
        self._text = old[:start] + span + old[old_end:]
