"""`broadsheet links …`: find the dead outbound links of the published posts, and point a dead
link of a draft at an archived copy (the writer confirms; nothing is republished).

`links check` exits 0 whatever it finds (dead links are a report, not a failure), 1 on an
error. `links fix` exits 0 when the drafts were changed or the writer said no, 2 when there
is nothing to fix with, 1 on an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from editor.cli.common import ask, fail, progress_printer
from editor.publish.errors import PublishError


def add_parsers(sub: Any) -> None:
    """Register `links check` and `links fix` on the top-level subparsers."""
    links = sub.add_parser(
        "links",
        help="find dead links in your published posts",
        description="Check the links of your published posts to other sites, and replace a"
        " dead one in your drafts with an archived copy.",
    )
    actions = links.add_subparsers(dest="links_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="list the dead and parked links of the published posts",
        description="Check every link of the blog's published posts to another site, politely"
        " (one request at a time per site, robots.txt respected), and list per post the links"
        " that are dead or lead to a domain-parking page. Results are kept: links checked in"
        " the last 7 days are not checked again (see --recheck), and a check stopped by its"
        " time limit goes on where it stopped when run again. Exit status 0, 1 on an error.",
    )
    check.add_argument(
        "--blog", metavar="ID", help="blog id, name or URL (default: the default blog)"
    )
    check.add_argument(
        "--max-minutes",
        metavar="M",
        type=float,
        default=10.0,
        help="stop checking after M minutes (default 10); the rest is checked next time",
    )
    check.add_argument(
        "--recheck", action="store_true", help="check every link again, however recent"
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(func=cmd_links_check)

    fix = actions.add_parser(
        "fix",
        help="replace a dead link in your drafts with an archived copy",
        description="Look up the Internet Archive's copy of URL closest to the post's date and,"
        " once you confirm, replace URL with it in the drafts published as the posts that link"
        " to it (as the last `broadsheet links check` found them). The blog is not changed:"
        " publish the draft when you are ready.",
    )
    fix.add_argument("url", metavar="URL", help="the dead link, as `links check` lists it")
    fix.add_argument(
        "--archive",
        action="store_true",
        required=True,
        help="use the Internet Archive's copy (the one way to fix for now)",
    )
    fix.add_argument("--yes", action="store_true", help="replace without asking")
    fix.add_argument(
        "--blog", metavar="ID", help="blog id, name or URL (default: the default blog)"
    )
    fix.set_defaults(func=cmd_links_fix)


def cmd_links_check(args: argparse.Namespace) -> int:
    """Print, per post, its dead and parked links with the reason, then a summary line."""
    from editor.publish.links import check_blog
    from editor.publish.service import PublishService

    if args.max_minutes <= 0:
        return fail("--max-minutes must be more than 0.")
    show = progress_printer()

    def on_result(done: int, total: int, _verdict: object) -> None:
        if show is not None:
            show(f"Checked {done} of {total} links…")

    try:
        report = check_blog(
            PublishService(),
            args.blog,
            max_minutes=args.max_minutes,
            recheck=args.recheck,
            progress=show,
            on_result=on_result,
        )
    except PublishError as exc:
        return fail(exc.message)
    except OSError as exc:  # the results could not be kept
        return fail(str(exc))
    if args.json:
        print(
            json.dumps(
                {
                    "blog": report.blog.key,
                    "posts": [
                        {
                            "id": p.post_id,
                            "title": p.title,
                            "url": p.url,
                            "problems": [asdict(v) for v in p.problems],
                        }
                        for p in report.broken
                    ],
                    "counts": {v: report.count(v) for v in _verdicts()},
                    "summary": report.summary(),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    for post in report.broken:
        print(f"{post.title or post.post_id}\t{post.url}")
        for verdict in post.problems:
            print(f"  {verdict.verdict}\t{verdict.url}\t{verdict.reason}")
    print(report.summary())
    return 0


def _verdicts() -> tuple[str, ...]:
    from editor.publish.link_check import VERDICTS

    return VERDICTS


def cmd_links_fix(args: argparse.Namespace) -> int:
    """Find the archived copy of a dead link and, when confirmed, put it in the drafts."""
    from editor.publish.link_archive import (
        archive_timestamp,
        archived_copy,
        drafts_linking,
        replace_in_draft,
    )
    from editor.publish.links import LinkStore, results_path
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        blog = service.accounts().find_blog(args.blog)
        posts = LinkStore(results_path(service.paths)).posts.get(blog.key) or {}
        found = drafts_linking(service.paths.drafts_dir, blog.key, posts, args.url)
        if not found:
            print(
                f"broadsheet: No draft of a post of {blog.name} links to {args.url} (as the"
                " last `broadsheet links check` saw them); run the check, or import the blog.",
                file=sys.stderr,
            )
            return 2
        first_post = posts.get(found[0][0]) or {}
        near = archive_timestamp(str(first_post.get("published") or ""))
        copy = archived_copy(service.session, args.url, near=near)
        if copy is None:
            print(f"broadsheet: The Internet Archive has no copy of {args.url}.", file=sys.stderr)
            return 2
        print(f"Archived copy: {copy.url}")
        for _post_id, draft in found:
            print(f"  in {draft}")
        if not args.yes:
            answer = ask(f"Replace {args.url} with it in {len(found)} draft(s)? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing was changed.")
                return 0
        changed = 0
        for _post_id, draft in found:
            if replace_in_draft(draft, args.url, copy.url):
                changed += 1
                print(f"Replaced in {draft}")
    except PublishError as exc:
        return fail(exc.message)
    print(
        f"Changed {changed} draft(s); publish them to update the posts on the blog."
        if changed
        else "The drafts no longer contain that link; nothing was changed."
    )
    return 0
