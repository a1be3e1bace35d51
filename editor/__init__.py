"""Broadsheet: a desktop Markdown blog editor with a live preview."""

from __future__ import annotations

import functools


@functools.cache
def version() -> str:
    """The installed version (read when first asked: importlib.metadata costs about 40 ms of
    start-up, for a number only the About box, the User-Agent and --version show)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("broadsheet")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
