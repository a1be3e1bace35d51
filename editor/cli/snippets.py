"""`broadsheet snippets`: the reusable blocks drafts include with `{% include NAME %}`.

`snippets list` shows each snippet and how many published posts use it; `snippets update NAME`
re-publishes those posts after the snippet changed (asking first unless --yes), going on where
an interrupted run stopped.
"""

from __future__ import annotations

import argparse
import json
import sys

from editor.cli.common import ask, fail, publish_errors


def cmd_snippets(args: argparse.Namespace) -> int:
    """List the snippets, or update every published post that uses one."""
    from editor.core.atomic import WriteError
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        if args.action == "update":
            if not args.name:
                return fail("usage: broadsheet snippets update NAME (the names: `snippets list`)")
            return _update(service, args)
        return _list(service, args)
    except publish_errors() as exc:
        return fail(str(exc))
    except WriteError as exc:
        return fail(f"The update's journal could not be written: {exc}")


def _list(service, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from editor.publish.snippet_update import posts_using

    rows = []
    for name in service.snippets.names():
        posts = posts_using(service, name)
        rows.append(
            {"name": name, "path": str(service.snippets.path(name)), "published_posts": len(posts)}
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        print(f"{row['name']}\t{row['path']}\t{row['published_posts']}")
    if not rows:
        print(
            f"No snippets yet: put Markdown files in {service.paths.snippets_dir} and include"
            " one in a draft with a line `{% include NAME %}`.",
            file=sys.stderr,
        )
    return 0


def _update(service, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from editor.publish.snippet_update import SnippetUpdate, UpdateProgress

    update = SnippetUpdate(service, args.name)
    resuming = update.interrupted()
    posts = update.posts()
    if not posts:
        print(f"No published post uses the snippet “{update.name}”.", file=sys.stderr)
        return 0
    done = len(resuming["done"]) if resuming else 0
    out = sys.stderr if args.json else sys.stdout
    head = f"Update all {len(posts)} posts using “{update.name}”"
    print(head + (f" (going on: {done} done before):" if done else ":"), file=out)
    for post in posts:
        print(f"  {post.title}\t{post.blog_key}\t{post.url or post.path}", file=out)
    if not args.yes:
        answer = ask(f"Update all {len(posts)} posts? [y/N] ")
        if answer.lower() not in ("y", "yes"):
            print("Nothing was sent.", file=sys.stderr)
            return 1

    def show(step: UpdateProgress) -> None:
        if step.outcome is not None:
            o = step.outcome
            line = f"[{step.done}/{step.total}] {o.outcome}: {o.post.title}"
            print(line + (f" — {o.message}" if o.message else ""), file=out, flush=True)

    report = update.run(show)
    if args.json:
        print(
            json.dumps(
                {
                    "snippet": report.name,
                    "total": report.total,
                    "cancelled": report.cancelled,
                    "stopped": report.stopped,
                    "posts": [
                        {
                            "title": o.post.title,
                            "path": str(o.post.path),
                            "blog": o.post.blog_key,
                            "outcome": o.outcome,
                            "message": o.message,
                            "url": o.url,
                        }
                        for o in report.outcomes
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    print(report.summary(), file=sys.stderr if args.json else sys.stdout)
    return 0 if report.ok else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    snippets = sub.add_parser(
        "snippets",
        help="list the snippets; `snippets update NAME` re-publishes the posts using one",
        description="Snippets are Markdown files in the snippets folder that a draft includes"
        " with a line `{% include NAME %}`. `snippets list` shows each one with the number of"
        " published posts using it; `snippets update NAME` re-publishes those posts (each one"
        " checked for edits made on the blog first), and goes on where an interrupted run"
        " stopped. The exit status is 1 when a post was not updated.",
    )
    snippets.add_argument("action", nargs="?", choices=["list", "update"], default="list")
    snippets.add_argument("name", nargs="?", metavar="NAME", help="for update: the snippet")
    snippets.add_argument("--yes", action="store_true", help="update without asking")
    snippets.add_argument("--json", action="store_true", help="print the result as JSON")
    snippets.set_defaults(func=cmd_snippets)
