"""The loopback Ghost refuses what Ghost's Admin API reference does not allow, so a client that
passes against it uses only what Ghost documents (the server is tested here with raw requests,
not with Broadsheet's client)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from .ghost_server import API, GhostServer


@pytest.fixture
def ghost() -> Iterator[GhostServer]:
    server = GhostServer().start()
    yield server
    server.stop()


def token(key: str, *, iat: float | None = None, life: int = 300, aud: str = "/admin/") -> str:
    key_id, secret = key.split(":")
    now = int(time.time() if iat is None else iat)
    claims = {"iat": now, "exp": now + life, "aud": aud}
    return jwt.encode(claims, bytes.fromhex(secret), algorithm="HS256", headers={"kid": key_id})


def call(
    ghost: GhostServer,
    method: str,
    path: str,
    *,
    auth: str | None = "",
    version: str | None = "v5.0",
    **kw: Any,
) -> requests.Response:
    headers = {}
    if auth == "":
        auth = f"Ghost {token(ghost.add_key())}"
    if auth is not None:
        headers["Authorization"] = auth
    if version is not None:
        headers["Accept-Version"] = version
    return requests.request(
        method, f"{ghost.site_url}{API}{path}", headers=headers, timeout=5, **kw
    )


def error_of(response: requests.Response) -> dict[str, Any]:
    [error] = response.json()["errors"]
    return error


def test_errors_come_in_ghosts_envelope(ghost: GhostServer) -> None:
    response = call(ghost, "GET", "posts/", auth=None)
    assert response.status_code == 403
    error = error_of(response)
    assert (error["type"], error["message"]) == ("NoPermissionError", "Authorization failed")
    assert set(error) >= {"message", "context", "type", "details", "property", "help", "id"}


@pytest.mark.parametrize(
    ("make", "status", "message"),
    [
        (lambda k: f"Bearer {token(k)}", 401, 'format is "Authorization: Ghost [token]"'),
        (lambda k: f"Ghost {token(k, iat=time.time() - 400)}", 401, "Invalid token: jwt expired"),
        (lambda k: f"Ghost {token(k, iat=time.time() - 400, life=3600)}", 401, "maxAge exceeded"),
        (lambda k: f"Ghost {token(k, aud='/content/')}", 401, "jwt audience invalid"),
        (lambda k: f"Ghost {token(k)[:-4]}AAAA", 401, "Invalid token: invalid signature"),
        (lambda k: f"Ghost {token('ab' * 12 + ':' + '00' * 32)}", 401, "Unknown Admin API Key"),
        (lambda k: "Ghost not-a-jwt", 400, "Invalid token"),
    ],
)  # fmt: skip
def test_tokens_are_checked_as_ghost_checks_them(
    ghost: GhostServer, make: Any, status: int, message: str
) -> None:
    response = call(ghost, "GET", "posts/", auth=make(ghost.add_key()))
    assert response.status_code == status
    assert message in error_of(response)["message"]


def test_a_token_living_longer_than_five_minutes_is_a_violation(ghost: GhostServer) -> None:
    response = call(ghost, "GET", "posts/", auth=f"Ghost {token(ghost.add_key(), life=3600)}")
    assert response.status_code == 200
    assert ghost.violations == [
        f"GET {API}posts/: a token must expire at most 5 minutes after it was issued"
    ]


def test_accept_version_is_required_by_the_reference(ghost: GhostServer) -> None:
    call(ghost, "GET", "posts/", version=None)
    assert "Accept-Version" in ghost.violations[0]


def test_unknown_query_options_are_refused(ghost: GhostServer) -> None:
    response = call(ghost, "GET", "posts/?status=all")
    assert response.status_code == 400
    problem = "posts.browse takes no query parameter 'status'"
    assert ghost.violations == [f"GET {API}posts/?status=all: {problem}"]


def test_post_fields_outside_the_schema_are_refused(ghost: GhostServer) -> None:
    body = {"posts": [{"title": "T", "content": "<p>x</p>"}]}
    response = call(ghost, "POST", "posts/", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["type"] == "ValidationError"
    assert error["message"] == "Validation error, cannot save post."
    assert "additional properties ('content')" in error["context"]
    assert ghost.posts == {}


def test_html_without_source_html_would_be_lost(ghost: GhostServer) -> None:
    call(ghost, "POST", "posts/", json={"posts": [{"title": "T", "html": "<p>x</p>"}]})
    assert "html is ignored without ?source=html" in ghost.violations[0]


def test_an_edit_needs_updated_at_and_a_stale_one_collides(ghost: GhostServer) -> None:
    body = {"posts": [{"title": "T", "html": "<p>x</p>"}]}
    made = call(ghost, "POST", "posts/?source=html", json=body)
    post = made.json()["posts"][0]
    assert made.status_code == 201 and "lexical" in post and "html" not in post
    missing = call(ghost, "PUT", f"posts/{post['id']}/", json={"posts": [{"title": "U"}]})
    assert missing.status_code == 422 and "updated_at" in error_of(missing)["context"]
    ghost.violations.clear()
    ghost.web_edit(post["id"], title="Edited")
    stale = {"posts": [{"title": "U", "updated_at": post["updated_at"]}]}
    collided = call(ghost, "PUT", f"posts/{post['id']}/", json=stale)
    assert collided.status_code == 409
    assert error_of(collided)["type"] == "UpdateCollisionError"
    assert ghost.posts[post["id"]]["title"] == "Edited"


def test_a_schedule_needs_two_minutes(ghost: GhostServer) -> None:
    soon = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 60))
    body = {"posts": [{"title": "T", "status": "scheduled", "published_at": soon}]}
    response = call(ghost, "POST", "posts/", json=body)
    assert response.status_code == 422
    assert error_of(response)["message"] == "Date must be at least 2 minutes in the future."


def test_html_comments_do_not_survive_the_conversion(ghost: GhostServer) -> None:
    body = {"posts": [{"title": "T", "html": "<p>x</p>\n<!--kept?-->\n<p>y</p>"}]}
    made = call(ghost, "POST", "posts/?source=html&formats=html", json=body)
    assert made.json()["posts"][0]["html"] == "<p>x</p><p>y</p>"
