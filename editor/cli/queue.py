"""`broadsheet queue`: the posts waiting to be published (queued while the blog could not be
reached); `queue send` sends them now, `queue cancel ID` takes one out."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from editor.cli.common import fail, progress_printer, publish_errors


def cmd_queue(args: argparse.Namespace) -> int:
    """List, send or cancel the waiting publishes."""
    from editor.publish.queue import PublishQueue

    try:
        queue = PublishQueue()
        if args.action == "send":
            return _send(queue)
        if args.action == "cancel":
            if not args.id:
                return fail("usage: broadsheet queue cancel ID (the ids are in `broadsheet queue`)")
            gone = queue.cancel(args.id)
            if gone is None:
                return fail(f"Nothing with the id {args.id} is waiting to be published.")
            print(f"Cancelled: {gone.path} will not be published to {gone.blog}.")
            return 0
        items = queue.items()
    except publish_errors() as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps([asdict(q) for q in items], ensure_ascii=False, indent=1))
        return 0
    for q in items:
        when = f"\tat {q.at}" if q.at else (f"\tdue {q.due}" if q.due else "")
        print(f"{q.id}\t{q.path}\t{q.blog}\t{q.mode}{when}\t{q.note}")
    if sys.stderr.isatty():
        print(f"Waiting to publish: {len(items)}", file=sys.stderr)
    return 0


def _send(queue) -> int:  # type: ignore[no-untyped-def]
    from editor.publish.queue import send_queue
    from editor.publish.service import PublishService

    report = send_queue(PublishService(), queue, progress_printer())
    for queued, result in report.sent:
        print(f"{queued.path}\t{result.url or result.post_id}")
    if report.problem is None:
        return 0
    assert report.stopped_at is not None
    left = len(queue.items())
    if report.waiting_for_network:
        return fail(f"{report.problem.message} {left} still waiting to be published.")
    return fail(f"{report.stopped_at.path}: {report.problem.message} {left} still waiting.")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    queue = sub.add_parser(
        "queue",
        help="list the posts waiting to be published; `queue send` sends them now",
        description="Publishing while the blog cannot be reached (`publish --queue`, or the"
        " window's Publish) puts the post in a queue. `broadsheet queue` lists it (id, file,"
        " blog, mode, why it waits), `queue send` sends it in order, `queue cancel ID` takes"
        " one out.",
    )
    queue.add_argument("action", nargs="?", choices=["list", "send", "cancel"], default="list")
    queue.add_argument("id", nargs="?", metavar="ID", help="for cancel: the entry's id")
    queue.add_argument("--json", action="store_true", help="list as JSON")
    queue.set_defaults(func=cmd_queue)
