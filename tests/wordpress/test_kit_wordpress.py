"""The contract kit (tests/publish/kit.py) against the real WordPress on loopback, behind the
fault proxy; images go to WordPress's own media library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from editor.publish.service import PublishService
from editor.publish.wordpress import blog_key
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit_schedule import *  # noqa: F403 - and its schedule tests
from tests.wordpress.conftest import WordPressSite
from tests.wordpress.wordpress_reader import WordPressReader

pytestmark = pytest.mark.wordpress


def _route(path: str) -> str:
    """The REST route of a request, pretty (/wp-json/…) or plain (?rest_route=…)."""
    parts = urlsplit(path)
    routed = parse_qs(parts.query).get("rest_route")
    if routed:
        return unquote(routed[0])
    return unquote(parts.path).split("/wp-json", 1)[-1] if "/wp-json" in parts.path else ""


class WordPressKit(WordPressReader):
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
