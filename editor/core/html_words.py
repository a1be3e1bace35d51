"""The words a reader sees in a post's HTML, and in a Markdown draft: the "no word lost" check.

A word is a run of letters and digits of the visible text (tags stripped, entities decoded,
case kept). Block-level tags and line breaks separate words, inline tags do not ("<b>W</b>ord"
is one word on the page). Comments and the insides of `<script>` and `<style>` are not text.

A draft's words are counted on what the renderer makes of it, the HTML a reader will get:
Markdown that swallows text (a line read as a link definition, an unescaped "<b" read as a
tag) loses those words on the page, and the check must see that, not the draft's source.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

from editor.core.html_newlines import BLOCK_TAGS

# Letters and digits; combining marks stay inside their word (text is NFC-normalised first,
# but scripts such as Arabic or Devanagari keep marks that have no precomposed form).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0900-\u0903])+")
_SEPARATING = BLOCK_TAGS | {"br", "img", "input", "embed", "area"}
_NOT_TEXT = frozenset({"script", "style"})


class _TextCollector(HTMLParser):
    """The visible text of an HTML fragment, with a space wherever a tag separates words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _NOT_TEXT:
            self._hidden += 1
        elif tag in _SEPARATING:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SEPARATING:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_TEXT:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _SEPARATING:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of `html` as a reader sees it, words separated as on the page."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return unicodedata.normalize("NFC", "".join(collector.parts))


def word_list(html: str) -> list[str]:
    """The visible words of `html`, in reading order."""
    return _WORD.findall(visible_text(html))


def visible_words(html: str) -> Counter[str]:
    """The visible words of `html` and how often each occurs."""
    return Counter(word_list(html))


def draft_words(markdown: str) -> Counter[str]:
    """The words a reader gets from a Markdown draft (its rendering; raw HTML by its text)."""
    # Imported here: the renderer is heavy, and the HTML side of the check does not need it.
    from editor.core.render import render_body

    return visible_words(render_body(markdown))


def lost_words(html: str, markdown: str) -> list[str]:
    """Words of `html` that `markdown` does not give the reader (as often as they are missing)."""
    return compare_words(html, markdown)[0]


def compare_words(html: str, markdown: str) -> tuple[list[str], list[str]]:
    """(words of `html` the draft loses, words the draft shows that `html` does not have).

    The lost words come in reading order, each as often as it is missing (its last
    occurrences); the added ones are what a broken conversion shows instead (a link's address
    as text, a stray marker).
    """
    words = word_list(html)
    drafted = draft_words(markdown)
    missing = Counter(words) - drafted
    added = drafted - Counter(words)
    lost: list[str] = []
    for word in reversed(words):
        if missing[word] > 0:
            missing[word] -= 1
            lost.append(word)
    return lost[::-1], sorted(added.elements())
