"""Spell checking as you type: wavy underlines through the highlighter, fixes on right-click.

Only lines on screen (plus a small margin) are checked: the highlighter asks `misspelt` for
each prose line it colours in view, and lines off screen are marked unchecked and checked when
scrolled to (editor.ui.visible_lines). The word list loads on the file thread; until it is
there nothing is underlined.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QMenu

from editor.core.spelling import Speller, normalise, prose_words, user_dictionary_text
from editor.core.utf16 import from_utf16, to_utf16
from editor.ui.background import Runner
from editor.ui.editor_pane import MarkdownEditor
from editor.ui.highlighter import BlockMarks
from editor.ui.visible_lines import VisibleLines

log = logging.getLogger(__name__)


class SpellCheck(QObject):
    """Underlines misspelt words in the editor and offers suggestions on right-click."""

    save_requested = Signal(object, object)  # path, bytes: written on the file thread
    ready = Signal()

    def __init__(
        self,
        editor: MarkdownEditor,
        user_dictionary: Path,
        visible: VisibleLines,
        files: QThread | None = None,
        held: bool = False,
    ) -> None:
        """`files`: the thread word lists are read on (the file thread: disk work). `held`:
        no word list is read until `release` (start-up: the first draft's load goes first)."""
        super().__init__(editor)
        self.held = held
        self.editor = editor
        self.visible = visible
        self.user_dictionary = user_dictionary
        self.speller: Speller | None = None
        self.language = ""
        self.enabled = False
        self.runner = Runner(self, thread=files)
        self.problem = ""
        visible.wants_check = lambda: self.active
        editor.highlighter.spell = self
        editor.menu_hooks.append(self.add_menu_entries)

    @property
    def active(self) -> bool:
        """True when words are being checked (on, and the word list is loaded)."""
        return self.enabled and self.speller is not None

    def configure(self, enabled: bool, language: str) -> None:
        """Turn checking on or off and choose the language (loads its word list if needed)."""
        if language != self.language:
            self.language = language
            self.speller = None
            self._recheck_everything()
            if not self.held:
                self._load(language)
        if enabled != self.enabled:
            self.enabled = enabled
            self._recheck_everything()

    def release(self) -> None:
        """Read the chosen language's word list now, if `held` kept it back."""
        if self.held:
            self.held = False
            if self.language and self.speller is None:
                self._load(self.language)

    def _load(self, language: str) -> None:
        """Read `language`'s word list and the user dictionary in the background; a language
        without a word list is reported (`problem`), not raised."""
        path = self.user_dictionary

        def failed(exc: Exception) -> None:
            if not isinstance(exc, (ValueError, OSError, ImportError)):
                log.error("Loading the word list failed", exc_info=exc)  # a bug
                return
            self._on_failed(language, f"No spelling dictionary for “{language}” ({exc})")

        self.runner.run(lambda: Speller.load(language, path), done=self._on_loaded, failed=failed)

    def _on_loaded(self, speller: Speller) -> None:
        if speller.language != self.language:
            return  # the writer chose another language meanwhile
        self.speller = speller
        self.problem = ""
        self.check_visible()
        self.ready.emit()

    def _on_failed(self, language: str, message: str) -> None:
        if language == self.language:
            self.problem = message

    # --------------------------------------------------------- the highlighter
    def misspelt(self, text: str, marks: BlockMarks) -> list[tuple[int, int]]:
        """Called by the highlighter for each prose line in view: the spans to underline."""
        speller = self.speller
        if not self.enabled or speller is None:
            return []  # stays unchecked: checked when the word list is there
        marks.checked = True
        spans = []
        for start, end in prose_words(text):
            word = text[start:end]
            if not speller.is_correct(word):
                spans.append((start, end))
                marks.misspelt.add(normalise(word))
        return spans

    def check_visible(self) -> None:
        """Check the lines on screen that have not been checked yet."""
        if self.active:
            self.visible.refresh()

    def _recheck_everything(self) -> None:
        """Forget every verdict: lines with underlines are redone, the rest on scrolling."""
        highlighter = self.editor.highlighter
        block = self.editor.document().firstBlock()
        while block.isValid():
            data = block.userData()
            if isinstance(data, BlockMarks):
                data.checked = False
                if data.misspelt:
                    highlighter.rehighlightBlock(block)
            block = block.next()
        self.check_visible()

    def _recheck_word(self, word: str) -> None:
        key = normalise(word)
        highlighter = self.editor.highlighter
        block = self.editor.document().firstBlock()
        while block.isValid():
            data = block.userData()
            if isinstance(data, BlockMarks) and key in data.misspelt:
                highlighter.rehighlightBlock(block)
            block = block.next()

    # ------------------------------------------------------------ the menu
    def misspelt_at(self, cursor: QTextCursor) -> tuple[int, int, str] | None:
        """(document start, end, word) of the misspelt word at `cursor`, if there is one."""
        if not self.active:
            return None
        block = cursor.block()
        data = block.userData()
        if not isinstance(data, BlockMarks) or not data.misspelt:
            return None
        text = block.text()
        column = from_utf16(text, cursor.positionInBlock())
        for start, end in prose_words(text):
            if start <= column <= end and normalise(text[start:end]) in data.misspelt:
                base = block.position()
                return base + to_utf16(text, start), base + to_utf16(text, end), text[start:end]
        return None

    def add_menu_entries(self, menu: QMenu, cursor: QTextCursor) -> None:
        """Put suggestions, "Add to Dictionary" and "Ignore" at the top of the menu."""
        found = self.misspelt_at(cursor)
        if found is None or self.speller is None:
            return
        start, end, word = found
        first = menu.actions()[0] if menu.actions() else None
        entries: list[QAction] = []
        suggestions = self.speller.suggestions(word)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            action.setObjectName("spellSuggestion")
            action.triggered.connect(
                lambda _=False, s=suggestion: self.replace_word(start, end, word, s)
            )
            entries.append(action)
        if not suggestions:
            none = QAction("(no suggestions)", menu)
            none.setEnabled(False)
            entries.append(none)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.triggered.connect(lambda: self.add_to_dictionary(word))
        ignore = QAction("Ignore", menu)
        ignore.setToolTip("Accept this word until Broadsheet closes")
        ignore.triggered.connect(lambda: self.ignore(word))
        entries += [add, ignore]
        separator = QAction(menu)
        separator.setSeparator(True)
        entries.append(separator)
        menu.insertActions(first, entries)  # type: ignore[arg-type]

    def replace_word(self, start: int, end: int, word: str, replacement: str) -> None:
        """Replace the misspelt word (if it is still there) as one undo step."""
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != word:
            return  # the text changed while the menu was open
        cursor.insertText(replacement)

    def add_to_dictionary(self, word: str) -> None:
        """Accept `word` for good: saved to the user dictionary under the config folder."""
        if self.speller is None:
            return
        self.speller.add(word)
        data = user_dictionary_text(self.speller.user_words).encode("utf-8")
        self.save_requested.emit(self.user_dictionary, data)
        self._recheck_word(word)

    def ignore(self, word: str) -> None:
        """Accept `word` until the app closes."""
        if self.speller is None:
            return
        self.speller.ignore(word)
        self._recheck_word(word)
