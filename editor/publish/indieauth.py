"""IndieAuth sign-in (https://indieauth.spec.indieweb.org/) in the browser, with PKCE.

The same shape as the Google sign-in (google_auth.py): a one-shot receiver on 127.0.0.1 gets
the redirect, `state` is checked before any code is exchanged, and the code is only worth
something with the PKCE verifier that never left this process. IndieAuth has no client
registration: the client id is a URL, and a loopback one (`http://127.0.0.1:<port>/`) is
allowed; its redirect URI is on the same origin, so no server needs to fetch it.

Endpoints come from the site: its `indieauth-metadata` document, or the older
`authorization_endpoint` / `token_endpoint` link relations. The PKCE verifier and challenge
are oauthlib's (already a dependency through google-auth-oauthlib).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from oauthlib.oauth2 import WebApplicationClient

from editor.publish.errors import AuthError, ConfigError, OfflineError, SignedOutError
from editor.publish.http import network_error
from editor.publish.logmask import register_secret
from editor.publish.micropub_api import SiteLinks, discover, normalize_site_url, site_name
from editor.publish.secure_url import require_secure

SCOPE = "create update media"  # Micropub scopes (§5.4): make, edit, upload
TOKEN_TIMEOUT = 30.0
CALLBACK = "/callback"
SIGNED_IN_PAGE = (
    b"<!doctype html><title>Broadsheet</title>"
    b"<p>Broadsheet is signed in to your site. You may close this window.</p>"
)


@dataclass(frozen=True)
class IndieAuthEndpoints:
    """Where the site signs people in and hands out tokens."""

    authorization: str
    token: str
    issuer: str = ""


@dataclass(frozen=True)
class IndieAuthToken:
    """What a completed sign-in yields; it goes straight to the keyring (`kept`)."""

    access_token: str
    me: str
    scope: str
    # When the site's tokens expire (IndieAuth §5.3.5): what renews the access token. The
    # client id is the loopback address of the sign-in, which a renewal must repeat.
    refresh_token: str = ""
    token_endpoint: str = ""
    client_id: str = ""

    def kept(self) -> str:
        """What the keyring keeps: the access token alone, or with what renews it (JSON)."""
        if not self.refresh_token:
            return self.access_token
        fields = ("access_token", "refresh_token", "token_endpoint", "client_id")
        return json.dumps({name: getattr(self, name) for name in fields})

    @classmethod
    def from_kept(cls, value: str) -> IndieAuthToken:
        """The token as `kept` wrote it, or a pasted token (any text that is not our JSON)."""
        if value.startswith('{"access_token"'):
            try:
                data = json.loads(value)
            except ValueError:
                data = None
            if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
                token = cls(
                    data.get("access_token", ""),
                    "",
                    "",
                    data.get("refresh_token", ""),
                    data.get("token_endpoint", ""),
                    data.get("client_id", ""),
                )
                register_secret(token.access_token)
                register_secret(token.refresh_token)
                return token
        register_secret(value)
        return cls(value, "", "")


def renew(session: requests.Session, token: IndieAuthToken, who: str) -> IndieAuthToken:
    """A new access token from the refresh token (IndieAuth §5.3.5); SignedOutError when the
    site no longer accepts it, so the writer signs in again."""
    require_secure(token.token_endpoint, "your access token", where="The token address")
    form = {
        "grant_type": "refresh_token",
        "refresh_token": token.refresh_token,
        "client_id": token.client_id,
    }
    try:
        response = session.post(
            token.token_endpoint,
            data=form,
            timeout=TOKEN_TIMEOUT,
            headers={"Accept": "application/json"},
        )
    except requests.RequestException as exc:
        raise network_error(exc, "POST", who) from exc
    if response.status_code in (400, 401):
        raise SignedOutError(
            f"Your sign-in to {who} has expired; connect it again with Publish ▸ Connect a"
            f" Blog… or `broadsheet login micropub {who}`."
        )
    new = _token_answer(response, who)
    return IndieAuthToken(
        new.access_token,
        new.me,
        new.scope,
        new.refresh_token or token.refresh_token,  # a server may keep the same one
        token.token_endpoint,
        token.client_id,
    )


def endpoints(
    session: requests.Session, links: SiteLinks, *, timeout: float = TOKEN_TIMEOUT
) -> IndieAuthEndpoints:
    """The site's IndieAuth endpoints: from its metadata document, else from its rels."""
    who = site_name(links.site)
    metadata_url = links.rels.get("indieauth-metadata")
    if metadata_url:
        try:
            response = session.get(
                metadata_url, timeout=timeout, headers={"Accept": "application/json"}
            )
            data: Any = response.json() if response.status_code == 200 else None
        except requests.RequestException as exc:
            raise network_error(exc, "GET", who) from exc
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("authorization_endpoint"):
            methods = data.get("code_challenge_methods_supported")
            if isinstance(methods, list) and "S256" not in methods:
                raise AuthError(
                    f"{who} does not offer a secure browser sign-in (PKCE); paste an access"
                    " token instead."
                )
            return IndieAuthEndpoints(
                authorization=str(data["authorization_endpoint"]),
                token=str(data.get("token_endpoint") or data["authorization_endpoint"]),
                issuer=str(data.get("issuer") or ""),
            )
    authorization = links.rels.get("authorization_endpoint")
    if not authorization:
        raise ConfigError(
            f"{who} does not offer a browser sign-in (IndieAuth); paste an access token from"
            " your site instead."
        )
    return IndieAuthEndpoints(authorization, links.rels.get("token_endpoint") or authorization)


class _Receiver(BaseHTTPRequestHandler):
    server: _OneShot

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass  # the query holds the code: never logged

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != CALLBACK:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.server.answer = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(SIGNED_IN_PAGE)))
        self.end_headers()
        self.wfile.write(SIGNED_IN_PAGE)


class _OneShot(HTTPServer):
    answer: dict[str, str] | None = None


def run_sign_in(
    session: requests.Session,
    site_url: str,
    *,
    links: SiteLinks | None = None,
    open_browser: bool = True,
    on_url: Callable[[str], None] | None = None,
    timeout_seconds: float = 300,
    stop: threading.Event | None = None,
) -> IndieAuthToken:
    """Sign in to the site in the browser and return its access token.

    `on_url` receives the authorization URL before waiting (the CLI prints it). Blocks until
    the redirect arrives or `timeout_seconds` pass: call it from a worker, never the GUI thread.
    """
    site = normalize_site_url(site_url)
    links = links or discover(session, site)
    found = endpoints(session, links)
    require_secure(found.authorization, "your sign-in", where="The sign-in address")
    require_secure(found.token, "your access token", where="The token address")
    receiver = _OneShot(("127.0.0.1", 0), _Receiver)
    try:
        port = receiver.server_address[1]
        client_id = f"http://127.0.0.1:{port}/"
        redirect_uri = f"http://127.0.0.1:{port}{CALLBACK}"
        pkce = WebApplicationClient(client_id)
        verifier = pkce.create_code_verifier(64)
        state = secrets.token_urlsafe(24)
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": pkce.create_code_challenge(verifier, "S256"),
            "code_challenge_method": "S256",
            "scope": SCOPE,
            "me": links.site,
        }
        separator = "&" if urlsplit(found.authorization).query else "?"
        url = f"{found.authorization}{separator}{urlencode(query)}"
        if on_url is not None:
            on_url(url)
        if open_browser:
            webbrowser.open(url, new=1, autoraise=True)  # reports failure; the URL was shown
        answer = _wait(receiver, timeout_seconds, stop)
    finally:
        receiver.server_close()
    who = site_name(links.site)
    if answer.get("state") != state:
        raise AuthError(
            "The sign-in answer did not belong to this sign-in attempt (state mismatch); try again."
        )
    if answer.get("error"):
        if answer["error"] == "access_denied":
            raise AuthError(f"Access to {who} was not granted; sign in again to allow it.")
        raise AuthError(f"{who} refused the sign-in ({answer['error']}); try again.")
    if found.issuer and answer.get("iss") and answer["iss"] != found.issuer:
        raise AuthError(f"The sign-in answer did not come from {who}; try again.")
    code = answer.get("code", "")
    if not code:
        raise AuthError(f"{who} sent no sign-in code; try again.")
    register_secret(code)
    token = _exchange(session, found.token, code, client_id, redirect_uri, verifier, who)
    _check_me(session, token.me, links, found)
    return token


def _wait(receiver: _OneShot, seconds: float, stop: threading.Event | None) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while receiver.answer is None:
        left = deadline - time.monotonic()
        if left <= 0 or (stop is not None and stop.is_set()):
            raise AuthError("Sign-in timed out waiting for the browser; try again.")
        receiver.timeout = min(left, 0.5)
        receiver.handle_request()
    return receiver.answer


def _exchange(
    session: requests.Session,
    token_url: str,
    code: str,
    client_id: str,
    redirect_uri: str,
    verifier: str,
    who: str,
) -> IndieAuthToken:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    try:
        response = session.post(
            token_url, data=form, timeout=TOKEN_TIMEOUT, headers={"Accept": "application/json"}
        )
    except requests.RequestException as exc:
        raise OfflineError(
            f"Could not reach {who} to finish signing in; check the network."
        ) from exc
    answer = _token_answer(response, who)
    return IndieAuthToken(
        answer.access_token,
        answer.me,
        answer.scope,
        answer.refresh_token,
        token_url if answer.refresh_token else "",
        client_id if answer.refresh_token else "",
    )


def _token_answer(response: requests.Response, who: str) -> IndieAuthToken:
    """The token endpoint's answer (access_token, me, scope, maybe refresh_token)."""
    try:
        data = response.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if response.status_code != 200 or not data.get("access_token"):
        error = str(data.get("error") or f"HTTP {response.status_code}")
        raise AuthError(f"{who} did not hand out an access token ({error}); sign in again.")
    access = str(data["access_token"])
    refresh = str(data.get("refresh_token") or "")
    register_secret(access)
    register_secret(refresh)
    return IndieAuthToken(
        access, str(data.get("me") or ""), str(data.get("scope") or ""), refresh_token=refresh
    )


def _check_me(
    session: requests.Session, me: str, links: SiteLinks, found: IndieAuthEndpoints
) -> None:
    """The token is for the site signed in to: `me` is the site, or names the same
    authorization endpoint (IndieAuth §5.3.3: the server may only speak for its own users)."""
    who = site_name(links.site)
    if not me:
        raise AuthError(f"{who} did not say whose token it issued; sign in again.")
    if normalize_site_url(me) == normalize_site_url(links.site):
        return
    try:
        theirs = endpoints(session, discover(session, me))
    except (ConfigError, AuthError, OfflineError) as exc:
        raise AuthError(f"The sign-in was for {me}, not for {who}; sign in again.") from exc
    if theirs.authorization != found.authorization:
        raise AuthError(f"The sign-in was for {me}, not for {who}; sign in again.")
