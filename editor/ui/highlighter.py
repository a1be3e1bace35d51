"""Markdown syntax highlighting for the editing pane."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

NORMAL, FRONT_MATTER, FENCE_BACKTICK, FENCE_TILDE = 0, 1, 2, 3

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>.*$")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?(?=[ \t]|$)")
_INLINE = [
    ("code", re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")),
    ("image", re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")),
    ("link", re.compile(r"(?<!!)\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])")),
    ("url", re.compile(r"<https?://[^>\s]+>|https?://[^\s)>\]]+")),
    ("strong", re.compile(r"(\*\*|__)(?=\S).+?(?<=\S)\1")),
    ("emphasis", re.compile(r"(?<![*\w])([*_])(?=[^\s*_]).+?(?<=[^\s*_])\1(?![*\w])")),
    ("strike", re.compile(r"~~(?=\S).+?(?<=\S)~~")),
    ("footnote", re.compile(r"\[\^[^\]\s]+\]:?")),
    ("comment", re.compile(r"<!--.*?-->")),
]


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
        self.formats = {
            "front_matter": _fmt("#6a737d"),
            "heading": _fmt("#1f4e8c", bold=True),
            "hr": _fmt("#9a9a9a", bold=True),
            "quote": _fmt("#5b6b3a", italic=True),
            "list": _fmt("#b35c00", bold=True),
            "fence": _fmt("#7a3e9d"),
            "code": _fmt("#7a3e9d"),
            "image": _fmt("#0a7a6b"),
            "link": _fmt("#0b62c4"),
            "url": _fmt("#0b62c4"),
            "strong": _fmt("#202020", bold=True),
            "emphasis": _fmt("#202020", italic=True),
            "strike": _fmt("#8a8a8a"),
            "footnote": _fmt("#b35c00"),
            "comment": _fmt("#c0392b", bold=True),
        }
        code_font = QFont("DejaVu Sans Mono")
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        for key in ("fence", "code"):
            self.formats[key].setFontFamilies([code_font.family(), "monospace"])

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API name)
        """Highlight one line, tracking multi-line constructs through block states."""
        previous = self.previousBlockState()
        block_number = self.currentBlock().blockNumber()
        self.setCurrentBlockState(NORMAL)
        if previous == FRONT_MATTER or (block_number == 0 and text.rstrip() == "---"):
            self.setFormat(0, len(text), self.formats["front_matter"])
            closing = block_number > 0 and text.rstrip() in ("---", "...")
            self.setCurrentBlockState(NORMAL if closing else FRONT_MATTER)
            return
        if previous in (FENCE_BACKTICK, FENCE_TILDE):
            self.setFormat(0, len(text), self.formats["fence"])
            fence = _FENCE.match(text)
            char = "`" if previous == FENCE_BACKTICK else "~"
            closes = fence and fence.group(1)[0] == char and not text[fence.end() :].strip()
            self.setCurrentBlockState(NORMAL if closes else previous)
            return
        fence = _FENCE.match(text)
        if fence:
            self.setFormat(0, len(text), self.formats["fence"])
            opened = FENCE_BACKTICK if fence.group(1)[0] == "`" else FENCE_TILDE
            self.setCurrentBlockState(opened)
            return
        if _HEADING.match(text) or (_SETEXT.match(text) and self._previous_line_is_text()):
            self.setFormat(0, len(text), self.formats["heading"])
            return
        if _HR.match(text):
            self.setFormat(0, len(text), self.formats["hr"])
            return
        if _QUOTE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        marker = _LIST.match(text)
        if marker:
            self.setFormat(0, marker.end(), self.formats["list"])
        self._highlight_inline(text)

    def _previous_line_is_text(self) -> bool:
        block = self.currentBlock().previous()
        normal = self.previousBlockState() == NORMAL
        return block.isValid() and bool(block.text().strip()) and normal

    def _highlight_inline(self, text: str) -> None:
        taken = [False] * len(text)
        for name, pattern in _INLINE:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(taken[start:end]):
                    continue
                self.setFormat(start, end - start, self.formats[name])
                if name not in ("strong", "emphasis", "strike"):
                    # code, links and images are opaque: no emphasis inside them
                    taken[start:end] = [True] * (end - start)
