"""MicropubClient: a Micropub site (W3C Recommendation) behind BlogClient.

A site is one blog, and a post is known by its URL (Micropub has no other id). Posts are made
with the JSON syntax (§3.3.2: an h-entry with `name`, `content: [{"html": …}]`, `category`,
`post-status`), read back with `q=source` (§3.7.2), and edited with `action: update` and
`replace` (§3.4.1). Labels are `category`. Images go to the media endpoint named by `q=config`.

What the platform cannot do, said honestly:
- Scheduling: `post-status` knows draft and published only, and what a future `published`
  date does is up to each server, so Broadsheet does not schedule (capabilities.scheduling).
- Exactly-once creates: the create carries a marker (an HTML comment at the end of the
  content, as for Blogger and WordPress). After a lost answer the post is looked for in the
  site's post list (`q=source` without a url, a widely supported extension). A server that
  cannot list its posts, or strips HTML comments from content, cannot be searched: then a
  lost answer is waited for as long as any other blog's, and publishing again after that
  window may make a second copy.
- Conflicts: Micropub keeps no modification time for clients to compare, so an edit made on
  the site is found by comparing the post's `q=source` with the digest of what was last
  published (capabilities.whole_second_times: the digest alone decides).
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from editor.core.post_images import local_image_sources, resolve_image, rewrite_sources
from editor.publish.base import (
    DRAFT,
    LABELS,
    LIVE,
    POST,
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
    DraftError,
    InvalidRequestError,
    NotFoundError,
    PublishError,
    ServerError,
)
from editor.publish.http import DEFAULT_TIMEOUT, TokenSource, insert_once
from editor.publish.micropub_api import (
    Answer,
    MicropubApi,
    SiteLinks,
    discover,
    normalize_site_url,
    site_id,
    site_name,
)

PROVIDER = "micropub"
_STATUSES = {"published": LIVE, "draft": DRAFT}
LOOKUP_SIZE = 20  # recent posts per list request when looking for a lost create
LOOKUP_PAGES = 2
LIST_SIZE = 50  # posts per list request when importing or syncing
OFFSET = "offset:"  # a list token that is an offset, for servers that give no cursor


def blog_key(site_url: str) -> str:
    """The key of a Micropub site in accounts.json: "micropub:example.com/blog"."""
    return f"{PROVIDER}:{site_id(site_url)}"


def account_key(site_url: str) -> str:
    """The key of the account of a site (one sign-in per site): as its blog key."""
    return blog_key(site_url)


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else None


def content_html(value: Any) -> str:
    """The HTML of a `content` value: {"html"} as is, plain text (a string or {"value"})
    escaped, as microformats2 parsing gives them (§3.7.2 HTML Content)."""
    if isinstance(value, dict):
        if isinstance(value.get("html"), str):
            return str(value["html"])
        return html.escape(str(value.get("value") or ""), quote=False)
    return html.escape(str(value or ""), quote=False)


def remote_post(data: Any, url: str = "") -> RemotePost:
    """A `q=source` answer (microformats2 JSON) -> RemotePost; its id is its URL."""
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        raise ServerError("The site sent an unexpected answer; try again.")
    props: dict[str, Any] = data["properties"]
    url = url or str(_first(props.get("url")) or "")
    if not url:
        raise ServerError("The site listed a post without its address; try again.")
    status = str(_first(props.get("post-status")) or "published")
    return RemotePost(
        id=url,
        title=str(_first(props.get("name")) or ""),
        content=content_html(_first(props.get("content"))),
        # Categories may also be nested h-cards (people tagged): only the words are labels.
        labels=[c for c in props.get("category") or [] if isinstance(c, str)],
        status=_STATUSES.get(status, status.upper()),
        url=url,
        updated=str(_first(props.get("updated")) or ""),
        published=str(_first(props.get("published")) or ""),
        raw=data,
    )


class MicropubClient(BlogClient):
    """One Micropub site over an injected session (see BlogClient for the contract)."""

    capabilities = Capabilities(
        scheduling=False,  # post-status is draft or published; a future date is server-specific
        taxonomy=LABELS,  # category
        media_library=True,  # the media endpoint of q=config
        # No modification time a client can rely on: the digest alone tells an edit there.
        whole_second_times=True,
        # Sites are of every make; <figure> is the HTML for a captioned image, where
        # Blogger's table layout is a Blogger habit.
        caption_style="figure",
    )
    # The post list carries whole posts either way; and with no `updated` to go by, sync has
    # to compare the words to see an edit made on the site.
    cheap_bodies = True

    def __init__(
        self,
        session: requests.Session,
        site_url: str,
        auth: TokenSource,
        *,
        links: SiteLinks | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.site_url = normalize_site_url(site_url)
        self.auth = auth
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.sleep = sleep
        self._links = links
        self._api: MicropubApi | None = None
        self._config: dict[str, Any] | None = None
        self._listed: set[str] = set()  # posts listed since the first page (see _list)

    # --- the site --------------------------------------------------------------------------

    @property
    def links(self) -> SiteLinks:
        """The site's endpoints, read from its home page on first use."""
        if self._links is None:
            self._links = discover(
                self.session,
                self.site_url,
                timeout=self.timeout,
                max_attempts=self.max_attempts,
                sleep=self.sleep,
            )
        return self._links

    @property
    def api(self) -> MicropubApi:
        """The transport to the site's Micropub endpoint."""
        if self._api is None:
            self._api = MicropubApi(
                self.session,
                self.links.micropub,
                self.auth,
                timeout=self.timeout,
                max_attempts=self.max_attempts,
                sleep=self.sleep,
            )
        return self._api

    @property
    def who(self) -> str:
        return site_name(self.site_url)

    def config(self) -> dict[str, Any]:
        """The answer to `q=config` (§3.7.1); {} when the server does not answer it, as the
        spec tells clients to treat an unexpected answer."""
        if self._config is None:
            try:
                self._config = self.api.ask("GET", params=[("q", "config")]).body
            except InvalidRequestError:
                self._config = {}
        return self._config

    def check_sign_in(self) -> BlogInfo:
        """Ask the endpoint for its configuration with the token: a refused token raises."""
        self.config()
        return self.site_info()

    def site_info(self) -> BlogInfo:
        """The site as a blog: id (host/path), its page title and its address."""
        return BlogInfo(id=site_id(self.site_url), name=self.links.title, url=self.site_url)

    def list_blogs(self) -> list[BlogInfo]:
        return [self.site_info()]

    # --- posts -------------------------------------------------------------------------------

    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        try:
            answer = self.api.ask("GET", params=[("q", "source"), ("url", post_id)])
        except InvalidRequestError as exc:
            # §3.8 example 25: a post the server does not have is an invalid_request (400).
            raise NotFoundError(f"{self.who} says this post does not exist (any more).") from exc
        return remote_post(answer.body, post_id)

    def find_by_address(self, blog_id: str, address: str) -> RemotePost | None:
        try:
            return self.get_post(blog_id, address.strip())
        except NotFoundError:
            return None

    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        properties = self._properties(post, post.html + marker_comment(marker))
        properties["post-status"] = ["draft" if draft else "published"]
        body = {"type": ["h-entry"], "properties": properties}

        def send() -> RemotePost:
            answer = self.api.ask("POST", body=body, retry=False)
            return self._created(answer, properties)

        return insert_once(
            send,
            lambda: self.find_post(blog_id, marker),
            attempts=self.api.max_attempts,
            wait=self.api.wait,
        )

    def _created(self, answer: Answer, properties: dict[str, Any]) -> RemotePost:
        if answer.status not in (201, 202) or not answer.location:
            raise ServerError(f"{self.who} did not say where it put the post; try again.")
        try:
            return self.get_post("", answer.location)
        except PublishError:
            # The post exists (201), or will (202 Accepted, §3.3.6), at Location: a failure
            # to read it back must not look like a failed create, which would be sent again.
            return remote_post({"type": ["h-entry"], "properties": properties}, answer.location)

    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        needle = marker_comment(marker)
        token = ""
        for _ in range(LOOKUP_PAGES):
            page = self._list(LOOKUP_SIZE, token)
            if page is None:
                return None  # the server cannot list its posts: nothing to search (see above)
            for item in page.items:
                if needle in item.content:
                    return item
            token = page.next_token
            if not token:
                break
        return None

    def update_post(
        self, blog_id: str, post_id: str, post: PostContent, *, base: RemotePost | None = None
    ) -> RemotePost:
        properties = self._properties(post, post.html)
        return self._update(post_id, properties, delete=[] if post.labels else ["category"])

    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        if at is not None and at.astimezone(UTC) > datetime.now(UTC):
            raise ConfigError(f"{self.who} cannot schedule posts; publish it now instead.")
        # Replacing a status is idempotent: safe to repeat after a lost answer.
        return self._update(post_id, {"post-status": ["published"]})

    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        return self._update(post_id, {"post-status": ["draft"]})

    def _update(
        self, url: str, replace: dict[str, Any], *, delete: list[str] | None = None
    ) -> RemotePost:
        body: dict[str, Any] = {"action": "update", "url": url, "replace": replace}
        if delete:
            body["delete"] = delete
        # An update replaces values: sending it twice leaves the same post, so it is retried.
        answer = self.api.ask("POST", body=body)
        if answer.status == 201 and answer.location:
            url = answer.location  # the update moved the post (§3.4.4)
        elif answer.status not in (200, 204):
            raise ServerError(f"{self.who} sent an unexpected answer to an update; try again.")
        return self.get_post("", url)

    def _properties(self, post: PostContent, body_html: str) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "name": [post.title],
            "content": [{"html": body_html}],
        }
        if post.labels:
            properties["category"] = list(post.labels)
        if post.description is not None:
            properties["summary"] = [post.description]
        return properties

    # --- the whole site (import and sync) ------------------------------------------------------

    def list_page(
        self, blog_id: str, *, kind: str = POST, bodies: bool = True, token: str = ""
    ) -> ListPage:
        if kind != POST:
            return ListPage([])  # Micropub has posts only
        page = self._list(LIST_SIZE, token)
        if page is None:
            raise InvalidRequestError(
                f"{self.who} cannot list its posts over Micropub, so they cannot be imported."
            )
        return page

    def _list(self, limit: int, token: str) -> ListPage | None:
        """One page of the post list (`q=source` without a url); None when unsupported.

        The extension pages with an `after` cursor the server gives (`paging.after`); servers
        that give none page with `offset` (Micro.blog is described so), so the next token is
        then an offset ("offset:50"). A server that ignores the offset would answer the same
        page forever: a page of posts already listed in this run ends the list.
        """
        params = [("q", "source"), ("limit", str(limit))]
        if token.startswith(OFFSET):
            params.append(("offset", token.removeprefix(OFFSET)))
        elif token:
            params.append(("after", token))
        else:
            self._listed = set()
        try:
            body = self.api.ask("GET", params=params).body
        except InvalidRequestError:
            return None
        items = body.get("items")
        if not isinstance(items, list):
            return None
        posts = [remote_post(item) for item in items]
        if not posts or {p.id for p in posts} <= self._listed:
            return ListPage([] if token else posts, "")
        self._listed.update(p.id for p in posts)
        paging = body.get("paging")
        after = str(paging.get("after") or "") if isinstance(paging, dict) else ""
        if not after and len(posts) >= limit:
            done = int(token.removeprefix(OFFSET)) if token.startswith(OFFSET) else 0
            after = f"{OFFSET}{done + len(posts)}"
        return ListPage(posts, after)

    # --- images ------------------------------------------------------------------------------

    def upload_media(
        self,
        html: str,
        folder: Path,
        known: object,
        progress: Callable[[str], None],
    ) -> tuple[str, dict[str, dict[str, Any]]]:
        known = known if isinstance(known, dict) else {}
        sources = local_image_sources(html)
        if not sources:
            return html, {}
        endpoint = self.config().get("media-endpoint") or self.links.rels.get("micropub_media")
        if not isinstance(endpoint, str) or not endpoint.strip():
            raise ConfigError(
                f"{self.who} has no media endpoint, so the images of this draft cannot be"
                " uploaded there; use images already on the web instead."
            )
        urls: dict[str, str] = {}
        record: dict[str, dict[str, Any]] = {}
        for src in sources:
            path = resolve_image(src, folder) or Path(src)  # local: never None here
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise DraftError(
                    f"The image “{src}” of this draft cannot be read ({exc.strerror or exc} at"
                    f" {path}); fix its path or remove it, then publish again."
                ) from exc
            digest = hashlib.sha256(data).hexdigest()
            entry = known.get(digest)
            # The media endpoint cannot be searched (§3.6): an image sent before is reused by
            # the address the last publish recorded.
            url = str(entry.get("url") or "") if isinstance(entry, dict) else ""
            if not url:
                progress(f"Uploading {path.name}…")
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                media = urljoin(self.links.micropub, endpoint.strip())  # a full URL, §3.6.1
                url = self.api.upload(media, data, path.name, kind)
            urls[src] = url
            record[digest] = {"url": url, "file": src}
        return rewrite_sources(html, urls), record
