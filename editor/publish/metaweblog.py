"""MetaWeblogClient: the MetaWeblog and Blogger XML-RPC APIs behind BlogClient, for the long
tail of blog platforms (WordPress, Movable Type, b2evolution, Serendipity, dasBlog …).

A post is a struct: `title`, `description` (the HTML), `mt_keywords` (labels, comma separated),
`categories` (names the blog already has: the API cannot create them), `mt_excerpt`, and
`dateCreated` (a future date schedules it where the server supports it). Statuses come from
`post_status` where the server sends it (WordPress, Movable Type), else from the publish flag.

Creating a post is the one call that must not be repeated blindly: like the other clients, the
HTML carries a marker comment, so after a lost answer the post is looked for among the recent
posts (`metaWeblog.getRecentPosts`, drafts included) before anything is sent again. An edit
sends the whole post and so may be repeated. The conflict check needs no help here: the post is
read back with `metaWeblog.getPost` after every change, and its digest is what the next publish
compares.
"""

from __future__ import annotations

import hashlib
import mimetypes
import time
import xmlrpc.client
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from editor.publish.addresses import same_address
from editor.publish.base import (
    DRAFT,
    LIVE,
    POST,
    PRIVATE,
    SCHEDULED,
    TAGS_AND_CATEGORIES,
    BlogClient,
    BlogInfo,
    Capabilities,
    ListPage,
    PostContent,
    RemotePost,
)
from editor.publish.blogger import marker_comment
from editor.publish.errors import (
    ConfigError,
    InvalidRequestError,
    OfflineError,
    ServerError,
)
from editor.publish.http import DEFAULT_TIMEOUT, insert_once
from editor.publish.media_library import MediaItem, lost_upload, upload_images, upload_name
from editor.publish.metaweblog_api import XmlRpcEndpoint, endpoint_host

PROVIDER = "metaweblog"
LOOKUP_POSTS = 50  # recent posts scanned for the marker of a create whose answer was lost
LIST_POSTS = 500  # getRecentPosts has no paging: the newest this many are listed
_STATUSES = {
    "publish": LIVE,
    "future": SCHEDULED,
    "draft": DRAFT,
    "pending": DRAFT,
    "private": PRIVATE,
}
# What each of our statuses is sent as: (publish flag, post_status).
_SEND_STATUS = {
    LIVE: (True, "publish"),
    SCHEDULED: (True, "publish"),  # with its future date the server keeps it scheduled
    PRIVATE: (True, "private"),
    DRAFT: (False, "draft"),
}


def _date(value: Any) -> str:
    """An XML-RPC date as the other clients record times ("2026-12-02T11:20:24Z")."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, xmlrpc.client.DateTime):
        return _date(datetime.strptime(value.value[:17], "%Y%m%dT%H:%M:%S"))
    return str(value or "")


def _utc(at: datetime) -> datetime:
    """A time as an XML-RPC dateTime in UTC (naive means local time)."""
    if at.tzinfo is None:
        at = at.astimezone()
    return at.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def labels_of(keywords: Any) -> list[str]:
    """`mt_keywords` ("a, b") -> ["a", "b"]."""
    if isinstance(keywords, list):
        return [str(k).strip() for k in keywords if str(k).strip()]
    return [k.strip() for k in str(keywords or "").split(",") if k.strip()]


def content_of(data: dict[str, Any]) -> str:
    """The whole HTML of a post struct: servers split it at <!--more--> into two fields."""
    main = str(data.get("description") or "")
    more = str(data.get("mt_text_more") or "")
    if not more:
        return main
    text = str(data.get("wp_more_text") or "").strip()
    return f"{main}<!--more{' ' + text if text else ''}-->{more}"


class MetaWeblogClient(BlogClient):
    """One XML-RPC endpoint and user (see BlogClient for the contract). Blog ids are the
    remote ids of accounts.json ("<blogid>@<endpoint>") or the server's own blog ids."""

    capabilities = Capabilities(
        scheduling=True,  # dateCreated in the future (servers without it publish at once)
        taxonomy=TAGS_AND_CATEGORIES,  # mt_keywords, and categories the blog already has
        media_library=True,  # metaWeblog.newMediaObject
        whole_second_times=True,  # XML-RPC dateTime has no fractions: the digest decides
        caption_style="figure",  # HTML5's captioned image, not Blogger's table
    )
    cheap_bodies = True  # getRecentPosts always sends the bodies

    def __init__(
        self,
        session: requests.Session,
        endpoint: str,
        user: str,
        password: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        blog_id: str = "",
    ) -> None:
        self.endpoint = endpoint
        self.blog_id = self.blog_of(blog_id)  # the blog images go to (upload_media)
        self.user = user
        self.password = password
        self.rpc = XmlRpcEndpoint(
            session, endpoint, timeout=timeout, max_attempts=max_attempts, sleep=sleep
        )
        self._categories: dict[str, dict[str, str]] = {}  # blog id -> casefolded -> name

    def call(self, method: str, first: Any, *rest: Any, retry: bool = True) -> Any:
        """Call `method` with its first parameter, then user and password, then `rest`."""
        return self.rpc.call(method, first, self.user, self.password, *rest, retry=retry)

    @staticmethod
    def blog_of(blog_id: str) -> str:
        """The server's blog id in `blog_id` (a remote id "<blogid>@<endpoint>" or the id)."""
        return blog_id.rpartition("@")[0] if "@" in blog_id else blog_id

    # --- blogs ---------------------------------------------------------------------------

    def list_blogs(self) -> list[BlogInfo]:
        # blogger.getUsersBlogs: the one call every MetaWeblog server has; the app key is unused.
        answer = self.rpc.call("blogger.getUsersBlogs", "", self.user, self.password)
        if not isinstance(answer, list):
            raise ServerError(f"{self.rpc.host} sent an unexpected list of blogs; try again.")
        blogs = []
        for item in answer:
            if isinstance(item, dict) and str(item.get("blogid", "")) != "":
                blog_id = str(item["blogid"])
                name = str(item.get("blogName") or "") or endpoint_host(self.endpoint)
                blogs.append(BlogInfo(blog_id, name, str(item.get("url") or "").rstrip("/")))
        return blogs

    def categories(self, blog_id: str) -> dict[str, str]:
        """The blog's category names (casefolded -> as the blog spells them)."""
        blog = self.blog_of(blog_id)
        if blog not in self._categories:
            try:
                answer = self.call("mt.getCategoryList", blog)
            except ConfigError:  # a server without the Movable Type calls (-32601)
                answer = self.call("metaWeblog.getCategories", blog)
            names: dict[str, str] = {}
            # mt.getCategoryList: a list of structs; getCategories: a list or a struct of them.
            items = list(answer.values()) if isinstance(answer, dict) else answer
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, dict):
                    continue
                name = str(item.get("categoryName") or item.get("title") or "").strip()
                if name:
                    names.setdefault(name.casefold(), name)
            self._categories[blog] = names
        return self._categories[blog]

    # --- posts ---------------------------------------------------------------------------

    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        return self.remote_post(self.call("metaWeblog.getPost", post_id))

    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        struct = self._struct(blog_id, post)
        struct["description"] = post.html + marker_comment(marker)
        publish, status = _SEND_STATUS[DRAFT if draft else LIVE]
        struct["post_status"] = status
        blog = self.blog_of(blog_id)

        def send() -> RemotePost:
            post_id = self.call("metaWeblog.newPost", blog, struct, publish, retry=False)
            return self.get_post(blog_id, str(post_id))

        return insert_once(
            send,
            lambda: self.find_post(blog_id, marker),
            attempts=self.rpc.max_attempts,
            wait=self.rpc.wait,
        )

    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        needle = marker_comment(marker)
        for item in self._recent(blog_id, LOOKUP_POSTS):
            if needle in content_of(item):
                return self.remote_post(item)
        return None

    def update_post(
        self, blog_id: str, post_id: str, post: PostContent, *, base: RemotePost | None = None
    ) -> RemotePost:
        base = base or self.get_post(blog_id, post_id)
        struct = self._struct(blog_id, post)
        if post.categories is None and base.categories:
            struct["categories"] = list(base.categories)  # the whole post is replaced
        if post.description is None and base.raw.get("mt_excerpt"):
            struct["mt_excerpt"] = base.raw["mt_excerpt"]
        if base.status == DRAFT and base.raw.get("post_status") == "pending":
            struct["post_status"] = "pending"  # awaiting an editor's review: it stays so
        return self._edit(post_id, struct, base.status)

    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        # "Now" is sent as a date too: a draft would otherwise go live with the date it was
        # first saved, and a post once scheduled would be scheduled again.
        when = _utc(at or datetime.now(UTC))
        status = SCHEDULED if when > _utc(datetime.now(UTC)) else LIVE
        return self._edit(post_id, self._same(blog_id, post_id), status, when)

    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        return self._edit(post_id, self._same(blog_id, post_id), DRAFT)

    def _same(self, blog_id: str, post_id: str) -> dict[str, Any]:
        """The post as it is, as a struct to send back (an edit replaces every field)."""
        now = self.get_post(blog_id, post_id)
        struct: dict[str, Any] = {
            "title": now.title,
            "description": now.content,
            "mt_keywords": ", ".join(now.labels),
            "categories": list(now.categories),
        }
        if now.raw.get("mt_excerpt"):
            struct["mt_excerpt"] = now.raw["mt_excerpt"]
        return struct

    def _edit(
        self, post_id: str, struct: dict[str, Any], status: str, at: datetime | None = None
    ) -> RemotePost:
        publish, post_status = _SEND_STATUS.get(status, _SEND_STATUS[DRAFT])
        struct = {"post_status": post_status, **struct}
        if at is not None:
            # dateCreated for every server; date_created_gmt for those (WordPress) that read
            # dateCreated as the blog's local time.
            struct["dateCreated"] = struct["date_created_gmt"] = at
        # Setting the whole post is idempotent: safe to repeat after a lost answer.
        self.call("metaWeblog.editPost", post_id, struct, publish)
        return with_known_status(self.get_post("", post_id), status)

    def _struct(self, blog_id: str, post: PostContent) -> dict[str, Any]:
        for label in post.labels:
            if "," in label:
                raise InvalidRequestError(
                    f"The label “{label}” has a comma, which MetaWeblog blogs read as two"
                    " labels; rename it."
                )
        struct: dict[str, Any] = {
            "title": post.title,
            "description": post.html,
            "mt_keywords": ", ".join(post.labels),
        }
        if post.categories is not None:
            struct["categories"] = self._category_names(blog_id, post.categories)
        if post.description is not None:
            struct["mt_excerpt"] = post.description
        return struct

    def _category_names(self, blog_id: str, wanted: list[str]) -> list[str]:
        # Servers silently drop names they do not know, and the API cannot create them.
        if not wanted:
            return []
        known = self.categories(blog_id)
        missing = [name for name in wanted if name.casefold() not in known]
        if missing:
            has = ", ".join(sorted(known.values())) or "none"
            raise InvalidRequestError(
                f"The blog has no category “{missing[0]}” and MetaWeblog cannot create one;"
                f" create it on the blog first (it has: {has})."
            )
        return [known[name.casefold()] for name in wanted]

    def _recent(self, blog_id: str, count: int) -> list[dict[str, Any]]:
        answer = self.call("metaWeblog.getRecentPosts", self.blog_of(blog_id), count)
        if not isinstance(answer, list):
            raise ServerError(f"{self.rpc.host} sent an unexpected list of posts; try again.")
        return [item for item in answer if isinstance(item, dict) and "postid" in item]

    def list_page(
        self, blog_id: str, *, kind: str = POST, bodies: bool = True, token: str = ""
    ) -> ListPage:
        if kind != POST or token:
            return ListPage([], "")  # no pages; getRecentPosts has no second page
        posts = [self.remote_post(item) for item in self._recent(blog_id, LIST_POSTS)]
        posts.sort(key=lambda p: p.updated, reverse=True)
        return ListPage(posts, "")

    def find_by_address(self, blog_id: str, address: str) -> RemotePost | None:
        for item in self._recent(blog_id, LIST_POSTS):
            found = self.remote_post(item)
            if found.url and same_address(found.url, address):
                return found
        return None

    def remote_post(self, data: Any) -> RemotePost:
        """A post struct as getPost/getRecentPosts send it -> RemotePost."""
        if not isinstance(data, dict) or str(data.get("postid", "")) == "":
            raise ServerError(f"{self.rpc.host} sent an unexpected post; try again.")
        status = str(data.get("post_status") or "")
        created = data.get("date_created_gmt") or data.get("dateCreated")
        state = _STATUSES.get(status, status.upper())
        if state == LIVE and isinstance(created, datetime) and created > _utc(datetime.now(UTC)):
            state = SCHEDULED  # WordPress, for one, calls a scheduled post "publish"
        return RemotePost(
            id=str(data["postid"]),
            title=str(data.get("title") or ""),
            content=content_of(data),
            labels=labels_of(data.get("mt_keywords")),
            status=state,
            url=str(data.get("permaLink") or data.get("link") or ""),
            updated=_date(data.get("date_modified_gmt") or data.get("date_modified") or created),
            published=_date(created),
            raw=data,
            categories=[str(c) for c in data.get("categories") or [] if str(c).strip()],
        )

    # --- images ---------------------------------------------------------------------------

    def upload_media(
        self,
        html: str,
        folder: Path,
        known: object,
        progress: Callable[[str], None],
    ) -> tuple[str, dict[str, dict[str, Any]]]:
        media = MetaWeblogMedia(self, known if isinstance(known, dict) else {})
        return upload_images(media, html, folder, media.known, progress)


class MetaWeblogMedia:
    """A blog's files as metaWeblog.newMediaObject keeps them: upload only, no listing."""

    def __init__(self, client: MetaWeblogClient, known: dict[str, Any]) -> None:
        self.client = client
        # The API can neither list nor fetch uploads: what the last publish uploaded (its
        # media record) is taken as still there.
        self.known = {
            digest: entry
            for digest, entry in known.items()
            if isinstance(entry, dict) and entry.get("url") and str(entry.get("id", "")).isdigit()
        }

    def get(self, media_id: int) -> MediaItem | None:
        for entry in self.known.values():
            if int(entry["id"]) == media_id:
                return MediaItem(id=media_id, url=str(entry["url"]))
        return None

    def upload(self, data: bytes, filename: str, content_type: str) -> str:
        """Upload an image and return its public URL."""
        return self.upload_item(data, filename, content_type).url

    def upload_item(self, data: bytes, filename: str, content_type: str) -> MediaItem:
        """Upload the bytes once (not repeated: the API cannot tell whether it landed)."""
        digest = hashlib.sha256(data).hexdigest()
        struct = {
            "name": upload_name(filename, digest),
            "type": content_type or mimetypes.guess_type(filename)[0] or "",
            "bits": data,
        }
        blog = self.client.blog_id or self.client.list_blogs()[0].id
        try:
            answer = self.client.call("metaWeblog.newMediaObject", blog, struct, retry=False)
        except OfflineError as exc:
            if not exc.uncertain:
                raise
            raise OfflineError(
                lost_upload(exc), uncertain=True, timed_out=exc.timed_out, reason=exc.reason
            ) from exc
        url = str(answer.get("url") or "") if isinstance(answer, dict) else ""
        if not url or not urlsplit(url).scheme:
            raise ServerError(f"{self.client.rpc.host} sent an unexpected answer to an upload.")
        media_id = str(answer.get("id") or "0")
        return MediaItem(id=int(media_id) if media_id.isdigit() else 0, url=url)


def with_known_status(remote: RemotePost, status: str) -> RemotePost:
    """`remote`, with `status` when the server does not send post_status."""
    return remote if remote.status else replace(remote, status=status)
