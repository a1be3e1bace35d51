"""Connecting a Micropub site: with an access token pasted once, or through the site's own
sign-in page in the browser (IndieAuth with PKCE). The token then lives in the keyring only
(the registry hands it to `Clients.remember`); accounts.json keeps the site's address.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from editor.publish import credentials, indieauth
from editor.publish.accounts import Account, Blog
from editor.publish.errors import ConfigError
from editor.publish.http import DEFAULT_TIMEOUT
from editor.publish.indieauth import IndieAuthToken, run_sign_in
from editor.publish.micropub import PROVIDER, MicropubClient, account_key, blog_key
from editor.publish.micropub_api import (
    TOKEN_WORDS,
    StoredToken,
    discover,
    normalize_site_url,
    site_name,
)
from editor.publish.secure_url import require_secure

STEPS = """
<p><b>Connect a site that speaks Micropub</b> (Micro.blog, WordPress with the IndieAuth and
Micropub plugins, Known, Indiekit and other IndieWeb sites).</p>
<ol>
<li>Type the address of your site, as you would sign in with it.</li>
<li>Leave the token empty to sign in on your site's own page in the browser, or paste an
access token your site made for Broadsheet (sites list them with their apps or tokens).</li>
</ol>
<p style="color:{muted}">The token is kept in your system keyring. It can create and update
posts and upload images; you can revoke it on your site.</p>
"""


def connect(
    session: requests.Session,
    site_url: str,
    token: str,
    *,
    progress: Callable[[str], None],
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    open_browser: bool = True,
    sign_in_seconds: float = 300,
) -> tuple[Account, list[Blog], str]:
    """Check the site and the token (signing in in the browser when `token` is empty) and
    return the account, its blog and the token to keep. Raises the typed publishing errors."""
    site = normalize_site_url(site_url)
    require_secure(site, TOKEN_WORDS)
    who = site_name(site)
    progress(f"Contacting {who}…")
    links = discover(session, site, timeout=timeout)
    _ = links.micropub  # a site without an endpoint is said so before any sign-in
    token = token.strip()
    if not token:

        def show(url: str) -> None:
            progress(f"Sign in on your site's page in the browser (or open {url})…")

        signed_in = run_sign_in(
            session,
            site,
            links=links,
            open_browser=open_browser,
            on_url=show,
            timeout_seconds=sign_in_seconds,
        )
        token, kept = signed_in.access_token, signed_in.kept()
    else:
        kept = token
    progress("Checking the access token…")
    client = MicropubClient(session, site, StoredToken(token), links=links, timeout=timeout)
    info = client.check_sign_in()
    account = Account(account_key(site), PROVIDER, f"{info.name} ({who})")
    return account, [Blog(blog_key(site), info.name, site, account.key)], kept


def client_for(
    session: requests.Session,
    blog: Blog,
    secret: Callable[[], str],
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    max_attempts: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> MicropubClient:
    """The client of a connected site; `secret` reads its token from the keyring (again
    after a 401, in case the writer connected the site anew meanwhile). A token IndieAuth
    issued with a refresh token is renewed after a 401, and the new one kept in the keyring
    (where `PublishService.remember` keeps an account's secret)."""
    if not blog.url:
        raise ConfigError(f"{blog.name} has no address; connect it again.")
    held = [IndieAuthToken.from_kept(secret())]  # what renews it, as it changes

    def reload() -> str:
        held[0] = IndieAuthToken.from_kept(secret())
        return held[0].access_token

    def renew() -> str | None:
        if not held[0].refresh_token:
            return None
        held[0] = indieauth.renew(session, held[0], site_name(blog.url))
        credentials.store_secret(credentials.ACCOUNT_SECRET, blog.account, held[0].kept())
        return held[0].access_token

    return MicropubClient(
        session,
        blog.url,
        StoredToken(held[0].access_token, reload, renew),
        timeout=timeout,
        max_attempts=max_attempts,
        sleep=sleep,
    )
