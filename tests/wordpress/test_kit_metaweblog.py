"""The contract kit (tests/publish/kit.py) for the MetaWeblog client, against the real
WordPress's xmlrpc.php on loopback behind the fault proxy; images go through
metaWeblog.newMediaObject into WordPress's media library. What the blog keeps is read
directly over WordPress's REST API, not through the client under test."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from editor.publish.providers import sign_in_forms
from editor.publish.service import PublishService
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit import KitPost, KitTarget
from tests.wordpress.conftest import WordPressSite

pytestmark = pytest.mark.wordpress
STATUS = {"publish": "LIVE", "draft": "DRAFT", "future": "SCHEDULED", "private": "PRIVATE"}
STATES = "publish,draft,future,private,pending"
# What WordPress's xmlrpc.php answers a bad login and a refused action with (HTTP 200).
FAULTS = {401: (403, "Incorrect username or password."), 403: (401, "Sorry, you are not allowed.")}


class MetaWeblogKit(KitTarget):
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
        return self.is_api(method, path, body) and b">metaWeblog.newPost<" in body

    def is_api(self, method: str, path: str, body: bytes) -> bool:
        return method == "POST" and path.split("?")[0].endswith("/xmlrpc.php")

    def refusal(self, status: int) -> tuple[bytes, str]:
        if status in FAULTS:
            code, text = FAULTS[status]
            fault = xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), methodresponse=True)
            return fault.encode(), "text/xml; charset=UTF-8"
        return b"<html><body><h1>Service Unavailable</h1></body></html>", "text/html"


@pytest.fixture
def kit(service: PublishService, wordpress_site: WordPressSite) -> Iterator[MetaWeblogKit]:
    _name, form = sign_in_forms()["metaweblog"]
    with FaultProxy(wordpress_site.url).start() as proxy:
        values = {
            "site": f"{proxy.url}/xmlrpc.php",
            "user": wordpress_site.user,
            "password": wordpress_site.app_password,
        }
        [blog] = form.run(service, values, lambda _m: None).blogs
        target = MetaWeblogKit(service, blog.key, proxy, [wordpress_site.app_password])
        target.site = wordpress_site
        yield target
