"""`broadsheet images …`: find the images of published posts that no longer load and repair
them from the writer's own copies. The commands that set up image hosts are in hosts.py.

Exit status of `check` and `repair`: 0 when every image loads (or was repaired), 2 when dead
images remain, 1 on an error.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.cli.common import fail
from editor.cli.hosts import HelpParser, add_host_parsers, configured_hosts
from editor.publish.errors import ConflictError, NotFoundError, PublishError

if TYPE_CHECKING:
    from editor.publish.hosts.checkup import BlogScan
    from editor.publish.hosts.deadimages import PostImages
    from editor.publish.service import PublishService

CHANGED = "the post changed on the blog since the scan; run `broadsheet images check` again."


def add_parsers(sub: Any) -> None:
    """Register `images check|repair` and the image-host commands on the top-level subparsers."""
    images = sub.add_parser(
        "images",
        help="check and repair the images of your posts; set up image hosts",
        description="Find the images of your published posts that no longer load and repair"
        " them from your own copies, and set up the image hosts that Broadsheet uploads your"
        " drafts' local images to (Blogger cannot store them).",
    )
    actions = images.add_subparsers(
        dest="images_command", metavar="ACTION", required=True, parser_class=HelpParser
    )
    check = actions.add_parser(
        "check",
        help="list images in published posts that no longer load (and repair them)",
        description="Scan the blog's published posts and list, per post, the images that no"
        " longer load (HTTP errors, login pages, files that are no image, paths on your disk)."
        " With --repair, each dead image whose file Broadsheet finds among your drafts (the"
        " draft published as that post: its assets folder and the images it uploaded) is"
        " uploaded to the blog's image host and the post is pointed at the new address."
        " Exit status: 0 when every image loads or was repaired, 2 when dead images remain,"
        " 1 on an error.",
    )
    check.add_argument(
        "--blog", metavar="ID", help="blog id, name or URL (default: the default blog)"
    )
    check.add_argument(
        "--repair",
        action="store_true",
        help="repair the dead images that have a copy among your drafts",
    )
    check.set_defaults(func=cmd_images_check)

    repair = actions.add_parser(
        "repair",
        help="repair one dead image of a post from a file",
        description="Upload FILE to the blog's image host and point the post POST_ID at it"
        " instead of the dead address URL (both as `broadsheet images check` lists them)."
        " Without FILE, Broadsheet uses its own copy from the draft published as that post."
        " Exit status: 0 when repaired, 2 when no copy of the image was found, 1 on an error.",
    )
    repair.add_argument("post_id", metavar="POST_ID", help="the post's id on the blog")
    repair.add_argument("url", metavar="URL", help="the image address that no longer loads")
    repair.add_argument(
        "file", metavar="FILE", nargs="?", help="your copy of the image (default: found for you)"
    )
    repair.add_argument(
        "--blog", metavar="ID", help="blog id, name or URL (default: the default blog)"
    )
    repair.set_defaults(func=cmd_images_repair)

    add_host_parsers(actions)


def _progress(message: str) -> None:
    print(f"broadsheet: {message}", file=sys.stderr)


def _title(post: PostImages) -> str:
    return post.title or post.post_id


def _repair_command(args: argparse.Namespace, post_id: str, url: str) -> str:
    """The `images repair` line that fixes one image from a file the writer names."""
    blog = f" --blog {shlex.quote(args.blog)}" if args.blog else ""
    return f"broadsheet images repair {shlex.quote(post_id)} {shlex.quote(url)} FILE{blog}"


def cmd_images_check(args: argparse.Namespace) -> int:
    """Print each post with dead images, one image per line with the reason; maybe repair."""
    from editor.publish.hosts import checkup
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        scanned = checkup.scan(service, args.blog, _progress)
    except PublishError as exc:
        return fail(exc.message)
    for post in scanned.broken:
        print(f"{_title(post)}\t{post.url}")
        for image in post.dead:
            print(f"  {image.url}\t{image.reason}")
    print(scanned.summary(), file=sys.stderr)
    if not scanned.dead_count:
        return 0
    if not args.repair:
        return 2
    return _repair_all(service, scanned, args)


def _repair_all(service: PublishService, scanned: BlogScan, args: argparse.Namespace) -> int:
    """Repair every dead image of `scanned` that has a local copy, post by post.

    A post that changed on the blog since the scan is left alone (the others go on); any other
    failure stops the repairs with exit status 1.
    """
    from editor.publish.hosts import checkup

    try:
        configured_hosts(service)  # before any upload: say how to set one up
    except PublishError as exc:
        return fail(exc.message)
    repaired = 0
    for post in scanned.broken:
        current = post
        for image in post.dead:
            try:
                copies = checkup.local_copies(service, scanned.blog, post.post_id, image.url)
                if not copies:
                    print(
                        f"Not repaired in “{_title(post)}”: {image.url}: no copy of it was found"
                        " among your drafts; point at one with"
                        f" `{_repair_command(args, post.post_id, image.url)}`."
                    )
                    continue
                result = checkup.repair(service, scanned.blog, current, image.url, copies[0])
            except (ConflictError, NotFoundError):
                print(f"Not repaired in “{_title(post)}”: {CHANGED}")
                break
            except PublishError as exc:
                print(
                    f"broadsheet: {exc.message} Repaired {repaired} images before that.",
                    file=sys.stderr,
                )
                return 1
            # The post's next image is compared with the post as this repair left it.
            current = replace(current, updated=result.post.updated)
            repaired += 1
            print(f"Repaired in “{_title(post)}”: {image.url} → {result.new_url}")
    remaining = scanned.dead_count - repaired
    print(
        f"Repaired {repaired} of {scanned.dead_count} dead images"
        + (f"; {remaining} still dead." if remaining else "."),
        file=sys.stderr,
    )
    return 2 if remaining else 0


def cmd_images_repair(args: argparse.Namespace) -> int:
    """Repair one dead image of one post, from FILE or the writer's copy Broadsheet finds."""
    from editor.publish.hosts import checkup
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        blog = service.accounts().find_blog(args.blog)
        configured_hosts(service)
        post = checkup.fetch_post(service, blog, args.post_id)
        if args.url not in post.images:
            return fail(
                f"The post “{_title(post)}” shows no image at {args.url};"
                " `broadsheet images check` lists the addresses of its dead images."
            )
        if args.file:
            local = Path(args.file).expanduser()
            if not local.is_file():
                return fail(f"There is no file {local}.")
        else:
            copies = checkup.local_copies(service, blog, post.post_id, args.url)
            if not copies:
                print(
                    f"broadsheet: No copy of {args.url} was found among your drafts (the draft"
                    " published as this post, its assets folder, the images it uploaded);"
                    f" name your copy: `{_repair_command(args, post.post_id, args.url)}`.",
                    file=sys.stderr,
                )
                return 2
            local = copies[0]
        result = checkup.repair(service, blog, post, args.url, local)
    except ConflictError:
        return fail("The post changed on the blog during the repair; run the command again.")
    except PublishError as exc:
        return fail(exc.message)
    print(f"Repaired in “{_title(post)}”: {args.url} → {result.new_url}")
    return 0
