"""The Admin API contract the loopback Ghost enforces: which query options each operation
takes (Ghost's core/server/api/endpoints/posts.js), the writable post fields with their types
and maximum lengths (@tryghost/admin-api-schema posts.json, `additionalProperties: false`),
and the image types images/upload takes. Kept apart from ghost_server.py so that what Ghost
allows can be read in one place."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

API = "/ghost/api/admin/"
_ID = r"[0-9a-f]{24}"
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("GET", re.compile(r"^site/$"), "site.read"),
    ("GET", re.compile(r"^posts/$"), "posts.browse"),
    ("GET", re.compile(rf"^posts/(?P<id>{_ID})/$"), "posts.read"),
    ("GET", re.compile(r"^posts/slug/(?P<slug>[^/]+)/$"), "posts.read"),
    ("POST", re.compile(r"^posts/$"), "posts.add"),
    ("PUT", re.compile(rf"^posts/(?P<id>{_ID})/$"), "posts.edit"),
    ("DELETE", re.compile(rf"^posts/(?P<id>{_ID})/$"), "posts.destroy"),
    ("GET", re.compile(r"^pages/$"), "pages.browse"),
    ("GET", re.compile(rf"^pages/(?P<id>{_ID})/$"), "pages.read"),
    ("GET", re.compile(r"^pages/slug/(?P<slug>[^/]+)/$"), "pages.read"),
    ("POST", re.compile(r"^pages/$"), "pages.add"),
    ("PUT", re.compile(rf"^pages/(?P<id>{_ID})/$"), "pages.edit"),
    ("DELETE", re.compile(rf"^pages/(?P<id>{_ID})/$"), "pages.destroy"),
    ("POST", re.compile(r"^images/upload/$"), "images.upload"),
]
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|ul|ol|blockquote|figure|pre|table|div)>|<hr\s*/?>)\s+<")

# Query options each operation accepts (the `options` lists of Ghost's
# core/server/api/endpoints/posts.js and images.js), and the relations `include` may name.
OPTIONS = {
    "site.read": set(),
    "posts.browse": {"include", "filter", "fields", "collection", "formats", "limit", "order",
                     "page", "debug", "absolute_urls"},
    "posts.read": {"include", "fields", "formats", "debug", "absolute_urls"},
    "posts.add": {"include", "formats", "source"},
    "posts.edit": {"include", "formats", "source", "email_segment", "newsletter",
                   "force_rerender", "save_revision", "convert_to_lexical"},
    "posts.destroy": {"include"},
    # core/server/api/endpoints/pages.js: as posts, without the newsletter options.
    "pages.browse": {"include", "filter", "fields", "formats", "limit", "order", "page",
                     "debug", "absolute_urls"},
    "pages.read": {"include", "fields", "formats", "debug", "absolute_urls"},
    "pages.add": {"include", "formats", "source"},
    "pages.edit": {"include", "formats", "source", "force_rerender", "save_revision",
                   "convert_to_lexical"},
    "pages.destroy": {"include"},
    "images.upload": set(),
}  # fmt: skip
INCLUDES = {
    "tags", "authors", "authors.roles", "email", "tiers", "newsletter", "count.conversions",
    "count.signups", "count.paid_conversions", "count.clicks", "sentiment",
    "count.positive_feedback", "count.negative_feedback", "post_revisions",
    "post_revisions.author",
}  # fmt: skip
FORMATS = {"html", "lexical", "mobiledoc", "plaintext"}
# The post schema (admin-api-schema posts.json): writable fields and their limits.
STRING = {
    "title": 2000, "slug": 191, "html": 1_000_000_000, "feature_image": 2000,
    "feature_image_alt": 65535, "feature_image_caption": 65535, "locale": 6,
    "visibility": None, "meta_title": 300, "meta_description": 500, "custom_excerpt": 300,
    "codeinjection_head": 65535, "codeinjection_foot": 65535, "og_image": 2000,
    "og_title": 300, "og_description": 500, "twitter_image": 2000, "twitter_title": 300,
    "twitter_description": 500, "email_subject": 300, "custom_template": 100,
    "canonical_url": 2000, "updated_at": None, "published_at": None, "mobiledoc": None,
    "lexical": None,
}  # fmt: skip
BOOLEAN = {"featured", "email_only"}
RELATIONS = {"tags", "authors", "tiers"}
STRIPPED = {
    "id", "uuid", "comment_id", "author", "author_id", "page", "created_at", "created_by",
    "updated_by", "published_by", "url", "primary_tag", "primary_author", "excerpt",
    "plaintext", "email", "email_segment", "frontmatter", "newsletter", "reading_time",
}  # fmt: skip
STATUSES = ("published", "draft", "scheduled", "sent")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$")
IMAGE_TYPES = {
    "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "image/gif": (".gif",),
    "image/webp": (".webp",), "image/svg+xml": (".svg",), "image/x-icon": (".ico",),
}  # fmt: skip


def check_option(name: str, value: str) -> str | None:
    if name == "formats" and not set(value.split(",")) <= FORMATS:
        return f"formats={value!r}: one or more of {sorted(FORMATS)}"
    if name == "include" and not set(value.split(",")) <= INCLUDES:
        return f"include={value!r}: one or more of {sorted(INCLUDES)}"
    if name == "source" and value != "html":
        return "source must be html"
    if name == "limit" and not (value == "all" or (value.isdigit() and int(value) > 0)):
        return "limit must be a positive number or all"
    if name == "page" and not (value.isdigit() and int(value) > 0):
        return "page must be a positive number"
    if name == "order" and not re.fullmatch(r"[a-z_]+ (asc|desc)(,\s*[a-z_]+ (asc|desc))*", value):
        return f"order={value!r} is not '<field> asc|desc, …'"
    if name == "filter" and not re.fullmatch(r"status:(\[[a-z]+(,[a-z]+)*\]|[a-z]+)", value):
        return f"this server evaluates only status filters, not {value!r}"
    if name in ("save_revision", "force_rerender") and value not in ("true", "false"):
        return f"{name} must be true or false"
    return None


def check_post(post: dict[str, Any], editing: bool, kind: str = "posts") -> str | None:
    """What is wrong with a post (or page) sent to add or edit, by the schema, if anything."""
    where = f"data.{kind}[0]"
    for key, value in post.items():
        if key in STRIPPED:
            continue
        if key in STRING:
            if value is None and key not in ("title", "slug"):
                continue
            if not isinstance(value, str):
                return f"{where}.{key} should be string"
            limit = STRING[key]
            if limit is not None and len(value) > limit:
                return f"Value in [{kind}.{key}] exceeds maximum length of {limit} characters."
            if key in ("updated_at", "published_at") and not _DATE.match(value):
                return f'{where}.{key} should match format "date-time"'
        elif key in BOOLEAN:
            if not isinstance(value, bool):
                return f"{where}.{key} should be boolean"
        elif key == "status":
            if value not in STATUSES:
                return f"{where}.status should be equal to one of the allowed values"
        elif key in RELATIONS:
            if not isinstance(value, list):
                return f"{where}.{key} should be array"
            for item in value:
                ok = isinstance(item, str) or (
                    isinstance(item, dict) and bool({"id", "name", "slug"} & set(item))
                )
                if not ok:
                    return f"{where}.{key} items need an id, name or slug"
        else:
            return f"{where} should NOT have additional properties ({key!r})"
    if editing and "updated_at" not in post:
        return f"{where} should have required property 'updated_at'"
    return None


# --- how Ghost writes things --------------------------------------------------------------


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:180] or "untitled"


def ghost_html(html: str) -> str:
    """What Ghost gives back for HTML it converted: no comments, no blank text between blocks."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return _BLOCK_END.sub(r"\1<", html).strip()
