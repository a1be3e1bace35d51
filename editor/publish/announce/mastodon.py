"""Announcing on Mastodon through its REST API with an access token.

- `GET /api/v1/accounts/verify_credentials` checks the token at sign-in (the account's `acct`).
- `GET /api/v1/instance`: the instance's limit, `configuration.statuses.max_characters`
  (older servers: `max_toot_chars`; 500 when neither is given).
- `POST /api/v1/statuses` with `status` and `visibility`, and an `Idempotency-Key` header:
  Mastodon keeps the key for an hour and answers a repeat with the status it already made.
  The key is derived from the account and the text, so a retry after a lost answer, and even
  the same command run again, never posts twice; that is why the create may be retried here.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import requests

from editor.core.announcement import MASTODON_DEFAULT_LIMIT, mastodon_length
from editor.publish.announce.base import Announced, error_for
from editor.publish.errors import OfflineError, ServerError
from editor.publish.http import DEFAULT_TIMEOUT, Sender, network_error, too_long
from editor.publish.secure_url import require_secure

WHO = "Mastodon"


class MastodonClient:
    """One Mastodon account on one instance (`instance` like https://mastodon.social)."""

    network = "mastodon"

    def __init__(
        self,
        session: requests.Session,
        instance: str,
        token: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        visibility: str = "public",
    ) -> None:
        self.instance = instance.rstrip("/")
        require_secure(self.instance, "your Mastodon access token", where="the Mastodon server")
        self.token = token
        self.visibility = visibility
        self.sender = Sender(session, WHO, timeout=timeout, max_attempts=max_attempts, sleep=sleep)
        self._limit: int | None = None

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        what: str = "the request",
    ) -> dict[str, Any]:
        response = self.sender.send(
            method,
            f"{self.instance}{path}",
            offline=lambda exc: network_error(exc, method, WHO),
            json=body,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
                **(headers or {}),
            },
        )
        quota = too_long(response, WHO)
        if quota is not None:
            raise quota
        if response.status_code >= 400:
            raise error_for(response, WHO, what=what)
        try:
            data = response.json()
        except ValueError as exc:
            raise ServerError(f"{WHO} sent an answer that is not JSON; try again.") from exc
        if not isinstance(data, dict):
            raise ServerError(f"{WHO} sent an unexpected answer; try again.")
        return data

    def verify(self) -> str:
        """The signed-in account as `@user@instance` (raises when the token is refused)."""
        account = self._call("GET", "/api/v1/accounts/verify_credentials", what="the sign-in")
        acct = str(account.get("acct") or account.get("username") or "")
        host = self.instance.split("://", 1)[-1]
        return f"@{acct}" if "@" in acct else f"@{acct}@{host}"

    def limit(self) -> int:
        """The instance's character limit (asked once)."""
        if self._limit is None:
            info = self._call("GET", "/api/v1/instance", what="the request")
            statuses = (info.get("configuration") or {}).get("statuses") or {}
            value = statuses.get("max_characters") or info.get("max_toot_chars")
            self._limit = value if isinstance(value, int) and value > 0 else MASTODON_DEFAULT_LIMIT
        return self._limit

    def length(self, text: str) -> int:
        """`text` as Mastodon counts it (every URL is 23 characters)."""
        return mastodon_length(text)

    def idempotency_key(self, text: str) -> str:
        """The same key for the same text from the same account (see the module's note)."""
        seed = f"broadsheet-announce\n{self.instance}\n{text}".encode()
        return hashlib.sha256(seed).hexdigest()

    def announce(self, text: str, link: str, title: str, description: str) -> Announced:
        """Post `text` publicly, once (Mastodon builds the link card from the link itself)."""
        try:
            status = self._call(
                "POST",
                "/api/v1/statuses",
                body={"status": text, "visibility": self.visibility},
                headers={"Idempotency-Key": self.idempotency_key(text)},
                what="the announcement",
            )
        except OfflineError as exc:
            if not exc.uncertain:
                raise
            raise OfflineError(
                f"{exc.reason} while announcing on Mastodon; announcing again within the hour"
                " will not post twice.",
                uncertain=True,
                timed_out=exc.timed_out,
                reason=exc.reason,
            ) from exc
        return Announced(self.network, str(status.get("id") or ""), str(status.get("url") or ""))
