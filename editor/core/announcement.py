"""The announcement of a published post on a social network: title, a sentence, the link.

No Qt and no network: this composes the default text from a post, counts characters the way
each network counts them and trims the excerpt to fit.

How the networks count (why two counters):
- Mastodon counts grapheme clusters of the text after replacing every URL by 23 characters
  (its StatusLengthValidator), whatever the URL's real length; the limit is the instance's
  `configuration.statuses.max_characters` (500 unless the instance says otherwise).
- Bluesky counts the grapheme clusters of the whole text, URL included, and allows 300
  (`maxGraphemes` of app.bsky.feed.post), and at most 3000 UTF-8 bytes.
Grapheme clusters come from the `regex` module's `\\X` (full Unicode segmentation rules);
without it a careful approximation joins combining marks, variation selectors, emoji
modifiers, zero-width joiner sequences and flag pairs to the character before them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

try:  # a well-kept implementation of Unicode's grapheme rules (UAX #29), when installed
    import regex as _regex  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - exercised by test_fallback_graphemes directly
    _regex = None

MASTODON_URL_LENGTH = 23
MASTODON_DEFAULT_LIMIT = 500
BLUESKY_LIMIT = 300
BLUESKY_MAX_BYTES = 3000
ELLIPSIS = "…"

# What both networks take as a link in the text: http(s) up to the next whitespace.
URL = re.compile(r"https?://[^\s<>\"]+")
# The end of a sentence: . ! ? … (and the CJK full stops), then a space or the end.
_SENTENCE_END = re.compile(r"[.!?…](?=[\"'”’)\]]*(?:\s|$))|[。！？]")


def _fallback_graphemes(text: str) -> list[str]:
    """Grapheme clusters by a small set of rules (used when `regex` is not installed)."""
    clusters: list[str] = []
    joined = False  # the previous character was a zero-width joiner
    for char in text:
        code = ord(char)
        extends = (
            unicodedata.category(char) in ("Mn", "Me", "Mc")
            or 0xFE00 <= code <= 0xFE0F  # variation selectors
            or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
            or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
            or code == 0x200D
        )
        flag = 0x1F1E6 <= code <= 0x1F1FF
        pairs_flag = (
            flag and clusters and len(clusters[-1]) == 1 and 0x1F1E6 <= ord(clusters[-1]) <= 0x1F1FF
        )
        crlf = char == "\n" and clusters and clusters[-1] == "\r"
        if clusters and (extends or joined or pairs_flag or crlf):
            clusters[-1] += char
        else:
            clusters.append(char)
        joined = code == 0x200D
    return clusters


def graphemes(text: str) -> list[str]:
    """The user-perceived characters of `text` (Unicode extended grapheme clusters)."""
    if _regex is not None:
        return list(_regex.findall(r"\X", text))
    return _fallback_graphemes(text)


def bluesky_length(text: str) -> int:
    """Characters as Bluesky counts them: grapheme clusters of the whole text."""
    return len(graphemes(text))


def mastodon_length(text: str) -> int:
    """Characters as Mastodon counts them: grapheme clusters, every URL as 23."""
    return len(graphemes(URL.sub("x" * MASTODON_URL_LENGTH, text)))


@dataclass(frozen=True)
class Announcement:
    """The parts of an announcement; `text()` joins them."""

    title: str
    excerpt: str
    url: str

    def text(self) -> str:
        """Title, excerpt and link, each on its own paragraph (empty parts left out)."""
        return "\n\n".join(part for part in (self.title, self.excerpt, self.url) if part)


def plain_text(markdown: str) -> str:
    """Markdown inline syntax taken off one paragraph: links keep their words, images go."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return " ".join(text.split())


def first_paragraph(body: str) -> str:
    """The first paragraph of prose in a Markdown body (not a heading, list, quote, code,
    rule, table, image or HTML block), as plain text."""
    lines: list[str] = []
    fenced = False
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if not stripped:
            if lines:
                break
            continue
        prose = not (
            stripped.startswith(("#", ">", "|", "<", "    ", "{%", "![", "- ", "* ", "+ "))
            or re.match(r"^(\d+[.)]\s|[-*_]{3,}$|=+$|-+$)", stripped)
            or line.startswith(("    ", "\t"))
        )
        if not prose:
            if lines:
                break
            continue
        lines.append(stripped)
    return plain_text(" ".join(lines))


def first_sentence(body: str) -> str:
    """The first sentence of the body's first paragraph (the whole paragraph when it has no
    sentence end)."""
    paragraph = first_paragraph(body)
    match = _SENTENCE_END.search(paragraph)
    return paragraph[: match.end()].strip() if match else paragraph


def trim_at_word(text: str, keep: int) -> str:
    """`text` cut to at most `keep` graphemes plus "…", at a word boundary when there is one
    (text without spaces, such as Chinese or Japanese, is cut between characters)."""
    chars = graphemes(text)
    if len(chars) <= keep:
        return text
    if keep <= 0:
        return ""
    cut = "".join(chars[:keep])
    space = cut.rfind(" ")
    if space > len(cut) // 3:  # a word boundary that keeps most of the text
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-") + ELLIPSIS


def fit(announcement: Announcement, limit: int, length: Callable[[str], int]) -> Announcement:
    """The announcement with its excerpt (then, if need be, its title) trimmed at a word
    boundary so that `length(text) <= limit`; the link is never cut."""
    for part in ("excerpt", "title"):
        if length(announcement.text()) <= limit:
            return announcement
        # Nothing longer than the limit can stay: counting more of a long paragraph is waste.
        value = "".join(graphemes(getattr(announcement, part))[: limit + 1])

        def with_part(
            keep: int, base: Announcement = announcement, part: str = part, value: str = value
        ) -> Announcement:
            return replace(base, **{part: trim_at_word(value, keep)})

        # The longest cut that fits: a longer cut never makes the text shorter.
        low, high = 0, len(graphemes(value))
        while low < high:
            middle = (low + high + 1) // 2
            if length(with_part(middle).text()) <= limit:
                low = middle
            else:
                high = middle - 1
        announcement = with_part(low)
    return announcement


def default_announcement(
    title: str, body: str, url: str, excerpt: str | None = None
) -> Announcement:
    """The announcement of a post: its title, the chosen excerpt or the body's first
    sentence, and its address."""
    chosen = " ".join(excerpt.split()) if excerpt is not None else first_sentence(body)
    return Announcement(title=" ".join(title.split()), excerpt=chosen, url=url.strip())


def utf8_span(text: str, part: str) -> tuple[int, int] | None:
    """The UTF-8 byte offsets [start, end) of the last occurrence of `part` in `text`, as
    Bluesky's facets index text; None when `part` is not in it."""
    at = text.rfind(part)
    if at < 0 or not part:
        return None
    start = len(text[:at].encode("utf-8"))
    return start, start + len(part.encode("utf-8"))


def live_address(records: dict[str, dict[str, object]], post_status: str) -> str | None:
    """The address of a post that is live on a blog, from its publish records (by blog key);
    None when it is not published, or only as a draft or scheduled."""
    for record in records.values():
        url = str(record.get("url") or "").strip()
        status = str(record.get("status") or "").upper()
        if url and (status == "LIVE" or (not status and post_status == "live")):
            return url
    return None
