"""`broadsheet images check [--blog ID]`: list the published images that no longer load.
The commands that set up image hosts are in cli_hosts.py.

Exit status: 0 when every image loads, 2 when some do not (listed on stdout), 1 on an error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from editor.publish.errors import PublishError
from editor.publish.hosts.cli_hosts import HelpParser, add_host_parsers


def add_images_parser(sub: Any) -> None:
    """Register `images check` and the image-host commands on the top-level subparsers."""
    images = sub.add_parser(
        "images",
        help="check the images of your posts; set up image hosts",
        description="Find the images of your published posts that no longer load, and set up"
        " the image hosts that Broadsheet uploads your drafts' local images to (Blogger cannot"
        " store them).",
    )
    actions = images.add_subparsers(
        dest="images_command", metavar="ACTION", required=True, parser_class=HelpParser
    )
    check = actions.add_parser(
        "check",
        help="list images in published posts that no longer load",
        description="Scan the blog's published posts and list, per post, the images that no"
        " longer load (HTTP errors, login pages, files that are no image, paths on your disk)."
        " Exit status 2 when some were found.",
    )
    check.add_argument(
        "--blog", metavar="ID", help="blog id, name or URL (default: the default blog)"
    )
    check.set_defaults(func=cmd_images_check)

    add_host_parsers(actions)


def cmd_images_check(args: argparse.Namespace) -> int:
    """Print each post with dead images, one image per line with the reason."""
    from editor.publish.hosts.deadimages import scan_blog
    from editor.publish.service import PublishService

    service = PublishService()

    def progress(message: str) -> None:
        print(f"broadsheet: {message}", file=sys.stderr)

    try:
        blog = service.accounts().find_blog(args.blog)
        client = service.client_for(blog)
        posts = scan_blog(client, blog.remote_id, service.session, progress=progress)
    except PublishError as exc:
        print(f"broadsheet: {exc.message}", file=sys.stderr)
        return 1
    broken = [p for p in posts if p.dead]
    for post in broken:
        print(f"{post.title or post.post_id}\t{post.url}")
        for image in post.dead:
            print(f"  {image.url}\t{image.reason}")
    dead = sum(len(p.dead) for p in broken)
    checked = len({u for p in posts for u in p.images})
    print(
        f"{dead} of {checked} images in {len(broken)} of {len(posts)} posts with images do not"
        " load."
        if dead
        else f"All {checked} images in {len(posts)} posts load.",
        file=sys.stderr,
    )
    return 2 if dead else 0
