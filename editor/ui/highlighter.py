"""Markdown syntax highlighting for the editing pane.

Every line is followed through front matter and code fences (its block state), but only lines
in view are coloured in full and spell checked (`in_view`, see editor.ui.visible_lines):
opening a 50 MB draft must not run the inline regexes over half a million lines. Lines longer
than LONG_LINE are pasted data, not paragraphs: they are never coloured inline nor checked,
so a keystroke in a 5 MB line costs no regex work at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextBlock,
    QTextBlockUserData,
    QTextCharFormat,
    QTextDocument,
)

from editor.core.line_spans import code_spans, comment_spans
from editor.core.text_limits import LONG_LINE
from editor.core.utf16 import to_utf16

NORMAL, FRONT_MATTER, FENCE_BACKTICK, FENCE_TILDE = 0, 1, 2, 3

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>.*$")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?(?=[ \t]|$)")
# No pattern scans past a character that starts another try, and emphasis looks at most
# _REACH characters ahead: from every one of a pasted run of "[", "**" or "`", a scan to the
# line's end made highlighting one long line take seconds on the window's thread. Code spans
# and comments are found in one pass (editor/core/line_spans.py).
_REACH = 300
_INLINE: list[tuple[str, re.Pattern[str] | Callable[[str], list[tuple[int, int]]]]] = [
    ("code", code_spans),
    ("image", re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")),
    ("link", re.compile(r"(?<!!)\[[^\[\]\n]*\](?:\([^()\n]*\)|\[[^\[\]\n]*\])")),
    ("url", re.compile(r"<https?://[^<>\s]+>|https?://[^\s)>\]]+")),
    ("strong", re.compile(rf"(\*\*|__)(?=\S)[^\n]{{1,{_REACH}}}?(?<=\S)\1")),
    (
        "emphasis",
        re.compile(rf"(?<![*\w])([*_])(?=[^\s*_])[^\n]{{1,{_REACH}}}?(?<=[^\s*_])\1(?![*\w])"),
    ),
    ("strike", re.compile(rf"~~(?=\S)[^\n]{{1,{_REACH}}}?(?<=\S)~~")),
    ("footnote", re.compile(r"\[\^[^\[\]\s]+\]:?")),
    ("comment", comment_spans),
]


# Colours per theme: the dark ones are lighter and less saturated so they read on a dark base.
COLOURS = {
    "light": {
        "front_matter": "#6a737d",
        "heading": "#1f4e8c",
        "hr": "#6e6e6e",
        "quote": "#5b6b3a",
        "list": "#b35c00",
        "fence": "#7a3e9d",
        "code": "#7a3e9d",
        "image": "#0a7a6b",
        "link": "#0b62c4",
        "url": "#0b62c4",
        "strong": "#202020",
        "emphasis": "#202020",
        "strike": "#6e6e6e",
        "footnote": "#b35c00",
        "comment": "#c0392b",
        "misspelt": "#d0021b",
    },
    "dark": {
        "front_matter": "#8b949e",
        "heading": "#79b8ff",
        "hr": "#8a8a8a",
        "quote": "#a8c47a",
        "list": "#f0a45d",
        "fence": "#d2a8ff",
        "code": "#d2a8ff",
        "image": "#56d4bc",
        "link": "#6cb6ff",
        "url": "#6cb6ff",
        "strong": "#f0f0f0",
        "emphasis": "#f0f0f0",
        "strike": "#8a8a8a",
        "footnote": "#f0a45d",
        "comment": "#ff7b72",
        "misspelt": "#ff6b6b",
    },
}
_BOLD = {"heading", "hr", "list", "strong", "comment"}
_ITALIC = {"quote", "emphasis"}


class BlockMarks(QTextBlockUserData):
    """What the highlighter did with one line: coloured in full? checked? misspelt words."""

    def __init__(self) -> None:
        super().__init__()
        self.coloured = False  # False: off screen when last highlighted, only its state is set
        self.checked = False  # False: prose whose spelling was not checked (yet)
        self.misspelt: set[str] = set()  # normalised words underlined in the line


class SpellHook(Protocol):
    """What the highlighter asks about spelling (see editor.ui.spell)."""

    def misspelt(self, text: str, marks: BlockMarks) -> list[tuple[int, int]]:
        """(start, end) of misspelt words in a prose line in view; records them in `marks`."""
        ...


def _everything(_block: QTextBlock) -> bool:
    return True


def _fmt(color: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours front matter, headings, emphasis, links, code, quotes, lists and rules."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spell: SpellHook | None = None
        # whether a line is on screen (or near it): editor.ui.visible_lines sets it
        self.in_view: Callable[[QTextBlock], bool] = _everything
        self.long_line_seen = False  # set when a line longer than LONG_LINE was highlighted
        self.dark = False
        self.formats: dict[str, QTextCharFormat] = {}
        self._build_formats()

    def _build_formats(self) -> None:
        colours = COLOURS["dark" if self.dark else "light"]
        self.formats = {
            name: _fmt(colour, bold=name in _BOLD, italic=name in _ITALIC)
            for name, colour in colours.items()
            if name != "misspelt"
        }
        code_font = QFont("DejaVu Sans Mono")
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        for key in ("fence", "code"):
            self.formats[key].setFontFamilies([code_font.family(), "monospace"])
        self.misspelt_colour = QColor(colours["misspelt"])

    def set_dark(self, dark: bool) -> None:
        """Switch to the colours that read on a dark (or light) background."""
        if dark == self.dark:
            return
        self.dark = dark
        self._build_formats()
        self.rehighlight()

    # Qt's rehighlight calls end in QTextDocument.contentsChanged, so the editor's textChanged
    # fired, for colours alone: each time lines scrolled into view were coloured (or checked
    # for spelling) the window took it for an edit, marked the draft unsaved and rendered the
    # whole, unchanged text again. The document's signals are held while colours are redone;
    # its layout is told directly, so the lines still repaint.
    def rehighlightBlock(self, block: QTextBlock) -> None:  # noqa: N802 (Qt API name)
        """Colour one line again (not an edit: the text is unchanged)."""
        document = self.document()
        held = document.blockSignals(True)
        try:
            super().rehighlightBlock(block)
        finally:
            document.blockSignals(held)

    def rehighlight(self) -> None:
        """Colour every line again (not an edit: the text is unchanged)."""
        document = self.document()
        held = document.blockSignals(True)
        try:
            super().rehighlight()
        finally:
            document.blockSignals(held)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API name)
        """Highlight one line, then underline its misspelt words."""
        block = self.currentBlock()
        data = len(text) > LONG_LINE
        self.long_line_seen = self.long_line_seen or data
        full = not data and self.in_view(block)
        prose = self._highlight_markdown(text, full, colour=full or data) and not data
        marks = block.userData()
        if not isinstance(marks, BlockMarks):
            if not (full or data):
                return  # no marks: not coloured, not checked (saves an object per line)
            marks = BlockMarks()
            self.setCurrentBlockUserData(marks)
        marks.coloured = full or data  # a long line never gets more than its line format
        marks.checked = not prose  # code, front matter and data never need a check
        marks.misspelt = set()
        if full and prose and self.spell is not None:
            for start, end in self.spell.misspelt(text, marks):
                self._underline(to_utf16(text, start), to_utf16(text, end))

    def _underline(self, start: int, end: int) -> None:
        # merged into the Markdown format of each character, so both show
        for position in range(start, end):
            fmt = self.format(position)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(self.misspelt_colour)
            self.setFormat(position, 1, fmt)

    def _highlight_markdown(self, text: str, inline: bool = True, colour: bool = True) -> bool:
        """Colour one line, tracking multi-line constructs through block states.

        Returns whether the line is prose (worth spell checking). Without `inline` only the
        whole-line formats are set (each one range, cheap); without `colour` none at all, for
        a line off screen. The state is the same either way.
        """
        previous = self.previousBlockState()
        self.setCurrentBlockState(NORMAL)
        first_line = text.rstrip() == "---" and self.currentBlock().blockNumber() == 0
        if previous == FRONT_MATTER or first_line:
            if colour:
                self.setFormat(0, len(text), self.formats["front_matter"])
            closing = previous == FRONT_MATTER and text.rstrip() in ("---", "...")
            self.setCurrentBlockState(NORMAL if closing else FRONT_MATTER)
            return False
        if previous in (FENCE_BACKTICK, FENCE_TILDE):
            if colour:
                self.setFormat(0, len(text), self.formats["fence"])
            fence = _FENCE.match(text)
            char = "`" if previous == FENCE_BACKTICK else "~"
            closes = fence and fence.group(1)[0] == char and not text[fence.end() :].strip()
            self.setCurrentBlockState(NORMAL if closes else previous)
            return False
        fence = _FENCE.match(text)
        if fence:
            if colour:
                self.setFormat(0, len(text), self.formats["fence"])
            opened = FENCE_BACKTICK if fence.group(1)[0] == "`" else FENCE_TILDE
            self.setCurrentBlockState(opened)
            return False
        if not colour:
            return True  # off screen: its state is all that is needed until it shows
        if _HEADING.match(text) or (_SETEXT.match(text) and self._previous_line_is_text()):
            self.setFormat(0, len(text), self.formats["heading"])
            return True
        if _HR.match(text):
            self.setFormat(0, len(text), self.formats["hr"])
            return False
        if _QUOTE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        marker = _LIST.match(text)
        if marker:
            self.setFormat(0, marker.end(), self.formats["list"])
        if inline:
            self._highlight_inline(text)
        return True

    def _previous_line_is_text(self) -> bool:
        block = self.currentBlock().previous()
        normal = self.previousBlockState() == NORMAL
        return block.isValid() and bool(block.text().strip()) and normal

    def _highlight_inline(self, text: str) -> None:
        taken = [False] * len(text)
        for name, pattern in _INLINE:
            found = (
                (m.span() for m in pattern.finditer(text))
                if isinstance(pattern, re.Pattern)
                else pattern(text)
            )
            for start, end in found:
                if any(taken[start:end]):
                    continue
                self.setFormat(start, end - start, self.formats[name])
                if name not in ("strong", "emphasis", "strike"):
                    # code, links and images are opaque: no emphasis inside them
                    taken[start:end] = [True] * (end - start)
