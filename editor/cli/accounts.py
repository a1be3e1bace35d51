"""`broadsheet login` and `broadsheet blogs`: sign in to a blog service, list its blogs."""

from __future__ import annotations

import argparse
import sys

from editor.cli.common import ask, fail, progress_printer, publish_errors


def cmd_login(args: argparse.Namespace) -> int:
    """Sign in to Blogger in the browser (or to a WordPress site) and remember the blogs."""
    import os

    if args.service != "blogger":
        return cmd_login_with_form(args)

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


def cmd_login_with_form(args: argparse.Namespace) -> int:
    """Sign in to a platform with typed values: the site address and user name from the
    arguments, the rest asked for (secrets at a hidden prompt, or one line each of piped
    stdin, never an argument)."""
    from editor.publish.providers import sign_in_forms
    from editor.publish.service import PublishService

    display_name, form = sign_in_forms()[args.service]
    given = {"site": args.site or "", "user": args.user or ""}
    usage = " ".join(
        ["broadsheet login", args.service]
        + ["SITE_URL" for f in form.fields if f.name == "site"]
        + ["--user NAME" for f in form.fields if f.name == "user"]
    )
    values: dict[str, str] = {}
    for field in form.fields:
        if field.name in given:
            if field.required and not given[field.name]:
                return fail(f"usage: {usage}")
            values[field.name] = given[field.name].strip()
            continue
        hint = "" if field.required else " (Enter to skip)"
        values[field.name] = ask(f"{field.label}{hint}: ", secret=field.secret)
    missing = form.missing(values)
    if missing:
        return fail(f"{display_name}: {missing}")
    try:
        result = form.run(PublishService(), values, progress_printer() or _quiet)
    except publish_errors() as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("Sign-in cancelled.")
    return _signed_in(display_name, result)


def _quiet(_text: str) -> None:
    pass


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
    from editor.publish.providers import sign_in_forms

    forms = sign_in_forms()
    services = ["blogger", *forms]
    login = sub.add_parser(
        "login",
        help=f"sign in to a blog service ({', '.join(services)})",
        description="Blogger: sign in with your Google account in the browser. Others:"
        " `login SERVICE SITE_URL [--user NAME]` asks for the password or key at a hidden"
        " prompt (or reads it from stdin). Broadsheet keeps the sign-in in the system"
        " keyring.",
    )
    login.add_argument("service", choices=services)
    login.add_argument("site", nargs="?", metavar="SITE_URL", help="the blog's address")
    login.add_argument("--user", metavar="NAME", help="the user name, where one is needed")
    login.add_argument(
        "--no-browser",
        action="store_true",
        help="print the sign-in address instead of opening a browser",
    )
    login.set_defaults(func=cmd_login)

    blogs = sub.add_parser("blogs", help="list the blogs you can publish to (id, name, URL)")
    blogs.set_defaults(func=cmd_blogs)
