"""What a reader gets from a post's HTML: words in order, images, links, captions, jump breaks.

Used to compare a post as Blogger stored it with the same post imported and rendered again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from editor.core.html_words import word_list


@dataclass
class Facts:
    """The reader-visible facts of one HTML body."""

    words: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    captions: list[list[str]] = field(default_factory=list)  # the words of each caption
    words_before_breaks: list[list[str]] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.breaks: list[int] = []  # offsets into the HTML where jump breaks are
        self.captions: list[str] = []
        self._caption_depth = 0
        self._caption: list[str] = []
        self._source = ""

    def feed_all(self, html: str) -> None:
        self._source = html
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values.get("src") or "")
        if tag == "a" and values.get("href") is not None:
            self.links.append(values.get("href") or "")
        if tag in ("td", "figcaption") and (
            "tr-caption" in (values.get("class") or "").split() or tag == "figcaption"
        ):
            self._caption_depth = 1
            self._caption = []
        elif self._caption_depth and tag in ("td", "figcaption"):
            self._caption_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._caption_depth and tag in ("td", "figcaption"):
            self._caption_depth -= 1
            if not self._caption_depth:
                self.captions.append("".join(self._caption))

    def handle_data(self, data: str) -> None:
        if self._caption_depth:
            self._caption.append(data)

    def handle_comment(self, data: str) -> None:
        if data.strip() == "more":
            line, column = self.getpos()
            offset = sum(len(x) for x in self._source.splitlines(keepends=True)[: line - 1])
            self.breaks.append(offset + column)


def facts(html: str) -> Facts:
    """The facts of `html`."""
    collector = _Collector()
    collector.feed_all(html)
    return Facts(
        words=word_list(html),
        images=collector.images,
        links=collector.links,
        captions=[re.findall(r"[^\W_]+", caption) for caption in collector.captions],
        words_before_breaks=[word_list(html[:offset]) for offset in collector.breaks],
    )
