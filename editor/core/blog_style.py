"""The blog's own look for the preview: its stylesheets, captured once, kept in the cache.

Blogger has no theme endpoint; a blog's CSS is in its public page: inline `<style>` blocks
(the theme is `<style id="page-skin-1">`) and linked widget stylesheets. Only stylesheets are
fetched — never scripts, fonts or images — and the captured CSS is made inert: `@font-face`
and `@import` rules are dropped and every `url(...)` that is not a `data:` URI becomes `none`,
so showing the preview with it never reaches the network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error

CACHE_FOLDER = "blog-style"
STYLE_FILE = "style.css"
SOURCE_FILE = "source.json"


class BlogStyleError(Exception):
    """Capturing failed; `str()` is one sentence for the writer."""


@dataclass(frozen=True)
class CapturedStyle:
    """The inert CSS of one blog page, and where it came from."""

    page_url: str
    css: str
    stylesheets: tuple[str, ...] = field(default_factory=tuple)  # linked stylesheet URLs


class _StyleFinder(HTMLParser):
    """Collects, in document order, inline `<style>` text and linked stylesheet URLs."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts: list[tuple[str, str]] = []  # ("inline", css) | ("link", absolute url)
        self._in_style = False
        self._style_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base_url = urljoin(self.base_url, values["href"])
        elif tag == "style":
            self._in_style = True
            self._style_text = []
        elif tag == "link":
            rel = values.get("rel", "").lower().split()
            href = values.get("href", "").strip()
            media = values.get("media", "").lower()
            if "stylesheet" in rel and "alternate" not in rel and href and media != "print":
                url = urljoin(self.base_url, href)
                if urlsplit(url).scheme in ("http", "https"):
                    self.parts.append(("link", url))

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._style_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style = False
            self.parts.append(("inline", "".join(self._style_text)))


def find_styles(page_html: str, page_url: str) -> list[tuple[str, str]]:
    """The page's stylesheets in cascade order: ("inline", css) or ("link", absolute URL)."""
    finder = _StyleFinder(page_url)
    finder.feed(page_html)
    finder.close()
    return finder.parts


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_IMPORT = re.compile(r"@import\b[^;{}]*;?", re.I)
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)""", re.I)
_FONT_FACE = re.compile(r"@font-face\b", re.I)


def _drop_blocks(css: str, at_rule: re.Pattern[str]) -> str:
    """Remove every `@rule { … }` (nested braces counted)."""
    out: list[str] = []
    position = 0
    while (match := at_rule.search(css, position)) is not None:
        out.append(css[position : match.start()])
        brace = css.find("{", match.end())
        if brace < 0:
            position = len(css)
            break
        depth = 0
        index = brace
        while index < len(css):
            if css[index] == "{":
                depth += 1
            elif css[index] == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        position = index + 1
    out.append(css[position:])
    return "".join(out)


def _inert_url(match: re.Match[str]) -> str:
    target = next((g for g in match.groups() if g is not None), "").strip()
    return match.group(0) if target.lower().startswith("data:") else "none"


def sanitize_css(css: str) -> str:
    """CSS that loads nothing: no @font-face, no @import, no url() other than data: URIs."""
    css = _COMMENT.sub("", css)
    css = _drop_blocks(css, _FONT_FACE)
    css = _IMPORT.sub("", css)
    return _URL.sub(_inert_url, css)


def cache_folder(cache_dir: Path, blog_key: str) -> Path:
    """Where one blog's captured style is kept."""
    return cache_dir / CACHE_FOLDER / re.sub(r"[^A-Za-z0-9._-]+", "_", blog_key)


def save_captured(cache_dir: Path, blog_key: str, style: CapturedStyle) -> Path:
    """Keep a captured style in the cache (atomically); raises WriteError."""
    folder = cache_folder(cache_dir, blog_key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(folder, describe_os_error(exc), exc.errno) from exc
    atomic_write_bytes(folder / STYLE_FILE, style.css.encode("utf-8"))
    source = {"blog": blog_key, "url": style.page_url, "stylesheets": list(style.stylesheets)}
    atomic_write_bytes(folder / SOURCE_FILE, json.dumps(source, indent=2).encode("utf-8"))
    return folder


def load_captured(cache_dir: Path, blog_key: str) -> CapturedStyle | None:
    """The cached style of a blog, or None when it was never captured (or is unreadable)."""
    folder = cache_folder(cache_dir, blog_key)
    try:
        css = (folder / STYLE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    source: dict[str, Any] = {}
    try:
        loaded = json.loads((folder / SOURCE_FILE).read_text(encoding="utf-8"))
        source = loaded if isinstance(loaded, dict) else {}
    except (OSError, ValueError):
        pass
    links = source.get("stylesheets")
    return CapturedStyle(
        str(source.get("url", "")),
        sanitize_css(css),  # again: a cache file edited by hand must not load anything either
        tuple(str(u) for u in links) if isinstance(links, list) else (),
    )


def key_for_url(url: str) -> str:
    """A cache key for a blog known only by its address."""
    return "url:" + (urlsplit(url).netloc or url).lower()
