"""Addresses of posts: the `published:` line of a draft says where its post is.

Used to find a post by its address when the record kept beside the draft is lost (the draft
copied alone, restored from a backup, moved by hand): see editor.publish.recorded.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from editor.publish.base import POST

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
