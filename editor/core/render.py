"""Markdown body -> the HTML body of the post. One function for the preview and for publishing.

(Interface fixed; implementation in progress.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown

from editor.core.post import Post


@dataclass(frozen=True)
class RenderOptions:
    """How to render one body."""

    slug: str = ""  # per-post prefix for footnote/heading ids, so posts on one page never collide
    caption_style: str = "blogger"  # "blogger" (tr-caption-container table) or "figure"
    markers: bool = False  # editor-only data-line attributes for scroll sync (never published)
    line_offset: int = 0  # added to marker line numbers (front matter lines above the body)


_MARKER = re.compile(r' data-line="\d+"')


def render_body(body: str, options: RenderOptions = RenderOptions()) -> str:
    """Render a Markdown body (no front matter) to the post's HTML body."""
    return markdown.markdown(body, extensions=["extra"])


def render_post(post: Post, *, markers: bool = False, caption_style: str = "blogger") -> str:
    """Render a post's body with its slug; the HTML that is published when markers=False."""
    return render_body(
        post.body,
        RenderOptions(slug=slugify(post.title), caption_style=caption_style, markers=markers),
    )


def strip_editor_markers(html: str) -> str:
    """Remove editor-only attributes, giving exactly the published HTML."""
    return _MARKER.sub("", html)


def slugify(title: str) -> str:
    """A short ASCII id prefix from a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "post"
