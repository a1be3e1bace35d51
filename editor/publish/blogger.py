"""BloggerClient: the Blogger API v3 (https://blogger.googleapis.com/v3) behind BlogClient.

Creating a post is the one request that must not be repeated blindly. Every insert carries a
marker (an HTML comment, which Blogger keeps: its own jump break `<!--more-->` is one) so that,
when an answer is lost, the post can be found among the recently updated posts (drafts
included, `view=ADMIN`) before anything is created again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from editor.publish.addresses import blogger_edit_address, blogger_edit_target, same_address
from editor.publish.base import (
    PAGE,
    POST,
    BlogClient,
    BlogInfo,
    Capabilities,
    ListPage,
    PostContent,
    RateLimit,
    RemotePost,
)
from editor.publish.errors import (
    InvalidRequestError,
    LeftAsDraftError,
    NotFoundError,
    PermissionError_,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.http import DEFAULT_TIMEOUT, JsonApi, TokenSource, insert_once
from editor.publish.logmask import mask
from editor.publish.secure_url import require_secure

PROVIDER = "blogger"  # the first part of its blogs' keys in accounts.json
API_URL_ENV = "BROADSHEET_BLOGGER_API_URL"
TOKEN_WORDS = "your Blogger access token"  # what plain http would expose (secure_url.py)
DEFAULT_API_URL = "https://blogger.googleapis.com/v3"
LOOKUP_PAGE = 25  # recent posts scanned per page when looking for a lost insert
LOOKUP_PAGES = 2
# Items per list request when importing or syncing. Blogger documents no maximum; 100 with
# bodies keeps each answer a few MB at most, 500 without bodies costs a handful of requests.
LIST_PAGE = 100
LIST_PAGE_NO_BODIES = 500
# Writable fields of the Post schema that a full-replace PUT would otherwise clear.
_KEEP_ON_UPDATE = ("published", "readerComments", "location")

_QUOTA_REASONS = {
    "rateLimitExceeded",
    "userRateLimitExceeded",
    "dailyLimitExceeded",
    "quotaExceeded",
    "limitExceeded",
}


def api_url(env: dict[str, str] | None = None) -> str:
    """The API root: BROADSHEET_BLOGGER_API_URL (https, or a test server here) or Google's."""
    env = dict(os.environ) if env is None else env
    override = env.get(API_URL_ENV)
    if override:
        require_secure(override, TOKEN_WORDS, where=API_URL_ENV)
    return (override or DEFAULT_API_URL).rstrip("/")


def blog_key(blog_id: str) -> str:
    """The key of a Blogger blog in accounts.json: "blogger:<blogId>"."""
    return f"{PROVIDER}:{blog_id}"


def marker_comment(marker: str) -> str:
    """The HTML comment that identifies one insert; no newline (see "Convert line breaks")."""
    return f"<!--broadsheet:{marker}-->"


def map_blogger_error(response: requests.Response) -> PublishError:
    """Google's error envelope -> a typed error with one clear sentence."""
    code = response.status_code
    reason, message = "", ""
    try:
        error = response.json().get("error", {})
        message = str(error.get("message") or "")
        errors = error.get("errors") or [{}]
        reason = str(errors[0].get("reason") or "")
    except (ValueError, AttributeError, IndexError):
        pass
    # Server text is shown only after masking, on one line, and short.
    detail = mask(" ".join(message.split()))[:200].rstrip(".")
    if code == 429 or reason in _QUOTA_REASONS:
        return QuotaError(
            "Blogger's rate limit or daily quota was reached; wait a while and try again."
        )
    if code == 401:
        return SignedOutError(
            "Blogger did not accept the sign-in; sign in again with `broadsheet login blogger`."
        )
    if code == 403:
        if reason == "accessNotConfigured":
            return PermissionError_(
                "The Blogger API is not enabled for your Google Cloud project; enable"
                " “Blogger API v3” there and try again."
            )
        if reason == "insufficientPermissions":
            return PermissionError_(
                "The sign-in does not allow managing Blogger; sign in again and grant access."
            )
        return PermissionError_("Your Google account may not post to this blog.")
    if code == 404:
        return NotFoundError("Blogger says this blog or post does not exist (any more).")
    if code >= 500:
        return ServerError(f"Blogger had a server problem (HTTP {code}); try again later.")
    return InvalidRequestError(f"Blogger rejected the request: {detail or f'HTTP {code}'}.")


def remote_post(data: dict[str, Any], kind: str = POST) -> RemotePost:
    """A Post (or Page) resource -> RemotePost."""
    return RemotePost(
        id=str(data.get("id", "")),
        title=str(data.get("title") or ""),
        content=str(data.get("content") or ""),
        labels=[str(x) for x in data.get("labels") or []],
        status=str(data.get("status") or ""),
        url=str(data.get("url") or ""),
        updated=str(data.get("updated") or ""),
        published=str(data.get("published") or ""),
        raw=data,
        kind=kind,
    )


class BloggerClient(BlogClient):
    """Blogger API v3 client over an injected session (see BlogClient for the contract)."""

    # Labels only; images live on the writer's image hosts (Blogger's API takes none), so
    # the dead-image check can repair them.
    capabilities = Capabilities(
        pages=True,
        image_check=True,
        # Blogger API v3 defaults: about 100 requests per 100 seconds, 10,000 a day.
        rate_limits=(RateLimit(100, 100.0), RateLimit(10_000, 86_400.0)),
    )

    def __init__(
        self,
        session: requests.Session,
        auth: TokenSource,
        *,
        base_url: str | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api = JsonApi(
            session,
            base_url or api_url(),
            auth,
            map_blogger_error,
            service="Blogger",
            timeout=timeout,
            max_attempts=max_attempts,
            sleep=sleep,
        )

    def current_user(self) -> tuple[str, str]:
        """(user id, display name) of the signed-in account."""
        data = self.api.call("GET", "users/self")
        return str(data.get("id", "")), str(data.get("displayName") or data.get("id") or "")

    def list_blogs(self) -> list[BlogInfo]:
        data = self.api.call("GET", "users/self/blogs")
        return [
            BlogInfo(id=str(b["id"]), name=str(b.get("name") or b["id"]), url=str(b.get("url", "")))
            for b in data.get("items") or []
            if b.get("id")
        ]

    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        data = self.api.call("GET", f"blogs/{blog_id}/posts/{post_id}", params={"view": "ADMIN"})
        return remote_post(data)

    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        body = {
            "title": post.title,
            "content": post.html + marker_comment(marker),
            "labels": list(post.labels),
        }
        params = {"isDraft": "true" if draft else "false"}
        return insert_once(
            lambda: remote_post(
                self.api.call(
                    "POST", f"blogs/{blog_id}/posts", params=params, body=body, retry=False
                )
            ),
            lambda: self.find_post(blog_id, marker),
            attempts=self.api.max_attempts,
            wait=self.api.wait,
        )

    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        needle = marker_comment(marker)
        params: list[tuple[str, str]] = [
            ("view", "ADMIN"),
            ("status", "DRAFT"),
            ("status", "LIVE"),
            ("status", "SCHEDULED"),
            ("orderBy", "UPDATED"),
            ("fetchBodies", "true"),
            ("maxResults", str(LOOKUP_PAGE)),
        ]
        page_token = ""
        for _ in range(LOOKUP_PAGES):
            page = params + ([("pageToken", page_token)] if page_token else [])
            data = self.api.call("GET", f"blogs/{blog_id}/posts", params=page)
            for item in data.get("items") or []:
                if needle in str(item.get("content") or ""):
                    return remote_post(item)
            page_token = str(data.get("nextPageToken") or "")
            if not page_token:
                break
        return None

    def update_post(
        self, blog_id: str, post_id: str, post: PostContent, *, base: RemotePost | None = None
    ) -> RemotePost:
        body: dict[str, Any] = {"id": post_id}
        if base is not None:
            # PUT is a full replace: resend what the writer may have set in Blogger's editor.
            body.update({k: base.raw[k] for k in _KEEP_ON_UPDATE if k in base.raw})
        body.update({"title": post.title, "content": post.html, "labels": list(post.labels)})
        return remote_post(self.api.call("PUT", f"blogs/{blog_id}/posts/{post_id}", body=body))

    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        params = {}
        if at is not None and kind == POST:  # pages have no publication date
            params["publishDate"] = rfc3339(at)
        # Publishing sets a state: repeating it after a lost answer changes nothing, so retry.
        path = f"blogs/{blog_id}/{_plural(kind)}/{post_id}/publish"
        return remote_post(self.api.call("POST", path, params=params), kind)

    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        # Like publish, reverting to draft is idempotent and safe to retry.
        path = f"blogs/{blog_id}/{_plural(kind)}/{post_id}/revert"
        return remote_post(self.api.call("POST", path), kind)

    def reschedule_post(
        self, blog_id: str, post_id: str, at: datetime, *, base: RemotePost, kind: str = POST
    ) -> RemotePost:
        # Blogger moves a scheduled post's date only from a draft: revert, then publish at the
        # new date (both set a state, so both are safe to repeat).
        draft = self.revert_post(blog_id, post_id, kind=kind)
        try:
            return self.publish_post(blog_id, post_id, at, kind=kind)
        except PublishError as exc:
            raise LeftAsDraftError(
                "The post was turned back into a draft on the blog, but scheduling it at the"
                f" new time failed: {exc.message}",
                draft,
                exc,
            ) from exc

    # --- the whole blog (import and sync) ---------------------------------------------------

    def list_page(
        self, blog_id: str, *, kind: str = POST, bodies: bool = True, token: str = ""
    ) -> ListPage:
        params: list[tuple[str, str]] = [("view", "ADMIN")]
        params += [("status", s) for s in ("LIVE", "DRAFT")]
        if kind == POST:  # pages are never scheduled, and the API lists them in its own order
            params += [("status", "SCHEDULED"), ("orderBy", "UPDATED")]
        params += [
            ("fetchBodies", "true" if bodies else "false"),
            ("maxResults", str(LIST_PAGE if bodies else LIST_PAGE_NO_BODIES)),
        ]
        if token:
            params.append(("pageToken", token))
        data = self.api.call("GET", f"blogs/{blog_id}/{_plural(kind)}", params=params)
        items = [remote_post(item, kind) for item in data.get("items") or [] if item.get("id")]
        return ListPage(items, str(data.get("nextPageToken") or ""))

    def find_by_address(self, blog_id: str, address: str) -> RemotePost | None:
        edit = blogger_edit_target(address)
        try:
            if edit is not None:  # a draft: its editor's address names it
                kind, in_blog, item_id = edit
                return self.get_item(blog_id, item_id, kind) if in_blog == blog_id else None
            path = urlsplit(address.strip()).path
            if not path.strip("/"):
                return None
            if path.startswith("/p/"):  # pages have no lookup by path: list them
                return self._page_at(blog_id, address)
            data = self.api.call(
                "GET", f"blogs/{blog_id}/posts/bypath", params={"path": path, "view": "ADMIN"}
            )
        except NotFoundError:
            return None
        return remote_post(data)

    def edit_address(self, blog_id: str, item_id: str, kind: str = POST) -> str:
        return blogger_edit_address(blog_id, item_id, kind)

    def _page_at(self, blog_id: str, address: str) -> RemotePost | None:
        token = ""
        while True:
            page = self.list_page(blog_id, kind=PAGE, bodies=False, token=token)
            for item in page.items:
                if same_address(item.url, address):
                    return self.get_item(blog_id, item.id, PAGE)
            if not page.next_token:
                return None
            token = page.next_token

    def get_item(self, blog_id: str, item_id: str, kind: str = POST) -> RemotePost:
        if kind == POST:
            return self.get_post(blog_id, item_id)
        data = self.api.call("GET", f"blogs/{blog_id}/pages/{item_id}", params={"view": "ADMIN"})
        return remote_post(data, PAGE)

    def update_item(
        self,
        blog_id: str,
        item_id: str,
        post: PostContent,
        *,
        base: RemotePost | None = None,
        kind: str = POST,
    ) -> RemotePost:
        if kind == POST:
            return self.update_post(blog_id, item_id, post, base=base)
        # A page has no labels; PUT replaces title and content.
        body = {"id": item_id, "title": post.title, "content": post.html}
        return remote_post(
            self.api.call("PUT", f"blogs/{blog_id}/pages/{item_id}", body=body), PAGE
        )


def _plural(kind: str) -> str:
    return "pages" if kind == PAGE else "posts"


def rfc3339(at: datetime) -> str:
    """An RFC 3339 time with offset; a naive time is taken as local time."""
    if at.tzinfo is None:
        at = at.astimezone()
    return at.isoformat(timespec="seconds")
