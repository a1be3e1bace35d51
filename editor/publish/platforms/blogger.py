"""Blogger: signed in through the browser with the writer's own Google OAuth client (no form)."""

from __future__ import annotations

from editor.publish import blogger
from editor.publish.accounts import Account, Blog
from editor.publish.blogger import BloggerClient
from editor.publish.platform import Clients, Provider


def _blogs(clients: Clients, account: Account, _known: list[Blog]) -> list[Blog]:
    infos = clients.blogger_for(account.key).list_blogs()
    return [Blog(blogger.blog_key(b.id), b.name, b.url, account.key) for b in infos]


PLATFORM = Provider(
    blogger.PROVIDER,
    "Blogger",
    BloggerClient.capabilities,
    lambda clients, blog: clients.blogger_for(blog.account),
    _blogs,
)
