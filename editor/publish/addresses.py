"""Addresses: of a site as the writer types it, and of posts (the `published:` line of a
draft says where its post is; used to find a post by its address when the record kept beside
the draft is lost: see editor.publish.recorded).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from editor.publish.base import POST
from editor.publish.errors import ConfigError


def typed_site_url(text: str, whose: str = "your site", admin: str = "") -> str:
    """A site's address as typed or pasted, cleaned: https added when no scheme is given,
    the host lower-cased, a final slash, query and fragment dropped, and the path from
    `admin` (a regular expression: the platform's dashboard or API) on cut off. ConfigError
    with one sentence for what is no web address; `whose` names it ("the Ghost site")."""
    text = text.strip()
    if not text:
        raise ConfigError(f"Give the address of {whose}, like https://example.com.")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{text!r} is not a web address like https://example.com.")
    path = re.sub(f"{admin}(?:/.*)?$", "", parts.path) if admin else parts.path
    return urlunsplit((parts.scheme, parts.netloc.lower(), path.rstrip("/"), "", ""))


def site_id(site_url: str) -> str:
    """A stable id of a site: host[:port] and path, without the scheme ("example.com/blog")."""
    parts = urlsplit(site_url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


# Where Blogger's editor opens a post or page: the address of a post that has no page yet.
_BLOGGER_EDIT = re.compile(r"^https://www\.blogger\.com/blog/(post|page)/edit/(\d+)/(\d+)/?$")


def blogger_edit_address(blog_id: str, item_id: str, kind: str = POST) -> str:
    """The address of Blogger's editor for a post (or page): a draft's only address."""
    what = "post" if kind == POST else "page"
    return f"https://www.blogger.com/blog/{what}/edit/{blog_id}/{item_id}"


def blogger_edit_target(address: str) -> tuple[str, str, str] | None:
    """(kind, blog id, item id) of a Blogger editor address, else None."""
    match = _BLOGGER_EDIT.match(address.strip())
    if not match:
        return None
    return ("page" if match.group(1) == "page" else POST), match.group(2), match.group(3)


def same_address(a: str, b: str) -> bool:
    """Whether two addresses name the same page (scheme, `www.`, a final slash aside)."""

    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url.strip())
        host = parts.netloc.lower().removeprefix("www.")
        return host, parts.path.rstrip("/") or "/", parts.query

    return bool(a.strip()) and key(a) == key(b)
