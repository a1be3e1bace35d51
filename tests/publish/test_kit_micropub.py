"""The contract kit (tests/publish/kit.py) against the loopback Micropub site (the contract
server of micropub_server.py), behind the fault proxy; images go to its media endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests

from editor.publish.base import DRAFT, LIVE
from editor.publish.providers import provider
from editor.publish.service import PublishService
from tests.publish.conftest import TEST_LANDING_WINDOW, TEST_TIMEOUT, Sleeps
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit import KitPost, KitTarget
from tests.publish.kit_schedule import *  # noqa: F403 - and its schedule tests
from tests.publish.micropub_server import MicropubServer

STATUS = {"published": LIVE, "draft": DRAFT}


class MicropubKit(KitTarget):
    server: MicropubServer

    def posts(self) -> list[KitPost]:
        posts = []
        for post in self.server.live_posts():
            props = post.properties
            content = (props.get("content") or [""])[0]
            published = (props.get("published") or [""])[0]
            posts.append(
                KitPost(
                    id=post.url,
                    title=(props.get("name") or [""])[0],
                    html=content["html"] if isinstance(content, dict) else content,
                    labels=frozenset(props.get("category") or []),
                    status=STATUS[(props.get("post-status") or ["published"])[0]],
                    published=datetime.fromisoformat(published) if published else None,
                )
            )
        return posts

    def edit_on_the_blog(self, post_id: str, title: str) -> None:
        self.server.web_edit(post_id, name=[title])

    def delete_on_the_blog(self, post_id: str) -> None:
        self.server.delete(post_id)

    def is_create(self, method: str, path: str, body: bytes) -> bool:
        if method != "POST" or not path.startswith("/micropub"):
            return False
        try:
            sent = json.loads(body)
        except ValueError:
            return False
        return isinstance(sent, dict) and "type" in sent and "action" not in sent

    def is_api(self, method: str, path: str, body: bytes) -> bool:
        return path.startswith("/micropub")

    def refusal(self, status: int) -> tuple[bytes, str]:
        error = {401: "unauthorized", 403: "forbidden"}.get(status, "server_error")
        body = {"error": error, "error_description": "Refused by the test"}
        return json.dumps(body).encode(), "application/json"


@pytest.fixture
def kit(sleeps: Sleeps) -> Iterator[MicropubKit]:
    server = MicropubServer().start()
    token = server.issue_token()
    with requests.Session() as session, FaultProxy(server.base_url).start() as proxy:
        service = PublishService(
            session=session, timeout=TEST_TIMEOUT, sleep=sleeps, landing_window=TEST_LANDING_WINDOW
        )
        form = provider("micropub").sign_in_form
        assert form is not None
        result = form.run(service, {"site": proxy.url, "token": token}, lambda _m: None)
        [blog] = result.blogs
        target = MicropubKit(service, blog.key, proxy, [token])
        target.server = server
        yield target
    server.stop()
    assert server.violations == [], "requests outside the Micropub contract"
    assert server.ignored == [], "properties the server does not know (§3.3.5: dropped)"
