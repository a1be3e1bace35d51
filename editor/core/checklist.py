"""The pre-publish checklist: what a writer wants to know before readers see the post.

Errors block publishing (the post would look broken); warnings allow "publish anyway".
Looks at the rendered HTML, so reference-style images, raw `<img>` tags and links are all
seen the way the blog will see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from editor.core.assets import is_image_file
from editor.core.blog_labels import near_duplicates
from editor.core.post import Post
from editor.core.post_images import (
    images_of,
    links_of,
    missing_local_images,
    picture_name,
    resolve_image,
)
from editor.core.render import RenderOptions, render_checked, slugify
from editor.core.render_problems import RenderError
from editor.core.snippet_render import expand_snippets
from editor.core.snippets import SnippetFolder

LONG_TITLE = 100  # characters; longer titles get cut in feeds, search results and tabs
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class CheckItem:
    """One finding: `level` "error" or "warning", a one-line `text`, a stable `code`."""

    level: str
    text: str
    code: str

    @property
    def blocks_publishing(self) -> bool:
        """True for errors."""
        return self.level == ERROR


def _listed(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def check_post(
    post: Post,
    draft_path: Path | None,
    *,
    can_host_local_images: bool,
    known_labels: Iterable[str] = (),
    snippets: SnippetFolder | None = None,
) -> list[CheckItem]:
    """Everything worth a look before publishing `post` (errors first, then warnings).

    `known_labels` are the target blog's labels (editor.core.blog_labels.BlogLabels);
    `snippets` the folder its `{% include NAME %}` lines read (None: includes stay as text).
    """
    items: list[CheckItem] = []
    folder = draft_path.parent if draft_path is not None else Path.cwd()
    title = post.meta.get("title")
    title_text = str(title).strip() if isinstance(title, str | int | float) else ""
    if not title_text:
        items.append(
            CheckItem(
                ERROR, "The post has no title (add `title:` to the front matter).", "no-title"
            )
        )
    elif len(title_text) > LONG_TITLE:
        items.append(
            CheckItem(
                WARNING, f"The title is very long ({len(title_text)} characters).", "long-title"
            )
        )
    if not post.body.strip():
        items.append(CheckItem(ERROR, "The post is empty.", "empty"))
        return _ordered(items)
    if not post.labels:
        items.append(CheckItem(WARNING, "The post has no labels.", "no-labels"))
    for label, existing in near_duplicates(post.labels, known_labels):
        items.append(
            CheckItem(
                WARNING,
                f"Label “{label}” differs from the blog's “{existing}” only in capitals or"
                " spaces; the blog would list them as two labels.",
                "label-spelling",
            )
        )

    options = RenderOptions(slug=slugify(post.title))
    expansion = expand_snippets(post.body, snippets, options)
    for problem in expansion.problems:  # the same refusal as publishing's
        items.append(CheckItem(ERROR, problem, "snippet"))
    rendering = render_checked(expansion.text, options)
    if rendering.problems:  # the same refusal as publishing's, before the dialog lets it try
        refusal = RenderError(rendering.problems[0], post.body_line_offset)
        items.append(CheckItem(ERROR, refusal.message, "unrenderable"))
    missing = missing_local_images(rendering.html, folder)
    local, no_alt = [], []
    for src, alt in images_of(rendering.html):
        if not (alt or "").strip():
            no_alt.append(picture_name(src) if src else "(no address)")
        path = resolve_image(src, folder)
        if path is not None and path.is_file() and not can_host_local_images:
            local.append(src)
    if missing:
        items.append(
            CheckItem(ERROR, f"Images not found on disk: {_listed(missing)}.", "missing-image")
        )
    if local:
        items.append(
            CheckItem(
                WARNING,
                "The blog cannot host images from your disk; readers will not see:"
                f" {_listed(local)}. Set up an image host in Publish ▸ Image Hosts… to upload"
                " them when you publish.",
                "local-image",
            )
        )
    if no_alt:
        items.append(CheckItem(WARNING, f"Images without alt text: {_listed(no_alt)}.", "no-alt"))
    local_links = []
    for href in links_of(rendering.html):
        path = resolve_image(href, folder)
        if path is None:
            continue
        if urlsplit(href).scheme == "file" or (path.exists() and not is_image_file(path)):
            local_links.append(href)
    if local_links:
        items.append(
            CheckItem(
                WARNING, f"Links to files on your disk: {_listed(local_links)}.", "local-link"
            )
        )
    return _ordered(items)


def _ordered(items: list[CheckItem]) -> list[CheckItem]:
    return sorted(items, key=lambda item: item.level != ERROR)


def has_errors(items: list[CheckItem]) -> bool:
    """True when something blocks publishing."""
    return any(item.blocks_publishing for item in items)
