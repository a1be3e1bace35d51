"""Check one outbound link politely and say what became of it: ok, dead, parked, uncertain.

Every request goes through the one HTTP loop (`Sender`), never retried here: a link that fails
now is "uncertain" and tried again on the next check, rather than hammering a struggling site.
Redirects are followed one hop at a time (with a cap) so a chain that ends on a
domain-parking page is seen for what it is. robots.txt is read once per host with the standard
library's parser; a link it disallows for us is "not checked", never "dead".
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from editor.publish.http import Sender, retry_after_seconds

OK = "ok"
DEAD = "dead"
PARKED = "parked"
UNCERTAIN = "uncertain"
NOT_CHECKED = "not checked"
VERDICTS = (OK, DEAD, PARKED, UNCERTAIN, NOT_CHECKED)

AGENT = "Broadsheet"  # the name robots.txt rules are matched against
LINK_TIMEOUT = (5.0, 10.0)  # (connect, read) seconds for each request
MIN_GAP = 1.0  # seconds between two requests to one host
MAX_REDIRECTS = 8
PAGE_BYTES = 64 * 1024  # enough of a page to recognise a parking page
HEAD_REFUSED = frozenset({403, 405, 501})
# Some servers answer HEAD wrongly (404 for a page GET shows): "dead" is said only after a GET.
HEAD_DOUBTED = frozenset({400, 404, 410})
# Said by the parking pages of the common parking services and registrars.
PARKED_WORDS = (
    "domain is for sale",
    "domain may be for sale",
    "this domain is parked",
    "domain is parked",
    "parked free",
    "parked domain",
    "buy this domain",
    "this domain name is for sale",
    "the domain name is for sale",
    "sedoparking",
    "parkingcrew",
    "bodis.com",
    "domain parking",
)
PARKING_HOSTS = (
    "sedoparking.com",
    "parkingcrew.net",
    "bodis.com",
    "dan.com",
    "afternic.com",
    "hugedomains.com",
    "sedo.com",
    "above.com",
    "parklogic.com",
)


@dataclass(frozen=True)
class LinkVerdict:
    """What a check found: `verdict` is one of VERDICTS, `reason` a short phrase for the writer."""

    url: str
    verdict: str
    reason: str = ""
    status: int | None = None
    final_url: str = ""


class _NoAnswer(Exception):
    """A request got no HTTP answer; `cause` is what requests raised."""

    def __init__(self, cause: requests.RequestException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def site_of(url: str) -> str:
    """The domain a person would say a site has: the last two labels of the host name (three
    under a two-letter country's "co."/"com."/"org."), or the whole host for an address."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def looks_parked(url: str, page: str) -> bool:
    """True for a domain-parking page: on a parking service, or saying the domain is for sale."""
    host = (urlsplit(url).hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in PARKING_HOSTS):
        return True
    text = " ".join(page.lower().split())
    return any(word in text for word in PARKED_WORDS)


def no_answer_verdict(url: str, exc: requests.RequestException) -> LinkVerdict:
    """Dead when the name does not resolve or the connection is refused; else uncertain."""
    cause = repr(exc.args[0] if exc.args else exc)
    if isinstance(exc, requests.Timeout) or "ReadTimeoutError" in cause:
        return LinkVerdict(url, UNCERTAIN, "no answer in time (try again later)")
    if "NameResolutionError" in cause or "Name or service not known" in cause:
        return LinkVerdict(url, DEAD, "the site's name no longer exists (DNS)")
    if "Connection refused" in cause or "ConnectionRefusedError" in cause:
        return LinkVerdict(url, DEAD, "the site refuses connections")
    return LinkVerdict(url, UNCERTAIN, "the connection failed (try again later)")


def status_verdict(url: str, status: int, response: requests.Response) -> LinkVerdict:
    """The verdict for the final answer's HTTP status (after redirects)."""
    if status < 400 or status == 401:  # 401: the page is there, behind a login
        return LinkVerdict(url, OK, "", status)
    if status in (404, 410):
        words = "not found" if status == 404 else "gone"
        return LinkVerdict(url, DEAD, f"HTTP {status} ({words})", status)
    if status == 429:
        asked = retry_after_seconds(response)
        later = f"; the site asks to wait {asked:.0f} s" if asked is not None else ""
        return LinkVerdict(url, UNCERTAIN, f"HTTP 429 (too many requests{later})", status)
    if status >= 500:
        return LinkVerdict(url, UNCERTAIN, f"HTTP {status} (server error, try again later)", status)
    return LinkVerdict(url, UNCERTAIN, f"HTTP {status}", status)


class HostGate:
    """One request at a time per host, at least `gap` seconds apart (start to start)."""

    def __init__(
        self,
        gap: float = MIN_GAP,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.gap = gap
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}

    def _slot(self, host: str) -> tuple[threading.Lock, list[float]]:
        with self._lock:
            return self._hosts.setdefault(host, (threading.Lock(), [float("-inf")]))

    def run(self, url: str, request: Callable[[], requests.Response]) -> requests.Response:
        """Send `request` (to `url`'s host) when the host's turn has come."""
        host = (urlsplit(url).netloc or "").lower()
        lock, last = self._slot(host)
        with lock:
            wait = last[0] + self.gap - self.clock()
            if wait > 0:
                self.sleep(wait)
            last[0] = self.clock()
            return request()


class LinkChecker:
    """Checks links through one `Sender`, a `HostGate` and a robots.txt cache."""

    def __init__(
        self,
        session: requests.Session,
        *,
        gap: float = MIN_GAP,
        timeout: float | tuple[float, float] = LINK_TIMEOUT,
        max_redirects: int = MAX_REDIRECTS,
    ) -> None:
        self.sender = Sender(session, "a linked site", timeout=timeout, max_attempts=1)
        self.gate = HostGate(gap)
        self.max_redirects = max_redirects
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_lock = threading.Lock()
        self._robots_locks: dict[str, threading.Lock] = {}

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        def request() -> requests.Response:
            return self.sender.send(
                method,
                url,
                retry=False,
                offline=_NoAnswer,
                allow_redirects=False,
                **kwargs,
            )

        return self.gate.run(url, request)

    def allowed(self, url: str) -> bool:
        """True when the site's robots.txt lets us fetch `url` (no robots.txt: yes)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            site_lock = self._robots_locks.setdefault(root, threading.Lock())
        with site_lock:  # read once per site, however many threads ask at once
            rules = self._robots.get(root)
            if rules is None:
                rules = self._robots[root] = self._read_robots(root)
        return rules.can_fetch(AGENT, url)

    def _read_robots(self, root: str) -> urllib.robotparser.RobotFileParser:
        rules = urllib.robotparser.RobotFileParser(root + "/robots.txt")
        try:
            response = self._send("GET", root + "/robots.txt")
        except _NoAnswer:
            rules.parse([])  # the link's own check will tell what is wrong
            return rules
        if response.status_code in (401, 403):
            rules.parse(["User-agent: *", "Disallow: /"])  # as the standard read() decides
        elif response.status_code >= 400:
            rules.parse([])
        else:
            rules.parse(response.text[: PAGE_BYTES * 8].splitlines())
        response.close()
        return rules

    def check(self, url: str) -> LinkVerdict:
        """The verdict on one http(s) link."""
        try:
            if urlsplit(url).scheme not in ("http", "https"):
                return LinkVerdict(url, NOT_CHECKED, "not a web address")
            if not self.allowed(url):
                return LinkVerdict(url, NOT_CHECKED, "the site's robots.txt asks not to")
            return self._follow(url)
        except _NoAnswer as exc:
            return no_answer_verdict(url, exc.cause)
        except ValueError:  # urllib3 refuses some addresses before sending (bad host names)
            return LinkVerdict(url, NOT_CHECKED, "not a valid web address")

    def _follow(self, url: str) -> LinkVerdict:
        current = url
        for _hop in range(self.max_redirects + 1):
            response = self._send("HEAD", current)
            method = "HEAD"
            if response.status_code in HEAD_REFUSED or response.status_code in HEAD_DOUBTED:
                response.close()
                response = self._send("GET", current, stream=True)
                method = "GET"
            location = response.headers.get("Location")
            if response.is_redirect and location:
                response.close()
                nxt = urljoin(current, location)
                if urlsplit(nxt).scheme not in ("http", "https"):
                    return LinkVerdict(url, UNCERTAIN, "redirects to a non-web address")
                if nxt != current and not self.allowed(nxt):
                    response.close()
                    return LinkVerdict(url, NOT_CHECKED, "the site's robots.txt asks not to")
                current = nxt
                continue
            verdict = status_verdict(url, response.status_code, response)
            verdict = LinkVerdict(url, verdict.verdict, verdict.reason, verdict.status, current)
            if verdict.verdict == OK and self._may_be_parked(url, current):
                page = self._page(current, response if method == "GET" else None)
                if looks_parked(current, page):
                    return LinkVerdict(
                        url,
                        PARKED,
                        f"leads to a domain-parking page ({urlsplit(current).hostname})",
                        response.status_code,
                        current,
                    )
            response.close()
            return verdict
        return LinkVerdict(url, UNCERTAIN, f"more than {self.max_redirects} redirects")

    def _may_be_parked(self, original: str, final: str) -> bool:
        """A link redirected to a front page (another site's, or its own after the domain
        changed hands: parking services land on "/" or "/lander") or to a parking service may
        be a parked domain, so its page is read; any other link is judged by HEAD alone."""
        if final == original:
            return False
        if looks_parked(final, ""):
            return True
        return urlsplit(final).path in ("", "/", "/lander")

    def _page(self, url: str, response: requests.Response | None) -> str:
        """The start of the page at `url` as text ("" when it cannot be read)."""
        try:
            if response is None:
                response = self._send("GET", url, stream=True)
            data = b""
            for chunk in response.iter_content(8192):
                data += chunk
                if len(data) >= PAGE_BYTES:
                    break
            response.close()
        except (_NoAnswer, requests.RequestException):
            return ""
        return data.decode(response.encoding or "utf-8", errors="replace")
