"""WordPressClient: the WordPress REST API (wp/v2) behind BlogClient.

A site is one blog. Labels become tags and the optional `categories` become categories, both
looked up by name and created when missing. Creating a post is the one request that must not be
repeated blindly: like the Blogger client it carries a marker (an HTML comment) so that a post
whose answer got lost is found with a search over every status before anything is created again.
Pages live under wp/v2/pages and have no tags or categories; listing both is in `list_page`.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests

from editor.publish.addresses import same_address, site_id
from editor.publish.base import (
    DRAFT,
    LIVE,
    PAGE,
    POST,
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
    AuthError,
    NotFoundError,
    PermissionError_,
    ServerError,
)
from editor.publish.http import DEFAULT_TIMEOUT, insert_once
from editor.publish.media_library import upload_images
from editor.publish.wordpress_api import (
    RestRoot,
    WordPressApi,
    discover_root,
    envelope,
    map_wordpress_error,
)
from editor.publish.wordpress_media import WordPressMedia

PROVIDER = "wordpress"
_STATUSES = {"publish": LIVE, "future": SCHEDULED, "draft": DRAFT, "pending": DRAFT}
TAGS = "tags"
CATEGORIES = "categories"
COLLECTIONS = {POST: "posts", PAGE: "pages"}
PAGE_SIZE = 100  # the most WordPress gives per list request (per_page above 100 is a 400)
# Without bodies a list carries what a sync compares (dates, status, title, terms), no content.
SUMMARY_FIELDS = (
    "id",
    "type",
    "status",
    "title",
    "slug",
    "link",
    "date_gmt",
    "modified_gmt",
    "tags",
    "categories",
)
# With bodies: every field an import may keep, but not `_links` (2 KB a post, of no use here).
BODY_FIELDS = (
    *SUMMARY_FIELDS,
    "content",
    "excerpt",
    "date",
    "modified",
    "author",
    "password",
    "sticky",
    "format",
    "featured_media",
    "parent",
    "menu_order",
    "template",
    "comment_status",
    "ping_status",
    "meta",
)


def blog_key(site_url: str) -> str:
    """The key of a WordPress site in accounts.json: "wordpress:example.com/blog"."""
    return f"{PROVIDER}:{site_id(site_url)}"


def account_key(site_url: str, user: str) -> str:
    """The key of a user on a site: "wordpress:<user>@example.com/blog"."""
    return f"{PROVIDER}:{user}@{site_id(site_url)}"


def user_of(account: str, site_url: str) -> str:
    """The user name inside an account key made by `account_key` (names may contain @)."""
    return account.removeprefix(f"{PROVIDER}:").removesuffix(f"@{site_id(site_url)}")


def categories_of(meta: dict[str, Any]) -> list[str] | None:
    """The front matter's `categories` (list or comma-separated); None when it has none."""
    value = meta.get("categories", meta.get("category"))
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        items = [items]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def _text(field: Any) -> str:
    """`raw` of a {raw, rendered} field when the answer has it (context=edit), else rendered."""
    if isinstance(field, dict):
        if "raw" in field:
            return str(field["raw"] or "")
        return html.unescape(str(field.get("rendered") or ""))
    return str(field or "")


def collection(kind: str) -> str:
    """The REST collection of a kind of item: "posts" or "pages"."""
    try:
        return COLLECTIONS[kind]
    except KeyError:
        raise ValueError(f"unknown kind of blog item: {kind!r}") from None


def wp_date(at: datetime) -> str:
    """A time as WordPress's `date_gmt` wants it (UTC, no offset); naive means local time."""
    if at.tzinfo is None:
        at = at.astimezone()
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class WordPressClient(BlogClient):
    """One WordPress site over an injected session (see BlogClient for the contract)."""

    capabilities = Capabilities(
        pages=True,
        taxonomy=TAGS_AND_CATEGORIES,
        media_library=True,
        caption_style="figure",  # WordPress themes style <figure>; its own editor writes them
        whole_second_times=True,
        classic_html=True,  # the classic editor's posts; its blocks have their <p>
    )
    cheap_bodies = True  # 100 posts per list request, with or without their content

    def __init__(
        self,
        session: requests.Session,
        site_url: str,
        user: str,
        app_password: str,
        *,
        root: RestRoot | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.session = session
        self.site_url = site_url
        self.user = user
        self.app_password = app_password
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.page_size = page_size
        self._root = root
        self._index: dict[str, Any] | None = None
        self._api: WordPressApi | None = None
        self._terms: dict[tuple[str, str], int] = {}  # (taxonomy, casefolded name) -> id
        self._names: dict[tuple[str, int], str] = {}  # (taxonomy, id) -> name
        self._absent: set[tuple[str, int]] = set()  # ids the site did not know: not asked again

    # --- the site ------------------------------------------------------------------------

    @property
    def api(self) -> WordPressApi:
        """The REST transport, once the site's REST root is known (found on first use)."""
        if self._api is None:
            if self._root is None:
                self.index()
            assert self._root is not None
            self._api = WordPressApi(
                self.session,
                self._root,
                self.user,
                self.app_password,
                timeout=self.timeout,
                max_attempts=self.max_attempts,
                sleep=self.sleep,
            )
        return self._api

    @property
    def root(self) -> RestRoot:
        """Where the REST API answers (pretty or ?rest_route=)."""
        return self.api.root

    def index(self) -> dict[str, Any]:
        """The REST index (site name, URL, namespaces, authentication methods)."""
        if self._index is None:
            root, self._index = discover_root(self.session, self.site_url, timeout=self.timeout)
            self._root = self._root or root
        return self._index

    def site_info(self) -> BlogInfo:
        """The site as a blog: id (host/path), name and home URL."""
        index = self.index()
        home = str(index.get("home") or index.get("url") or self.site_url).rstrip("/")
        name = html.unescape(str(index.get("name") or "")) or site_id(self.site_url)
        return BlogInfo(id=site_id(self.site_url), name=name, url=home)

    def check_sign_in(self) -> str:
        """Verify the credentials (GET /users/me) and the right to post; returns the name."""
        index = self.index()
        methods = index.get("authentication")
        if not isinstance(methods, dict) or "application-passwords" not in methods:
            raise AuthError(
                f"{site_id(self.site_url)} does not offer application passwords: WordPress"
                " allows them only over https (or on a site whose WP_ENVIRONMENT_TYPE is"
                " local), from WordPress 5.6 on, and a plugin may turn them off."
            )
        me = self.api.call("GET", "wp/v2/users/me", params={"context": "edit"})
        caps = me.get("capabilities") if isinstance(me, dict) else None
        if isinstance(caps, dict) and not caps.get("edit_posts"):
            raise PermissionError_(
                f"The WordPress user “{self.user}” may not write posts on this site; an"
                " administrator can make it an Author."
            )
        return str((me or {}).get("name") or self.user)

    def list_blogs(self) -> list[BlogInfo]:
        return [self.site_info()]

    @property
    def media(self) -> WordPressMedia:
        """The site's media library, as an image host."""
        return WordPressMedia(self.api)

    def upload_media(
        self,
        html: str,
        folder: Path,
        known: object,
        progress: Callable[[str], None],
    ) -> tuple[str, dict[str, dict[str, Any]]]:
        return upload_images(
            self.media, html, folder, known if isinstance(known, dict) else None, progress
        )

    # --- posts and pages ---------------------------------------------------------------------

    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        return self.get_item(blog_id, post_id)

    def get_item(self, blog_id: str, item_id: str, kind: str = POST) -> RemotePost:
        route = f"wp/v2/{collection(kind)}/{item_id}"
        return self.remote_post(self.api.call("GET", route, params={"context": "edit"}), kind)

    def find_by_address(self, blog_id: str, address: str) -> RemotePost | None:
        parts = urlsplit(address.strip())
        query = parse_qs(parts.query)
        try:
            for name, kind in (("p", POST), ("page_id", PAGE)):  # plain links (and drafts)
                if query.get(name, [""])[0].isdigit():
                    return self.get_item(blog_id, query[name][0], kind)
            slug = unquote(parts.path.rstrip("/").rpartition("/")[2]).removesuffix(".html")
            if not slug:
                return None
            for kind in (POST, PAGE):
                params = {"slug": slug, "status": "any", "context": "edit"}
                for item in self.api.call("GET", f"wp/v2/{collection(kind)}", params=params) or []:
                    found = self.remote_post(item, kind)
                    if same_address(found.url, address):
                        return found
        except NotFoundError:
            return None
        return None

    def list_page(
        self, blog_id: str, *, kind: str = POST, bodies: bool = True, token: str = ""
    ) -> ListPage:
        # Newest first by id, not by modified date: WordPress sorts by one column only, and
        # MariaDB returns rows that tie on it (posts saved in the same second: a bulk edit, a
        # migrated blog) in a different order for each page, so paging by date loses posts.
        if token and not (token.isdigit() and int(token) > 0):
            raise ValueError(f"not a WordPress list token: {token!r}")
        page = int(token or 1)
        params = {
            "status": "any",  # every status but trash (and auto-drafts)
            "context": "edit",  # raw title and content, as the writer typed them
            "per_page": str(self.page_size),
            "page": str(page),
            "orderby": "id",
            "order": "desc",
            "_fields": ",".join(BODY_FIELDS if bodies else SUMMARY_FIELDS),
        }
        response = self.api.send("GET", f"wp/v2/{collection(kind)}", params=params)
        if response.status_code == 400:
            code, _message, _data = envelope(response)
            if code == "rest_post_invalid_page_number":
                return ListPage([], "")  # items were deleted since the page before: none left
        self.api.check(response)
        data = self.api.json_of(response)
        if not isinstance(data, list):
            raise ServerError("The WordPress site sent an unexpected answer; try again.")
        items = [item for item in data if isinstance(item, dict) and "id" in item]
        for taxonomy in (TAGS, CATEGORIES):  # one request each for the whole page, if any
            self.term_names(taxonomy, [i for item in items for i in item.get(taxonomy) or []])
        posts = [self.remote_post(item, kind) for item in items]
        return ListPage(posts, _next(response, page, len(data), self.page_size))

    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        body = self._payload(post)
        body["content"] = post.html + marker_comment(marker)
        body["status"] = "draft" if draft else "publish"
        return insert_once(
            lambda: self.remote_post(self.api.call("POST", "wp/v2/posts", json=body, retry=False)),
            lambda: self.find_post(blog_id, marker),
            attempts=self.api.max_attempts,
            wait=self.api.wait,
        )

    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        needle = marker_comment(marker)
        params = {"search": marker, "status": "any", "context": "edit", "per_page": "20"}
        for item in self.api.call("GET", "wp/v2/posts", params=params) or []:
            if needle in _text(item.get("content")):
                return self.remote_post(item)
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
        # WordPress updates only the fields sent, so nothing set in its editor is lost.
        body = self._payload(post) if kind == POST else {"title": post.title, "content": post.html}
        data = self.api.call("POST", f"wp/v2/{collection(kind)}/{item_id}", json=body)
        return self.remote_post(data, kind)

    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        # "Now" is sent as a date too: a post that once had a future date (scheduled, then
        # turned back into a draft) would otherwise be scheduled again instead of going live.
        at = datetime.now(UTC) if at is None else at
        body: dict[str, Any] = {"status": "publish", "date_gmt": wp_date(at)}
        if at.astimezone(UTC) > datetime.now(UTC):
            body["status"] = "future"
        # Setting a status is idempotent: safe to repeat after a lost answer.
        data = self.api.call("POST", f"wp/v2/{collection(kind)}/{post_id}", json=body)
        return self.remote_post(data, kind)

    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        route = f"wp/v2/{collection(kind)}/{post_id}"
        return self.remote_post(self.api.call("POST", route, json={"status": "draft"}), kind)

    def _payload(self, post: PostContent) -> dict[str, Any]:
        body: dict[str, Any] = {
            "title": post.title,
            "content": post.html,
            "tags": self.term_ids(TAGS, post.labels),
        }
        if post.categories is not None:  # absent from the front matter: leave them alone
            body["categories"] = self.term_ids(CATEGORIES, post.categories)
        if post.description is not None:  # the excerpt themes and search engines show
            body["excerpt"] = post.description
        return body

    def remote_post(self, data: Any, kind: str = POST) -> RemotePost:
        """A post or page as the REST API returns it -> RemotePost (terms as names, status
        mapped; a private post stays "PRIVATE")."""
        if not isinstance(data, dict) or "id" not in data:
            raise ServerError("The WordPress site sent an unexpected answer; try again.")
        status = str(data.get("status") or "")
        kind = PAGE if data.get("type", kind) == PAGE else POST
        return RemotePost(
            id=str(data["id"]),
            title=_text(data.get("title")),
            content=_text(data.get("content")),
            labels=self.term_names(TAGS, data.get("tags") or []),
            status=_STATUSES.get(status, status.upper()),
            url=str(data.get("link") or ""),
            updated=str(data.get("modified_gmt") or data.get("modified") or ""),
            published=str(data.get("date_gmt") or data.get("date") or ""),
            raw=data,
            kind=kind,
            categories=self.term_names(CATEGORIES, data.get("categories") or []),
        )

    # --- tags and categories ---------------------------------------------------------------

    def term_ids(self, taxonomy: str, names: Iterable[str]) -> list[int]:
        """Ids of the named tags or categories, creating the missing ones."""
        ids: list[int] = []
        for name in names:
            key = (taxonomy, name.strip().casefold())
            if key not in self._terms:
                found = self._find_term(taxonomy, name.strip())
                self._remember(taxonomy, found or self._create_term(taxonomy, name.strip()))
            if self._terms[key] not in ids:
                ids.append(self._terms[key])
        return ids

    def term_names(self, taxonomy: str, ids: Iterable[Any]) -> list[str]:
        """Names of tag or category ids, asking the site only for ids not seen yet (one
        request per 100 of them)."""
        wanted = [int(i) for i in ids if str(i).isdigit()]
        known = self._names.keys() | self._absent
        unknown = list(dict.fromkeys(i for i in wanted if (taxonomy, i) not in known))
        for start in range(0, len(unknown), PAGE_SIZE):
            chunk = unknown[start : start + PAGE_SIZE]
            params = {
                "include": ",".join(map(str, chunk)),
                "per_page": str(PAGE_SIZE),
                "hide_empty": "false",
                "_fields": "id,name",
            }
            for item in self.api.call("GET", f"wp/v2/{taxonomy}", params=params) or []:
                self._remember(taxonomy, item)
            self._absent.update((taxonomy, i) for i in chunk if (taxonomy, i) not in self._names)
        return [self._names.get((taxonomy, i), str(i)) for i in wanted]

    def _remember(self, taxonomy: str, term: dict[str, Any]) -> None:
        name = html.unescape(str(term.get("name") or ""))
        self._terms[(taxonomy, name.strip().casefold())] = int(term["id"])
        self._names[(taxonomy, int(term["id"]))] = name

    def _find_term(self, taxonomy: str, name: str) -> dict[str, Any] | None:
        params = {"search": name, "per_page": "100", "hide_empty": "false"}
        for item in self.api.call("GET", f"wp/v2/{taxonomy}", params=params) or []:
            if html.unescape(str(item.get("name") or "")).strip().casefold() == name.casefold():
                return item
        return None

    def _create_term(self, taxonomy: str, name: str) -> dict[str, Any]:
        # Creating a term that exists answers term_exists with its id, so a retry is harmless.
        response = self.api.send("POST", f"wp/v2/{taxonomy}", json={"name": name})
        code, _message, data = envelope(response)
        if response.status_code == 400 and code == "term_exists" and data.get("term_id"):
            return {"id": int(data["term_id"]), "name": name}
        self.api.check(response)
        created = self.api.json_of(response)
        if not isinstance(created, dict) or "id" not in created:
            raise map_wordpress_error(response)
        return created


def _next(response: requests.Response, page: int, count: int, size: int) -> str:
    """The token of the page after `page` ("" when it was the last), from X-WP-TotalPages."""
    total = response.headers.get("X-WP-TotalPages", "")
    if total.isdigit():
        # Not "an empty page is the end": with context=edit WordPress leaves out what the user
        # may not edit (another author's posts) yet counts it, so a page can be empty mid-way.
        return str(page + 1) if page < int(total) else ""
    # No header (a proxy dropped it): only a full page may have another after it.
    return str(page + 1) if count >= size else ""
