"""Export a post as one standalone HTML file: the published body, the preview's look inlined.

Local images are copied into a `<name>_files/` folder beside the export (what browsers do with
"Save page, complete"): the HTML stays small and readable, the images stay ordinary files the
writer can open, and the pair can be zipped or uploaded as is. Web images stay web addresses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from editor.core.assets import is_image_file, unique_asset_path
from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.post import Post
from editor.core.post_images import missing_local_images, resolve_image
from editor.core.snippet_render import render_with_snippets
from editor.core.snippets import SnippetFolder

_ATTRIBUTE = re.compile(r'\b(src|href)="([^"]*)"')


@dataclass(frozen=True)
class ExportResult:
    """What was written: the HTML file and the images copied beside it."""

    path: Path
    files_dir: Path | None
    copied: tuple[Path, ...]
    missing: tuple[str, ...] = ()  # local pictures not on disk (left as they were written)


def standalone_html(title: str, body_html: str, css: str) -> str:
    """A complete HTML page: the post's title and body, wrapped as blog themes do."""
    safe_title = html.escape(title)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{safe_title}</title>\n<style>\n{css}\n</style></head>\n<body>"
        '<main class="page"><div class="post-outer"><div class="post">'
        f'<h1 class="post-title entry-title">{safe_title}</h1>\n'
        f'<div class="post-body entry-content">{body_html}</div>'
        "</div></div></main></body></html>\n"
    )


def _local_image(value: str, folder: Path) -> Path | None:
    path = resolve_image(value, folder)
    return path if path is not None and is_image_file(path) and path.is_file() else None


def export_html(
    post: Post,
    draft_path: Path,
    target: Path,
    css: str,
    *,
    caption_style: str = "blogger",
    snippets: SnippetFolder | None = None,
) -> ExportResult:
    """Write `target` (and its `_files` folder when there are local images); raises WriteError.

    `snippets`: the folder the draft's `{% include NAME %}` lines read (None: left as text).
    """
    body = render_with_snippets(post, snippets, caption_style=caption_style)
    missing = tuple(missing_local_images(body, draft_path.parent))
    files_dir = target.with_name(f"{target.stem}_files")
    copies: dict[Path, Path] = {}

    def relocate(match: re.Match[str]) -> str:
        source = _local_image(html.unescape(match.group(2)), draft_path.parent)
        if source is None:
            return match.group(0)
        if source not in copies:
            try:
                files_dir.mkdir(parents=True, exist_ok=True)
                data = source.read_bytes()
            except OSError as exc:
                raise WriteError(files_dir, describe_os_error(exc), exc.errno) from exc
            copy = unique_asset_path(files_dir, source.name)
            atomic_write_bytes(copy, data)
            copies[source] = copy
        address = quote(f"{files_dir.name}/{copies[source].name}")
        return f'{match.group(1)}="{html.escape(address)}"'

    body = _ATTRIBUTE.sub(relocate, body)
    atomic_write_bytes(target, standalone_html(post.title, body, css).encode("utf-8"))
    return ExportResult(target, files_dir if copies else None, tuple(copies.values()), missing)
