"""The contract kit (tests/publish/kit.py) for the MetaWeblog client, against the real
WordPress's xmlrpc.php on loopback behind the fault proxy; images go through
metaWeblog.newMediaObject into WordPress's media library. What the blog keeps is read
directly over WordPress's REST API, not through the client under test."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator

import pytest

from editor.publish.providers import sign_in_forms
from editor.publish.service import PublishService
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import *  # noqa: F403 - the kit's tests run against this module's `kit`
from tests.publish.kit_schedule import *  # noqa: F403 - and its schedule tests
from tests.wordpress.conftest import WordPressSite
from tests.wordpress.wordpress_reader import WordPressReader

pytestmark = pytest.mark.wordpress
# What WordPress's xmlrpc.php answers a bad login and a refused action with (HTTP 200).
FAULTS = {401: (403, "Incorrect username or password."), 403: (401, "Sorry, you are not allowed.")}


class MetaWeblogKit(WordPressReader):
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
