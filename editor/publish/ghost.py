"""GhostClient: Ghost's Admin API (https://<site>/ghost/api/admin/) behind BlogClient.

A site is one blog. Posts are sent as HTML (`?source=html`: Ghost converts it into its own
editor format and renders it back, so the HTML it returns is Ghost's, not ours); labels are
Ghost tags, by name (Ghost creates the missing ones). Statuses are Ghost's `draft`, `published`
and `scheduled` (with `published_at`).

Creating a post is the one request that must not be repeated blindly. Ghost drops HTML
comments when it converts HTML, so the marker that identifies one create cannot live in the
content as it does for Blogger and WordPress: it goes into the post's `codeinjection_head`, a
field Ghost keeps verbatim and only ever puts into the page's <head>, where an HTML comment
shows nowhere. A post whose answer got lost is found among the most recently created posts.

An update must carry the post's current `updated_at`: Ghost answers 409 UpdateCollisionError
when the post changed since (an edit made in Ghost meanwhile), which becomes a ConflictError.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from editor.publish.accounts import Account, Blog
from editor.publish.addresses import same_address, site_id
from editor.publish.base import (
    DRAFT,
    LIVE,
    PAGE,
    POST,
    SCHEDULED,
    BlogClient,
    BlogInfo,
    Capabilities,
    ListPage,
    PostContent,
    RemotePost,
)
from editor.publish.blogger import marker_comment
from editor.publish.errors import (
    ChangedThereError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PostVersion,
    ServerError,
)
from editor.publish.ghost_api import (
    ACCEPT_VERSION,
    API_PATH,
    KEY_WORDS,
    AdminToken,
    GhostCollision,
    find_site,
    map_ghost_error,
    normalize_site_url,
    parse_admin_key,
)
from editor.publish.ghost_media import upload_images
from editor.publish.http import DEFAULT_TIMEOUT, JsonApi, insert_once
from editor.publish.secure_url import require_secure

if TYPE_CHECKING:
    from editor.publish.platform import Clients, Progress, SignInResult

PROVIDER = "ghost"
COLLECTIONS = {POST: "posts", PAGE: "pages"}  # where the Admin API keeps each kind of item
_STATUSES = {"published": LIVE, "scheduled": SCHEDULED, "draft": DRAFT, "sent": LIVE}
PAGE_SIZE = 100  # posts per list request, with or without their HTML
LOOKUP_PAGE = 25  # recently created posts scanned per request when looking for a lost create
LOOKUP_PAGES = 2
# Ghost refuses to schedule a post less than two minutes ahead ("Date must be at least 2
# minutes in the future."): a time closer than that publishes now.
SCHEDULE_MARGIN = timedelta(minutes=2, seconds=10)
# Posts as the writer has them: not the newsletters sent by e-mail only ("sent").
_WRITER_STATUSES = "status:[draft,published,scheduled]"
_SUMMARY_FIELDS = "id,uuid,title,slug,status,url,updated_at,published_at,created_at"


def blog_key(site_url: str) -> str:
    """The key of a Ghost site in accounts.json: "ghost:example.com/blog"."""
    return f"{PROVIDER}:{site_id(site_url)}"


def account_key(site_url: str) -> str:
    """The key of the Admin API key of a site: one key per site, "ghost:example.com/blog"."""
    return f"{PROVIDER}:{site_id(site_url)}"


def collection(kind: str) -> str:
    """The Admin API collection of a kind of item: "posts" or "pages"."""
    try:
        return COLLECTIONS[kind]
    except KeyError:
        raise ValueError(f"unknown kind of blog item: {kind!r}") from None


def ghost_time(at: datetime) -> str:
    """A time as Ghost writes it: UTC, milliseconds, "Z" (a naive time is local time)."""
    if at.tzinfo is None:
        at = at.astimezone()
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class GhostClient(BlogClient):
    """One Ghost site over an injected session (see BlogClient for the contract)."""

    # Tags are one flat list of names, like Blogger's labels; images go to Ghost's own storage.
    # Ghost keeps times in whole seconds. Pages (About, Contact) live beside the posts.
    # Captions as <figure>: Ghost turns a figure with <figcaption> into its image card with a
    # caption, where Blogger's caption table would arrive as a table its editor cannot edit.
    capabilities = Capabilities(
        pages=True,
        scheduling=True,
        media_library=True,
        whole_second_times=True,
        caption_style="figure",
    )
    cheap_bodies = True  # 100 posts per list request, with or without their HTML

    def __init__(
        self,
        session: requests.Session,
        site_url: str,
        admin_key: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session = session
        self.site_url = site_url.rstrip("/")
        self.api = JsonApi(
            session,
            f"{self.site_url}{API_PATH}",
            AdminToken(admin_key, clock=clock),
            map_ghost_error,
            service="Ghost",
            timeout=timeout,
            max_attempts=max_attempts,
            sleep=sleep,
            scheme="Ghost",
            headers={"Accept-Version": ACCEPT_VERSION},
        )

    # --- the site ----------------------------------------------------------------------------

    def site_info(self) -> BlogInfo:
        """The site as a blog: id (host/path), title and address."""
        site = self.api.call("GET", "site/").get("site")
        site = site if isinstance(site, dict) else {}
        name = str(site.get("title") or "") or site_id(self.site_url)
        url = str(site.get("url") or self.site_url).rstrip("/")
        return BlogInfo(id=site_id(self.site_url), name=name, url=url)

    def check_sign_in(self) -> None:
        """Ask for one post with the key: raises the typed error when Ghost refuses it."""
        self.api.call("GET", "posts/", params={"limit": "1", "fields": "id"})

    def list_blogs(self) -> list[BlogInfo]:
        return [self.site_info()]

    def edit_address(self, blog_id: str, item_id: str, kind: str = POST) -> str:
        return f"{self.site_url}/ghost/#/editor/{'page' if kind == PAGE else 'post'}/{item_id}"

    def upload_media(
        self,
        html: str,
        folder: Path,
        known: object,
        progress: Callable[[str], None],
    ) -> tuple[str, dict[str, dict[str, Any]]]:
        return upload_images(
            self, html, folder, known if isinstance(known, dict) else None, progress
        )

    # --- posts -------------------------------------------------------------------------------

    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        return self.get_item(blog_id, post_id)

    def get_item(self, blog_id: str, item_id: str, kind: str = POST) -> RemotePost:
        path = f"{collection(kind)}/{item_id}/"
        return self._one(self.api.call("GET", path, params={"formats": "html"}), kind)

    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        body = self._payload(post)
        body["status"] = "draft" if draft else "published"
        body["codeinjection_head"] = marker_comment(marker)
        params = {"source": "html", "formats": "html"}
        return insert_once(
            lambda: self._one(
                self.api.call("POST", "posts/", params=params, body={"posts": [body]}, retry=False)
            ),
            lambda: self.find_post(blog_id, marker),
            attempts=self.api.max_attempts,
            wait=self.api.wait,
        )

    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        needle = marker_comment(marker)
        for page in range(1, LOOKUP_PAGES + 1):
            params = {
                "formats": "html",
                "limit": str(LOOKUP_PAGE),
                "page": str(page),
                "order": "created_at desc",
            }
            data = self.api.call("GET", "posts/", params=params)
            for item in data.get("posts") or []:
                if isinstance(item, dict) and needle in str(item.get("codeinjection_head") or ""):
                    return self.remote_post(item)
            if not _next_page(data):
                break
        return None

    def update_post(
        self, blog_id: str, post_id: str, post: PostContent, *, base: RemotePost | None = None
    ) -> RemotePost:
        return self.update_item(blog_id, post_id, post, base=base)

    def update_item(
        self,
        blog_id: str,
        item_id: str,
        post: PostContent,
        *,
        base: RemotePost | None = None,
        kind: str = POST,
    ) -> RemotePost:
        # Ghost changes only the fields sent (tags are replaced as a whole), so whatever the
        # writer set in Ghost's editor (feature image, excerpt, code injection) stays. A page
        # keeps its tags: drafts of pages carry none.
        if base is not None and base.updated:
            current = base
        else:
            current = self.get_item(blog_id, item_id, kind)
        body = self._payload(post)
        if kind != POST:
            del body["tags"]
        body["updated_at"] = current.updated
        try:
            return self._put(item_id, body, kind, source=True)
        except GhostCollision as exc:
            theirs = self.get_item(blog_id, item_id, kind)
            raise ConflictError(
                ours=PostVersion(post.title, list(post.labels), post.html),
                theirs=PostVersion(
                    theirs.title,
                    list(theirs.labels),
                    theirs.content,
                    updated=theirs.updated,
                    status=theirs.status,
                    url=theirs.url,
                    id=theirs.id,
                    published=theirs.published,
                ),
                recorded_updated=current.updated,
            ) from exc

    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        now = datetime.now(UTC)
        at = now if at is None else at
        if at.tzinfo is None:
            at = at.astimezone()
        if at > now + SCHEDULE_MARGIN:
            change = {"status": "scheduled", "published_at": ghost_time(at)}
        else:
            # "Now" is sent as a date too: a post once scheduled keeps its old date otherwise.
            change = {"status": "published", "published_at": ghost_time(min(at, now))}
        return self._set_status(blog_id, post_id, change, kind)

    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        return self._set_status(blog_id, post_id, {"status": "draft"}, kind)

    def reschedule_post(
        self, blog_id: str, post_id: str, at: datetime, *, base: RemotePost, kind: str = POST
    ) -> RemotePost:
        if at.tzinfo is None:
            at = at.astimezone()
        if at <= datetime.now(UTC) + SCHEDULE_MARGIN:  # publish_post would publish it now
            raise InvalidRequestError(
                "Ghost schedules a post at least two minutes ahead; choose a later time."
            )
        change = {"status": "scheduled", "published_at": ghost_time(at)}
        return self._change_checked(post_id, change, base, kind)

    def unschedule_post(
        self, blog_id: str, post_id: str, *, base: RemotePost, kind: str = POST
    ) -> RemotePost:
        return self._change_checked(post_id, {"status": "draft"}, base, kind)

    def _change_checked(
        self, post_id: str, change: dict[str, Any], base: RemotePost, kind: str
    ) -> RemotePost:
        # Sent with the `updated_at` of the post as the writer's check saw it: changed in
        # between, Ghost refuses (409) and nothing is changed.
        try:
            return self._put(post_id, {**change, "updated_at": base.updated}, kind)
        except GhostCollision as exc:
            raise ChangedThereError(
                "The post was changed in Ghost while its schedule was being changed; nothing"
                " was changed, try again."
            ) from exc

    def find_by_address(self, blog_id: str, address: str) -> RemotePost | None:
        # Not only this site's address: readers may see Ghost at another domain than its admin.
        slug = urlsplit(address.strip()).path.rstrip("/").rpartition("/")[2]
        if not slug:
            return None
        for kind in (POST, PAGE):  # Ghost's slugs are unique across posts and pages
            try:
                path = f"{collection(kind)}/slug/{slug}/"
                found = self._one(self.api.call("GET", path, params={"formats": "html"}), kind)
            except NotFoundError:
                continue
            return found if same_address(found.url, address) else None
        return None

    def list_page(
        self, blog_id: str, *, kind: str = POST, bodies: bool = True, token: str = ""
    ) -> ListPage:
        if token and not (token.isdigit() and int(token) > 0):
            raise ValueError(f"not a Ghost list token: {token!r}")
        params = {
            "filter": _WRITER_STATUSES,
            "limit": str(PAGE_SIZE),
            "page": token or "1",
            "order": "updated_at desc,id desc",  # the id breaks ties: no post lost between pages
        }
        if bodies:
            params["formats"] = "html"
        else:
            # With `fields` Ghost sends no relations unless asked: tags are asked for.
            params.update(fields=_SUMMARY_FIELDS, include="tags")
        data = self.api.call("GET", f"{collection(kind)}/", params=params)
        found = data.get(collection(kind)) or []
        items = [self.remote_post(p, kind) for p in found if isinstance(p, dict)]
        return ListPage(items, _next_page(data))

    # --- helpers -------------------------------------------------------------------------

    def _set_status(
        self, blog_id: str, post_id: str, change: dict[str, Any], kind: str = POST
    ) -> RemotePost:
        # A status change sends no content, so when the post changed in between (409) it is
        # safe to read the new `updated_at` and send the same change once more.
        for attempt in (1, 2):
            current = self.get_item(blog_id, post_id, kind)
            try:
                return self._put(post_id, {**change, "updated_at": current.updated}, kind)
            except GhostCollision:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _put(
        self, item_id: str, body: dict[str, Any], kind: str = POST, *, source: bool = False
    ) -> RemotePost:
        params = {"formats": "html", **({"source": "html"} if source else {})}
        # Repeating a PUT changes nothing more; a repeat after a lost answer carries a stale
        # updated_at and gets a 409 instead of overwriting: JsonApi may retry it.
        name = collection(kind)
        data = self.api.call("PUT", f"{name}/{item_id}/", params=params, body={name: [body]})
        return self._one(data, kind)

    def _payload(self, post: PostContent) -> dict[str, Any]:
        body: dict[str, Any] = {
            "title": post.title,
            "html": post.html,
            "tags": [{"name": name} for name in dict.fromkeys(post.labels)],
        }
        if post.description is not None:  # Ghost's excerpt: what themes and search show
            body["custom_excerpt"] = post.description
        return body

    def _one(self, data: dict[str, Any], kind: str = POST) -> RemotePost:
        items = data.get(collection(kind))
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            raise ServerError("The Ghost site sent an unexpected answer; try again.")
        return self.remote_post(items[0], kind)

    def remote_post(self, data: dict[str, Any], kind: str = POST) -> RemotePost:
        """A post (or page) as Ghost returns it -> RemotePost (tags as names, status mapped)."""
        if "id" not in data:
            raise ServerError("The Ghost site sent an unexpected answer; try again.")
        status = str(data.get("status") or "")
        tags = [t for t in data.get("tags") or [] if isinstance(t, dict)]
        return RemotePost(
            id=str(data["id"]),
            title=str(data.get("title") or ""),
            content=str(data.get("html") or ""),
            labels=[str(t.get("name") or "") for t in tags],
            status=_STATUSES.get(status, status.upper()),
            # Ghost gives drafts a preview address (/p/<uuid>/): not where readers find it.
            url=str(data.get("url") or "") if status in ("published", "sent") else "",
            updated=str(data.get("updated_at") or ""),
            published=str(data.get("published_at") or ""),
            raw=data,
            kind=kind,
        )


def _next_page(data: dict[str, Any]) -> str:
    """The number of the next page of a browse answer ("" after the last)."""
    meta = data.get("meta")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    following = pagination.get("next") if isinstance(pagination, dict) else None
    return str(following) if isinstance(following, int) and following > 0 else ""


# --- signing in ------------------------------------------------------------------------------


def sign_in(clients: Clients, values: Mapping[str, str], progress: Progress) -> SignInResult:
    """Check a site's address and Admin API key with Ghost, then remember the site as a blog;
    the key goes to the keyring only (Clients.remember)."""
    site = normalize_site_url(values.get("site", ""))
    key = values.get("key", "").strip()
    parse_admin_key(key)  # its shape, before anything is sent
    progress(f"Contacting {site}…")
    site = find_site(clients.session, site, timeout=clients.timeout)  # after any redirect
    require_secure(site, KEY_WORDS)
    client = GhostClient(
        clients.session,
        site,
        key,
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )
    info = client.site_info()
    progress("Checking the Admin API key…")
    client.check_sign_in()
    account = Account(key=account_key(site), provider=PROVIDER, label=info.name)
    # The blog's address is where its Admin API answers (Ghost's admin domain may differ
    # from the address readers use, which the site reports as info.url).
    return clients.remember(account, [Blog(blog_key(site), info.name, site, account.key)], key)
