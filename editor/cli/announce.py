"""`broadsheet announce FILE --to mastodon,bluesky` and `broadsheet announce login NETWORK`:
announce a published post (title, first sentence or --text, link) on social networks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import ask, fail, publish_errors


def cmd_announce(args: argparse.Namespace) -> int:
    """Announce FILE's post, or (`announce login ...`) sign in to a network."""
    if args.file == "login":
        return cmd_login(args)
    if args.extra:
        return fail(f"Unexpected {' '.join(args.extra)!r}; announce one FILE at a time.")
    from editor.core.announcement import default_announcement, fit, live_address
    from editor.publish.announce.accounts import announcer, parse_networks
    from editor.publish.announce.base import NAMES
    from editor.publish.records import read_draft

    try:
        networks = parse_networks(args.to)
        post = read_draft(Path(args.file))
    except publish_errors() as exc:
        return fail(str(exc))
    url = live_address(post.known_records(), post.status)
    if url is None:
        return fail(
            f"{args.file} is not live on a blog yet; publish it first with"
            f" `broadsheet publish {args.file}`, then announce it."
        )
    base = default_announcement(post.title, post.body, url, excerpt=args.text)
    planned = []
    try:
        for network in networks:
            client = announcer(network)
            limit = client.limit()
            announcement = fit(base, limit, client.length)
            planned.append((network, client, announcement))
            text = announcement.text()
            print(f"{NAMES[network]} ({client.length(text)} of {limit} characters):")
            print(text)
            print()
    except publish_errors() as exc:
        return fail(str(exc))
    if not args.yes:
        if not sys.stdin.isatty():
            return fail("Nothing was sent; add --yes to announce without being asked.")
        if ask("Send? [y/N] ").strip().lower() not in ("y", "yes"):
            return fail("Nothing was sent.")
    status = 0
    for network, client, announcement in planned:
        try:
            done = client.announce(
                announcement.text(), url, announcement.title, announcement.excerpt
            )
        except publish_errors() as exc:
            status = fail(str(exc))
            continue
        print(f"{NAMES[network]}: {done.url or done.id}")
    return status


def cmd_login(args: argparse.Namespace) -> int:
    """`announce login mastodon INSTANCE` / `announce login bluesky HANDLE [--service URL]`:
    the secret is read at a hidden prompt or from piped stdin, never from an argument."""
    from editor.publish.announce.accounts import sign_in_bluesky, sign_in_mastodon

    if len(args.extra) != 2 or args.extra[0] not in ("mastodon", "bluesky"):
        return fail(
            "Use `broadsheet announce login mastodon INSTANCE` or"
            " `broadsheet announce login bluesky HANDLE [--service URL]`."
        )
    network, where = args.extra
    try:
        if network == "mastodon":
            token = ask(
                "Mastodon access token (Preferences ▸ Development ▸ New application, with"
                " the scopes read:accounts and write:statuses): ",
                secret=True,
            )
            if not token:
                return fail("No access token was given; nothing was saved.")
            who = sign_in_mastodon(where, token)
        else:
            password = ask(
                "Bluesky app password (Settings ▸ Privacy and security ▸ App passwords): ",
                secret=True,
            )
            if not password:
                return fail("No app password was given; nothing was saved.")
            who = sign_in_bluesky(where, password, args.service)
    except publish_errors() as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("Sign-in cancelled.")
    print(f"Signed in to {'Mastodon' if network == 'mastodon' else 'Bluesky'} as {who}.")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    announce = sub.add_parser(
        "announce",
        help="announce a published post on Mastodon and Bluesky",
        description="Announce FILE's post (its title, first sentence or --text, and its"
        " address) on Mastodon and/or Bluesky; the text is trimmed to each network's limit."
        " `broadsheet announce login mastodon INSTANCE` and `broadsheet announce login"
        " bluesky HANDLE` sign in first (the token or app password is asked for).",
    )
    announce.add_argument("file", metavar="FILE", help="a published draft, or `login`")
    announce.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    announce.add_argument(
        "--to",
        default="mastodon,bluesky",
        metavar="NETWORKS",
        help="mastodon, bluesky or mastodon,bluesky (default: both)",
    )
    announce.add_argument(
        "--text", metavar="TEXT", help="the excerpt to use instead of the first sentence"
    )
    announce.add_argument("--yes", action="store_true", help="send without asking")
    announce.add_argument(
        "--service",
        default="https://bsky.social",
        metavar="URL",
        help="with `login bluesky`: the account's server (default https://bsky.social)",
    )
    announce.set_defaults(func=cmd_announce)
