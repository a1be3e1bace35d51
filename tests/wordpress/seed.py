"""A writer's blog made on the real WordPress through its REST API, as the web editors store it.

`seed_blog(site)` makes one of each kind of item an import meets (classic-editor HTML, block-editor
HTML with `<!-- wp:… -->` comments, drafts, scheduled, pending, private and password-protected
posts, tags and categories, pages) and returns them by name with what WordPress answered
(context=edit). `cheap_posts` makes many small posts quickly (to cross the 100-per-page limit of
a list request) and `delete_items` removes them again, so other tests on the shared site do not
import them. Every title carries a fresh word: a session's tests share one site.
"""

from __future__ import annotations

import struct
import threading
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from .conftest import WordPressSite

POSTS = "posts"
PAGES = "pages"
# php -S runs 4 workers (start.sh): more threads would only queue.
WORKERS = 4


def png(seed: int) -> bytes:
    """A small valid PNG whose pixels (and so whose hash) depend on `seed`."""
    width, height = 6, 4
    pixel = bytes([seed % 256, (seed // 256) % 256, 200])
    raw = b"".join(b"\x00" + pixel * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def create_item(site: WordPressSite, fields: dict[str, Any], collection: str = POSTS) -> dict:
    """Create a post (or a page) as the web editor would; WordPress's answer (context=edit)."""
    response = site.rest("POST", f"wp/v2/{collection}", params={"context": "edit"}, json=fields)
    assert response.status_code == 201, response.text
    return response.json()


def term_id(site: WordPressSite, taxonomy: str, name: str) -> int:
    """The id of a tag or category, created when the site does not have it yet."""
    response = site.rest("POST", f"wp/v2/{taxonomy}", json={"name": name})
    if response.status_code == 400 and response.json().get("code") == "term_exists":
        return int(response.json()["data"]["term_id"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def upload_png(site: WordPressSite, name: str) -> dict:
    """Upload a small PNG to the media library; WordPress's answer (id, source_url …)."""
    response = site.rest(
        "POST",
        "wp/v2/media",
        data=png(uuid.uuid4().int % 65536),
        headers={
            "Content-Type": "image/png",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def classic_html(word: str, image: dict) -> str:
    """What the classic editor stores: `<p>` from pasted HTML, bare paragraphs, an image."""
    src, media = image["source_url"], image["id"]
    return (
        f'<p>A classic paragraph about {word} with <a href="https://example.org/read">a link'
        "</a> and <strong>bold</strong> words.</p>\n\n"
        "A second paragraph stored the classic way,\nwith a line break and no tags.\n\n"
        f'<img class="alignnone size-full wp-image-{media}" src="{src}" alt="A classic image"'
        ' width="6" height="4" />'
    )


def caption_html(word: str, image: dict) -> str:
    """The classic editor's captioned image: a [caption] shortcode around the <img>."""
    src, media = image["source_url"], image["id"]
    return (
        f"Before the captioned picture of {word}.\n\n"
        f'[caption id="attachment_{media}" align="aligncenter" width="6"]'
        f'<img class="size-full wp-image-{media}" src="{src}" alt="Captioned" width="6"'
        ' height="4" /> The caption text[/caption]\n\nAfter it.'
    )


def block_html(word: str, image: dict) -> str:
    """What the block editor (Gutenberg, WordPress 6.1) stores, comments and all."""
    src, media = image["source_url"], image["id"]
    return (
        "<!-- wp:paragraph -->\n"
        f'<p>A block paragraph about {word} with <a href="https://example.org/blocks">a link'
        "</a>.</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
        f'<!-- wp:image {{"id":{media},"sizeSlug":"full","linkDestination":"none"}} -->\n'
        f'<figure class="wp-block-image size-full"><img src="{src}" alt="A block image"'
        f' class="wp-image-{media}"/><figcaption class="wp-element-caption">A block caption'
        "</figcaption></figure>\n<!-- /wp:image -->\n\n"
        "<!-- wp:paragraph -->\n<p>After the jump and the image.</p>\n<!-- /wp:paragraph -->"
    )


@dataclass(frozen=True)
class Seeded:
    """One item made by `seed_blog`: WordPress's answer and what a list should report."""

    data: dict[str, Any]
    collection: str  # POSTS or PAGES
    status: str  # the BlogClient status it maps to (LIVE, DRAFT, SCHEDULED, PRIVATE)
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ("Uncategorized",)

    @property
    def id(self) -> str:
        return str(self.data["id"])


def seed_blog(site: WordPressSite, word: str | None = None) -> dict[str, Seeded]:
    """One of each kind of post and page a writer's WordPress blog has, by name."""
    word = word or uuid.uuid4().hex[:8]
    image = upload_png(site, f"seed-{word}.png")
    later = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S")
    tags = (f"Travel {word}", f"Food & Drink {word}")
    category = f"Essays {word}"
    tag_ids = [term_id(site, "tags", name) for name in tags]
    category_id = term_id(site, "categories", category)

    def post(title: str, content: str, status: str = "publish", **more: Any) -> dict:
        fields = {"title": f"{title} {word}", "content": content, "status": status, **more}
        return create_item(site, fields)

    def page(title: str, status: str) -> dict:
        fields = {"title": f"{title} {word}", "content": f"<p>Page text {word}.</p>"}
        return create_item(site, {**fields, "status": status}, PAGES)

    live, draft = "LIVE", "DRAFT"
    return {
        "classic": Seeded(post("Classic", classic_html(word, image)), POSTS, live),
        "caption": Seeded(post("Captioned", caption_html(word, image)), POSTS, live),
        "block": Seeded(post("Blocks", block_html(word, image)), POSTS, live),
        "draft": Seeded(post("Draft", f"<p>Not yet {word}.</p>", "draft"), POSTS, draft),
        "pending": Seeded(post("Pending", f"<p>For review {word}.</p>", "pending"), POSTS, draft),
        "scheduled": Seeded(
            post("Scheduled", f"<p>Later {word}.</p>", "future", date_gmt=later),
            POSTS,
            "SCHEDULED",
        ),
        "tagged": Seeded(
            post("Tagged", f"<p>Tagged {word}.</p>", tags=tag_ids, categories=[category_id]),
            POSTS,
            live,
            tags=tags,
            categories=(category,),
        ),
        "private": Seeded(post("Private", f"<p>Mine {word}.</p>", "private"), POSTS, "PRIVATE"),
        "protected": Seeded(
            post("Protected", f"<p>Secret words {word}.</p>", password="open sesame"),
            POSTS,
            live,
        ),
        "page": Seeded(page("About", "publish"), PAGES, live, categories=()),
        "page_draft": Seeded(page("Draft page", "draft"), PAGES, draft, categories=()),
    }


def _in_parallel(site: WordPressSite, work: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
    """Run (method, route, options) requests on a few kept-alive connections."""
    local = threading.local()

    def send(item: tuple[str, str, dict[str, Any]]) -> Any:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.auth = (site.user, site.app_password)
        method, route, options = item
        url = f"{site.url}/wp-json/{route}"
        response = local.session.request(method, url, timeout=30, **options)
        assert response.status_code in (200, 201), response.text
        return response.json()

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(send, work))


def cheap_posts(site: WordPressSite, count: int, word: str) -> list[int]:
    """`count` small live posts ("Cheap <word> <n>"); ~1.3 s for 105 here."""
    work = [
        ("POST", "wp/v2/posts", {"json": {"title": f"Cheap {word} {n}", "status": "publish"}})
        for n in range(count)
    ]
    return [int(item["id"]) for item in _in_parallel(site, work)]


def delete_items(site: WordPressSite, ids: list[int] | list[str], collection: str = POSTS) -> None:
    """Delete items for good (not to the trash): the next test's import must not see them."""
    work = [("DELETE", f"wp/v2/{collection}/{i}", {"params": {"force": "true"}}) for i in ids]
    _in_parallel(site, work)
