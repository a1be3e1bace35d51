"""Markdown body -> the HTML body of the post. One function for the preview and for publishing.

The preview renders with `markers=True`, which only adds editor-only things (source-line
`data-line` attributes, a jump-break divider) that `strip_editor_markers` removes exactly, so
what the preview shows is what is published.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import markdown
from pymdownx.superfences import SuperFencesCodeExtension

from editor.core.html_newlines import remove_newlines
from editor.core.md_extensions import (
    ActiveOptions,
    BroadsheetExtension,
    SlugFootnotes,
    format_fence,
)
from editor.core.post import Post


@dataclass(frozen=True)
class RenderOptions:
    """How to render one body."""

    slug: str = ""  # per-post prefix for footnote/heading ids, so posts on one page never collide
    caption_style: str = "blogger"  # "blogger" (tr-caption-container table) or "figure"
    markers: bool = False  # editor-only data-line attributes for scroll sync (never published)
    line_offset: int = 0  # added to marker line numbers (front matter lines above the body)


_START_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*\s[^<>]*>")
_MARKER = re.compile(r' data-line="\d+"')
_EDITOR_ELEMENT = re.compile(r'<(div|span) class="[\w -]*" data-bs-editor="1"></\1>')

# A Markdown instance is not thread-safe (it keeps the document being converted), and the
# preview renders on a worker thread while publishing may render on the GUI thread.
_local = threading.local()


def build_converter() -> tuple[markdown.Markdown, BroadsheetExtension]:
    """A new Markdown instance configured as Broadsheet renders (one per thread: not shareable)."""
    footnotes = SlugFootnotes(BACKLINK_TEXT="&#8617;&#xFE0E;")  # FE0E: not an emoji
    extension = BroadsheetExtension(footnotes)
    md = markdown.Markdown(
        extensions=[
            "abbr",
            "attr_list",
            "def_list",
            "tables",
            "sane_lists",
            "smarty",
            footnotes,
            SuperFencesCodeExtension(
                custom_fences=[{"name": "*", "class": "highlight", "format": format_fence}]
            ),
            "pymdownx.tilde",
            "pymdownx.tasklist",
            extension,
        ],
        extension_configs={"pymdownx.tilde": {"subscript": False}},
        output_format="html",
    )
    return md, extension


def _converter() -> tuple[markdown.Markdown, BroadsheetExtension]:
    cached = getattr(_local, "converter", None)
    if cached is None:
        cached = _local.converter = build_converter()
    return cached


def render_body(body: str, options: RenderOptions = RenderOptions()) -> str:
    """Render a Markdown body (no front matter) to the post's HTML body (no newlines)."""
    md, extension = _converter()
    md.reset()
    extension.use(
        ActiveOptions(
            slug=options.slug,
            caption_style=options.caption_style,
            markers=options.markers,
            line_offset=options.line_offset,
        )
    )
    html = remove_newlines(md.convert(body))
    # Published HTML never carries editor markers, not even ones typed as raw HTML: otherwise
    # stripping the preview's markers would also remove those and differ from this.
    return html if options.markers else strip_editor_markers(html)


def render_post(post: Post, *, markers: bool = False, caption_style: str = "blogger") -> str:
    """Render a post's body with its slug; the HTML that is published when markers=False."""
    options = RenderOptions(slug=slugify(post.title), caption_style=caption_style, markers=markers)
    return render_body(post.body, options)


def strip_editor_markers(html: str) -> str:
    """Remove editor-only elements and attributes, giving exactly the published HTML."""
    unmarked = _START_TAG.sub(lambda tag: _MARKER.sub("", tag.group(0)), html)
    return _EDITOR_ELEMENT.sub("", unmarked)


def slugify(title: str) -> str:
    """A short ASCII id prefix from a title ("Café déjà vu!" -> "cafe-deja-vu")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:40].rstrip("-") or "post"
