"""An archived copy for a dead link, and the link replaced in the writer's draft (never on the
blog: the writer looks, confirms, and publishes the draft when he wants).

The copy is asked of the Wayback Machine's availability API
(https://archive.org/help/wayback_api.php): `GET …/wayback/available?url=U&timestamp=T`
answers `{"archived_snapshots": {"closest": {"available": true, "url": …, "timestamp": …,
"status": "200"}}}`, or `{"archived_snapshots": {}}` when it has none. The snapshot closest to
the post's own date is asked for: the page as the writer cited it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from editor.core.atomic import atomic_write_bytes
from editor.publish.errors import DraftError, ServerError
from editor.publish.hosts.repair import drafts_of_post
from editor.publish.http import DEFAULT_TIMEOUT, Sender, network_error

WAYBACK_ENV = "BROADSHEET_WAYBACK_URL"
WAYBACK_URL = "https://archive.org/wayback/available"
ARCHIVE_NAME = "the Internet Archive"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class ArchivedCopy:
    """A snapshot of a page: its address and when it was taken (YYYYMMDDhhmmss)."""

    url: str
    timestamp: str


def wayback_url(env: Mapping[str, str] | None = None) -> str:
    """The availability API's address (BROADSHEET_WAYBACK_URL for tests and mirrors)."""
    return (os.environ if env is None else env).get(WAYBACK_ENV) or WAYBACK_URL


def archive_timestamp(published: str) -> str:
    """The YYYYMMDD of a post's RFC 3339 date ("" when it has none)."""
    digits = re.sub(r"\D", "", published[:10])
    return digits if len(digits) == 8 else ""


def archived_copy(
    session: requests.Session,
    url: str,
    *,
    near: str = "",
    env: Mapping[str, str] | None = None,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
) -> ArchivedCopy | None:
    """The archived snapshot of `url` closest to `near` (YYYYMMDD…), or None when the archive
    has none. Raises OfflineError or ServerError when the archive cannot be asked."""
    params = {"url": url}
    if near:
        params["timestamp"] = near
    sender = Sender(session, ARCHIVE_NAME, timeout=timeout, max_attempts=2)
    response = sender.send(
        "GET",
        wayback_url(env),
        offline=lambda exc: network_error(exc, "GET", ARCHIVE_NAME),
        params=params,
    )
    if response.status_code != 200:
        raise ServerError(
            f"{ARCHIVE_NAME} did not answer (HTTP {response.status_code}); try again later."
        )
    try:
        data: Any = response.json()
    except ValueError as exc:
        raise ServerError(f"{ARCHIVE_NAME} sent an answer Broadsheet cannot read.") from exc
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    address = str(closest.get("url") or "")
    if not address.startswith(("http://", "https://")) or str(closest.get("status")) != "200":
        return None
    # The archive answers with http:// addresses; its pages are served over https too.
    if address.startswith("http://web.archive.org/"):
        address = "https://" + address.removeprefix("http://")
    return ArchivedCopy(address, str(closest.get("timestamp") or ""))


def replace_link(text: str, old: str, new: str) -> tuple[str, int]:
    """`text` with every whole occurrence of the address `old` replaced by `new` (not where it
    is only the start of a longer address), and how many were replaced."""
    pattern = re.compile(re.escape(old) + r"(?![\w/%~+#?=&-]|\.\w)")
    return pattern.subn(lambda _m: new, text)


def replace_in_draft(path: Path, old: str, new: str) -> int:
    """Replace the link `old` by `new` in the body of the draft at `path` (the front matter is
    left alone); returns how many were replaced. Raises DraftError when it cannot be done."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"The draft {path.name} could not be read.") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftError(f"The draft {path.name} is not UTF-8; change the link by hand.") from exc
    head = _FRONT_MATTER.match(text)
    start = head.end() if head else 0
    body, count = replace_link(text[start:], old, new)
    if count:
        try:
            atomic_write_bytes(path, (text[:start] + body).encode("utf-8"))
        except OSError as exc:
            raise DraftError(f"The draft {path.name} could not be saved: {exc}") from exc
    return count


def drafts_linking(
    drafts_dir: Path, blog_key: str, posts: Mapping[str, Any], url: str
) -> list[tuple[str, Path]]:
    """(post id, draft) for each draft published as one of `posts` (the kept post table of
    a link check: post id → {"links": …}) that links to `url`."""
    found: list[tuple[str, Path]] = []
    for post_id, info in posts.items():
        links = info.get("links") if isinstance(info, dict) else None
        if not isinstance(links, list) or url not in links:
            continue
        found.extend((post_id, path) for path in drafts_of_post(drafts_dir, blog_key, post_id))
    return found
