"""`broadsheet login` and `broadsheet blogs`: sign in to a blog service, list its blogs."""

from __future__ import annotations

import argparse
import sys

from editor.cli.common import ask, fail, publish_errors


def cmd_login(args: argparse.Namespace) -> int:
    """Sign in to Blogger in the browser (or to a WordPress site) and remember the blogs."""
    import os

    if args.service == "wordpress":
        return cmd_login_wordpress(args)

    from editor.publish.google_auth import CLIENT_ID_ENV, CLIENT_SECRET_ENV
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        env_id, env_secret = os.environ.get(CLIENT_ID_ENV), os.environ.get(CLIENT_SECRET_ENV)
        if env_id and env_secret:
            service.set_google_client(env_id, env_secret)  # remembered for the window too
        elif not service.has_google_client():
            print(
                "Broadsheet needs your own Google OAuth client (a “Desktop app”);"
                " docs/blogger.md shows how to create one.",
                file=sys.stderr,
            )
            client_id = service.google_client_id() or ask("OAuth client id: ")
            service.set_google_client(client_id, ask("OAuth client secret: ", secret=True))

        def show_url(url: str) -> None:
            print("Open this address in a browser to sign in to Blogger:", file=sys.stderr)
            print(url, flush=True)

        result = service.sign_in_blogger(open_browser=not args.no_browser, on_url=show_url)
    except publish_errors() as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("Sign-in cancelled.")
    return _signed_in("Blogger", result)


def _signed_in(provider: str, result) -> int:  # type: ignore[no-untyped-def]
    """Say who signed in and list the blogs (id, name, URL)."""
    print(f"Signed in to {provider} as {result.account.label}; blogs:")
    for blog in result.blogs:
        print(f"{blog.remote_id}\t{blog.name}\t{blog.url}")
    return 0


def cmd_login_wordpress(args: argparse.Namespace) -> int:
    """Check a WordPress user + application password (asked for, never an argument)."""
    from editor.publish.service import PublishService

    if not args.site or not args.user:
        return fail("usage: broadsheet login wordpress SITE_URL --user NAME")
    password = ask(f"Application password for {args.user}: ", secret=True)
    if not password:
        return fail("No application password given (WordPress: Users → Profile).")
    try:
        result = PublishService().sign_in_wordpress(args.site, args.user, password)
    except publish_errors() as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("Sign-in cancelled.")
    return _signed_in("WordPress", result)


def cmd_blogs(args: argparse.Namespace) -> int:
    """List the blogs of every signed-in account (id, name, URL)."""
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        blogs = service.refresh_blogs()
        default = service.accounts().default_blog
    except publish_errors() as exc:
        return fail(str(exc))
    for blog in blogs:
        mark = "\tdefault" if blog.key == default else ""
        print(f"{blog.remote_id}\t{blog.name}\t{blog.url}{mark}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this group's commands to the `broadsheet` parser."""
    login = sub.add_parser(
        "login",
        help="sign in to a blog service (blogger, wordpress)",
        description="Blogger: sign in with your Google account in the browser. WordPress:"
        " `login wordpress SITE_URL --user NAME` asks for an application password (or reads"
        " it from stdin). Broadsheet keeps the sign-in in the system keyring.",
    )
    login.add_argument("service", choices=["blogger", "wordpress"])
    login.add_argument("site", nargs="?", metavar="SITE_URL", help="the WordPress site")
    login.add_argument("--user", metavar="NAME", help="the WordPress user name")
    login.add_argument(
        "--no-browser",
        action="store_true",
        help="print the sign-in address instead of opening a browser",
    )
    login.set_defaults(func=cmd_login)

    blogs = sub.add_parser("blogs", help="list the blogs you can publish to (id, name, URL)")
    blogs.set_defaults(func=cmd_blogs)
