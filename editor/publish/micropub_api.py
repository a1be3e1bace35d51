"""Micropub over HTTP (W3C Recommendation, https://www.w3.org/TR/micropub/): where a site's
endpoints are, its error responses as one sentence, and the transport.

Discovery (§5.3): the site's home page names its Micropub endpoint in an HTTP `Link` header or
a `<link rel="micropub">`; IndieAuth adds `indieauth-metadata` (or the older
`authorization_endpoint` / `token_endpoint` rels). The media endpoint is not a rel: it comes
from `q=config` (§3.6.1). Requests go through `editor.publish.http.JsonApi` (timeouts, retries
honouring Retry-After, one retry after a 401); only the answer is read differently, because a
Micropub create or update answers with a status and a `Location` header, not a JSON body.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from editor.publish.errors import (
    ConfigError,
    InvalidRequestError,
    NotFoundError,
    OfflineError,
    PermissionError_,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.http import DEFAULT_TIMEOUT, JsonApi, Sender, TokenSource, network_error
from editor.publish.logmask import mask, register_secret
from editor.publish.secure_url import require_secure

TOKEN_WORDS = "your Micropub access token"  # what plain http would expose (secure_url.py)
# Link relations read from the site's page (Micropub §5.3, IndieAuth §4.1).
# `micropub_media` is no rel of the spec (the media endpoint comes from q=config, §3.6.1), but
# some sites name it so: used only where q=config names none.
RELS = (
    "micropub",
    "micropub_media",
    "indieauth-metadata",
    "authorization_endpoint",
    "token_endpoint",
)
PAGE_LIMIT = 2_000_000  # bytes of the home page read for its <link> tags: the head is early


def normalize_site_url(text: str) -> str:
    """The site's address as typed: scheme added (https), host lower-cased, fragment dropped."""
    text = text.strip()
    if not text:
        raise ConfigError("Give the address of your site, like https://example.com.")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{text!r} is not a web address like https://example.com.")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def site_id(site_url: str) -> str:
    """A stable id of a site: host[:port] and path, without the scheme ("example.com/blog")."""
    parts = urlsplit(site_url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


def site_name(site_url: str) -> str:
    """How messages name a site: its host ("example.com")."""
    return urlsplit(site_url).netloc.lower() or site_url


@dataclass(frozen=True)
class SiteLinks:
    """What a site's home page says about itself: its endpoints and its title."""

    site: str  # the page address after redirects
    title: str
    rels: dict[str, str] = field(default_factory=dict)  # rel -> absolute URL (first wins)

    @property
    def micropub(self) -> str:
        """The Micropub endpoint; ConfigError when the site names none."""
        endpoint = self.rels.get("micropub")
        if not endpoint:
            raise ConfigError(
                f"{site_name(self.site)} does not name a Micropub endpoint (no"
                ' <link rel="micropub"> on its home page); check the address, or turn on'
                " Micropub in your site's software."
            )
        return endpoint


class _LinkTags(HTMLParser):
    """<link rel href> tags and the <title> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[list[str], str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") and values.get("href"):
            self.links.append(((values["rel"] or "").lower().split(), values["href"] or ""))
        self._in_title = tag == "title" and not self.title

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def discover(
    session: requests.Session,
    site_url: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    max_attempts: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> SiteLinks:
    """Read the site's endpoints from its Link headers and <link> tags (headers win, §5.3)."""
    site = normalize_site_url(site_url)
    who = site_name(site)
    sender = Sender(session, who, timeout=timeout, max_attempts=max_attempts, sleep=sleep)
    response = sender.send(
        "GET",
        site,
        offline=lambda exc: network_error(exc, "GET", who),
        headers={"Accept": "text/html"},
    )
    if response.status_code in (404, 410):
        raise ConfigError(f"{who} has no page at {site}; check the address.")
    if response.status_code >= 400:
        raise map_micropub_error(response, who)
    base = response.url or site
    rels: dict[str, str] = {}
    for link in requests.utils.parse_header_links(response.headers.get("Link", "")):
        for rel in str(link.get("rel", "")).lower().split():
            if rel in RELS and link.get("url"):
                rels.setdefault(rel, urljoin(base, link["url"].strip()))
    tags = _LinkTags()
    kind = response.headers.get("Content-Type", "text/html")
    if "html" in kind.lower():
        tags.feed(response.content[:PAGE_LIMIT].decode(response.encoding or "utf-8", "replace"))
        tags.close()
    for names, href in tags.links:
        for rel in names:
            if rel in RELS:
                rels.setdefault(rel, urljoin(base, href.strip()))
    title = " ".join(tags.title.split()) or who
    return SiteLinks(site=base, title=title, rels=rels)


def map_micropub_error(response: requests.Response, who: str) -> PublishError:
    """The error response of §3.8 ({"error", "error_description"}) as one sentence."""
    code = response.status_code
    error, described, scope = "", "", ""
    try:
        body = response.json()
        if isinstance(body, dict):
            error = str(body.get("error") or "")
            described = str(body.get("error_description") or "")
            scope = str(body.get("scope") or "")
    except ValueError:
        pass
    challenge = response.headers.get("WWW-Authenticate", "")
    if not error and "insufficient_scope" in challenge:
        error = "insufficient_scope"
    if code == 429:
        return QuotaError(f"{who} is limiting requests; wait a while and try again.")
    if error == "insufficient_scope":
        needed = f" (it needs “{scope}”)" if scope else ""
        return SignedOutError(
            f"The sign-in to {who} does not allow this{needed}; sign in again and allow"
            " creating, updating and uploading."
        )
    if code == 401:
        return SignedOutError(
            f"{who} did not accept Broadsheet's sign-in (it may have expired or been revoked);"
            f" connect it again with Publish ▸ Connect a Blog… or `broadsheet login micropub"
            f" {who}`."
        )
    if code == 403:
        return PermissionError_(f"{who} refused: the account signed in may not do this there.")
    if code in (404, 410):
        return NotFoundError(f"{who} says this post does not exist (any more).")
    if code >= 500:
        return ServerError(f"{who} had a server problem (HTTP {code}); try again later.")
    # The description is meant for developers (§3.8): shown masked, short, on one line.
    detail = mask(" ".join(described.split()))[:200].rstrip(".") or error or f"HTTP {code}"
    return InvalidRequestError(f"{who} rejected the request: {detail}.")


class StoredToken:
    """A bearer token pasted once or issued by IndieAuth. After a 401 it is read again from
    the keyring (`reload`: the writer may have signed in again meanwhile), else renewed where
    the site gave a refresh token (`renew`); otherwise the 401 stands."""

    def __init__(
        self,
        token: str,
        reload: Callable[[], str | None] | None = None,
        renew: Callable[[], str | None] | None = None,
    ) -> None:
        register_secret(token)
        self._token = token
        self._reload = reload
        self._renew = renew

    def token(self) -> str:
        """The token to send."""
        return self._token

    def refresh(self, rejected: str | None = None) -> None:
        """Take a newer token from the keyring, or renew it; nothing when neither can."""
        newer = self._reload() if self._reload is not None else None
        if (not newer or newer == rejected) and self._renew is not None:
            newer = self._renew()
        if newer:
            register_secret(newer)
            self._token = newer


@dataclass(frozen=True)
class Answer:
    """What a Micropub request answered: status, Location header and JSON body ({} if none)."""

    status: int
    location: str
    body: dict[str, Any]


class MicropubApi(JsonApi):
    """JsonApi for one Micropub endpoint. The endpoint's own query string is kept (§3.7: `q`
    is appended, never replacing it), so requests go to origin + path + query."""

    def __init__(
        self,
        session: requests.Session,
        endpoint: str,
        auth: TokenSource,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(endpoint)
        self.who = site_name(endpoint)
        self.endpoint = endpoint
        self.route = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        super().__init__(
            session,
            f"{parts.scheme}://{parts.netloc}",
            auth,
            lambda response: map_micropub_error(response, self.who),
            service=self.who,
            timeout=timeout,
            max_attempts=max_attempts,
            sleep=sleep,
        )

    def json_of(self, response: requests.Response) -> dict[str, Any]:
        # Wrapped so callers see the status and Location (a create's only answer, §3.3.6);
        # a body that is not JSON is ignored where the spec leaves it undefined.
        body: dict[str, Any] = {}
        is_json = "json" in response.headers.get("Content-Type", "").lower()
        if response.content and (is_json or response.content.lstrip()[:1] == b"{"):
            body = super().json_of(response)
        location = response.headers.get("Location", "")
        return {"answer": Answer(response.status_code, urljoin(response.url, location), body)}

    def ask(
        self,
        method: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: dict[str, Any] | None = None,
        retry: bool = True,
    ) -> Answer:
        """One Micropub request to the endpoint (see JsonApi.call for the retry rules)."""
        answer = self.call(method, self.route, params=params, body=body, retry=retry)["answer"]
        assert isinstance(answer, Answer)
        return answer

    def upload(self, media_endpoint: str, data: bytes, filename: str, content_type: str) -> str:
        """Send one file to the media endpoint (§3.6.3) and return its URL (the Location).

        Sent once: an upload whose answer is lost leaves at most an unused file on the site,
        and the publish stops with one sentence rather than guessing.
        """
        require_secure(media_endpoint, TOKEN_WORDS, where="The media endpoint")
        who = site_name(media_endpoint)
        for attempt in (1, 2):
            token = self.auth.token()
            response = self.sender.send(
                "POST",
                media_endpoint,
                retry=False,  # an upload is a create: sent once (see above)
                offline=lambda exc: _lost_upload(network_error(exc, "POST", who), filename),
                files={"file": (filename, data, content_type)},
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
            if response.status_code == 401 and attempt == 1:
                self.auth.refresh(token)  # refused unprocessed: safe to send again
                continue
            if response.status_code >= 400:
                raise map_micropub_error(response, who)
            location = response.headers.get("Location", "")
            if response.status_code not in (200, 201, 202) or not location:
                raise ServerError(f"{who} did not say where it stored {filename}; try again.")
            return urljoin(response.url, location)
        raise AssertionError("unreachable")  # the second 401 is raised above


def _lost_upload(failure: OfflineError, filename: str) -> OfflineError:
    """The error for an upload that got no answer: it may have landed as an unused file."""
    if not failure.uncertain:
        return failure
    return OfflineError(
        f"{failure.reason} while uploading {filename}; publish again to upload it again (the"
        " site may keep an unused copy).",
        uncertain=True,
        timed_out=failure.timed_out,
        reason=failure.reason,
    )
