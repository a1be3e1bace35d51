"""A loopback Bluesky PDS: the XRPC methods an announcement uses, following the AT Protocol
lexicons (com.atproto.server.*, com.atproto.repo.*, app.bsky.feed.post,
app.bsky.richtext.facet, app.bsky.embed.external) field by field, and refusing what they do
not allow with XRPC's error shape, 400 {"error": "InvalidRequest", "message": ...}.

- `com.atproto.server.createSession` {identifier, password[, authFactorToken,
  allowTakendown]} → {accessJwt, refreshJwt, handle, did, active}; a wrong password → 401
  AuthenticationRequired "Invalid identifier or password".
- `com.atproto.server.refreshSession`: the refresh token as bearer, no body; a new pair, the
  old refresh token revoked. An access token there → 400 InvalidToken.
- `com.atproto.repo.createRecord` {repo, collection, rkey, validate, record, swapCommit}:
  the post record may hold only the lexicon's fields; `text` at most 300 graphemes and 3000
  UTF-8 bytes; `createdAt` a datetime; every facet's byte range inside the text's UTF-8 bytes
  and on character boundaries; a link feature's range must cover exactly its `uri` (our
  check, stricter than Bluesky: the app always puts the whole link in the text, so a
  mismatch means it counted characters instead of bytes); the embed
  `app.bsky.embed.external` needs `external` {uri, title, description[, thumb]}.
- `com.atproto.repo.listRecords` (repo, collection, limit 1-100, cursor, reverse): newest
  first.
- An expired access token (`expire_access()`) → 400 {"error": "ExpiredToken"}; an unknown
  one → 401 InvalidToken.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime
from typing import Any

import regex

from .social_server import Refused, Request, SocialServer, only_keys

POST = "app.bsky.feed.post"
RECORD_KEYS = {"$type", "text", "entities", "facets", "reply", "embed", "langs", "labels"}
RECORD_KEYS |= {"tags", "createdAt"}
CREATE_KEYS = {"repo", "collection", "rkey", "validate", "record", "swapCommit"}


def invalid(message: str) -> Refused:
    return Refused(400, {"error": "InvalidRequest", "message": message})


class BlueskyServer(SocialServer):
    """A PDS with one account, `handle`, whose app password is `password`."""

    def __init__(self, *, handle: str = "writer.test") -> None:
        super().__init__()
        self.handle = handle
        self.password = "abcd-efgh-ijkl-mnop"
        self.did = "did:plc:" + "w" * 24
        self.access: dict[str, bool] = {}  # token -> expired
        self.refresh: set[str] = set()
        self.records: list[dict[str, Any]] = []
        self.sessions = 0
        self.refreshes = 0
        self.tids = itertools.count(1)

    def expire_access(self) -> None:
        """Every access token given so far is now expired."""
        for token in self.access:
            self.access[token] = True

    def fault_body(self, status: int) -> dict[str, Any]:
        if status == 429:
            return {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
        return {"error": "InternalServerError", "message": "Internal Server Error"}

    def _pair(self) -> dict[str, Any]:
        access, refresh = "acc-" + secrets.token_hex(16), "ref-" + secrets.token_hex(16)
        self.access[access] = False
        self.refresh.add(refresh)
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": self.handle,
            "did": self.did,
            "active": True,
        }

    def _auth(self, request: Request) -> None:
        token = request.bearer()
        if token is None:
            raise Refused(401, {"error": "AuthMissing", "message": "Authentication Required"})
        if token not in self.access:
            raise Refused(401, {"error": "InvalidToken", "message": "Token could not be verified"})
        if self.access[token]:
            raise Refused(400, {"error": "ExpiredToken", "message": "Token has expired"})

    def route(self, request: Request) -> tuple[str, Any]:
        nsid = request.path.removeprefix("/xrpc/")
        if (request.method, nsid) == ("POST", "com.atproto.server.createSession"):
            body = only_keys(
                request.json(),
                {"identifier", "password", "authFactorToken", "allowTakendown"},
                "Input",
                invalid,
            )
            return "session", lambda: self.create_session(body)
        if (request.method, nsid) == ("POST", "com.atproto.server.refreshSession"):
            if request.raw:
                raise invalid("refreshSession takes no input")
            token = request.bearer() or ""
            return "refresh", lambda: self.refresh_session(token)
        if (request.method, nsid) == ("POST", "com.atproto.repo.createRecord"):
            self._auth(request)
            body = only_keys(request.json(), CREATE_KEYS, "Input", invalid)
            self.check_create(body)
            return "create", lambda: self.create(body)
        if (request.method, nsid) == ("GET", "com.atproto.repo.listRecords"):
            self._auth(request)
            return "list", lambda: (200, self.list_records(request.query))
        raise Refused(501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"})

    def create_session(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not isinstance(body.get("identifier"), str) or not isinstance(body.get("password"), str):
            raise invalid("Input must have the properties identifier and password")
        known = body["identifier"] in (self.handle, self.did)
        if not known or body["password"] != self.password:
            raise Refused(
                401,
                {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            )
        self.sessions += 1
        return 200, self._pair()

    def refresh_session(self, token: str) -> tuple[int, dict[str, Any]]:
        if token in self.access:
            raise Refused(400, {"error": "InvalidToken", "message": "Invalid token type"})
        if token not in self.refresh:
            raise Refused(400, {"error": "ExpiredToken", "message": "Token has been revoked"})
        self.refresh.discard(token)
        self.refreshes += 1
        return 200, self._pair()

    def check_create(self, body: dict[str, Any]) -> None:
        if body.get("repo") not in (self.did, self.handle):
            raise invalid("Could not find repo")
        if body.get("collection") != POST:
            raise invalid("Input/collection must be app.bsky.feed.post here")
        record = only_keys(body.get("record"), RECORD_KEYS, "Record", invalid)
        if record.get("$type") != POST:
            raise invalid("Record/$type must be app.bsky.feed.post")
        text = record.get("text")
        if not isinstance(text, str):
            raise invalid('Record must have the property "text"')
        if len(text.encode("utf-8")) > 3000:
            raise invalid("Record/text must not be longer than 3000 characters")
        if len(regex.findall(r"\X", text)) > 300:
            raise invalid("Record/text must not be longer than 300 graphemes")
        created = record.get("createdAt")
        try:
            datetime.fromisoformat(str(created).replace("Z", "+00:00"))
        except ValueError:
            raise invalid("Record/createdAt must be an valid atproto datetime") from None
        for number, facet in enumerate(record.get("facets") or []):
            self.check_facet(text, facet, f"Record/facets/{number}")
        if "embed" in record:
            self.check_embed(record["embed"])

    def check_facet(self, text: str, facet: Any, where: str) -> None:
        facet = only_keys(facet, {"$type", "index", "features"}, where, invalid)
        if facet.get("$type", "app.bsky.richtext.facet") != "app.bsky.richtext.facet":
            raise invalid(f"{where}/$type must be app.bsky.richtext.facet")
        index = only_keys(facet.get("index"), {"byteStart", "byteEnd"}, f"{where}/index", invalid)
        start, end = index.get("byteStart"), index.get("byteEnd")
        data = text.encode("utf-8")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(data)):
            raise invalid(f"{where}/index is not a byte range of the text")
        try:
            covered = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            raise invalid(f"{where}/index does not fall on character boundaries") from None
        features = facet.get("features")
        if not isinstance(features, list) or not features:
            raise invalid(f"{where}/features must be a non-empty array")
        for feature in features:
            feature = only_keys(
                feature, {"$type", "uri", "did", "tag"}, f"{where}/features", invalid
            )
            kind = feature.get("$type")
            if kind == "app.bsky.richtext.facet#link":
                uri = feature.get("uri")
                if not isinstance(uri, str) or "://" not in uri:
                    raise invalid(f"{where}/features/uri must be a valid uri")
                if covered != uri:
                    raise invalid(f"{where}/index covers {covered!r}, not the link {uri!r}")
            elif kind not in ("app.bsky.richtext.facet#mention", "app.bsky.richtext.facet#tag"):
                raise invalid(f"{where}/features has an unknown $type {kind!r}")

    def check_embed(self, embed: Any) -> None:
        embed = only_keys(embed, {"$type", "external"}, "Record/embed", invalid)
        if embed.get("$type") != "app.bsky.embed.external":
            raise invalid("Record/embed/$type must be app.bsky.embed.external here")
        external = only_keys(
            embed.get("external"),
            {"uri", "title", "description", "thumb"},
            "Record/embed/external",
            invalid,
        )
        for name in ("uri", "title", "description"):
            if not isinstance(external.get(name), str):
                raise invalid(f'Record/embed/external must have the property "{name}"')
        if "://" not in external["uri"]:
            raise invalid("Record/embed/external/uri must be a valid uri")

    def create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        rkey = f"3l{next(self.tids):011d}"
        uri = f"at://{self.did}/{POST}/{rkey}"
        cid = "bafyrei" + secrets.token_hex(20)
        self.records.append({"uri": uri, "cid": cid, "value": body["record"]})
        return 200, {
            "uri": uri,
            "cid": cid,
            "commit": {"cid": "bafyrei" + secrets.token_hex(20), "rev": rkey},
            "validationStatus": "valid",
        }

    def list_records(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("repo") not in (self.did, self.handle):
            raise invalid("Could not find repo")
        if query.get("collection") != POST:
            raise invalid("Params must have the property collection")
        unknown = sorted(set(query) - {"repo", "collection", "limit", "cursor", "reverse"})
        if unknown:
            raise invalid(f"Unknown parameters: {', '.join(unknown)}")
        limit = int(query.get("limit", "50"))
        if not 1 <= limit <= 100:
            raise invalid("Params/limit must be between 1 and 100")
        newest = list(reversed(self.records))
        return {"records": newest[:limit], **({"cursor": "c"} if len(newest) > limit else {})}
