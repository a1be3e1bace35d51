"""Ghost's Admin API on the wire: the Admin API key, the short-lived tokens made from it, the
site's address and Ghost's error envelope as typed errors.

An Admin API key is "<id>:<secret>" (Ghost: Settings → Integrations). Every request carries
`Authorization: Ghost <token>`, a JWT signed HS256 with the hex-decoded secret, whose header
names the key (`kid`) and whose claims say when it was made (`iat`), that it expires at most
five minutes later (`exp`, Ghost refuses anything older) and which API it is for
(`aud: "/admin/"`). A fresh token is made for every request, so none can expire in flight.

Errors come as `{"errors": [{"message", "context", "type", …}]}`: `message` is generic
("Validation error, cannot save post."), `context` says what was wrong.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from editor.publish.addresses import typed_site_url
from editor.publish.errors import (
    AuthError,
    ConfigError,
    InvalidRequestError,
    NotFoundError,
    PermissionError_,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.http import network_error
from editor.publish.logmask import mask, register_secret

API_PATH = "/ghost/api/admin"
ACCEPT_VERSION = "v5.0"  # the oldest Ghost whose Admin API answers as this client expects
TOKEN_SECONDS = 300  # Ghost refuses a token more than five minutes old
REUSE_SECONDS = 60  # how long one token is sent before a new one is made
AUDIENCE = "/admin/"
KEY_WORDS = "your Ghost Admin API key"  # what plain http would expose (secure_url.py)
_KEY = re.compile(r"^([0-9a-f]{24}):([0-9a-f]{64})$", re.I)
_KEY_SHAPE = (
    "An Admin API key is 24 letters and digits, a colon and 64 more; copy it from Settings →"
    " Integrations in Ghost (a custom integration's “Admin API key”, not its Content API key)."
)
# Ghost's words for a token that is too old or not yet valid: this computer's clock is off.
_CLOCK_WORDS = ("jwt expired", "maxage exceeded", "jwt not active")


class GhostCollision(PublishError):
    """Ghost refused an update (409 UpdateCollisionError): the post changed since it was read.
    The client turns it into a ConflictError that carries both versions."""


def parse_admin_key(text: str) -> tuple[str, bytes]:
    """(key id, secret bytes) of an Admin API key; ConfigError when it is not one."""
    match = _KEY.match(text.strip())
    if not match:
        raise ConfigError(_KEY_SHAPE)
    register_secret(match.group(2))
    return match.group(1), bytes.fromhex(match.group(2))


class AdminToken:
    """Makes the JWT requests carry from an Admin API key (a TokenSource for JsonApi).

    PyJWT signs it: the token must be byte-for-byte what Ghost's jsonwebtoken verifies
    (base64url without padding, compact JSON, the `kid` header), which a maintained library
    gets right without hand-written encoding. A token is used for a minute at most (Ghost takes
    one for five), and made anew after Ghost refuses one: each token is registered with the log
    masking, so one per request would grow that list with every request of a long import.
    """

    def __init__(self, admin_key: str, *, clock: Callable[[], float] = time.time) -> None:
        self.key_id, self._secret = parse_admin_key(admin_key)
        self.clock = clock
        self._token = ""
        self._made = 0

    def token(self) -> str:
        """A token valid for the next four minutes at least."""
        now = int(self.clock())
        if self._token and 0 <= now - self._made < REUSE_SECONDS:
            return self._token
        # Imported here: PyJWT loads `cryptography` (0.1-0.2 s), which no other platform needs.
        import jwt

        claims = {"iat": now, "exp": now + TOKEN_SECONDS, "aud": AUDIENCE}
        token = jwt.encode(claims, self._secret, algorithm="HS256", headers={"kid": self.key_id})
        register_secret(token)
        self._token, self._made = token, now
        return token

    def refresh(self, rejected: str | None = None) -> None:
        """Make a new token next time (Ghost refused `rejected`)."""
        if rejected is None or rejected == self._token:
            self._token = ""


def normalize_site_url(text: str) -> str:
    """The site's address as typed or pasted, cleaned: scheme added, admin paths dropped."""
    # People paste the admin screen (…/ghost/#/dashboard) or the API address.
    return typed_site_url(text, "the Ghost site", "/ghost")


def ghost_error(response: requests.Response) -> tuple[str, str, str]:
    """(type, message, context) of Ghost's first error; empty strings when the body is not
    Ghost's error envelope."""
    try:
        body = response.json()
        first = body["errors"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return "", "", ""
    if not isinstance(first, dict):
        return "", "", ""
    return (
        str(first.get("type") or ""),
        str(first.get("message") or ""),
        str(first.get("context") or ""),
    )


def _detail(text: str) -> str:
    """Server text fit for one sentence: tags and secrets removed, one line, short."""
    text = re.sub(r"<[^>]+>", "", text)
    return mask(" ".join(text.split()))[:200].rstrip(".")


def map_ghost_error(response: requests.Response) -> PublishError:
    """Ghost's error envelope -> a typed error with one clear sentence."""
    status = response.status_code
    kind, message, context = ghost_error(response)
    host = urlsplit(response.url or "").netloc or "the Ghost site"
    said = _detail(context or message)
    if status == 429:
        return QuotaError(f"{host} is limiting requests (HTTP 429); wait a while and try again.")
    if status >= 500:
        return ServerError(f"The Ghost site had a server problem (HTTP {status}); try later.")
    if status == 401:
        if any(word in message.lower() for word in _CLOCK_WORDS):
            return SignedOutError(
                f"Ghost refused the sign-in because this computer's clock differs from the"
                f" clock of {host} by minutes; set the clock right and try again."
            )
        return SignedOutError(
            f"Ghost refused the Admin API key for {host}; copy the key again from Settings →"
            " Integrations in Ghost and sign in again with `broadsheet login ghost`."
        )
    if status == 403:
        if not kind:
            return PermissionError_(
                f"The web server of {host} refused the request (HTTP 403) before Ghost saw it;"
                " a firewall or security service may block Ghost's Admin API."
            )
        if message == "Authorization failed":
            # Ghost got no Authorization header at all: something in front of it removed it.
            return AuthError(
                f"The Admin API key never reached Ghost on {host}: a proxy or web server in"
                " front of Ghost removes the Authorization header, and its configuration must"
                " pass it on."
            )
        return PermissionError_(
            f"Ghost does not allow this Admin API key to do that ({said or 'HTTP 403'})."
        )
    if status == 404:
        if not kind:
            return NotFoundError(
                f"{host} does not answer like a Ghost site (no Admin API at {API_PATH}/);"
                " check the address."
            )
        return NotFoundError("Ghost says this post does not exist (any more).")
    if status == 409:
        return GhostCollision("The post was changed in Ghost since Broadsheet read it.")
    if status == 413:
        return InvalidRequestError(
            "The file is larger than the Ghost site accepts (HTTP 413); make it smaller."
        )
    if status == 415:
        return InvalidRequestError(
            f"Ghost does not accept this kind of file ({said or 'HTTP 415'}); use a JPEG, PNG,"
            " GIF, WebP or SVG image."
        )
    what = "the post" if kind == "ValidationError" else "the request"
    return InvalidRequestError(f"Ghost rejected {what}: {said or f'HTTP {status}'}.")


def find_site(
    session: requests.Session, site_url: str, *, timeout: float | tuple[float, float]
) -> str:
    """Where the site's Admin API answers after any redirect (http to https, a bare domain to
    www.): the address to keep. Sends no secret (Ghost's site endpoint is public), so it may
    ask a plain http address that redirects to https."""
    host = urlsplit(site_url).netloc
    try:
        response = session.get(
            f"{site_url}{API_PATH}/site/",
            headers={"Accept-Version": ACCEPT_VERSION, "Accept": "application/json"},
            timeout=timeout,
        )
    except requests.RequestException as exc:
        raise network_error(exc, "GET", host) from exc
    if response.status_code >= 400:
        raise map_ghost_error(response)
    try:
        is_ghost = isinstance(response.json().get("site"), dict)
    except (ValueError, AttributeError):
        is_ghost = False
    final = response.url.partition(API_PATH)
    if not is_ghost or not final[1]:
        raise NotFoundError(
            f"{host} does not answer like a Ghost site (no Admin API at {API_PATH}/); check"
            " the address."
        )
    return final[0].rstrip("/")
