"""`broadsheet schedule move FILE WHEN` and `schedule cancel FILE`: change a scheduled post.

The post is scheduled on its blog (Blogger, WordPress, Ghost) or, where the blog cannot
schedule, in Broadsheet's queue; either way the same command moves or cancels it.
"""

from __future__ import annotations

import argparse
import json

from editor.cli.common import fail, progress_printer, publish_errors


def cmd_schedule(args: argparse.Namespace) -> int:
    """Move a scheduled post to WHEN, or cancel its schedule."""
    from datetime import datetime

    from editor.publish.service import PublishService

    at = None
    if args.action == "move":
        if not args.when:
            return fail("usage: broadsheet schedule move FILE WHEN (e.g. 2025-05-01T09:00+02:00)")
        try:
            at = datetime.fromisoformat(args.when)
        except ValueError:
            return fail(f"{args.when!r} is not an ISO-8601 date and time.")
    elif args.when:
        return fail("usage: broadsheet schedule cancel FILE (cancelling takes no time)")
    service = PublishService()
    try:
        if at is None:
            change = service.unschedule(args.file, args.blog, progress=progress_printer())
        else:
            change = service.reschedule(args.file, at, args.blog, progress=progress_printer())
    except KeyboardInterrupt:
        return fail("Interrupted; run the command again to see where the post stands.")
    except publish_errors() as exc:
        return fail(str(exc))
    if args.json:
        data = {
            "blog": change.blog_key,
            "at": change.at.isoformat() if change.at else None,
            "zone": change.zone,
            "status": change.status.lower() if change.status else None,
            "queued": change.queued,
            "message": change.message,
        }
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(change.message)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    schedule = sub.add_parser(
        "schedule",
        help="move a scheduled post to another time, or cancel its schedule",
        description="Move the scheduled post of FILE to WHEN (`schedule move FILE WHEN`), or"
        " cancel its schedule (`schedule cancel FILE`): on the blog it stays as a draft; on a"
        " blog that cannot schedule, Broadsheet's queue no longer publishes it. A time without"
        " an offset is your own time zone's.",
    )
    schedule.add_argument("action", choices=["move", "cancel"])
    schedule.add_argument("file", metavar="FILE")
    schedule.add_argument(
        "when", nargs="?", metavar="WHEN", help="for move: e.g. 2025-05-01T09:00+02:00"
    )
    schedule.add_argument(
        "--blog", metavar="ID", help="the blog, when the post is scheduled on several"
    )
    schedule.add_argument("--json", action="store_true", help="say what was done as JSON")
    schedule.set_defaults(func=cmd_schedule)
