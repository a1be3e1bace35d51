"""The contract kit (tests/publish/kit.py) against Blogger: the loopback server that enforces
Google's discovery document, behind the fault proxy; images through an image host."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from editor.publish import blogger
from editor.publish.service import PublishService
from tests.publish.blogger_server import BloggerServer
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit import KitPost, KitTarget
from tests.publish.kit_images import command_image_host
from tests.publish.kit_schedule import *  # noqa: F403 - and its schedule tests

BLOG_ID = "7001"
STATUS = {"LIVE": "LIVE", "DRAFT": "DRAFT", "SCHEDULED": "SCHEDULED"}


class BloggerKit(KitTarget):
    server: BloggerServer
    api_path: str

    def _items(self) -> list[dict]:  # type: ignore[type-arg]
        with self.server.lock:
            return list(self.server.blogger.posts[BLOG_ID].values())

    def posts(self) -> list[KitPost]:
        return [
            KitPost(
                id=str(p["id"]),
                title=p.get("title", ""),
                html=p.get("content", ""),
                labels=frozenset(p.get("labels", [])),
                status=STATUS[p["status"]],
                published=datetime.fromisoformat(p["published"]) if p.get("published") else None,
            )
            for p in self._items()
        ]

    def edit_on_the_blog(self, post_id: str, title: str) -> None:
        with self.server.lock:
            self.server.blogger.edit_on_web(BLOG_ID, post_id, title=title)

    def delete_on_the_blog(self, post_id: str) -> None:
        with self.server.lock:
            self.server.blogger.delete_on_web(BLOG_ID, post_id)

    def is_create(self, method: str, path: str, body: bytes) -> bool:
        return method == "POST" and path.split("?")[0].rstrip("/").endswith(
            f"/blogs/{BLOG_ID}/posts"
        )

    def is_api(self, method: str, path: str, body: bytes) -> bool:
        return path.startswith(self.api_path)

    def refusal(self, status: int) -> tuple[bytes, str]:
        reason = {401: "authError", 403: "forbidden", 429: "rateLimitExceeded"}.get(
            status, "backendError"
        )
        error = {"code": status, "message": "Refused", "errors": [{"reason": reason}]}
        return json.dumps({"error": error}).encode(), "application/json; charset=UTF-8"


@pytest.fixture
def kit(
    server: BloggerServer,
    signed_in: PublishService,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[BloggerKit]:
    proxy = FaultProxy(server.base_url).start()
    api_path = server.api_url[len(server.base_url) :]
    monkeypatch.setenv("BROADSHEET_BLOGGER_API_URL", proxy.url + api_path)
    with command_image_host(tmp_path / "image-host"):
        target = BloggerKit(signed_in, blogger.blog_key(BLOG_ID), proxy, server.secret_values())
        target.server = server
        target.api_path = api_path
        yield target
    proxy.stop()
