"""The `broadsheet` command: opens the window, or runs a subcommand (render, …)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor import version

SUBCOMMANDS = {"render", "login", "blogs", "publish", "images", "import", "sync", "search"}


def _fail(message: str) -> int:
    print(f"broadsheet: {message}", file=sys.stderr)
    return 1


def cmd_render(args: argparse.Namespace) -> int:
    """Print the HTML body that would be published for FILE."""
    from editor.core.documents import DocumentError, read_document
    from editor.core.post import front_matter_warning, parse_post
    from editor.core.render import render_for_publishing
    from editor.core.render_problems import RenderError

    path = Path(args.file)
    try:
        text, _fmt = read_document(path)
    except DocumentError as exc:
        return _fail(str(exc))
    post = parse_post(text, path.name)
    if post.front_matter_error:  # the body still renders; the writer hears why the title won't
        print(f"{path.name}: {front_matter_warning(post.front_matter_error)}", file=sys.stderr)
    try:
        html = render_for_publishing(post)
    except RenderError as exc:  # what could not be published is not printed either
        return _fail(f"Line {exc.line} of {path.name} cannot be rendered: it {exc.problem.reason}.")
    sys.stdout.write(html)
    sys.stdout.write("\n")
    return 0


def _publish_errors() -> tuple[type[Exception], ...]:
    from editor.publish.errors import PublishError

    return (PublishError,)


def _setup_logging() -> None:
    """Warnings to stderr (DEBUG with BROADSHEET_DEBUG=1), secrets masked in every record."""
    import logging
    import os

    from editor.publish.logmask import SecretMaskingFormatter, install_secret_masking

    install_secret_masking()
    root = logging.getLogger()
    if root.handlers:
        return  # logging is already set up (an embedding program, the test runner)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SecretMaskingFormatter("broadsheet: %(levelname)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if os.environ.get("BROADSHEET_DEBUG") else logging.WARNING)


def _ask(prompt: str, *, secret: bool = False) -> str:
    """Read one answer from the terminal (hidden for secrets) or one line of piped stdin."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()  # piped: no one is there to read a prompt
    if secret:
        return getpass.getpass(prompt).strip()
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


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
            client_id = service.google_client_id() or _ask("OAuth client id: ")
            service.set_google_client(client_id, _ask("OAuth client secret: ", secret=True))

        def show_url(url: str) -> None:
            print("Open this address in a browser to sign in to Blogger:", file=sys.stderr)
            print(url, flush=True)

        result = service.sign_in_blogger(open_browser=not args.no_browser, on_url=show_url)
    except _publish_errors() as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("Sign-in cancelled.")
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
        return _fail("usage: broadsheet login wordpress SITE_URL --user NAME")
    password = _ask(f"Application password for {args.user}: ", secret=True)
    if not password:
        return _fail("No application password given (WordPress: Users → Profile).")
    try:
        result = PublishService().sign_in_wordpress(args.site, args.user, password)
    except _publish_errors() as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("Sign-in cancelled.")
    return _signed_in("WordPress", result)


def cmd_blogs(args: argparse.Namespace) -> int:
    """List the blogs of every signed-in account (id, name, URL)."""
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        blogs = service.refresh_blogs()
        default = service.accounts().default_blog
    except _publish_errors() as exc:
        return _fail(str(exc))
    for blog in blogs:
        mark = "\tdefault" if blog.key == default else ""
        print(f"{blog.remote_id}\t{blog.name}\t{blog.url}{mark}")
    return 0


def _progress_printer():  # type: ignore[no-untyped-def]
    """Progress sentences on stderr when it is a terminal (a script gets only the result);
    a sentence repeated while waiting is printed once."""
    if not sys.stderr.isatty():
        return None
    last = [""]

    def show(text: str) -> None:
        if text != last[0]:
            last[0] = text
            print(f"broadsheet: {text}", file=sys.stderr, flush=True)

    return show


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
            return _fail(f"--at {args.at!r} is not an ISO-8601 date and time.")
        mode = PublishMode.SCHEDULE
    try:
        result = PublishService().publish(
            args.file,
            args.blog,
            mode=mode,
            at=at,
            overwrite=args.overwrite,
            as_new=args.as_new,
            progress=_progress_printer(),
        )
    except ConflictError as exc:
        return _fail(f"{exc.message} Use --overwrite to replace it.")
    except PostGoneError as exc:
        return _fail(f"{exc.message} Add --as-new to do that.")
    except KeyboardInterrupt:
        return _fail(
            "Publishing was interrupted; publishing again finds a post this attempt may have"
            " created, so no copy is made."
        )
    except _publish_errors() as exc:
        return _fail(str(exc))
    for warning in result.warnings:
        print(f"broadsheet: warning: {warning}", file=sys.stderr)
    print(result.url or f"{result.post_id} ({result.status.lower()}, no public URL yet)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The subcommand parser (the window is started when no subcommand is given)."""
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Broadsheet: write Markdown, see the post, publish to your blog.",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    render = sub.add_parser(
        "render",
        help="print the HTML body that would be published for FILE",
        description="Print to stdout exactly the HTML body that would be published for FILE"
        " (front matter excluded).",
    )
    render.add_argument("file", metavar="FILE")
    render.set_defaults(func=cmd_render)

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
    publish.set_defaults(func=cmd_publish)

    # `images …`: dead-image check and repair, image-host setup (code with the image hosts).
    from editor.publish.hosts.cli_images import add_images_parser

    add_images_parser(sub)
    from editor.cli_sync import add_parsers as add_sync_parsers

    add_sync_parsers(sub)
    from editor.cli_search import add_parsers as add_search_parsers

    add_search_parsers(sub)
    return parser


def build_window_parser() -> argparse.ArgumentParser:
    """The parser for `broadsheet [FILE]` (opening the window)."""
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Broadsheet: a Markdown blog editor with a live preview."
        " Subcommands: " + ", ".join(sorted(SUBCOMMANDS)) + " (see `broadsheet COMMAND --help`).",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {version()}")
    parser.add_argument("file", nargs="?", metavar="FILE", help="a Markdown file to open")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `broadsheet` command."""
    argv = sys.argv[1:] if argv is None else list(argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in SUBCOMMANDS:
        args = build_parser().parse_args(argv)
        if args.command != "render":
            _setup_logging()
        return int(args.func(args))
    args = build_window_parser().parse_args(argv)
    from editor.ui.app import run_app

    return run_app(Path(args.file) if args.file else None)
