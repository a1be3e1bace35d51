"""`broadsheet search`: find drafts by words, label, status and year, from the library index."""

from __future__ import annotations

import argparse
import json
import sys


def cmd_search(args: argparse.Namespace) -> int:
    from editor.core.library_db import STATUSES, library_index, plain_snippet
    from editor.core.paths import app_paths

    if args.status is not None and args.status not in STATUSES:
        print(
            f"broadsheet: unknown status {args.status!r}; use one of: {', '.join(STATUSES)}.",
            file=sys.stderr,
        )
        return 2
    index = library_index(app_paths().data_dir)
    try:
        index.refresh()  # only the drafts changed since the last look are read
        hits = index.search(
            " ".join(args.query),
            label=args.label,
            status=args.status,
            blog=args.blog,
            year=args.year,
            sort=args.sort,
            snippets=10**9 if args.json else 0,  # every hit's, for a script
        )
    finally:
        index.close()
    if args.json:
        rows = [
            {
                "path": str(hit.path),
                "title": hit.title,
                "date": hit.date,
                "words": hit.words,
                "labels": list(hit.labels),
                "state": hit.state,
                "snippet": plain_snippet(hit.snippet),
            }
            for hit in hits
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for hit in hits:  # the path first, so `cut -f1` or `xargs` take it as it is
            print(f"{hit.path}\t{hit.title}\t{hit.date}")
    return 0 if hits or args.json else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `search` to the `broadsheet` command."""
    from editor.core.library_db import SORTS, STATUSES

    search = sub.add_parser(
        "search",
        help="find drafts by their words, label, status or year",
        description="Search the titles, labels and text of every draft. Prints one line per"
        " draft: its path, title and date, separated by tabs (exit status 1 when none match)."
        " Each word matches the start of a word: `harb` finds harbour.",
    )
    search.add_argument("query", nargs="*", metavar="WORD", help="words that must all appear")
    search.add_argument("--label", metavar="L", help="only drafts with this label")
    search.add_argument("--status", metavar="S", help=f"one of: {', '.join(STATUSES)}")
    search.add_argument("--blog", metavar="KEY", help="only drafts published to this blog key")
    search.add_argument("--year", type=int, metavar="YYYY", help="only drafts dated that year")
    search.add_argument("--sort", choices=sorted(SORTS), default="date", help="default: date")
    search.add_argument("--json", action="store_true", help="print a JSON list instead")
    search.set_defaults(func=cmd_search)
