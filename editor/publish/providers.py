"""The one place that knows the blog platforms by name: for each provider (the first part of a
blog's key in accounts.json), how to build its client, read an account's blogs, what it can do
and what the writer calls it. Everything else asks a client's or a blog's `Capabilities`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from editor.publish import blogger, wordpress
from editor.publish.accounts import Account, Blog
from editor.publish.base import BlogClient, Capabilities
from editor.publish.blogger import BloggerClient
from editor.publish.errors import ConfigError
from editor.publish.wordpress import WordPressClient


class Clients(Protocol):
    """What building a client needs: the publish service's session, keyring and tokens."""

    def blogger_for(self, account_key: str) -> BloggerClient:
        """The Blogger client of a signed-in Google account."""
        ...

    def wordpress_for(self, blog: Blog) -> WordPressClient:
        """The client of a WordPress site, with its application password from the keyring."""
        ...


@dataclass(frozen=True)
class Provider:
    """One blog platform Broadsheet publishes to."""

    name: str  # as in blog keys: "blogger:<id>"
    display_name: str  # what the writer calls it
    capabilities: Capabilities
    client: Callable[[Clients, Blog], BlogClient]
    # The account's blogs as the platform lists them now (`known`: those configured before).
    blogs: Callable[[Clients, Account, list[Blog]], list[Blog]]


def _blogger_blogs(clients: Clients, account: Account, _known: list[Blog]) -> list[Blog]:
    infos = clients.blogger_for(account.key).list_blogs()
    return [Blog(blogger.blog_key(b.id), b.name, b.url, account.key) for b in infos]


def _wordpress_blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
    # One site per account: its name may have changed, its address is the account's.
    return [
        Blog(old.key, clients.wordpress_for(old).site_info().name, old.url, account.key)
        for old in known
    ]


PROVIDERS: dict[str, Provider] = {
    blogger.PROVIDER: Provider(
        blogger.PROVIDER,
        "Blogger",
        BloggerClient.capabilities,
        lambda clients, blog: clients.blogger_for(blog.account),
        _blogger_blogs,
    ),
    wordpress.PROVIDER: Provider(
        wordpress.PROVIDER,
        "WordPress",
        WordPressClient.capabilities,
        lambda clients, blog: clients.wordpress_for(blog),
        _wordpress_blogs,
    ),
}


def provider(name: str) -> Provider:
    """The platform called `name` in accounts.json; ConfigError when Broadsheet has none."""
    try:
        return PROVIDERS[name]
    except KeyError:
        known = " and ".join(p.display_name for p in PROVIDERS.values())
        raise ConfigError(
            f"Broadsheet cannot publish to “{name}” blogs; it publishes to {known}."
        ) from None


def capabilities_of(blog: Blog) -> Capabilities:
    """What the blog's platform can do (for code that has the blog but no client)."""
    return provider(blog.provider).capabilities


def blogs_where(blogs: Iterable[Blog], wanted: Callable[[Capabilities], bool]) -> list[Blog]:
    """The blogs whose platform can do what `wanted` asks; blogs of an unknown platform (a
    newer Broadsheet's accounts.json) can do nothing here and are left out."""
    return [b for b in blogs if b.provider in PROVIDERS and wanted(capabilities_of(b))]
