"""A test-only publish: prepare_images, then the Blogger client (PublishService later)."""

from __future__ import annotations

import uuid
from pathlib import Path

import requests

from editor.core.render import render_post
from editor.publish.base import PostContent, RemotePost
from editor.publish.blogger import BloggerClient
from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.uploader import ImageProgress, prepare_images
from editor.publish.records import read_draft

from ..blogger_server import BloggerServer
from ..conftest import CLIENT_ID, CLIENT_SECRET

BLOG_ID = "7001"


class StaticToken:
    """An access token the fake Google issued, without the sign-in dance."""

    def __init__(self, token: str) -> None:
        self.value = token

    def token(self) -> str:
        return self.value

    def refresh(self, rejected: str | None = None) -> None:
        raise AssertionError("the test token does not expire")


def blogger_client(server: BloggerServer, session: requests.Session) -> BloggerClient:
    """A BloggerClient signed in to the contract server."""
    if CLIENT_ID not in server.oauth.clients:
        server.add_client(CLIENT_ID, CLIENT_SECRET)
    token = server.issue_tokens(CLIENT_ID)["access_token"]
    return BloggerClient(
        session, StaticToken(token), base_url=server.api_url, max_attempts=1, sleep=lambda _: None
    )


def publish_with_images(
    draft: Path, host: ImageHost, client: BloggerClient, progress: ImageProgress | None = None
) -> RemotePost:
    """What PublishService.publish will do for a new post once the image step is in."""
    post = read_draft(draft)
    prepared = prepare_images(draft, render_post(post), host, progress)
    content = PostContent(post.title, prepared.html, post.labels)
    return client.insert_post(BLOG_ID, content, draft=False, marker=uuid.uuid4().hex)
