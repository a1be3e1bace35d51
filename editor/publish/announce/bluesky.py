"""Announcing on Bluesky through the AT Protocol (XRPC) with an app password.

- `com.atproto.server.createSession` {identifier, password} → accessJwt, refreshJwt, did.
- `com.atproto.server.refreshSession` (the refreshJwt as bearer) when a call answers
  400 `ExpiredToken`; when the refresh token is refused too, a new session is made.
- `com.atproto.repo.createRecord` {repo: did, collection: app.bsky.feed.post, record}: the
  record has `text`, `createdAt`, a link facet over the link (UTF-8 byte offsets) and an
  `app.bsky.embed.external` link card {uri, title, description}.
- createRecord has no idempotency key, so it is never blindly sent twice: before sending,
  and after a lost answer or a 5xx, the account's recent posts (`com.atproto.repo.listRecords`)
  are looked through for one with the same text and link (`insert_once`, the same rule as a
  blog post's create).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from editor.core.announcement import BLUESKY_LIMIT, bluesky_length, utf8_span
from editor.publish.announce.base import Announced, error_for
from editor.publish.base import RemotePost
from editor.publish.errors import OfflineError, ServerError, SignedOutError
from editor.publish.http import DEFAULT_TIMEOUT, Sender, insert_once, network_error, too_long
from editor.publish.logmask import register_secret
from editor.publish.secure_url import require_secure

WHO = "Bluesky"
DEFAULT_SERVICE = "https://bsky.social"
POST = "app.bsky.feed.post"
RECENT = 25  # how many of the account's latest posts are looked through for a lost create


class BlueskyClient:
    """One Bluesky account (`handle` signs in with an app password at `service`)."""

    network = "bluesky"

    def __init__(
        self,
        session: requests.Session,
        handle: str,
        app_password: str,
        *,
        service: str = DEFAULT_SERVICE,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.service = service.rstrip("/")
        require_secure(self.service, "your Bluesky app password", where="the Bluesky server")
        self.handle = handle.lstrip("@")
        self.app_password = app_password
        self.sender = Sender(session, WHO, timeout=timeout, max_attempts=max_attempts, sleep=sleep)
        self.now = now
        self.max_attempts = max(1, max_attempts)
        self.access = ""
        self.refresh_token = ""
        self.did = ""

    # -- sessions -------------------------------------------------------------------------

    def _send(
        self, method: str, nsid: str, token: str, *, retry: bool = True, **kwargs: Any
    ) -> requests.Response:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.sender.send(
            method,
            f"{self.service}/xrpc/{nsid}",
            retry=retry,
            offline=lambda exc: network_error(exc, method, WHO),
            headers=headers,
            **kwargs,
        )
        quota = too_long(response, WHO)
        if quota is not None:
            raise quota
        return response

    def sign_in(self) -> str:
        """Make a session with the app password; returns the account's did."""
        response = self._send(
            "POST",
            "com.atproto.server.createSession",
            "",
            json={"identifier": self.handle, "password": self.app_password},
        )
        if response.status_code in (400, 401) and _error_code(response) in (
            "AuthenticationRequired",
            "AuthFactorTokenRequired",
        ):
            raise SignedOutError(
                "Bluesky did not accept this handle and app password; sign in again with"
                " `broadsheet announce login bluesky HANDLE` and a new app password."
            )
        self._keep(self._json(response, "the sign-in"))
        return self.did

    def _refresh(self) -> None:
        """A new access token from the refresh token, else a new session."""
        response = self._send("POST", "com.atproto.server.refreshSession", self.refresh_token)
        if response.status_code in (400, 401) and _error_code(response) in (
            "ExpiredToken",
            "InvalidToken",
            "AuthenticationRequired",
        ):
            self.sign_in()
            return
        self._keep(self._json(response, "the sign-in"))

    def _keep(self, data: dict[str, Any]) -> None:
        access, refresh, did = data.get("accessJwt"), data.get("refreshJwt"), data.get("did")
        if not (isinstance(access, str) and isinstance(refresh, str) and isinstance(did, str)):
            raise ServerError(f"{WHO} sent an unexpected answer to the sign-in; try again.")
        register_secret(access)
        register_secret(refresh)
        self.access, self.refresh_token, self.did = access, refresh, did

    def _xrpc(
        self, method: str, nsid: str, *, retry: bool = True, what: str = "the request", **kw: Any
    ) -> dict[str, Any]:
        """Call `nsid` signed in; an expired access token is renewed once (the server
        refused the call before doing anything, so sending it again is safe)."""
        if not self.access:
            self.sign_in()
        renewed = False
        while True:
            response = self._send(method, nsid, self.access, retry=retry, **kw)
            expired = response.status_code in (400, 401) and _error_code(response) in (
                "ExpiredToken",
                "InvalidToken",
            )
            if expired and not renewed:
                renewed = True
                self._refresh()
                continue
            return self._json(response, what)

    def _json(self, response: requests.Response, what: str) -> dict[str, Any]:
        if response.status_code >= 400:
            raise error_for(response, WHO, what=what)
        try:
            data = response.json()
        except ValueError as exc:
            raise ServerError(f"{WHO} sent an answer that is not JSON; try again.") from exc
        if not isinstance(data, dict):
            raise ServerError(f"{WHO} sent an unexpected answer; try again.")
        return data

    # -- posting --------------------------------------------------------------------------

    def limit(self) -> int:
        """Bluesky's limit: 300 graphemes."""
        return BLUESKY_LIMIT

    def length(self, text: str) -> int:
        """`text` as Bluesky counts it (graphemes, the link's full length included)."""
        return bluesky_length(text)

    def record(self, text: str, link: str, title: str, description: str) -> dict[str, Any]:
        """The app.bsky.feed.post record: text, a link facet, a link card."""
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": self.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        span = utf8_span(text, link)
        if span is not None:
            record["facets"] = [
                {
                    "index": {"byteStart": span[0], "byteEnd": span[1]},
                    "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
                }
            ]
        record["embed"] = {
            "$type": "app.bsky.embed.external",
            "external": {"uri": link, "title": title, "description": description},
        }
        return record

    def find(self, text: str, link: str) -> RemotePost | None:
        """The account's recent post with this text and link, if there is one."""
        data = self._xrpc(
            "GET",
            "com.atproto.repo.listRecords",
            params={"repo": self.did, "collection": POST, "limit": RECENT},
        )
        for item in data.get("records") or []:
            value = item.get("value") if isinstance(item, dict) else None
            if not isinstance(value, dict) or value.get("text") != text:
                continue
            external = (value.get("embed") or {}).get("external") or {}
            if external.get("uri") == link or link in text:
                return self._posted(str(item.get("uri") or ""), value)
        return None

    def _posted(self, uri: str, value: dict[str, Any]) -> RemotePost:
        rkey = uri.rsplit("/", 1)[-1]
        url = f"https://bsky.app/profile/{self.handle}/post/{rkey}"
        created = str(value.get("createdAt") or "")
        return RemotePost(uri, "", str(value.get("text") or ""), [], "LIVE", url, created)

    def announce(self, text: str, link: str, title: str, description: str) -> Announced:
        """Post `text` with a link card once, looking for it before anything is re-sent."""
        if not self.did:
            self.sign_in()
        record = self.record(text, link, title, description)

        def send() -> RemotePost:
            made = self._xrpc(
                "POST",
                "com.atproto.repo.createRecord",
                retry=False,
                what="the announcement",
                json={"repo": self.did, "collection": POST, "record": record},
            )
            return self._posted(str(made.get("uri") or ""), record)

        try:
            found = self.find(text, link)  # announced before (a run whose answer was lost)
            posted = found or insert_once(
                send,
                lambda: self.find(text, link),
                attempts=self.max_attempts,
                wait=self.sender.wait,
            )
        except OfflineError as exc:
            if not exc.uncertain:
                raise
            raise OfflineError(
                f"{exc.reason} while announcing on Bluesky, so the post may still appear;"
                " announcing again looks for it first and will not post twice.",
                uncertain=True,
                timed_out=exc.timed_out,
                reason=exc.reason,
            ) from exc
        return Announced(self.network, posted.id, posted.url)


def _error_code(response: requests.Response) -> str:
    """The XRPC error name of an answer ("ExpiredToken"), or ""."""
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("error") or "") if isinstance(data, dict) else ""
