"""The test server itself: it must refuse what Google's discovery document does not allow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from .blogger_server import BloggerServer
from .conftest import CLIENT_ID


@pytest.fixture
def raw() -> Iterator[tuple[BloggerServer, requests.Session]]:
    server = BloggerServer().start()
    session = requests.Session()
    token = server.issue_tokens(CLIENT_ID)["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    yield server, session
    session.close()
    server.stop()


def call(raw, method: str, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
    server, session = raw
    return session.request(method, f"{server.base_url}{path}", timeout=5, **kwargs)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "problem"),
    [
        ("GET", "/v3/blogs/7001/entries", {}, 404, "no documented method"),
        ("DELETE", "/v3/users/self/blogs", {}, 404, "DELETE is not documented"),
        ("GET", "/v3/blogs/7001/posts", {"params": {"colour": "red"}}, 400, "not declared"),
        ("GET", "/v3/blogs/7001/posts", {"params": {"view": "OWNER"}}, 400, "one of"),
        ("GET", "/v3/blogs/7001/posts", {"params": {"maxResults": "ten"}}, 400, "integer"),
        ("GET", "/v3/blogs/7001/posts/1", {"params": {"view": ["ADMIN", "READER"]}}, 400, "once"),
        ("POST", "/v3/blogs/7001/posts", {"json": {"title": "t", "tags": ["x"]}}, 400, "tags"),
        ("POST", "/v3/blogs/7001/posts", {"json": {"labels": "x"}}, 400, "array"),
        ("POST", "/v3/blogs/7001/posts", {"json": {"status": "PUBLIC"}}, 400, "one of"),
        ("POST", "/v3/blogs/7001/posts", {}, 400, "needs a Post body"),
        ("GET", "/v3/blogs/byurl", {}, 400, "required query parameter 'url'"),
    ],
)
def test_undocumented_requests_are_refused(raw, method, path, kwargs, status, problem) -> None:  # type: ignore[no-untyped-def]
    answer = call(raw, method, path, **kwargs)
    assert answer.status_code == status
    assert problem in answer.json()["error"]["message"]
    assert raw[0].violations  # and recorded, so a fixture would fail the test


def test_documented_requests_answer_in_documented_shapes(raw) -> None:  # type: ignore[no-untyped-def]
    server, _ = raw
    created = call(
        raw, "POST", "/v3/blogs/7001/posts", params={"isDraft": "true"}, json={"title": "T"}
    ).json()
    assert created["kind"] == "blogger#post" and created["status"] == "DRAFT"
    listed = call(
        raw, "GET", "/v3/blogs/7001/posts", params={"status": ["DRAFT", "LIVE"], "view": "ADMIN"}
    ).json()
    assert listed["kind"] == "blogger#postList" and listed["items"][0]["id"] == created["id"]
    for item in listed["items"]:
        assert server.contract.check_value(item, {"$ref": "Post"}, "Post") is None
    missing = call(raw, "GET", "/v3/blogs/7001/posts/424242")
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert error["code"] == 404 and error["errors"][0]["reason"] == "notFound"
    assert server.violations == []


def test_a_missing_or_wrong_bearer_token_is_401(raw) -> None:  # type: ignore[no-untyped-def]
    server, session = raw
    answer = requests.get(f"{server.api_url}/users/self/blogs", timeout=5)
    assert answer.status_code == 401
    assert answer.json()["error"]["errors"][0]["reason"] == "authError"
    session.headers["Authorization"] = "Bearer forged"
    assert call(raw, "GET", "/v3/users/self/blogs").status_code == 401
