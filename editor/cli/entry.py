"""The `broadsheet` command: opens the window, or runs a subcommand (render, …).

Each group of subcommands lives in a module of its own in this package and adds its parsers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import VersionAction, setup_logging

SUBCOMMANDS = {
    "render", "login", "blogs", "publish", "images", "import", "sync", "search", "queue",
    "announce", "links", "schedule", "snippets",
}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The subcommand parser (the window is started when no subcommand is given)."""
    from editor.cli import (
        accounts,
        announce,
        images,
        links,
        publish,
        queue,
        render,
        schedule,
        search,
        snippets,
        sync,
    )

    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Broadsheet: write Markdown, see the post, publish to your blog.",
    )
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups = (
        render,
        accounts,
        publish,
        schedule,
        queue,
        images,
        sync,
        search,
        announce,
        links,
        snippets,
    )
    for group in groups:
        group.add_parsers(sub)
    return parser


def build_window_parser() -> argparse.ArgumentParser:
    """The parser for `broadsheet [FILE]` (opening the window)."""
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Broadsheet: a Markdown blog editor with a live preview."
        " Subcommands: " + ", ".join(sorted(SUBCOMMANDS)) + " (see `broadsheet COMMAND --help`).",
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument("file", nargs="?", metavar="FILE", help="a Markdown file to open")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `broadsheet` command."""
    argv = sys.argv[1:] if argv is None else list(argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in SUBCOMMANDS:
        args = build_parser().parse_args(argv)
        if args.command != "render":
            setup_logging()
        return int(args.func(args))
    args = build_window_parser().parse_args(argv)
    from editor.ui.app import run_app

    return run_app(Path(args.file) if args.file else None)
