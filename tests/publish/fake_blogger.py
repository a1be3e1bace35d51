"""In-memory Blogger: one user, some blogs, posts; answers in the discovery document's shapes.

Called by blogger_server.py under its lock with already-validated requests. Behaviour follows
Google's docs and BLOGGER.md: PUT replaces the whole post (omitted fields are cleared),
`publish?publishDate=` in the future schedules, `revert` makes a draft, drafts/scheduled posts
are listed only with view=ADMIN/AUTHOR, `status` is shown only to admin-level requests.
"""

from __future__ import annotations

import base64
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

WRITABLE = ("title", "content", "labels", "readerComments", "location", "published")
Answer = tuple[int, dict[str, Any]]


def _error(status: int, reason: str, message: str) -> Answer:
    return status, {"reason": reason, "message": message}


def _rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _parse_time(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else None


class FakeBlogger:
    """Blogs and posts of one signed-in user."""

    def __init__(self) -> None:
        self.user = {"kind": "blogger#user", "id": "1001", "displayName": "Test Writer"}
        self.blogs: dict[str, dict[str, Any]] = {
            "7001": {"name": "Field Notes", "url": "http://notes.example.blogspot.com/"},
            "7002": {"name": "Second Blog", "url": "http://second.example.blogspot.com/"},
        }
        self.posts: dict[str, dict[str, dict[str, Any]]] = {b: {} for b in self.blogs}
        self.pages: dict[str, dict[str, dict[str, Any]]] = {b: {} for b in self.blogs}
        self._ids = itertools.count(90001)
        self._last = datetime.now(UTC).replace(microsecond=0)

    def now(self) -> datetime:
        """The current time, strictly later than any earlier answer (so `updated` changes)."""
        current = datetime.now(UTC).replace(microsecond=0)
        self._last = max(current, self._last + timedelta(seconds=1))
        return self._last

    def edit_on_web(self, blog_id: str, post_id: str, **fields: Any) -> None:
        """Change a post (or page) as Blogger's web editor would (for conflict tests)."""
        post = self.posts[blog_id].get(post_id) or self.pages[blog_id][post_id]
        post.update(fields)
        post["updated"] = _rfc3339(self.now())
        post["etag"] = f'"{post["updated"]}"'

    def delete_on_web(self, blog_id: str, post_id: str) -> None:
        """Delete a post (or page) in Blogger's web editor."""
        if self.posts[blog_id].pop(post_id, None) is None:
            del self.pages[blog_id][post_id]

    def seed(self, blog_id: str, item: dict[str, Any], *, page: bool = False) -> str:
        """Add a post (or page) as if written on the web: `item` has title, content and
        optionally labels, status, published, updated (the shape of blogger-html/posts.json)."""
        item_id = str(next(self._ids))
        now = _rfc3339(self.now())
        status = str(item.get("status") or "LIVE")
        post: dict[str, Any] = {
            "kind": "blogger#page" if page else "blogger#post",
            "id": item_id,
            "blog": {"id": blog_id},
            "author": {"id": self.user["id"], "displayName": self.user["displayName"]},
            "title": str(item.get("title") or ""),
            "content": str(item.get("content") or ""),
            "status": status,
            "updated": str(item.get("updated") or now),
            "selfLink": f"https://www.googleapis.com/blogger/v3/blogs/{blog_id}/"
            f"{'pages' if page else 'posts'}/{item_id}",
        }
        if not page:
            post["labels"] = list(item.get("labels") or [])
        if status != "DRAFT":
            post["published"] = str(item.get("published") or now)
            post["url"] = str(item.get("url") or self._url(blog_id, post, page=page))
        post["etag"] = f'"{post["updated"]}"'
        (self.pages if page else self.posts)[blog_id][item_id] = post
        return item_id

    # --- dispatch ----------------------------------------------------------------------------

    def call(self, op: str, params: dict[str, str], query: Any, body: Any) -> Answer:
        handler = getattr(self, "op_" + op.removeprefix("blogger.").replace(".", "_"), None)
        if handler is None:
            return _error(501, "notImplemented", f"{op} is not simulated by the test server")
        if "blogId" in params and params["blogId"] not in self.blogs:
            return _error(404, "notFound", "Blog not found")
        q = {k: v if len(v) > 1 else v[0] for k, v in query.items()}
        return handler(params, q, body)

    def _post(self, params: dict[str, str]) -> dict[str, Any] | None:
        return self.posts[params["blogId"]].get(params["postId"])

    def _view(self, post: dict[str, Any], *, admin: bool, bodies: bool = True) -> dict[str, Any]:
        shown = {k: v for k, v in post.items() if v not in (None, [], "")}
        if not admin:
            shown.pop("status", None)
        if not bodies:
            shown.pop("content", None)
        return shown

    # --- users and blogs ---------------------------------------------------------------------

    def op_users_get(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        if params["userId"] not in ("self", self.user["id"]):
            return _error(404, "notFound", "User not found")
        return 200, dict(self.user)

    def op_blogs_listByUser(self, params: dict[str, str], q: Any, body: Any) -> Answer:  # noqa: N802
        if params["userId"] not in ("self", self.user["id"]):
            return _error(403, "forbidden", "Only self is allowed")
        items = [
            {"kind": "blogger#blog", "id": bid, "name": b["name"], "url": b["url"]}
            for bid, b in self.blogs.items()
        ]
        return 200, {"kind": "blogger#blogList", "items": items}

    def op_blogs_get(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        blog = self.blogs[params["blogId"]]
        return 200, {"kind": "blogger#blog", "id": params["blogId"], **blog}

    # --- posts -------------------------------------------------------------------------------

    def op_posts_insert(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        blog_id = params["blogId"]
        post_id = str(next(self._ids))
        now = self.now()
        draft = q.get("isDraft") == "true"
        post: dict[str, Any] = {
            "kind": "blogger#post",
            "id": post_id,
            "blog": {"id": blog_id},
            "author": {"id": self.user["id"], "displayName": self.user["displayName"]},
            "title": "",
            "content": "",
            "labels": [],
            "status": "DRAFT" if draft else "LIVE",
            "updated": _rfc3339(now),
            "selfLink": f"https://www.googleapis.com/blogger/v3/blogs/{blog_id}/posts/{post_id}",
        }
        post.update({k: body[k] for k in WRITABLE if k in body})
        if not draft:
            post.setdefault("published", _rfc3339(now))
            post["url"] = self._url(blog_id, post)
        post["etag"] = f'"{post["updated"]}"'
        self.posts[blog_id][post_id] = post
        return 200, self._view(post, admin=True)

    def op_posts_get(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        post = self._post(params)
        if post is None:
            return _error(404, "notFound", "Not Found")
        admin = q.get("view") in ("ADMIN", "AUTHOR")
        if post["status"] != "LIVE" and not admin:
            return _error(404, "notFound", "Not Found")
        return 200, self._view(post, admin=admin, bodies=q.get("fetchBody") != "false")

    def op_posts_getByPath(self, params: dict[str, str], q: Any, body: Any) -> Answer:  # noqa: N802
        # The path of the post's address ("/2026/11/harbour.html"); only posts that have one.
        wanted = str(q.get("path") or "")
        admin = q.get("view") in ("ADMIN", "AUTHOR")
        for post in self.posts[params["blogId"]].values():
            if post.get("url") and urlsplit(post["url"]).path == wanted:
                if post["status"] != "LIVE" and not admin:
                    break
                return 200, self._view(post, admin=admin)
        return _error(404, "notFound", "Not Found")

    def op_posts_list(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        statuses = q.get("status", ["LIVE"])
        statuses = [statuses] if isinstance(statuses, str) else statuses
        admin = q.get("view") in ("ADMIN", "AUTHOR")
        if set(statuses) - {"LIVE"} and not admin:
            return _error(403, "forbidden", "Drafts are listed only with view=ADMIN or AUTHOR")
        key = "updated" if q.get("orderBy") == "UPDATED" else "published"
        posts = [p for p in self.posts[params["blogId"]].values() if p["status"] in statuses]
        posts.sort(key=lambda p: p.get(key) or p["updated"], reverse=True)
        return self._list_answer("blogger#postList", posts, q, admin)

    def _list_answer(self, kind: str, items: list[dict[str, Any]], q: Any, admin: bool) -> Answer:
        start = _offset(q.get("pageToken"))
        if start is None:
            return _error(400, "invalid", "Invalid pageToken")
        size = int(q.get("maxResults") or 10)
        page = items[start : start + size]
        answer: dict[str, Any] = {
            "kind": kind,
            "items": [
                self._view(p, admin=admin, bodies=q.get("fetchBodies") != "false") for p in page
            ],
        }
        if start + size < len(items):
            answer["nextPageToken"] = _token(start + size)  # opaque, as Google's are
        return 200, answer

    # --- pages -------------------------------------------------------------------------------

    def _page(self, params: dict[str, str]) -> dict[str, Any] | None:
        return self.pages[params["blogId"]].get(params["pageId"])

    def op_pages_list(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        statuses = q.get("status", ["LIVE"])
        statuses = [statuses] if isinstance(statuses, str) else statuses
        admin = q.get("view") in ("ADMIN", "AUTHOR")
        if set(statuses) - {"LIVE"} and not admin:
            return _error(403, "forbidden", "Drafts are listed only with view=ADMIN or AUTHOR")
        pages = [p for p in self.pages[params["blogId"]].values() if p["status"] in statuses]
        pages.sort(key=lambda p: p.get("published") or p["updated"], reverse=True)
        return self._list_answer("blogger#pageList", pages, q, admin)

    def op_pages_get(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        page = self._page(params)
        if page is None:
            return _error(404, "notFound", "Not Found")
        admin = q.get("view") in ("ADMIN", "AUTHOR")
        if page["status"] != "LIVE" and not admin:
            return _error(404, "notFound", "Not Found")
        return 200, self._view(page, admin=admin)

    def op_pages_update(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        page = self._page(params)
        if page is None:
            return _error(404, "notFound", "Not Found")
        if body.get("id") not in (None, params["pageId"]):
            return _error(400, "invalid", "The page id in the body does not match the URL")
        for key in ("title", "content"):  # a full replace
            page[key] = body.get(key)
        return self._touch(params["blogId"], page)

    def op_pages_publish(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        page = self._page(params)
        if page is None:
            return _error(404, "notFound", "Not Found")
        now = self.now()
        page["status"] = "LIVE"
        page.setdefault("published", _rfc3339(now))
        page["url"] = self._url(params["blogId"], page, page=True)
        return self._touch(params["blogId"], page, now)

    def op_pages_revert(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        page = self._page(params)
        if page is None:
            return _error(404, "notFound", "Not Found")
        page["status"] = "DRAFT"
        return self._touch(params["blogId"], page)

    def op_posts_update(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        post = self._post(params)
        if post is None:
            return _error(404, "notFound", "Not Found")
        if body.get("id") not in (None, params["postId"]):
            return _error(400, "invalid", "The post id in the body does not match the URL")
        for key in WRITABLE:  # a full replace: omitted fields are cleared
            if key == "published" and key not in body:
                continue  # Blogger keeps the publication date of a post
            post[key] = body.get(key, [] if key == "labels" else None)
        return self._touch(params["blogId"], post)

    def op_posts_patch(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        post = self._post(params)
        if post is None:
            return _error(404, "notFound", "Not Found")
        post.update({k: body[k] for k in WRITABLE if k in body})
        return self._touch(params["blogId"], post)

    def op_posts_publish(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        post = self._post(params)
        if post is None:
            return _error(404, "notFound", "Not Found")
        now = self.now()
        when = now
        if "publishDate" in q:
            parsed = _parse_time(q["publishDate"])
            if parsed is None:
                return _error(400, "invalid", "Invalid publishDate")
            when = parsed
        elif post.get("published"):
            when = _parse_time(post["published"]) or now
        post["published"] = _rfc3339(when)
        post["status"] = "SCHEDULED" if when > now else "LIVE"
        post["url"] = self._url(params["blogId"], post)
        return self._touch(params["blogId"], post, now)

    def op_posts_revert(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        post = self._post(params)
        if post is None:
            return _error(404, "notFound", "Not Found")
        post["status"] = "DRAFT"
        return self._touch(params["blogId"], post)

    def op_posts_delete(self, params: dict[str, str], q: Any, body: Any) -> Answer:
        if self.posts[params["blogId"]].pop(params["postId"], None) is None:
            return _error(404, "notFound", "Not Found")
        return 204, {}

    def _touch(self, blog_id: str, post: dict[str, Any], now: datetime | None = None) -> Answer:
        post["updated"] = _rfc3339(now or self.now())
        post["etag"] = f'"{post["updated"]}"'
        return 200, self._view(post, admin=True)

    def _url(self, blog_id: str, post: dict[str, Any], *, page: bool = False) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", str(post.get("title") or "post").lower()).strip("-")
        if page:
            return f"{self.blogs[blog_id]['url']}p/{slug[:40] or 'page'}.html"
        when = _parse_time(post.get("published") or "") or self.now()
        return f"{self.blogs[blog_id]['url']}{when:%Y/%m}/{slug[:40] or 'post'}.html"


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: Any) -> int | None:
    """The list position a page token stands for; None when the token is not one of ours."""
    if not token:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(str(token).encode()).decode().partition(":")
        return int(number) if kind == "offset" else None
    except (ValueError, UnicodeDecodeError):
        return None
