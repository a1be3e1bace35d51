"""Listing a whole blog from the real WordPress: every post and page once, as the writer has it."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from editor.publish.base import PAGE, POST, PostContent, RemotePost
from editor.publish.errors import NotFoundError
from editor.publish.wordpress import WordPressClient
from editor.publish.wordpress_api import RestRoot

from .conftest import WordPressSite
from .seed import PAGES, POSTS, Seeded, cheap_posts, create_item, delete_items, seed_blog

pytestmark = pytest.mark.wordpress


class CountingSession(requests.Session):
    """A session that notes each request: (method, REST route, bytes of the answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, int]] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kw: Any) -> Any:
        response = super().request(method, url, *args, **kw)
        route = urlsplit(str(url)).path.split("/wp-json/", 1)[-1]
        self.sent.append((str(method), route, len(response.content)))
        return response


def client_for(site: WordPressSite, **options: Any) -> tuple[WordPressClient, CountingSession]:
    session = CountingSession()
    root = RestRoot(site.url, f"{site.url}/wp-json")  # known: no discovery request to count
    wp = WordPressClient(session, site.url, site.user, site.app_password, root=root, **options)
    return wp, session


def list_all(
    wp: WordPressClient, session: CountingSession, **options: Any
) -> tuple[list[RemotePost], list[list[tuple[str, str, int]]]]:
    """Every item, following next_token to the end; and the requests each page cost."""
    items: list[RemotePost] = []
    per_page: list[list[tuple[str, str, int]]] = []
    token = ""
    while True:
        before = len(session.sent)
        page = wp.list_page("blog", token=token, **options)
        per_page.append(session.sent[before:])
        items += page.items
        if not page.next_token:
            return items, per_page
        assert int(page.next_token) == len(per_page) + 1
        token = page.next_token


def site_ids(site: WordPressSite, collection: str) -> set[int]:
    """Ids of every item the site has in `collection` but trash, asked by the test itself."""
    ids: set[int] = set()
    for page in range(1, 100):
        params = {"status": "any", "per_page": 100, "page": page, "orderby": "id", "_fields": "id"}
        response = site.rest("GET", f"wp/v2/{collection}", params=params)
        assert response.status_code == 200, response.text
        ids |= {item["id"] for item in response.json()}
        if page >= int(response.headers["X-WP-TotalPages"]):
            return ids
    raise AssertionError("more than 100 pages")


@pytest.fixture(scope="module")
def blog(wordpress_site: WordPressSite) -> Iterator[dict[str, Seeded]]:
    """The seeded posts and pages, 100 cheap posts (so a list has two pages at least) and a
    post in the trash; all deleted again afterwards, so later imports do not meet them."""
    word = uuid.uuid4().hex[:8]
    seeded = seed_blog(wordpress_site, word)
    cheap = cheap_posts(wordpress_site, 100, word)
    trashed = create_item(wordpress_site, {"title": f"Trashed {word}", "status": "publish"})
    gone = wordpress_site.rest("DELETE", f"wp/v2/posts/{trashed['id']}")  # no force: trash
    assert gone.status_code == 200 and gone.json()["status"] == "trash"
    seeded_trash = Seeded(trashed, POSTS, "TRASH")
    try:
        yield {**seeded, "trashed": seeded_trash}
    finally:
        posts = [s.id for s in seeded.values() if s.collection == POSTS]
        pages = [s.id for s in seeded.values() if s.collection == PAGES]
        delete_items(wordpress_site, [*cheap, *posts, trashed["id"]])
        delete_items(wordpress_site, pages, PAGES)


def test_listing_posts_gives_every_post_once_as_the_writer_has_it(
    wordpress_site: WordPressSite, blog: dict[str, Seeded]
) -> None:
    wp, session = client_for(wordpress_site)
    items, per_page = list_all(wp, session)

    expected = site_ids(wordpress_site, POSTS)
    ids = [int(item.id) for item in items]
    assert len(ids) == len(set(ids)) and set(ids) == expected  # each once, none lost
    assert len(per_page) == math.ceil(len(expected) / 100) >= 2  # crossed a page boundary
    for sent in per_page:  # one list request, then at most one per taxonomy for new term ids
        assert [r for _m, r, _b in sent].count("wp/v2/posts") == 1 and sent[0][1] == "wp/v2/posts"
        assert len(sent) <= 3 and {r for _m, r, _b in sent} <= {
            "wp/v2/posts",
            "wp/v2/tags",
            "wp/v2/categories",
        }
    assert int(blog["trashed"].id) not in ids

    by_id = {item.id: item for item in items}
    for name, seeded in blog.items():
        if seeded.collection != POSTS or name == "trashed":
            continue
        item, data = by_id[seeded.id], seeded.data
        assert item.kind == POST, name
        assert item.status == seeded.status, name
        assert item.title == data["title"]["raw"], name
        assert item.content == data["content"]["raw"], name  # raw, as stored
        assert item.url == data["link"] and item.published == data["date_gmt"], name
        assert item.updated == data["modified_gmt"], name
        assert sorted(item.labels) == sorted(seeded.tags), name
        assert item.categories == list(seeded.categories), name
    block = by_id[blog["block"].id].content
    assert block.startswith("<!-- wp:paragraph -->\n<p>A block paragraph")
    assert "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->" in block
    assert '<figure class="wp-block-image size-full"><img src="' in block
    assert "[caption id=" in by_id[blog["caption"].id].content
    # Names as the writer typed them, not WordPress's escaped form ("Food &amp; Drink").
    assert any(label.startswith("Food & Drink ") for label in by_id[blog["tagged"].id].labels)
    assert by_id[blog["protected"].id].raw["password"] == "open sesame"
    assert by_id[blog["private"].id].content.startswith("<p>Mine ")
    assert "_links" not in by_id[blog["classic"].id].raw  # only the fields asked for


def test_listing_pages_gives_pages_without_terms(
    wordpress_site: WordPressSite, blog: dict[str, Seeded]
) -> None:
    wp, session = client_for(wordpress_site)
    items, per_page = list_all(wp, session, kind=PAGE)
    assert {int(item.id) for item in items} == site_ids(wordpress_site, PAGES)
    assert [r for sent in per_page for _m, r, _b in sent] == ["wp/v2/pages"] * len(per_page)
    by_id = {item.id: item for item in items}
    for name in ("page", "page_draft"):
        item, seeded = by_id[blog[name].id], blog[name]
        assert item.kind == PAGE and item.status == seeded.status
        assert item.labels == [] and item.categories == []
        assert item.content == seeded.data["content"]["raw"]
    assert not {s.id for s in blog.values() if s.collection == POSTS} & by_id.keys()


def test_listing_without_bodies_leaves_content_out(
    wordpress_site: WordPressSite, blog: dict[str, Seeded]
) -> None:
    wp, session = client_for(wordpress_site)
    light, light_pages = list_all(wp, session, bodies=False)
    full, full_pages = list_all(*client_for(wordpress_site))
    assert [i.id for i in light] == [i.id for i in full]
    assert all(item.content == "" and "content" not in item.raw for item in light)
    tagged = next(i for i in light if i.id == blog["tagged"].id)
    assert sorted(tagged.labels) == sorted(blog["tagged"].tags)
    assert tagged.status == "LIVE" and tagged.title == blog["tagged"].data["title"]["raw"]
    assert [(i.id, i.updated, i.status, i.title) for i in light] == [
        (i.id, i.updated, i.status, i.title) for i in full
    ]
    light_bytes = sum(b for sent in light_pages for _m, r, b in sent if r == "wp/v2/posts")
    full_bytes = sum(b for sent in full_pages for _m, r, b in sent if r == "wp/v2/posts")
    assert light_bytes * 2 < full_bytes


def test_posts_saved_in_the_same_second_are_each_listed_once(
    wordpress_site: WordPressSite, blog: dict[str, Seeded]
) -> None:
    # The 100 cheap posts share a handful of modified seconds; small pages cross many ties.
    wp, session = client_for(wordpress_site, page_size=7)
    items, per_page = list_all(wp, session, bodies=False)
    ids = [int(item.id) for item in items]
    assert len(ids) == len(set(ids)) and set(ids) == site_ids(wordpress_site, POSTS)
    assert len(per_page) > 15


def test_a_page_number_beyond_the_last_ends_the_listing(
    wordpress_site: WordPressSite, blog: dict[str, Seeded]
) -> None:
    wp, session = client_for(wordpress_site)
    last = math.ceil(len(site_ids(wordpress_site, PAGES)) / 100)
    # Items deleted between two list requests leave fewer pages: WordPress answers 400
    # rest_post_invalid_page_number, which means there is nothing more to list.
    page = wp.list_page("blog", kind=PAGE, token=str(last + 1))
    assert page.items == [] and page.next_token == ""
    assert len(session.sent) == 1


def test_a_page_is_read_updated_published_and_reverted_as_a_page(
    wordpress_site: WordPressSite,
) -> None:
    word = uuid.uuid4().hex[:8]
    made = create_item(
        wordpress_site, {"title": f"Colophon {word}", "content": "<p>Old.</p>"}, PAGES
    )
    page_id = str(made["id"])
    wp, _session = client_for(wordpress_site)
    try:
        got = wp.get_item("blog", page_id, PAGE)
        assert got.kind == PAGE and got.status == "DRAFT" and got.title == f"Colophon {word}"
        with pytest.raises(NotFoundError):  # a page is not a post
            wp.get_item("blog", page_id)

        content = PostContent(f"Colophon {word} 2", "<p>New.</p>", ["ignored"], ["Ignored"])
        updated = wp.update_item("blog", page_id, content, base=got, kind=PAGE)
        data = wordpress_site.get(f"wp/v2/pages/{page_id}", context="edit")
        assert updated.kind == PAGE and updated.title == f"Colophon {word} 2"
        assert data["title"]["raw"] == f"Colophon {word} 2"
        assert data["content"]["raw"] == "<p>New.</p>" and data["status"] == "draft"

        live = wp.publish_post("blog", page_id, kind=PAGE)
        assert live.status == "LIVE" and live.kind == PAGE
        assert wordpress_site.get(f"wp/v2/pages/{page_id}")["status"] == "publish"
        back = wp.revert_post("blog", page_id, kind=PAGE)
        assert back.status == "DRAFT"
        assert wordpress_site.get(f"wp/v2/pages/{page_id}", context="edit")["status"] == "draft"
    finally:
        delete_items(wordpress_site, [page_id], PAGES)
