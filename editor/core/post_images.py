"""A post's images, the one way: found in the rendered HTML (so reference-style images, raw
`<img>` tags and captions are seen as the blog sees them), resolved to files by one rule, and
pointed at their published addresses by one rewriter that changes nothing else.

Used by the pre-publish checklist, the export, publishing to an image host, publishing to a
blog's media library and the dead-image repair (issue 18: each had its own rules before, so a
picture the checklist found could be "missing" when published, or the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

_WEB = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)  # any scheme, protocol-relative, in-page


def is_local(src: str) -> bool:
    """True for an address of a file on this computer: relative, absolute or `file:`."""
    text = src.strip()
    if not text:
        return False
    if text.lower().startswith("file:"):
        return True
    if re.match(r"^[a-z]:[\\/]", text, re.I):  # a Windows drive path, not a scheme
        return True
    return not _WEB.match(text)


def resolve_image(src: str, folder: Path) -> Path | None:
    """The file a local address names (relative to the draft's `folder`), or None for web,
    data, mail and in-page addresses. Where the address is %-encoded and both readings could
    be meant ("a%20b.png"), the one that is a file wins; if neither is, the decoded one."""
    text = src.strip()
    if not is_local(text):
        return None
    if text.lower().startswith("file:"):
        return Path(url2pathname(unquote(urlsplit(text).path)))
    decoded = unquote(text)
    # As written, decoded, and without a ?query or #fragment (a browser drops those).
    candidates = dict.fromkeys([decoded, text, unquote(urlsplit(text).path)])
    paths = []
    for candidate in candidates:
        path = Path(candidate).expanduser()
        path = path if path.is_absolute() else folder / path
        if path.is_file():
            return path
        paths.append(path)
    return paths[0]


class _Tags(HTMLParser):
    """Start tags that carry an image or a link, with their offsets in the document."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        # getpos() counts lines at "\n" only (not at the other breaks splitlines knows).
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        # offset, tag text, attribute, value, alt (img only)
        self.found: list[tuple[int, str, str, str, str | None]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"img": "src", "a": "href"}.get(tag)
        if not wanted:
            return
        values = dict(attrs)
        line, column = self.getpos()
        text = self.get_starttag_text() or ""
        value = (values.get(wanted) or "").strip()
        alt = values.get("alt") if tag == "img" else None
        self.found.append((self.lines[line - 1] + column, text, wanted, value, alt))

    handle_startendtag = handle_starttag


def images_of(html: str) -> list[tuple[str, str | None]]:
    """Every `<img>` of the HTML as (src, alt), in order."""
    return [(value, alt) for _o, _t, attr, value, alt in _Tags(html).found if attr == "src"]


def links_of(html: str) -> list[str]:
    """Every link target (`<a href>`) of the HTML, in order."""
    return [value for _o, _t, attr, value, _a in _Tags(html).found if attr == "href" and value]


def local_image_sources(html: str) -> list[str]:
    """The `src` of every `<img>` that names a file on this computer, in order, once."""
    return list(dict.fromkeys(src for src, _alt in images_of(html) if is_local(src)))


def missing_local_images(html: str, folder: Path) -> list[str]:
    """The local image addresses of `html` that are no file on disk, in order, once."""
    missing: dict[str, None] = {}
    for src in local_image_sources(html):
        path = resolve_image(src, folder)
        if path is not None and not path.is_file():
            missing.setdefault(src, None)
    return list(missing)


def picture_name(src: str) -> str:
    """The file name a writer recognises in a picture's address ("quay.jpg")."""
    return Path(unquote(urlsplit(src).path)).name or src


def rewrite_sources(html: str, urls: Mapping[str, str] | Callable[[str], str | None]) -> str:
    """`html` with `<img src>` and `<a href>` values replaced where `urls` has an address for
    them (a mapping from the value as written, or a function of it). Only those attribute
    values change; every other byte of the HTML stays as rendered."""
    lookup = urls.get if isinstance(urls, Mapping) else urls
    pieces: list[str] = []
    done = 0
    for offset, text, attr, value, _alt in _Tags(html).found:
        new = lookup(value) if value else None
        if new is None or html[offset : offset + len(text)] != text:
            continue
        pattern = re.compile(rf"(\s{attr}\s*=\s*)(?:\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)
        quoted = '"' + escape(new, quote=True) + '"'

        def swapped(match: re.Match[str], q: str = quoted) -> str:
            return match.group(1) + q

        new_tag = pattern.sub(swapped, text, count=1)
        pieces.append(html[done:offset])
        pieces.append(new_tag)
        done = offset + len(text)
    pieces.append(html[done:])
    return "".join(pieces)


def rewrite_files(html: str, folder: Path, urls: Mapping[Path, str]) -> str:
    """`html` with every image or link naming one of the files in `urls` (resolved paths)
    pointed at its address, however each tag spells the path ("a.png", "./a.png")."""
    if not urls:
        return html

    def address(value: str) -> str | None:
        try:
            path = resolve_image(value, folder)
            return urls.get(path.resolve()) if path is not None else None
        except (OSError, ValueError):
            return None

    return rewrite_sources(html, address)
