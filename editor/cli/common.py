"""What every command of the `broadsheet` command line shares: messages, prompts, logging."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def fail(message: str) -> int:
    """Say what went wrong on stderr, in one line; the exit status of a failed command."""
    print(f"broadsheet: {message}", file=sys.stderr)
    return 1


def publish_errors() -> tuple[type[Exception], ...]:
    """What publishing raises with a sentence for the writer (imported only when needed)."""
    from editor.publish.errors import PublishError

    return (PublishError,)


def setup_logging() -> None:
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


def ask(prompt: str, *, secret: bool = False) -> str:
    """Read one answer from the terminal (hidden for secrets) or one line of piped stdin."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()  # piped: no one is there to read a prompt
    if secret:
        return getpass.getpass(prompt).strip()
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def progress_printer():  # type: ignore[no-untyped-def]
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


class VersionAction(argparse.Action):
    """`--version`: the version is read only when asked for (it costs a start-up 40 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("nargs", 0)
        kwargs.setdefault("default", argparse.SUPPRESS)
        kwargs.setdefault("help", "show the version and exit")
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from editor import version

        print(f"broadsheet {version()}")  # on stdout, as argparse's own version action does
        parser.exit()
