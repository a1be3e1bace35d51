"""What a WordPress site keeps, read directly over its REST API as the admin (not through
the client under test): the part of the contract kit's target shared by the clients that
publish to WordPress (REST and MetaWeblog)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.publish.kit import KitPost, KitTarget
from tests.wordpress.conftest import WordPressSite

STATUS = {"publish": "LIVE", "draft": "DRAFT", "future": "SCHEDULED", "private": "PRIVATE"}
STATES = "publish,draft,future,private,pending"


class WordPressReader(KitTarget):
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
