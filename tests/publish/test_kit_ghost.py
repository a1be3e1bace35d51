"""The contract kit (tests/publish/kit.py) against Ghost: the loopback Ghost of ghost_server.py
(the Admin API reference, field by field), behind the fault proxy; signed in through Ghost's
sign-in form in the registry, images to Ghost's own storage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests

from editor.publish import ghost
from editor.publish.base import DRAFT, LIVE, SCHEDULED
from editor.publish.providers import provider
from editor.publish.service import PublishService
from tests.publish.conftest import TEST_LANDING_WINDOW, TEST_TIMEOUT, Sleeps
from tests.publish.fault_proxy import FaultProxy
from tests.publish.ghost_server import API, GhostServer
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit import KitPost, KitTarget
from tests.publish.kit_schedule import *  # noqa: F403 - and its schedule tests

STATUS = {"published": LIVE, "sent": LIVE, "draft": DRAFT, "scheduled": SCHEDULED}
ERROR_TYPES = {401: "UnauthorizedError", 403: "NoPermissionError", 404: "NotFoundError",
               429: "TooManyRequestsError"}  # fmt: skip


class GhostKit(KitTarget):
    server: GhostServer

    def posts(self) -> list[KitPost]:
        with self.server.lock:
            items = [dict(p) for p in self.server.posts.values()]
        return [
            KitPost(
                id=p["id"],
                title=p["title"],
                html=p["html"] or "",
                labels=frozenset(t["name"] for t in p["tags"]),
                status=STATUS[p["status"]],
                published=(
                    datetime.fromisoformat(p["published_at"].replace("Z", "+00:00"))
                    if p["published_at"]
                    else None
                ),
            )
            for p in items
        ]

    def edit_on_the_blog(self, post_id: str, title: str) -> None:
        self.server.web_edit(post_id, title=title)

    def delete_on_the_blog(self, post_id: str) -> None:
        self.server.delete(post_id)

    def is_create(self, method: str, path: str, body: bytes) -> bool:
        return method == "POST" and path.split("?")[0] == f"{API}posts/"

    def is_api(self, method: str, path: str, body: bytes) -> bool:
        return path.startswith(API)

    def refusal(self, status: int) -> tuple[bytes, str]:
        error = {"message": "Refused by the test", "context": None,
                 "type": ERROR_TYPES.get(status, "InternalServerError")}  # fmt: skip
        return json.dumps({"errors": [error]}).encode(), "application/json; charset=utf-8"


@pytest.fixture
def kit(sleeps: Sleeps) -> Iterator[GhostKit]:
    server = GhostServer("Kit Ghost").start()
    proxy = FaultProxy(server.site_url).start()
    key = server.add_key()
    session = requests.Session()
    service = PublishService(
        session=session, timeout=TEST_TIMEOUT, sleep=sleeps, landing_window=TEST_LANDING_WINDOW
    )
    form = provider(ghost.PROVIDER).sign_in_form
    assert form is not None
    result = form.run(service, {"site": proxy.url, "key": key}, lambda _m: None)
    target = GhostKit(service, result.blogs[0].key, proxy, [key, key.split(":")[1]])
    target.server = server
    yield target
    proxy.stop()
    server.stop()
    session.close()
    assert server.violations == [], "requests outside the documented Admin API"
