"""A loopback Mastodon server: the REST API methods an announcement uses, following
docs.joinmastodon.org field by field, and refusing what they do not allow.

- `GET /api/v1/instance`: the Instance entity with `configuration.statuses.max_characters`
  (`limit`, 500 by default) and `characters_reserved_per_url` 23.
- `GET /api/v1/accounts/verify_credentials`: the CredentialAccount of the token's owner.
- `POST /api/v1/statuses` (JSON or form): parameters `status`, `media_ids`, `poll`,
  `in_reply_to_id`, `sensitive`, `spoiler_text`, `visibility`, `language`, `scheduled_at`;
  anything else is refused here (Mastodon ignores unknown parameters; a contract server
  that refuses them catches a misspelt one). The text is counted as Mastodon's
  StatusLengthValidator does: grapheme clusters, every URL as 23 characters; over the limit
  → 422 {"error": "Validation failed: Text character limit of N exceeded"}. An
  `Idempotency-Key` seen before from the same account answers the status made then.
- No token or an unknown/revoked one → 401 {"error": "The access token is invalid"}; a token
  without `write:statuses` → 403 {"error": "This action is outside the authorized scopes"}.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import regex

from .social_server import Refused, Request, SocialServer

STATUS_PARAMS = {
    "status",
    "media_ids",
    "poll",
    "in_reply_to_id",
    "sensitive",
    "spoiler_text",
    "visibility",
    "language",
    "scheduled_at",
}
VISIBILITIES = {"public", "unlisted", "private", "direct"}
# Mastodon finds URLs with twitter-text; for announcements a scheme and a host are enough.
URL = regex.compile(r"https?://[^\s<>\"]+")


def mastodon_count(text: str) -> int:
    """Characters as Mastodon counts them (an implementation of its own, not the app's)."""
    return len(regex.findall(r"\X", URL.sub("x" * 23, text)))


class MastodonServer(SocialServer):
    """One instance with one account, `user`, whose token is `token`."""

    def __init__(self, *, limit: int = 500, user: str = "writer") -> None:
        super().__init__()
        self.limit = limit
        self.user = user
        self.token = "mastodon-token-0123456789abcdef"
        self.tokens: dict[str, set[str]] = {self.token: {"read", "write"}}
        self.statuses: list[dict[str, Any]] = []
        self.keys: dict[tuple[str, str], dict[str, Any]] = {}
        self.ids = itertools.count(109_000_000_000_000_001)

    def revoke(self, token: str) -> None:
        self.tokens.pop(token, None)

    def fault_body(self, status: int) -> dict[str, Any]:
        if status == 429:
            return {"error": "Too many requests"}
        return {"error": "We're sorry, but something went wrong on our end."}

    def _auth(self, request: Request, scope: str) -> str:
        token = request.bearer()
        if token is None or token not in self.tokens:
            raise Refused(401, {"error": "The access token is invalid"})
        scopes = self.tokens[token]
        if scope not in scopes and scope.split(":")[0] not in scopes:
            raise Refused(403, {"error": "This action is outside the authorized scopes"})
        return token

    def route(self, request: Request) -> tuple[str, Any]:
        key = (request.method, request.path)
        if key == ("GET", "/api/v1/instance"):
            return "instance", lambda: (200, self.instance())
        if key == ("GET", "/api/v1/accounts/verify_credentials"):
            self._auth(request, "read:accounts")
            return "verify", lambda: (200, self.account())
        if key == ("POST", "/api/v1/statuses"):
            token = self._auth(request, "write:statuses")
            params = self._params(request)
            return "create", lambda: self.create(token, params, request)
        raise Refused(404, {"error": "Record not found"})

    def instance(self) -> dict[str, Any]:
        host = self.url.split("://", 1)[1]
        return {
            "uri": host,
            "title": "Loopback Mastodon",
            "version": "4.3.0",
            "configuration": {
                "statuses": {
                    "max_characters": self.limit,
                    "max_media_attachments": 4,
                    "characters_reserved_per_url": 23,
                }
            },
        }

    def account(self) -> dict[str, Any]:
        return {
            "id": "1",
            "username": self.user,
            "acct": self.user,
            "display_name": self.user.title(),
            "url": f"{self.url}/@{self.user}",
        }

    def _params(self, request: Request) -> dict[str, Any]:
        kind = (request.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/json":
            try:
                data = json.loads(request.raw.decode("utf-8"))
            except ValueError:
                raise Refused(400, {"error": "Error while parsing request body"}) from None
            if not isinstance(data, dict):
                raise Refused(400, {"error": "Error while parsing request body"})
        elif kind == "application/x-www-form-urlencoded":
            data = {k: v[-1] for k, v in parse_qs(request.raw.decode("utf-8")).items()}
        else:
            raise Refused(415, {"error": f"Unsupported content type {kind or 'none'}"})
        unknown = sorted(set(data) - STATUS_PARAMS)
        if unknown:
            raise Refused(422, {"error": f"Unknown parameters: {', '.join(unknown)}"})
        return data

    def create(
        self, token: str, params: dict[str, Any], request: Request
    ) -> tuple[int, dict[str, Any]]:
        idempotency = request.headers.get("Idempotency-Key")
        if idempotency and (token, idempotency) in self.keys:
            return 200, self.keys[(token, idempotency)]
        text = params.get("status")
        if not isinstance(text, str) or not text.strip():
            raise Refused(422, {"error": "Validation failed: Text can't be blank"})
        if mastodon_count(text) > self.limit:
            raise Refused(
                422,
                {"error": f"Validation failed: Text character limit of {self.limit} exceeded"},
            )
        visibility = params.get("visibility", "public")
        if visibility not in VISIBILITIES:
            raise Refused(422, {"error": "Validation failed: Visibility is not included"})
        number = str(next(self.ids))
        status = {
            "id": number,
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "visibility": visibility,
            "uri": f"{self.url}/users/{self.user}/statuses/{number}",
            "url": f"{self.url}/@{self.user}/{number}",
            "content": "<p>" + text.replace("\n\n", "</p><p>") + "</p>",
            "text": text,  # what delete-and-redraft gives back: kept for the tests
            "account": self.account(),
        }
        self.statuses.append(status)
        if idempotency:
            self.keys[(token, idempotency)] = status
        return 200, status
