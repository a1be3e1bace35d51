"""The contract kit (tests/publish/kit.py) against the real WordPress on loopback, behind the
fault proxy; images go to WordPress's own media library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from editor.publish.service import PublishService
from editor.publish.wordpress import blog_key
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit import KitPost, KitTarget
from tests.wordpress.conftest import WordPressSite

pytestmark = pytest.mark.wordpress
STATUS = {"publish": "LIVE", "draft": "DRAFT", "future": "SCHEDULED", "private": "PRIVATE"}
STATES = "publish,draft,future,private,pending"


def _route(path: str) -> str:
    """The REST route of a request, pretty (/wp-json/…) or plain (?rest_route=…)."""
    parts = urlsplit(path)
    routed = parse_qs(parts.query).get("rest_route")
    if routed:
        return unquote(routed[0])
    return unquote(parts.path).split("/wp-json", 1)[-1] if "/wp-json" in parts.path else ""


class WordPressKit(KitTarget):
    site: WordPressSite

    def _post(self, raw: dict) -> KitPost:  # type: ignore[type-arg]
        tags = raw.get("tags") or []
        names = (
            {t["name"] for t in self.site.get("wp/v2/tags", include=",".join(map(str, tags)))}
            if tags
            else set()
        )
        when = raw.get("date_gmt")
        return KitPost(
            id=str(raw["id"]),
            title=raw["title"]["raw"],
            html=raw["content"]["rendered"],
            labels=frozenset(names),
            status=STATUS.get(raw["status"], raw["status"]),
            published=datetime.fromisoformat(when).replace(tzinfo=UTC) if when else None,
        )

    def posts(self) -> list[KitPost]:
        raw = self.site.get("wp/v2/posts", status=STATES, per_page=100, context="edit")
        return [self._post(r) for r in raw]

    def post(self, post_id: str) -> KitPost:
        return self._post(self.site.get(f"wp/v2/posts/{post_id}", context="edit"))

    def titled(self, title: str) -> list[KitPost]:
        found = self.site.get("wp/v2/posts", status=STATES, search=title, context="edit")
        return [p for p in map(self._post, found) if p.title == title]

    def count(self) -> int:
        return self.site.total("wp/v2/posts", status=STATES)

    def edit_on_the_blog(self, post_id: str, title: str) -> None:
        answer = self.site.rest("POST", f"wp/v2/posts/{post_id}", json={"title": title})
        assert answer.status_code == 200, answer.text

    def delete_on_the_blog(self, post_id: str) -> None:
        answer = self.site.rest("DELETE", f"wp/v2/posts/{post_id}", params={"force": "true"})
        assert answer.status_code == 200, answer.text

    def is_create(self, method: str, path: str, body: bytes) -> bool:
        return method == "POST" and _route(path).rstrip("/") == "/wp/v2/posts"

    def is_api(self, method: str, path: str, body: bytes) -> bool:
        return _route(path).startswith("/wp/v2/")

    def refusal(self, status: int) -> tuple[bytes, str]:
        code = {401: "rest_not_logged_in", 403: "rest_forbidden"}.get(status, "refused")
        body = {"code": code, "message": "Refused by the test.", "data": {"status": status}}
        return json.dumps(body).encode(), "application/json; charset=UTF-8"


@pytest.fixture
def kit(service: PublishService, wordpress_site: WordPressSite) -> Iterator[WordPressKit]:
    with FaultProxy(wordpress_site.url).start() as proxy:
        service.sign_in_wordpress(proxy.url, wordpress_site.user, wordpress_site.app_password)
        key = blog_key(proxy.url)
        assert key in service.accounts().blogs, "WordPress answered at another address"
        target = WordPressKit(service, key, proxy, [wordpress_site.app_password])
        target.site = wordpress_site
        yield target
