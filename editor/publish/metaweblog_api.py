"""XML-RPC for the MetaWeblog client: calls over the shared HTTP layer, faults as typed errors,
and finding the endpoint of a blog from its home page (RSD).

Why not `xmlrpc.client.ServerProxy`: its transport is its own `http.client` connection, with no
timeout of ours, no shared `requests.Session` (proxies, certificates, the User-Agent) and no
retry rules. So the XML is made and read with `xmlrpc.client.dumps`/`loads` (well kept, part of
Python) and sent through `Sender` from editor.publish.http: the same timeouts, the same
retries of what is safe to repeat (honouring Retry-After) and the same network errors as every
other client. The password travels inside the XML body, which only goes to https or loopback.
"""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ElementTree
import xmlrpc.client
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.parsers.expat import ExpatError

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
from editor.publish.http import (
    DEFAULT_TIMEOUT,
    RETRY_STATUSES,
    Sender,
    network_error,
    retry_after_seconds,
    too_long,
)
from editor.publish.logmask import mask, register_secret
from editor.publish.secure_url import require_secure

log = logging.getLogger(__name__)

PASSWORD_WORDS = "your blog password"  # what plain http would expose (secure_url.py)
RSD_TYPE = "application/rsd+xml"
# Which API of an RSD document to use, best first: all take the same metaWeblog.* calls.
RSD_APIS = ("metaweblog", "movabletype", "movable type", "wordpress", "blogger")


def endpoint_host(url: str) -> str:
    """host[:port] of an endpoint, as messages name it."""
    return urlsplit(url).netloc or url


def map_fault(fault: xmlrpc.client.Fault, host: str) -> PublishError:
    """An XML-RPC fault -> a typed error with one sentence (codes as WordPress, Movable Type
    and the XML-RPC spec use them)."""
    code = fault.faultCode if isinstance(fault.faultCode, int) else 0
    detail = mask(" ".join(str(fault.faultString or "").split()))[:200].rstrip(".")
    said = f" ({detail})" if detail else ""
    if code == 403:
        # Bad user name or password: nothing else answers 403 in these APIs.
        return SignedOutError(
            f"{host} did not accept the user name or password; check both and sign in again."
        )
    if code == 401:
        return PermissionError_(f"Your user on {host} may not do this{said}.")
    if code == 404:
        return NotFoundError(f"{host} says this post or blog does not exist (any more){said}.")
    if code == 405:
        return PermissionError_(
            f"XML-RPC is turned off on {host}; the site's administrator can turn it on."
        )
    if code == 409:
        return InvalidRequestError(f"{host} refused the change as conflicting{said}.")
    if code == 429:
        return QuotaError(f"{host} is limiting requests; wait a while and try again.")
    if code == -32601:
        return ConfigError(
            f"{host} does not offer this part of the MetaWeblog API{said}; it may speak"
            " another blogging API."
        )
    if code in (-32700, -32600, -32602):
        return InvalidRequestError(f"{host} could not read the request{said}.")
    if code >= 500 or code in (-32500, -32603, -32400):
        return ServerError(f"{host} had a problem with the request{said}; try again later.")
    return InvalidRequestError(f"{host} refused the request{said}.")


def map_http_error(response: requests.Response) -> PublishError:
    """An HTTP failure of the endpoint (not a fault) -> a typed error with one sentence."""
    status = response.status_code
    host = endpoint_host(response.url or "")
    if status == 429:
        return QuotaError(f"{host} is limiting requests (HTTP 429); wait a while and try again.")
    if status >= 500:
        return ServerError(f"{host} had a server problem (HTTP {status}); try again later.")
    if status in (401, 403):
        return PermissionError_(
            f"The web server of {host} refused the XML-RPC request (HTTP {status}); a firewall"
            " or security plugin may block it."
        )
    if status in (404, 410):
        return NotFoundError(
            f"There is no XML-RPC endpoint at {response.url} (HTTP {status}); check the address."
        )
    if 300 <= status < 400:
        target = response.headers.get("Location", "another address")
        return ConfigError(f"{host} redirects to {target}; sign in again with that address.")
    return InvalidRequestError(f"{host} refused the XML-RPC request (HTTP {status}).")


class XmlRpcEndpoint:
    """One XML-RPC endpoint, called over an injected session."""

    def __init__(
        self,
        session: requests.Session,
        url: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # Every call carries the password in its body: never to plain http elsewhere.
        require_secure(url, PASSWORD_WORDS)
        self.url = url
        self.host = endpoint_host(url)
        self.sender = Sender(
            session, self.host, timeout=timeout, max_attempts=max_attempts, sleep=sleep
        )

    @property
    def max_attempts(self) -> int:
        """How often a failed request may be sent in all."""
        return self.sender.max_attempts

    def wait(self, seconds: float) -> None:
        """Sleep before a retry (the HTTP layer's, injectable in tests)."""
        self.sender.wait(seconds)

    def call(self, method: str, *params: Any, retry: bool = True) -> Any:
        """Call `method` and return its result; a fault raises the typed error.

        `retry` only when repeating the call cannot change the outcome (reads, and edits that
        set the whole post): a create is sent once, its caller looks for it first.
        """
        if len(params) > 2 and isinstance(params[2], str):
            register_secret(params[2])  # every call of these APIs: (id, user, password, …)
        body = xmlrpc.client.dumps(tuple(params), method, encoding="utf-8", allow_none=False)
        response = self.sender.send(
            "POST",
            self.url,
            retry=retry,
            offline=lambda exc: network_error(exc, "POST", self.host),
            data=body.encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8", "Accept": "text/xml"},
            allow_redirects=False,  # a redirected POST would arrive as a GET
        )
        quota = too_long(response, self.host)
        if quota is not None:
            raise quota
        if response.status_code >= 300:
            # Some servers send their fault with an error status: the fault says more.
            fault = _fault_in(response.content) if response.status_code >= 400 else None
            error = map_fault(fault, self.host) if fault else map_http_error(response)
            if response.status_code in RETRY_STATUSES:
                error.retry_after = retry_after_seconds(response)
            raise error
        try:
            (result,), _name = xmlrpc.client.loads(response.content, use_builtin_types=True)
        except xmlrpc.client.Fault as fault:
            raise map_fault(fault, self.host) from None
        except (ExpatError, xmlrpc.client.ResponseError, ValueError) as exc:
            log.debug("%s: unreadable XML-RPC answer to %s", self.host, method)
            if not retry:
                # A create may have been done before the answer went wrong (a PHP notice
                # printed ahead of the XML): a server error, so its caller looks for it.
                raise ServerError(
                    f"{self.host} sent an answer that cannot be read ({_kind(response)}); try"
                    " again."
                ) from exc
            raise ConfigError(
                f"{self.url} did not answer like an XML-RPC endpoint (it sent"
                f" {_kind(response)}); give the blog's address or its XML-RPC endpoint."
            ) from exc
        return result


def _fault_in(body: bytes) -> xmlrpc.client.Fault | None:
    """The XML-RPC fault an error answer carries, if it is one."""
    if b"<fault>" not in body[:2000]:
        return None
    try:
        xmlrpc.client.loads(body)
    except xmlrpc.client.Fault as fault:
        return fault
    except Exception:  # noqa: BLE001 - expat raises its own errors for bad XML
        return None
    return None


def _kind(response: requests.Response) -> str:
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if not response.content:
        return "an empty answer"
    return f"a {content_type} page" if content_type else "something else"


class _EditUri(HTMLParser):
    """The RSD link of an HTML page: <link rel="EditURI" type="application/rsd+xml" href>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        rsd = values.get("type", RSD_TYPE).lower() in (RSD_TYPE, "")
        if tag == "link" and "edituri" in rels and rsd and not self.href:
            self.href = values.get("href", "").strip()

    handle_startendtag = handle_starttag


def edit_uri(html: str) -> str:
    """The href of the page's EditURI (RSD) link, "" when it has none."""
    parser = _EditUri()
    parser.feed(html)
    parser.close()
    return parser.href


def rsd_endpoint(document: bytes) -> tuple[str, str]:
    """(apiLink, blogID) of the MetaWeblog-compatible API an RSD document lists ("" if none)."""
    try:
        root = ElementTree.fromstring(document)  # noqa: S314 - a small document, no DTDs
    except ElementTree.ParseError:
        return "", ""
    apis: dict[str, tuple[str, str]] = {}
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "api" and element.get("apiLink"):
            name = (element.get("name") or "").strip().lower()
            apis.setdefault(name, (element.get("apiLink") or "", element.get("blogID") or ""))
    for name in RSD_APIS:
        if name in apis:
            return apis[name]
    return "", ""


def discover_endpoint(
    session: requests.Session,
    address: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
) -> tuple[str, str]:
    """The XML-RPC endpoint (and blog id, "" when unknown) for what the writer typed.

    A blog's home page names its RSD document (`<link rel="EditURI">`), which names the
    MetaWeblog endpoint. An address without that link is taken as the endpoint itself.
    """
    text = address.strip()
    if not text:
        raise ConfigError("Give the address of the blog or of its XML-RPC endpoint.")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{address!r} is not a web address like https://example.com.")
    host = endpoint_host(text)
    try:
        page = session.get(text, timeout=timeout, headers={"Accept": "text/html, */*"})
    except requests.Timeout as exc:
        raise OfflineError(f"{host} did not answer in time (timed out); try again.") from exc
    except requests.RequestException as exc:
        raise OfflineError(
            f"Could not reach {host}; check the address and your internet connection."
        ) from exc
    content_type = page.headers.get("Content-Type", "").lower()
    if page.status_code == 200 and b"<rsd" in page.content[:1000]:
        document = page.content  # the address of the RSD document itself
    else:
        rsd = edit_uri(page.text) if page.status_code == 200 and "html" in content_type else ""
        if not rsd:
            return text, ""  # an endpoint (XML-RPC answers a GET with 405) or a bare site
        try:
            answer = session.get(urljoin(page.url, rsd), timeout=timeout)
        except requests.RequestException as exc:
            raise OfflineError(f"Could not read the blog description (RSD) of {host}.") from exc
        document = answer.content if answer.status_code == 200 else b""
    link, blog_id = rsd_endpoint(document)
    if not link:
        raise ConfigError(
            f"{host} describes its blogging APIs (RSD), but none of them is MetaWeblog; give"
            " the XML-RPC endpoint's address instead."
        )
    return urljoin(page.url, link), blog_id
