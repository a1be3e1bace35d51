"""Who signs in where on a MetaWeblog blog: keys of accounts and blogs in accounts.json, the
sign-in that finds the endpoint and checks the password, and the client of a kept blog.

A blog's key names its endpoint and its id there ("metaweblog:1@example.com/xmlrpc.php"): one
endpoint may serve several blogs (blogger.getUsersBlogs), and the endpoint is all a client
needs besides the user and password. An https endpoint is kept without its scheme; a plain
http one (this computer only, see secure_url.py) keeps "http://".
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from editor.publish.accounts import Account, Blog
from editor.publish.errors import ConfigError, PermissionError_
from editor.publish.http import DEFAULT_TIMEOUT
from editor.publish.metaweblog import PROVIDER, MetaWeblogClient
from editor.publish.metaweblog_api import discover_endpoint, endpoint_host


def endpoint_id(url: str) -> str:
    """An endpoint as keys name it: without "https://", with "http://" (loopback only)."""
    return url.removeprefix("https://").rstrip("/")


def endpoint_url(ident: str) -> str:
    """The endpoint's address from `endpoint_id`."""
    return ident if "://" in ident else f"https://{ident}"


def account_key(endpoint: str, user: str) -> str:
    """The key of a user at an endpoint: "metaweblog:<user>@example.com/xmlrpc.php"."""
    return f"{PROVIDER}:{user}@{endpoint_id(endpoint)}"


def blog_key(endpoint: str, blog_id: str) -> str:
    """The key of a blog: "metaweblog:<blogid>@example.com/xmlrpc.php"."""
    return f"{PROVIDER}:{blog_id}@{endpoint_id(endpoint)}"


def split_remote_id(remote_id: str) -> tuple[str, str]:
    """(endpoint URL, blog id) of a blog's remote id ("<blogid>@<endpoint id>")."""
    blog_id, _at, ident = remote_id.rpartition("@")
    return endpoint_url(ident), blog_id


def user_of(account: str, endpoint: str) -> str:
    """The user name inside an account key made by `account_key` (names may contain @)."""
    return account.removeprefix(f"{PROVIDER}:").removesuffix(f"@{endpoint_id(endpoint)}")


def account_parts(account: str) -> tuple[str, str]:
    """(endpoint URL, user) of an account key made by `account_key`."""
    user, _at, ident = account.removeprefix(f"{PROVIDER}:").rpartition("@")
    return endpoint_url(ident), user


def sign_in(
    session: requests.Session,
    address: str,
    user: str,
    password: str,
    progress: Callable[[str], None],
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    max_attempts: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Account, list[Blog]]:
    """Find the endpoint of `address` (a blog's home page or the endpoint itself), check the
    user and password with it, and return the account and its blogs (nothing is kept here).

    A home page names one blog (its RSD blogID): only that one is added; an endpoint
    address adds every blog the user has there.
    """
    user = user.strip()
    if not user or not password.strip():
        raise ConfigError("Both the user name and the password are needed.")
    progress("Looking for the blog's XML-RPC endpoint…")
    endpoint, named = discover_endpoint(session, address, timeout=timeout)
    client = MetaWeblogClient(
        session, endpoint, user, password, timeout=timeout, max_attempts=max_attempts, sleep=sleep
    )
    progress("Checking the user name and password…")
    infos = client.list_blogs()
    if not infos:
        raise PermissionError_(
            f"The user “{user}” has no blog at {endpoint_host(endpoint)} to post to."
        )
    chosen = [b for b in infos if b.id == named] or infos
    where = chosen[0].name if len(chosen) == 1 else endpoint_host(endpoint)
    account = Account(account_key(endpoint, user), PROVIDER, f"{user} on {where}")
    blogs = [Blog(blog_key(endpoint, b.id), b.name, b.url or endpoint, account.key) for b in chosen]
    return account, blogs


def client_of(
    session: requests.Session,
    blog: Blog,
    password: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    max_attempts: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> MetaWeblogClient:
    """The client for a blog kept by `sign_in` (its password from the keyring)."""
    endpoint, blog_id = split_remote_id(blog.remote_id)
    return MetaWeblogClient(
        session,
        endpoint,
        user_of(blog.account, endpoint),
        password,
        timeout=timeout,
        max_attempts=max_attempts,
        sleep=sleep,
        blog_id=blog_id,
    )
