"""The one small interface every blog API client implements, and what each platform can do."""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

# Post states as Blogger names them; other clients map theirs onto these.
LIVE = "LIVE"
DRAFT = "DRAFT"
SCHEDULED = "SCHEDULED"
PRIVATE = "PRIVATE"  # WordPress: published for the writer's eyes only
# What a blog item is: most are posts; Blogger and WordPress also keep pages (no labels).
POST = "post"
PAGE = "page"
# How a platform sorts posts (Capabilities.taxonomy).
LABELS = "labels"  # Blogger: one flat list of labels
TAGS_AND_CATEGORIES = "tags and categories"  # WordPress: tags, and categories from front matter


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` API requests in any `seconds` (a platform's published quota)."""

    requests: int
    seconds: float


@dataclass(frozen=True)
class Capabilities:
    """What a blog platform can do where platforms differ: code asks these, never the name."""

    pages: bool = False  # keeps pages besides posts (imported, updated, published)
    scheduling: bool = True  # publishes at a future time
    taxonomy: str = LABELS  # LABELS or TAGS_AND_CATEGORIES
    # Images go to the blog's own media library (BlogClient.upload_media), not an image host.
    media_library: bool = False
    # Modified times move in whole seconds: an edit within the second of a publish keeps the
    # time, so the digest alone tells whether the post changed on the blog.
    whole_second_times: bool = False
    # Stored HTML may keep paragraphs as blank lines and line breaks as newlines (no <p>).
    classic_html: bool = False
    # Published posts' images live on image hosts: the dead-image check can scan and repair.
    image_check: bool = False
    # How its themes expect captioned images when the writer chose no style ("" = the
    # default, Blogger's table; "figure" where themes style <figure>).
    caption_style: str = ""
    # The API's request quotas, kept by batches of many posts (updating every post that uses
    # a snippet); empty: no published quota.
    rate_limits: tuple[RateLimit, ...] = ()


@dataclass(frozen=True)
class BlogInfo:
    """A blog the signed-in account may post to."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class PostContent:
    """What Broadsheet sends: title (plain text), HTML body, labels (and categories)."""

    title: str
    html: str
    labels: list[str] = field(default_factory=list)
    # WordPress categories by name; None leaves a post's categories as they are.
    categories: list[str] | None = None
    # The search description (front matter `description:`); None leaves the blog's as it is.
    # WordPress keeps it as the excerpt; Blogger's API has no field for it.
    description: str | None = None


@dataclass(frozen=True)
class RemotePost:
    """A post as the blog returned it. `raw` keeps every field (for full-replace updates)."""

    id: str
    title: str
    content: str
    labels: list[str]
    status: str
    url: str
    updated: str
    published: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    kind: str = POST  # POST or PAGE
    categories: list[str] = field(default_factory=list)  # WordPress categories by name

    def digest(self) -> str:
        """A hash of title, labels and content: tells an edit apart from a status change."""
        return content_digest(self.title, self.labels, self.content)

    def has_digest(self, recorded: object) -> bool:
        """True when `recorded` (a record's digest) is this post's, in either form."""
        return digest_matches(self.title, self.labels, self.content, recorded)

    def parts(self) -> str:
        """Short hashes of the title and of the content ("t.c"): what changed, field by field."""
        return f"{_short(self.title)}.{_short(self.content)}"


def content_digest(title: str, labels: list[str], content: str) -> str:
    """A short hash of what the writer sees of a post (not its status or dates). Labels count
    as a set: a blog that returns them in another order has not changed them."""
    data = json.dumps([title, sorted(set(labels)), content], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def digest_matches(title: str, labels: list[str], content: str, recorded: object) -> bool:
    """`recorded` is the digest of this title, labels and content: as written now, or as
    records written before labels counted as a set were (labels in order)."""
    if not isinstance(recorded, str) or not recorded:
        return False
    if recorded == content_digest(title, labels, content):
        return True
    ordered = json.dumps([title, list(labels), content], ensure_ascii=False)
    return recorded == hashlib.sha256(ordered.encode("utf-8")).hexdigest()[:16]


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def changed_there(theirs: RemotePost, record: dict[str, Any]) -> list[str] | None:
    """Which of title, labels and content changed on the blog since the record was written;
    None when the record is too old to say (it has no `parts`)."""
    parts = record.get("parts")
    labels = record.get("labels")
    if not isinstance(parts, str) or "." not in parts or not isinstance(labels, list):
        return None
    title_hash, content_hash = parts.split(".", 1)
    changed = []
    if _short(theirs.title) != title_hash:
        changed.append("title")
    if set(theirs.labels) != set(labels):
        changed.append("labels")
    if _short(theirs.content) != content_hash:
        changed.append("content")
    return changed


@dataclass(frozen=True)
class ListPage:
    """One answer of a list request: its posts and the token of the next page ("" at the end)."""

    items: list[RemotePost]
    next_token: str = ""


class BlogClient(ABC):
    """List blogs and create, fetch, update, publish, schedule and revert posts.

    Implementations take an injected `requests.Session`, put a timeout on every request, retry
    only what is safe to repeat and raise the typed errors of `editor.publish.errors`. Each
    sets `capabilities` to what its platform does.
    """

    capabilities: ClassVar[Capabilities] = Capabilities()

    @abstractmethod
    def list_blogs(self) -> list[BlogInfo]:
        """Blogs the account may post to."""

    @abstractmethod
    def get_post(self, blog_id: str, post_id: str) -> RemotePost:
        """The post as it is on the blog now (admin view: includes drafts)."""

    @abstractmethod
    def insert_post(
        self, blog_id: str, post: PostContent, *, draft: bool, marker: str
    ) -> RemotePost:
        """Create a post exactly once; `marker` identifies it if an answer gets lost."""

    @abstractmethod
    def find_post(self, blog_id: str, marker: str) -> RemotePost | None:
        """The post created with `marker`, if the blog has it (duplicate detection)."""

    @abstractmethod
    def update_post(
        self, blog_id: str, post_id: str, post: PostContent, *, base: RemotePost | None = None
    ) -> RemotePost:
        """Replace title, HTML and labels, keeping the other fields of `base`."""

    @abstractmethod
    def publish_post(
        self, blog_id: str, post_id: str, at: datetime | None = None, *, kind: str = POST
    ) -> RemotePost:
        """Make the post (or page) live now, or schedule a post when `at` is in the future."""

    @abstractmethod
    def revert_post(self, blog_id: str, post_id: str, *, kind: str = POST) -> RemotePost:
        """Turn a live or scheduled post (or page) back into a draft."""

    def reschedule_post(
        self, blog_id: str, post_id: str, at: datetime, *, base: RemotePost, kind: str = POST
    ) -> RemotePost:
        """Move a scheduled post to `at` (in the future), keeping it scheduled; `base` is the
        post as just read (a platform that checks versions sends it)."""
        return self.publish_post(blog_id, post_id, at, kind=kind)

    def unschedule_post(
        self, blog_id: str, post_id: str, *, base: RemotePost, kind: str = POST
    ) -> RemotePost:
        """Cancel a post's schedule: it stays on the blog as a draft."""
        return self.revert_post(blog_id, post_id, kind=kind)

    # True when listing with bodies takes no more requests than without (WordPress lists 100
    # per request either way): sync then compares contents, not only update times.
    cheap_bodies: bool = False

    def list_page(
        self, blog_id: str, *, kind: str = POST, bodies: bool = True, token: str = ""
    ) -> ListPage:
        """One list request: posts (or pages) of every state the writer has (live, draft,
        scheduled), most recently updated first; `token` is the `next_token` of the page before.
        Without `bodies` the items carry no content (fewer bytes when only dates are needed)."""
        raise NotImplementedError(f"{type(self).__name__} cannot list posts")

    def upload_media(
        self,
        html: str,
        folder: Path,
        known: object,
        progress: Callable[[str], None],
    ) -> tuple[str, dict[str, dict[str, Any]]]:
        """Upload the local images of `html` (relative to `folder`) to the blog's media library
        once each, and return the HTML pointing at them and the media record to keep; `known`
        is the record of the last publish. Only where `capabilities.media_library`."""
        raise NotImplementedError(f"{type(self).__name__} has no media library")

    def find_by_address(self, blog_id: str, address: str) -> RemotePost | None:
        """The post (or page) at `address` on the blog, or None when there is none there."""
        return None

    def edit_address(self, blog_id: str, item_id: str, kind: str = POST) -> str:
        """Where the blog edits a post that has no address of its own yet ("" if nowhere)."""
        return ""

    def get_item(self, blog_id: str, item_id: str, kind: str = POST) -> RemotePost:
        """A post or a page as it is on the blog now (drafts included)."""
        if kind != POST:
            raise NotImplementedError(f"{type(self).__name__} has no pages")
        return self.get_post(blog_id, item_id)

    def update_item(
        self,
        blog_id: str,
        item_id: str,
        post: PostContent,
        *,
        base: RemotePost | None = None,
        kind: str = POST,
    ) -> RemotePost:
        """Replace a post's or page's title, HTML (and labels for posts)."""
        if kind != POST:
            raise NotImplementedError(f"{type(self).__name__} has no pages")
        return self.update_post(blog_id, item_id, post, base=base)


class PublishMode(StrEnum):
    """What publishing should leave on the blog."""

    PUBLISH = "publish"  # live now
    DRAFT = "draft"  # a draft on the blog
    SCHEDULE = "schedule"  # live at a given time
