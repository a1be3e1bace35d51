"""What the announcement clients share: the accounts file, secrets, errors, the result.

Non-secret account details (the Mastodon instance and account name, the Bluesky handle and
service) live in `announce.json` in the config folder; the secrets (a Mastodon access token,
a Bluesky app password) only in the keyring, under the kind `ANNOUNCE_SECRET`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests

from editor.core.paths import AppPaths, app_paths
from editor.publish.config_files import read_config_object, write_config_object
from editor.publish.errors import (
    AuthError,
    ConfigError,
    InvalidRequestError,
    PermissionError_,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.http import retry_after_seconds

FILE_NAME = "announce.json"
VERSION = 1
ANNOUNCE_SECRET = "announce-secret"  # keyring kind; name: "mastodon:<instance>", "bluesky:<handle>"
NETWORKS = ("mastodon", "bluesky")
NAMES = {"mastodon": "Mastodon", "bluesky": "Bluesky"}


@dataclass(frozen=True)
class Announced:
    """An announcement that was posted: where it can be seen."""

    network: str
    id: str
    url: str


class Announcer(Protocol):
    """A signed-in account on one network that can post an announcement."""

    network: str

    def limit(self) -> int:
        """How many characters a post may have, as the network counts them."""
        ...

    def length(self, text: str) -> int:
        """`text`'s length as the network counts it."""
        ...

    def announce(self, text: str, link: str, title: str, description: str) -> Announced:
        """Post `text` (which contains `link`) once; `title`/`description` for a link card."""
        ...


def config_path(paths: AppPaths | None = None) -> Path:
    """Where announce.json lives."""
    return (paths or app_paths()).config_dir / FILE_NAME


def load_accounts(paths: AppPaths | None = None) -> dict[str, dict[str, str]]:
    """The announcement accounts by network ({} when none is set up)."""
    data = read_config_object(config_path(paths)) or {}
    found: dict[str, dict[str, str]] = {}
    for network in NETWORKS:
        raw = data.get(network)
        if isinstance(raw, dict):
            found[network] = {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}
    return found


def save_account(network: str, details: dict[str, str], paths: AppPaths | None = None) -> None:
    """Remember one network's account (never a secret: the caller keeps that in the keyring)."""
    path = config_path(paths)
    data: dict[str, Any] = read_config_object(path) or {}
    data["version"] = VERSION
    data[network] = dict(details)
    write_config_object(path, data)


def account_of(network: str, paths: AppPaths | None = None) -> dict[str, str]:
    """The account set up for `network`, or a ConfigError saying how to set one up."""
    account = load_accounts(paths).get(network)
    if not account:
        how = (
            "`broadsheet announce login mastodon INSTANCE`"
            if network == "mastodon"
            else "`broadsheet announce login bluesky HANDLE`"
        )
        raise ConfigError(f"No {NAMES[network]} account is set up yet; sign in with {how}.")
    return account


def error_for(
    response: requests.Response, who: str, *, what: str = "the announcement"
) -> PublishError:
    """One sentence for a refused request to `who` ("Mastodon", "Bluesky")."""
    status = response.status_code
    said = _server_words(response)
    if status in (401, 403) and said.lower().startswith(("invalid identifier", "authentication")):
        return SignedOutError(
            f"{who} did not accept your sign-in; sign in again with"
            f" `broadsheet announce login {who.lower()}`."
        )
    if status == 401:
        return SignedOutError(
            f"{who} no longer accepts your sign-in; sign in again with"
            f" `broadsheet announce login {who.lower()}`."
        )
    if status == 403:
        return PermissionError_(
            f"{who} does not let this account post ({said or 'forbidden'}); sign in again with"
            " an account or token that may post."
        )
    if status == 422 or (status == 400 and "long" in said.lower()):
        return InvalidRequestError(f"{who} refused {what}: {said or 'it is not valid'}.")
    if status == 400:
        return InvalidRequestError(f"{who} refused {what}: {said or 'a bad request'}.")
    if status == 429:
        wait = retry_after_seconds(response)
        later = f"in {max(1, round(wait / 60))} minutes" if wait else "later"
        return QuotaError(
            f"{who} says too many requests were sent; try again {later}.", retry_after=wait
        )
    if status >= 500:
        return ServerError(f"{who} had a problem ({status}); try again in a few minutes.")
    return AuthError(f"{who} answered {status} ({said or 'no reason given'}); try again.")


def _server_words(response: requests.Response) -> str:
    """The server's own short explanation (Mastodon `error`, AT Protocol `message`)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    words = data.get("message") or data.get("error_description") or data.get("error") or ""
    return " ".join(str(words).split())[:200].rstrip(".")
