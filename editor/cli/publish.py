"""`broadsheet publish FILE`: publish, save as a draft or schedule; print the post's URL."""

from __future__ import annotations

import argparse
import sys

from editor.cli.common import fail, progress_printer, publish_errors


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish FILE (live, as a draft or scheduled) and print the post's URL."""
    from datetime import datetime

    from editor.publish.errors import ConflictError, PostGoneError
    from editor.publish.service import PublishMode, PublishService

    mode, at = PublishMode.PUBLISH, None
    if args.draft:
        mode = PublishMode.DRAFT
    elif args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            return fail(f"--at {args.at!r} is not an ISO-8601 date and time.")
        mode = PublishMode.SCHEDULE
    try:
        if args.queue:
            from editor.publish.queue import Queued, publish_or_queue

            done = publish_or_queue(
                PublishService(),
                args.file,
                args.blog,
                mode=mode,
                at=at,
                progress=progress_printer(),
            )
            if isinstance(done, Queued):
                print(
                    f"broadsheet: {done.note} Queued ({done.id}): `broadsheet queue send`"
                    " publishes it when the blog answers again.",
                    file=sys.stderr,
                )
                return 0
            result = done
        else:
            result = PublishService().publish(
                args.file,
                args.blog,
                mode=mode,
                at=at,
                overwrite=args.overwrite,
                as_new=args.as_new,
                progress=progress_printer(),
            )
    except ConflictError as exc:
        return fail(f"{exc.message} Use --overwrite to replace it.")
    except PostGoneError as exc:
        return fail(f"{exc.message} Add --as-new to do that.")
    except KeyboardInterrupt:
        return fail(
            "Publishing was interrupted; publishing again finds a post this attempt may have"
            " created, so no copy is made."
        )
    except publish_errors() as exc:
        return fail(str(exc))
    for warning in result.warnings:
        print(f"broadsheet: warning: {warning}", file=sys.stderr)
    print(result.url or f"{result.post_id} ({result.status.lower()}, no public URL yet)")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    publish = sub.add_parser(
        "publish",
        help="publish FILE to a blog and print the post's URL",
        description="Publish FILE to a blog (live now, as a draft, or scheduled). Publishing"
        " a file again updates the same post.",
    )
    publish.add_argument("file", metavar="FILE")
    publish.add_argument(
        "--blog", metavar="ID", help="blog id, name or URL (default: the default blog)"
    )
    when = publish.add_mutually_exclusive_group()
    when.add_argument("--draft", action="store_true", help="save as a draft on the blog")
    when.add_argument("--at", metavar="ISO-8601", help="schedule, e.g. 2025-05-01T09:00+02:00")
    publish.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the post even if it was changed on the blog since the last publish",
    )
    publish.add_argument(
        "--as-new",
        action="store_true",
        help="publish as a new post, forgetting the one recorded for this blog (for a post"
        " that was deleted on the blog)",
    )
    publish.add_argument(
        "--queue",
        action="store_true",
        help="when the blog cannot be reached, queue the post instead of failing"
        " (`broadsheet queue send` sends it later)",
    )
    publish.set_defaults(func=cmd_publish)
