"""`broadsheet import` and `broadsheet sync`: the whole blog into drafts, and web edits back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import fail

COMMANDS = {"import", "sync"}


class _ProgressLine:
    """One progress line on stderr: rewritten in place on a terminal, every 100 items in a log."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, progress) -> None:  # type: ignore[no-untyped-def]
        if self.tty:
            sys.stderr.write(f"\rbroadsheet: {progress.text}\x1b[K")
            sys.stderr.flush()
            self.shown = True
        elif progress.done % 100 == 0:
            print(f"broadsheet: {progress.text}", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _print_report(report) -> int:  # type: ignore[no-untyped-def]
    for line in report.lines():
        print(line)
    return 1 if report.error or report.failed else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import every post (and page) of a blog into the drafts library."""
    from editor.publish.blog_import import mirror_for
    from editor.publish.errors import PublishError
    from editor.publish.service import PublishService

    line = _ProgressLine()
    try:
        mirror = mirror_for(PublishService(), args.blog, progress=line, pages=not args.no_pages)
        report = mirror.import_all()
    except PublishError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        line.end()
        return fail("Import interrupted; running `broadsheet import` again goes on from there.")
    line.end()
    return _print_report(report)


def cmd_sync(args: argparse.Namespace) -> int:
    """Bring back posts changed on the blog; settle a conflict with --keep-mine/--take-theirs."""
    from editor.publish.blog_import import mirror_for
    from editor.publish.errors import PublishError
    from editor.publish.service import PublishService

    if args.keep_mine or args.take_theirs:
        return _settle(Path(args.keep_mine or args.take_theirs), keep=bool(args.keep_mine))
    service = PublishService()
    try:
        blogs = (
            [service.accounts().find_blog(args.blog)]
            if args.blog
            else list(service.accounts().blogs.values())
        )
        if not blogs:
            return fail("No blog is set up yet; sign in first with `broadsheet login blogger`.")
        status = 0
        for blog in blogs:
            line = _ProgressLine()
            report = mirror_for(service, blog.key, progress=line).sync()
            line.end()
            status |= _print_report(report)
    except PublishError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("Sync interrupted; nothing was half-written.")
    from editor.publish.sync_conflicts import conflicts

    if conflicts(service.paths):
        print(
            "To choose, open the draft in the window, or run `broadsheet sync --keep-mine FILE`"
            " or `broadsheet sync --take-theirs FILE`."
        )
    return status


def _settle(path: Path, *, keep: bool) -> int:
    from editor.core.paths import app_paths
    from editor.publish.errors import PublishError
    from editor.publish.sync_conflicts import conflict_for, keep_mine, take_theirs

    paths = app_paths()
    conflict = conflict_for(paths, path)
    if conflict is None:
        return fail(f"{path.name} has no change from the blog waiting for a choice.")
    try:
        (keep_mine if keep else take_theirs)(paths, conflict)
    except PublishError as exc:
        return fail(str(exc))
    if keep:
        print(f"Kept your version of {path.name}; the blog's is in its history.")
    else:
        print(f"{path.name} now holds the blog's version; yours is in its history.")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `import` and `sync` to the `broadsheet` command."""
    imp = sub.add_parser(
        "import",
        help="import every post and page of a blog into the drafts library",
        description="Import every post of a blog (live, draft and scheduled) and its pages as"
        " Markdown drafts. Publishing such a draft updates its post. Running it again skips"
        " what is unchanged and goes on where an interrupted import stopped.",
    )
    imp.add_argument("--blog", metavar="ID", help="blog id, name or URL (default: the default)")
    imp.add_argument("--no-pages", action="store_true", help="import posts only")
    imp.set_defaults(func=cmd_import)

    sync = sub.add_parser(
        "sync",
        help="bring posts changed on the blog back into their drafts",
        description="Check the blog for posts changed, added or deleted since the last import"
        " or sync. A draft also changed here is never overwritten: choose with --keep-mine or"
        " --take-theirs (the other version goes into the draft's history).",
    )
    sync.add_argument("--blog", metavar="ID", help="blog id, name or URL (default: every blog)")
    choice = sync.add_mutually_exclusive_group()
    choice.add_argument("--keep-mine", metavar="FILE", help="keep the draft's version")
    choice.add_argument("--take-theirs", metavar="FILE", help="take the blog's version")
    sync.set_defaults(func=cmd_sync)
