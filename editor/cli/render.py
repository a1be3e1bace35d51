"""`broadsheet render FILE`: the HTML body that publishing would send, on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import fail


def cmd_render(args: argparse.Namespace) -> int:
    """Print the HTML body that would be published for FILE."""
    from editor.core.documents import DocumentError, read_document
    from editor.core.paths import app_paths
    from editor.core.post import front_matter_warning, parse_post
    from editor.core.render_problems import RenderError
    from editor.core.snippet_render import SnippetError, publishable_html
    from editor.core.snippets import SnippetFolder

    path = Path(args.file)
    try:
        text, _fmt = read_document(path)
    except DocumentError as exc:
        return fail(str(exc))
    post = parse_post(text, path.name)
    if post.front_matter_error:  # the body still renders; the writer hears why the title won't
        print(f"{path.name}: {front_matter_warning(post.front_matter_error)}", file=sys.stderr)
    try:
        html = publishable_html(
            post, SnippetFolder(app_paths().snippets_dir), caption_style="blogger"
        )
    except SnippetError as exc:
        return fail(f"{path.name}: {exc.message}")
    except RenderError as exc:  # what could not be published is not printed either
        return fail(f"Line {exc.line} of {path.name} cannot be rendered: it {exc.problem.reason}.")
    sys.stdout.write(html)
    sys.stdout.write("\n")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    render = sub.add_parser(
        "render",
        help="print the HTML body that would be published for FILE",
        description="Print to stdout exactly the HTML body that would be published for FILE"
        " (front matter excluded).",
    )
    render.add_argument("file", metavar="FILE")
    render.set_defaults(func=cmd_render)
