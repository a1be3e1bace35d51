"""The `broadsheet` command: opens the window, or runs a subcommand (render, …)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor import __version__

SUBCOMMANDS = {"render"}


def _fail(message: str) -> int:
    print(f"broadsheet: {message}", file=sys.stderr)
    return 1


def cmd_render(args: argparse.Namespace) -> int:
    """Print the HTML body that would be published for FILE."""
    from editor.core.documents import DocumentError, read_document
    from editor.core.post import parse_post
    from editor.core.render import render_post

    path = Path(args.file)
    try:
        text, _fmt = read_document(path)
    except DocumentError as exc:
        return _fail(str(exc))
    post = parse_post(text, path.name)
    sys.stdout.write(render_post(post))
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The subcommand parser (the window is started when no subcommand is given)."""
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Broadsheet: write Markdown, see the post, publish to your blog.",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    render = sub.add_parser(
        "render",
        help="print the HTML body that would be published for FILE",
        description="Print to stdout exactly the HTML body that would be published for FILE"
        " (front matter excluded).",
    )
    render.add_argument("file", metavar="FILE")
    render.set_defaults(func=cmd_render)
    return parser


def build_window_parser() -> argparse.ArgumentParser:
    """The parser for `broadsheet [FILE]` (opening the window)."""
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Broadsheet: a Markdown blog editor with a live preview."
        " Subcommands: " + ", ".join(sorted(SUBCOMMANDS)) + " (see `broadsheet COMMAND --help`).",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    parser.add_argument("file", nargs="?", metavar="FILE", help="a Markdown file to open")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `broadsheet` command."""
    argv = sys.argv[1:] if argv is None else list(argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in SUBCOMMANDS:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    args = build_window_parser().parse_args(argv)
    from editor.ui.app import run_app

    return run_app(Path(args.file) if args.file else None)
