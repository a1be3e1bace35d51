"""Signing in to Mastodon and Bluesky, and the signed-in clients for announcing.

The one place that knows which client serves which network; the command line (and a
dialog) ask here. Secrets go to the keyring, the rest to announce.json.
"""

from __future__ import annotations

import requests

from editor.publish.addresses import typed_site_url
from editor.publish.announce.base import (
    ANNOUNCE_SECRET,
    NAMES,
    NETWORKS,
    Announcer,
    account_of,
    save_account,
)
from editor.publish.announce.bluesky import DEFAULT_SERVICE, BlueskyClient
from editor.publish.announce.mastodon import MastodonClient
from editor.publish.credentials import load_secret, store_secret
from editor.publish.errors import ConfigError, SignedOutError


def new_session() -> requests.Session:
    """A session that says who is calling (as the blog clients' sessions do)."""
    from editor import version

    session = requests.Session()
    session.headers["User-Agent"] = f"Broadsheet/{version()}"
    return session


def parse_networks(text: str) -> list[str]:
    """`mastodon,bluesky` as a list, or a ConfigError naming what is not a network."""
    wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in wanted if name not in NETWORKS]
    if unknown or not wanted:
        raise ConfigError(
            f"{', '.join(unknown) or 'Nothing'} is not a network Broadsheet announces on;"
            " use --to mastodon, --to bluesky or --to mastodon,bluesky."
        )
    return list(dict.fromkeys(wanted))


def sign_in_mastodon(instance: str, token: str, session: requests.Session | None = None) -> str:
    """Check the access token on `instance`, keep it; returns the account (@user@host)."""
    address = typed_site_url(instance, "your Mastodon server")
    client = MastodonClient(session or new_session(), address, token.strip())
    try:
        account = client.verify()
    except SignedOutError as exc:
        raise SignedOutError(
            "Mastodon did not accept this access token; copy it whole from Preferences ▸"
            " Development, with the scopes read:accounts and write:statuses."
        ) from exc
    store_secret(ANNOUNCE_SECRET, f"mastodon:{address}", token.strip())
    save_account("mastodon", {"instance": address, "account": account})
    return account


def sign_in_bluesky(
    handle: str,
    app_password: str,
    service: str = DEFAULT_SERVICE,
    session: requests.Session | None = None,
) -> str:
    """Check the app password of `handle` at `service`, keep it; returns the handle."""
    address = typed_site_url(service, "your Bluesky server")
    handle = handle.strip().lstrip("@")
    client = BlueskyClient(session or new_session(), handle, app_password.strip(), service=address)
    did = client.sign_in()
    store_secret(ANNOUNCE_SECRET, f"bluesky:{handle}", app_password.strip())
    save_account("bluesky", {"handle": handle, "service": address, "did": did})
    return f"@{handle}"


def announcer(
    network: str, session: requests.Session | None = None, **options: object
) -> Announcer:
    """The signed-in client for `network` (options such as `sleep` go to the client)."""
    account = account_of(network)
    if network == "mastodon":
        name = f"mastodon:{account.get('instance', '')}"
    else:
        name = f"bluesky:{account.get('handle', '')}"
    secret = load_secret(ANNOUNCE_SECRET, name)
    if not secret:
        raise SignedOutError(
            f"Broadsheet has no saved sign-in for {NAMES[network]}; sign in again with"
            f" `broadsheet announce login {network}`."
        )
    if network == "mastodon":
        return MastodonClient(session or new_session(), account["instance"], secret, **options)  # type: ignore[arg-type]
    return BlueskyClient(
        session or new_session(),
        account["handle"],
        secret,
        service=account.get("service") or DEFAULT_SERVICE,
        **options,  # type: ignore[arg-type]
    )
