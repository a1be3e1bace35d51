"""What the loopback Micropub site (micropub_server.py) keeps and how it changes it: posts
created, updated, deleted and queried as the W3C Recommendation says, refusing what it does
not allow. No HTTP here: the server parses requests and checks tokens, then calls these.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The h-entry vocabulary (microformats.org/wiki/h-entry) and the post-status extension.
ENTRY_PROPERTIES = {
    "name",
    "summary",
    "content",
    "published",
    "updated",
    "category",
    "location",
    "url",
    "uid",
    "syndication",
    "in-reply-to",
    "like-of",
    "repost-of",
    "bookmark-of",
    "photo",
    "video",
    "audio",
    "author",
    "post-status",
    "visibility",
    "featured",
}
COMMANDS = {"mp-slug", "mp-syndicate-to"}  # mp- commands this server knows (§3.2)
STATUSES = {"published", "draft"}


@dataclass
class Post:
    url: str
    type: str
    properties: dict[str, list[Any]]
    created: int  # order of creation: the list is newest first
    deleted: bool = False


class Refused(Exception):
    """A request outside the contract, or an error the spec defines."""

    def __init__(
        self, status: int, error: str, description: str, *, violation: bool = True, scope: str = ""
    ):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description
        self.violation = violation
        self.scope = scope  # §3.8: insufficient_scope MAY say which scope is needed


class MicropubPosts:
    """The site's posts, and the switches that make it behave like other real servers."""

    def __init__(self, base_url: str = "") -> None:
        self.base_url = base_url
        self.lists = True  # supports the post list (q=source without url)
        self.media = True  # advertises a media endpoint
        self.accepted = False  # create answers 202 instead of 201
        self.move_on_update = False  # an update changes the post's URL (201 + Location)
        self.update_body = False  # an update answers 200 with a JSON body instead of 204
        self.strip_comments = False  # a sanitizing server: HTML comments are not kept
        self.track_updated = True  # keeps an `updated` property (many servers do not)
        self.paging = "after"  # the post list pages by "after" cursor, "offset", or "none"
        self.posts: dict[str, Post] = {}
        self.ignored: list[str] = []  # unrecognized properties clients sent
        self.lock = threading.RLock()
        self._count = 0

    def live_posts(self) -> list[Post]:
        with self.lock:
            return [p for p in self.posts.values() if not p.deleted]

    def web_edit(self, url: str, **changes: list[Any]) -> None:
        """Change properties as the site's own editor would (behind the client's back)."""
        with self.lock:
            post = self.posts[url]
            post.properties.update({k.replace("_", "-"): v for k, v in changes.items()})
            if self.track_updated:
                post.properties["updated"] = [_now()]

    def delete(self, url: str) -> None:
        with self.lock:
            self.posts[url].deleted = True

    def _create(self, h_type: str, properties: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        stored: dict[str, list[Any]] = {}
        slug = ""
        for name, values in properties.items():
            if not isinstance(values, list):
                raise Refused(400, "invalid_request", f"{name} must be an array (§3.3.2)")
            if name.startswith("mp-"):
                if name not in COMMANDS:
                    self.ignored.append(name)
                slug = str(values[0]) if name == "mp-slug" and values else slug
                continue
            if name not in ENTRY_PROPERTIES:
                self.ignored.append(name)  # §3.3.5: ignored, not stored
                continue
            stored[name] = [self._value(name, v) for v in values]
        if "content" not in stored and "name" not in stored and "photo" not in stored:
            raise Refused(400, "invalid_request", "a post needs content, name or photo")
        stored.setdefault("published", [_now()])
        stored.setdefault("post-status", ["published"])
        self._count += 1
        path = re.sub(r"[^a-z0-9-]", "", slug.lower()) or f"{self._count}-{uuid.uuid4().hex[:8]}"
        url = f"{self.base_url}/post/{path}"
        if url in self.posts:
            raise Refused(400, "invalid_request", "a post with this slug exists", violation=False)
        stored["url"] = [url]
        self.posts[url] = Post(url, h_type, stored, self._count)
        return (202 if self.accepted else 201), {"Location": url}, None

    def _value(self, name: str, value: Any) -> Any:
        if name == "content":
            if isinstance(value, dict):
                if set(value) - {"html", "value"} or not isinstance(value.get("html", ""), str):
                    raise Refused(400, "invalid_request", "content must be a string or {html}")
                if self.strip_comments and "html" in value:
                    value = {"html": re.sub(r"<!--.*?-->", "", value["html"], flags=re.S)}
                return value
            if not isinstance(value, str):
                raise Refused(400, "invalid_request", "content must be a string or {html}")
            return value
        if name == "post-status" and value not in STATUSES:
            raise Refused(400, "invalid_request", f"post-status {value!r} is not draft/published")
        if name in ("published", "updated"):
            try:
                datetime.fromisoformat(str(value))
            except ValueError:
                raise Refused(400, "invalid_request", f"{name} is not a date") from None
        if name in ("name", "summary", "post-status") and not isinstance(value, str):
            raise Refused(400, "invalid_request", f"{name} values must be strings")
        # A category is a word, or a nested h-card (a person tagged, §3.3.3).
        if name == "category" and not (isinstance(value, str) or _nested(value)):
            raise Refused(400, "invalid_request", "category values must be strings or h-cards")
        return value

    def _post(self, url: str) -> Post:
        post = self.posts.get(url)
        if post is None or post.deleted:
            # §3.8 example 25: an unknown post is an invalid_request.
            raise Refused(
                400,
                "invalid_request",
                "The post with the requested URL was not found",
                violation=False,
            )
        return post

    def _update(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        if set(body) - {"action", "url", "replace", "add", "delete"}:
            raise Refused(400, "invalid_request", f"unknown keys {sorted(body)}")
        if not any(k in body for k in ("replace", "add", "delete")):
            raise Refused(400, "invalid_request", "an update needs replace, add or delete")
        post = self._post(str(body.get("url") or ""))
        props = post.properties
        for op in ("replace", "add"):
            changes = body.get(op, {})
            if not isinstance(changes, dict):
                raise Refused(400, "invalid_request", f"{op} must be an object")
            for name, values in changes.items():
                if not isinstance(values, list):
                    raise Refused(400, "invalid_request", f"{op}.{name} must be an array")
                if name not in ENTRY_PROPERTIES or name == "url":
                    raise Refused(400, "invalid_request", f"{name} cannot be changed")
                values = [self._value(name, v) for v in values]
                props[name] = values if op == "replace" else props.get(name, []) + values
        delete = body.get("delete", [])
        if isinstance(delete, list):
            for name in delete:
                props.pop(str(name), None)
        elif isinstance(delete, dict):
            for name, values in delete.items():
                if not isinstance(values, list):
                    raise Refused(400, "invalid_request", f"delete.{name} must be an array")
                kept = [v for v in props.get(name, []) if v not in values]
                props[name] = kept
                if not kept:
                    props.pop(name)
        else:
            raise Refused(400, "invalid_request", "delete must be a list or an object")
        if self.track_updated:
            props["updated"] = [_now()]
        if self.move_on_update:
            del self.posts[post.url]
            post.url = f"{post.url}-moved"
            props["url"] = [post.url]
            self.posts[post.url] = post
            return 201, {"Location": post.url}, None
        if self.update_body:
            return 200, {}, {"updated": sorted(body.get("replace", {}))}
        return 204, {}, None

    def _delete(self, action: str, url: str) -> tuple[int, dict[str, str], Any]:
        post = self.posts.get(url)
        if post is None:
            raise Refused(400, "invalid_request", "no such post", violation=False)
        post.deleted = action == "delete"
        return 204, {}, None

    def _query(self, q: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], Any]:
        if q == "config":
            config: dict[str, Any] = {
                "syndicate-to": [],
                "q": ["config", "source", "syndicate-to"],
                "post-types": [{"type": "article", "name": "Article"}],
            }
            if self.media:
                config["media-endpoint"] = f"{self.base_url}/media"
            return 200, {}, config
        if q == "syndicate-to":
            return 200, {}, {"syndicate-to": []}
        post = self._post(query["url"][0])
        wanted = query.get("properties[]", []) + query.get("properties", [])
        if wanted:
            return (
                200,
                {},
                {"properties": {k: v for k, v in post.properties.items() if k in wanted}},
            )
        return 200, {}, {"type": [post.type], "properties": post.properties}

    def _page(self, query: dict[str, list[str]]) -> tuple[int, dict[str, str], Any]:
        """One page of the post list extension, newest first: `limit`, and `after` (a cursor
        the server gave) or, as Micro.blog pages, `offset`; "none" ignores both."""
        limit = query.get("limit", ["10"])[0]
        if not limit.isdigit() or not 0 < int(limit) <= 100:
            raise Refused(400, "invalid_request", "limit must be 1..100")
        allowed = {"after": {"after"}, "offset": {"offset"}, "none": {"after", "offset"}}
        if set(query) & {"after", "offset"} - allowed[self.paging]:
            raise Refused(400, "invalid_request", f"this server pages by {self.paging}")
        posts = sorted(self.live_posts(), key=lambda p: -p.created)
        after = query.get("after", [""])[0] if self.paging == "after" else ""
        if after:
            posts = [p for p in posts if p.created < int(after)]
        offset = query.get("offset", ["0"])[0] if self.paging == "offset" else "0"
        if not offset.isdigit():
            raise Refused(400, "invalid_request", "offset must be a number")
        posts = posts[int(offset) :]
        page = posts[: int(limit)]
        items = [{"type": [p.type], "properties": p.properties} for p in page]
        answer: dict[str, Any] = {"items": items}
        if len(posts) > len(page) and self.paging == "after":
            answer["paging"] = {"after": str(page[-1].created)}
        return 200, {}, answer


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _nested(value: Any) -> bool:
    """A nested microformats object: {"type": ["h-…"], "properties": {…}}."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("type"), list)
        and isinstance(value.get("properties"), dict)
    )
