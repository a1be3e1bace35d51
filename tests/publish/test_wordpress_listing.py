"""Listing a WordPress blog (posts and pages, page by page) against the fake site.

tests/wordpress/test_wordpress_listing.py does the same against the real WordPress; the fake
follows what that one does (status=any, paging headers, 400 past the last page, unstable ties).
"""

from __future__ import annotations

import pytest
import requests

from editor.publish.base import PAGE, POST, ListPage, PostContent, RemotePost
from editor.publish.errors import NotFoundError
from editor.publish.wordpress import SUMMARY_FIELDS, WordPressClient
from editor.publish.wordpress_api import RestRoot

from .conftest import Sleeps
from .fake_wordpress import PASSWORD, USER, FakeWordPress

LIST_ROUTES = ("wp/v2/posts", "wp/v2/pages")


def client(fake: FakeWordPress, **options: object) -> WordPressClient:
    root = RestRoot(fake.url, f"{fake.url}/wp-json")  # no discovery request to count
    return WordPressClient(
        requests.Session(), fake.url, USER, PASSWORD, root=root, sleep=Sleeps(), **options
    )


def list_all(wp: WordPressClient, **options: object) -> tuple[list[RemotePost], list[ListPage]]:
    pages = [wp.list_page("blog", **options)]
    while pages[-1].next_token:
        pages.append(wp.list_page("blog", token=pages[-1].next_token, **options))
    return [item for page in pages for item in page.items], pages


def requests_made(fake: FakeWordPress) -> list[str]:
    return [f"{s.method} {s.route}" for s in fake.seen]


def test_every_post_once_in_one_request_per_page_plus_one_per_taxonomy() -> None:
    with FakeWordPress() as fake:
        fake.state.terms["tags"].update({7: "News", 8: "Arts & Crafts"})
        fake.state.terms["categories"][9] = "Essays"
        made = [
            fake.add(title=f"Post {n}", content=f"<p>{n}</p>", tags=[7, 8][: n % 3])
            for n in range(250)
        ]
        fake.web_edit(made[0]["id"], categories=[1, 9])  # the oldest: on the last page
        wp = client(fake)

        items, pages = list_all(wp)

        assert [int(i.id) for i in items] == sorted((p["id"] for p in made), reverse=True)
        assert len(pages) == 3 and [len(p.items) for p in pages] == [100, 100, 50]
        assert requests_made(fake) == [
            "GET wp/v2/posts",
            "GET wp/v2/tags",  # both tag ids at once, for the whole page
            "GET wp/v2/categories",
            "GET wp/v2/posts",  # only known terms here: no term request
            "GET wp/v2/posts",
            "GET wp/v2/categories",  # "Essays" is new on this page
        ]
        first = fake.calls("GET", "wp/v2/posts")[0].params
        assert first == {
            "status": "any",
            "context": "edit",
            "per_page": "100",
            "page": "1",
            "orderby": "id",
            "order": "desc",
            "_fields": first["_fields"],
        }
        assert "content" in first["_fields"].split(",") and "_links" not in first["_fields"]
        assert [p.next_token for p in pages] == ["2", "3", ""]
        by_id = {int(i.id): i for i in items}
        assert by_id[made[0]["id"]].categories == ["Uncategorized", "Essays"]
        assert by_id[made[2]["id"]].labels == ["News", "Arts & Crafts"]
        assert by_id[made[5]["id"]].content == "<p>5</p>" and by_id[made[5]["id"]].kind == POST

        list_all(wp)  # again: the names are known, only the lists are asked for
        assert requests_made(fake)[6:] == ["GET wp/v2/posts"] * 3


def test_statuses_are_mapped_and_trash_is_left_out() -> None:
    with FakeWordPress() as fake:
        ids = {
            status: fake.add(title=status, status=status, password="pw" * (status == "publish"))[
                "id"
            ]
            for status in ("publish", "future", "draft", "pending", "private", "trash")
        }
        items, _pages = list_all(client(fake))
        got = {int(i.id): i.status for i in items}
        assert got == {
            ids["publish"]: "LIVE",  # password-protected: listed like any other
            ids["future"]: "SCHEDULED",
            ids["draft"]: "DRAFT",
            ids["pending"]: "DRAFT",
            ids["private"]: "PRIVATE",
        }


def test_more_than_a_hundred_new_tags_on_one_page_are_all_named() -> None:
    with FakeWordPress() as fake:
        for n in range(100):
            tags = [1000 + 2 * n, 1001 + 2 * n]
            fake.state.terms["tags"].update({t: f"tag {t}" for t in tags})
            fake.add(title=f"P{n}", tags=tags)
        items, _pages = list_all(client(fake))
        assert all(i.labels == [f"tag {t}" for t in i.raw["tags"]] for i in items)
        assert len(fake.calls("GET", "wp/v2/tags")) == 2  # 200 ids: 100 per request


def test_a_term_the_site_does_not_know_is_asked_for_once() -> None:
    with FakeWordPress() as fake:
        for n in range(30):
            fake.add(title=f"P{n}", tags=[4242])  # a term id the site does not have
        wp = client(fake)
        list_all(wp)
        items, _pages = list_all(wp)
        assert len(fake.calls("GET", "wp/v2/tags")) == 1
        assert items[0].labels == ["4242"]


def test_without_bodies_only_the_summary_fields_are_asked_for() -> None:
    with FakeWordPress() as fake:
        fake.add(title="T", content="<p>long body</p>", tags=[])
        [item], _pages = list_all(client(fake), bodies=False)
        [seen] = fake.calls("GET", "wp/v2/posts")
        assert seen.params["_fields"].split(",") == list(SUMMARY_FIELDS)
        assert item.content == "" and item.title == "T" and item.status == "LIVE"
        assert "content" not in item.raw and item.updated and item.published


def test_posts_saved_in_the_same_second_are_each_listed_once() -> None:
    with FakeWordPress() as fake:
        same = "2024-06-01T10:00:00"
        made = {fake.add(title=f"Migrated {n}", modified_gmt=same)["id"] for n in range(60)}
        # The fake reproduces what MariaDB does under WordPress: paging by date loses posts…
        by_date: list[int] = []
        for page in (1, 2, 3, 4, 5, 6):
            params = {"status": "any", "orderby": "modified", "page": str(page), "_fields": "id"}
            answer = requests.get(
                f"{fake.url}/wp-json/wp/v2/posts", params=params, auth=(USER, PASSWORD), timeout=5
            )
            by_date += [p["id"] for p in answer.json()]
        assert len(by_date) == 60 and set(by_date) != made
        # …paging by id does not.
        items, pages = list_all(client(fake, page_size=10))
        assert len(pages) == 6 and sorted(int(i.id) for i in items) == sorted(made)


def test_a_page_past_the_last_is_the_end() -> None:
    with FakeWordPress() as fake:
        fake.add(title="only one")
        wp = client(fake)
        assert wp.list_page("blog", token="2") == ListPage([], "")
        [seen] = fake.calls("GET", "wp/v2/posts")  # WordPress answered 400, not retried
        with pytest.raises(ValueError, match="token"):
            wp.list_page("blog", token="next")


def test_an_empty_blog_is_one_request() -> None:
    with FakeWordPress() as fake:
        fake.state.posts.clear()
        assert client(fake).list_page("blog", kind=PAGE) == ListPage([], "")
        assert requests_made(fake) == ["GET wp/v2/pages"]


def test_without_paging_headers_a_short_page_is_the_last() -> None:
    with FakeWordPress(paging_headers=False) as fake:
        for n in range(25):
            fake.add(title=f"P{n}")
        items, pages = list_all(client(fake, page_size=10))
        assert [len(p.items) for p in pages] == [10, 10, 5] and len(items) == 25


def test_pages_are_listed_read_and_updated_as_pages() -> None:
    with FakeWordPress() as fake:
        about = fake.add("pages", title="About", content="<p>Me.</p>")
        draft = fake.add("pages", title="Soon", status="draft")
        post = fake.add(title="A post")
        wp = client(fake)

        items, _pages = list_all(wp, kind=PAGE)
        assert [(i.id, i.kind, i.status) for i in items] == [
            (str(draft["id"]), PAGE, "DRAFT"),
            (str(about["id"]), PAGE, "LIVE"),
        ]
        assert items[1].labels == [] and items[1].categories == []
        assert str(post["id"]) not in {i.id for i in items}

        assert wp.get_item("blog", str(about["id"]), PAGE).title == "About"
        with pytest.raises(NotFoundError):
            wp.get_item("blog", str(about["id"]))  # a page is not a post
        content = PostContent("About me", "<p>More.</p>", ["a label"], ["A category"])
        updated = wp.update_item("blog", str(about["id"]), content, kind=PAGE)
        [sent] = fake.calls("POST", f"wp/v2/pages/{about['id']}")
        assert sent.json() == {"title": "About me", "content": "<p>More.</p>"}  # no terms
        assert updated.kind == PAGE and updated.title == "About me"
        assert fake.calls("POST", "wp/v2/tags") == []

        assert wp.publish_post("blog", str(draft["id"]), kind=PAGE).status == "LIVE"
        assert wp.revert_post("blog", str(draft["id"]), kind=PAGE).status == "DRAFT"
        assert [s.route for s in fake.seen if s.method == "POST"][1:] == [
            f"wp/v2/pages/{draft['id']}"
        ] * 2
        with pytest.raises(ValueError, match="kind"):
            wp.get_item("blog", "1", "attachment")
