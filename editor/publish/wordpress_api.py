"""JSON over HTTP for WordPress: finding the REST root, Basic auth with an application password,
timeouts, safe retries (honouring Retry-After) and WordPress's error envelope as typed errors.

WordPress answers errors as `{"code", "message", "data": {"status"}}`. Two failures look alike
on the wire in WordPress before 6.3: a wrong application password and a web server that strips
the `Authorization` header both end in `401 rest_not_logged_in`. Because the fix differs
(retype the password vs. change the server's configuration), a rejected sign-in is diagnosed
once through XML-RPC, which carries the credentials in the body where no server strips them.
"""

from __future__ import annotations

import base64
import html
import logging
import re
import time
import xmlrpc.client
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from editor.publish.addresses import typed_site_url
from editor.publish.errors import (
    AuthError,
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
from editor.publish.http import (
    DEFAULT_TIMEOUT,
    RETRY_STATUSES,
    Sender,
    network_error,
    retry_after_seconds,
    too_long,
)
from editor.publish.logmask import mask, register_secret
from editor.publish.secure_url import may_carry_secret, require_secure

log = logging.getLogger(__name__)

SERVICE = "WordPress"
PASSWORD_WORDS = "your application password"  # what plain http would expose (secure_url.py)
AUTH_FIX = (
    'add `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1` (or `CGIPassAuth On`) to the'
    " site's .htaccess"
)
# Codes WordPress gives when the credentials themselves are wrong (WordPress 6.3 and later).
_WRONG_CREDENTIALS = {"incorrect_password", "invalid_username", "invalid_email"}
# Codes of a request that reached WordPress without a signed-in user.
_NOT_SIGNED_IN = {"rest_not_logged_in", "rest_forbidden_context", "rest_forbidden"}


def normalize_site_url(text: str) -> str:
    """The site's address as typed or pasted, cleaned: scheme added, admin/REST paths dropped."""
    # People paste the dashboard or the REST address; the site is what comes before it.
    return typed_site_url(
        text, "the WordPress site", r"/(?:wp-admin|wp-login\.php|wp-json|index\.php)"
    )


@dataclass(frozen=True)
class RestRoot:
    """Where the REST API of a site answers: `/wp-json/…` or `/?rest_route=/…`."""

    site: str  # normalized site URL
    base: str  # "https://example.com/wp-json" (pretty) or "https://example.com/" (query)
    pretty: bool = True

    def url(self, route: str) -> str:
        """The address of `route` ("wp/v2/posts"), as this site wants it."""
        route = "/" + route.strip("/")
        if self.pretty:
            return self.base.rstrip("/") + route
        # Without pretty permalinks only the query form works; further arguments follow with &.
        return f"{self.base.rstrip('/')}/?rest_route={quote(route, safe='/')}"


def envelope(response: requests.Response) -> tuple[str, str, dict[str, Any]]:
    """(code, message, data) of WordPress's error envelope; empty when the body is not one."""
    try:
        body = response.json()
    except ValueError:
        return "", "", {}
    if not isinstance(body, dict):
        return "", "", {}
    data = body.get("data")
    return (
        str(body.get("code") or ""),
        str(body.get("message") or ""),
        data if isinstance(data, dict) else {},
    )


def clean_detail(message: str) -> str:
    """A server message fit for one sentence: tags and secrets removed, one line, short."""
    text = re.sub(r"<[^>]+>", "", html.unescape(message))
    text = re.sub(r"^\s*Error:\s*", "", text)
    return mask(" ".join(text.split()))[:200].rstrip(".")


def is_json(response: requests.Response) -> bool:
    """True when the answer says it is JSON (WordPress's REST answers always do)."""
    return "json" in response.headers.get("Content-Type", "").lower()


def map_wordpress_error(response: requests.Response) -> PublishError:
    """WordPress's error envelope -> a typed error with one clear sentence."""
    status = response.status_code
    code, message, _data = envelope(response)
    detail = clean_detail(message)
    if status == 429:
        return QuotaError(
            "The WordPress site is limiting requests (HTTP 429); wait a while and try again."
        )
    if status >= 500:
        return ServerError(f"The WordPress site had a server problem (HTTP {status}); try later.")
    if code in _WRONG_CREDENTIALS:
        return SignedOutError(
            "WordPress did not accept the user name or the application password; check both"
            " and sign in again."
        )
    if code in ("application_passwords_disabled", "application_passwords_disabled_for_user"):
        return AuthError(
            "Application passwords are turned off on this WordPress site (or for this user);"
            " ask the site's administrator to allow them."
        )
    if status == 401:
        return SignedOutError(
            "WordPress did not accept the sign-in; sign in again with `broadsheet login wordpress`."
        )
    if status == 403:
        if not code:
            return PermissionError_(
                f"The web server refused the request (HTTP 403) before WordPress saw it; a"
                f" firewall or security plugin may block the REST API.{_detail(detail)}"
            )
        if code == "rest_cannot_create" and "term" in message.lower():
            return PermissionError_(
                "Your WordPress user may not create new tags or categories; create them in"
                " WordPress first or ask an editor."
            )
        if code in ("rest_cannot_create", "rest_cannot_edit", "rest_cannot_publish"):
            return PermissionError_(
                "Your WordPress user may not create, edit or publish this post (an Author may"
                " publish own posts; a Contributor may only submit drafts)."
            )
        if code in ("rest_upload_user_quota_exceeded", "rest_upload_limited_space"):
            return QuotaError("The WordPress site has no room left for uploads.")
        return PermissionError_(f"WordPress refused the request: {detail or f'HTTP {status}'}.")
    if status == 404:
        if code == "rest_post_invalid_id":
            return NotFoundError("WordPress says this post does not exist (any more).")
        if code == "rest_no_route":
            return NotFoundError(
                "The WordPress site does not offer this part of the REST API; a plugin may"
                " have turned it off."
            )
        return NotFoundError(f"WordPress says this does not exist: {detail or 'HTTP 404'}.")
    if status == 413:
        return InvalidRequestError(
            "The file is larger than the WordPress site accepts (HTTP 413); make it smaller."
        )
    return InvalidRequestError(f"WordPress rejected the request: {detail or f'HTTP {status}'}.")


def _detail(detail: str) -> str:
    return f" ({detail})" if detail else ""


class WordPressApi:
    """Calls one site's REST API with Basic auth over an injected session."""

    def __init__(
        self,
        session: requests.Session,
        root: RestRoot,
        user: str,
        app_password: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.root = root
        self.user = user
        self.app_password = app_password
        self.max_attempts = max(1, max_attempts)
        self.sender = Sender(
            session, "WordPress", timeout=timeout, max_attempts=max_attempts, sleep=sleep
        )
        self.wait = self.sender.wait  # between attempts to create (insert_once)
        self._rejection: PublishError | None = None
        token = base64.b64encode(f"{user}:{app_password}".encode()).decode("ascii")
        register_secret(app_password)
        register_secret(token)
        self._authorization = f"Basic {token}" if app_password else ""

    # --- requests ------------------------------------------------------------------------

    def send(
        self,
        method: str,
        route: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        retry: bool = True,
    ) -> requests.Response:
        """Send one request, retrying network failures, 429 and 5xx when `retry`.

        Returns any answer below 500 (429 aside) unchecked; `call` maps errors.
        """
        url = self.root.url(route)
        sent_headers = {"Accept": "application/json", **(headers or {})}
        if self._authorization:
            require_secure(url, PASSWORD_WORDS)  # never send it in clear, whatever the root
            sent_headers["Authorization"] = self._authorization
        response = self.sender.send(
            method,
            url,
            retry=retry,
            offline=lambda exc: network_error(exc, method, urlsplit(self.root.site).netloc),
            params=params,
            json=json,
            data=data,
            headers=sent_headers,
            # A redirected POST turns into a GET in requests: never follow one.
            allow_redirects=method == "GET",
        )
        quota = too_long(response, "The WordPress site")
        if quota is not None:
            raise quota
        if response.status_code in RETRY_STATUSES:
            error = map_wordpress_error(response)
            error.retry_after = retry_after_seconds(response)
            raise error
        return response

    def call(self, method: str, route: str, **kwargs: Any) -> Any:
        """Send a request and return its decoded JSON; raise a typed error for a failure."""
        response = self.send(method, route, **kwargs)
        self.check(response)
        return self.json_of(response)

    def check(self, response: requests.Response) -> None:
        """Raise the typed error for a failed answer (after diagnosing a rejected sign-in)."""
        status = response.status_code
        if 300 <= status < 400:
            target = response.headers.get("Location", "another address")
            raise ConfigError(
                f"The WordPress site redirects to {target}; sign in again with the address it"
                " redirects to."
            )
        if status < 400:
            return
        code, _message, _data = envelope(response)
        if status == 401 and self._authorization and (code in _NOT_SIGNED_IN or not code):
            raise self.rejection()
        raise map_wordpress_error(response)

    def json_of(self, response: requests.Response) -> Any:
        """The decoded JSON of a successful answer (None for an empty body)."""
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ServerError(
                "The WordPress site sent an answer that is not JSON (an HTML page?); a plugin"
                " or the web server may be interfering with the REST API."
            ) from exc

    # --- telling a wrong password from a stripped Authorization header --------------------

    def rejection(self) -> PublishError:
        """Why WordPress ignored the credentials: wrong, or never seen (header stripped)."""
        if self._rejection is None:
            self._rejection = self._diagnose()
        return self._rejection

    def _diagnose(self) -> PublishError:
        host = urlsplit(self.root.site).netloc
        verdict = self.xmlrpc_check()
        if verdict is True:
            return AuthError(
                f"The web server of {host} removes the Authorization header before WordPress"
                f" sees it (a known Apache/CGI problem), so no application password can work;"
                f" {AUTH_FIX}."
            )
        if verdict is False:
            return SignedOutError(
                f"WordPress on {host} did not accept the user name “{self.user}” with this"
                " application password; check both (or create a new one under Users → Profile)"
                " and sign in again."
            )
        return AuthError(
            f"WordPress on {host} ignored the sign-in: either the user name or application"
            " password is wrong, or the web server removes the Authorization header (a known"
            f" Apache/CGI problem: {AUTH_FIX})."
        )

    def xmlrpc_check(self) -> bool | None:
        """Ask XML-RPC whether user and password are right: True, False, or None (can't tell)."""
        url = f"{self.root.site}/xmlrpc.php"
        if not may_carry_secret(url):
            return None  # the password travels in the body: never in clear
        body = xmlrpc.client.dumps((self.user, self.app_password), "wp.getUsersBlogs")
        try:
            response = self.session.post(
                url,
                data=body.encode("utf-8"),
                headers={"Content-Type": "text/xml"},
                timeout=self.sender.timeout,
                allow_redirects=False,
            )
            if response.status_code != 200:
                return None  # XML-RPC is often blocked; then we cannot tell
            xmlrpc.client.loads(response.content)
        except xmlrpc.client.Fault as fault:
            return False if fault.faultCode == 403 else None
        except (requests.RequestException, xmlrpc.client.Error, ValueError) as exc:
            log.debug("XML-RPC check failed: %s", type(exc).__name__)
            return None
        except Exception as exc:  # noqa: BLE001 - expat raises its own errors for bad XML
            log.debug("XML-RPC answer unreadable: %s", type(exc).__name__)
            return None
        return True


def discover_root(
    session: requests.Session,
    site_url: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    authorization: str = "",
) -> tuple[RestRoot, dict[str, Any]]:
    """Find where the site's REST API answers and return it with the REST index.

    Tries `/wp-json/` (pretty permalinks) and then `/?rest_route=/` (plain permalinks).
    """
    headers = {"Accept": "application/json"}
    if authorization:
        require_secure(site_url, PASSWORD_WORDS)
        headers["Authorization"] = authorization
    host = urlsplit(site_url).netloc
    problems: list[str] = []
    for root in (RestRoot(site_url, f"{site_url}/wp-json"), RestRoot(site_url, site_url, False)):
        url = root.url("/")
        try:
            response = session.get(url, headers=headers, timeout=timeout)
        except requests.Timeout as exc:
            raise OfflineError(
                f"{host} did not answer in time (timed out); try again.", timed_out=True
            ) from exc
        except requests.RequestException as exc:
            raise OfflineError(
                f"Could not reach {host}; check the address and your internet connection."
            ) from exc
        index = None
        if response.status_code == 200 and is_json(response):
            try:
                index = response.json()
            except ValueError:
                index = None
        if isinstance(index, dict) and "namespaces" in index:
            if "wp/v2" not in (index.get("namespaces") or []):
                raise NotFoundError(
                    f"{host} runs WordPress, but its REST API lacks the wp/v2 routes for posts"
                    " (WordPress 4.7 or newer is needed)."
                )
            if root.pretty and response.url.rstrip("/") != url.rstrip("/"):
                # Redirected (to https, or to www.): keep talking to where it went.
                base = response.url.rstrip("/")
                site = base.removesuffix("/wp-json")
                root = RestRoot(site, base)
            return root, index
        if response.status_code >= 500:
            raise ServerError(
                f"{host} had a server problem (HTTP {response.status_code}); try again later."
            )
        code, _message, _data = envelope(response)
        if code:
            problems.append(f"{code}, HTTP {response.status_code}")
        elif is_json(response):
            problems.append(f"HTTP {response.status_code}")
        else:
            problems.append(f"an HTML page, HTTP {response.status_code}")
    raise NotFoundError(
        f"{host} does not answer like a WordPress site with the REST API on (/wp-json/ gave"
        f" {problems[0]}); check the address, and that no security plugin turns the REST API"
        " off."
    )
