"""Loopback web sites for the link check: a site with every kind of answer a link can get, a
parked-domain page, and a stand-in for the Wayback Machine's availability API. No test here
resolves a real name: sites are 127.0.0.1 / localhost, dead names are under `.invalid`."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROBOTS = "User-agent: *\nDisallow: /private/\n"
PARKED_PAGE = (
    "<html><head><title>example-shop.com</title></head><body><h1>example-shop.com</h1>"
    "<p>This domain is for sale! Buy this domain today.</p></body></html>"
)
SLOW_SECONDS = 2.5


class Site:
    """A threaded HTTP server on 127.0.0.1; `routes` maps a path to a handler function
    (handler, method) and every request is logged as (start, end, method, path)."""

    def __init__(self, routes: dict[str, Callable[[BaseHTTPRequestHandler, str], None]]) -> None:
        self.routes = routes
        self.log: list[tuple[float, float, str, str]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def answer(self, method: str) -> None:
                start = time.monotonic()
                path = urlsplit(self.path).path
                route = site.routes.get(path)
                try:
                    if route is None:
                        send(self, 404, "not here")
                    else:
                        route(self, method)
                finally:
                    with site.lock:
                        site.log.append((start, time.monotonic(), method, self.path))

            def do_HEAD(self) -> None:  # noqa: N802 - the http.server spelling
                self.answer("HEAD")

            def do_GET(self) -> None:  # noqa: N802
                self.answer("GET")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[str]:
        """The methods of the requests made for `path` (query included)."""
        with self.lock:
            return [method for _s, _e, method, p in self.log if p == path]

    def paths(self) -> list[str]:
        with self.lock:
            return [p for _s, _e, _m, p in self.log]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: str = "",
    headers: dict[str, str] | None = None,
    *,
    head: bool = False,
) -> None:
    data = body.encode("utf-8")
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if "Content-Type" not in (headers or {}):
        handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    if not head:
        handler.wfile.write(data)


def status(code: int, body: str = "page", **headers: str) -> Callable[..., None]:
    def route(handler: BaseHTTPRequestHandler, method: str) -> None:
        send(handler, code, body, headers, head=method == "HEAD")

    return route


def head_refused(handler: BaseHTTPRequestHandler, method: str) -> None:
    if method == "HEAD":
        send(handler, 405, head=True)
    else:
        send(handler, 200, "<p>fine with GET</p>")


def head_wrong(handler: BaseHTTPRequestHandler, method: str) -> None:
    if method == "HEAD":
        send(handler, 404, head=True)
    else:
        send(handler, 200, "<p>here after all</p>")


def slow(handler: BaseHTTPRequestHandler, method: str) -> None:
    time.sleep(SLOW_SECONDS)
    with contextlib.suppress(OSError):  # the client gave up long ago
        send(handler, 200, "late", head=method == "HEAD")


def redirect(location: str, code: int = 301) -> Callable[..., None]:
    def route(handler: BaseHTTPRequestHandler, method: str) -> None:
        send(handler, code, "", {"Location": location}, head=method == "HEAD")

    return route


def web_site(parked: Site | None = None) -> Site:
    """The site whose pages the posts link to."""
    routes: dict[str, Callable[..., None]] = {
        "/robots.txt": status(200, ROBOTS),
        "/ok": status(200),
        "/ok2": status(200),
        "/ok3": status(200),
        "/ok4": status(200),
        "/missing": status(404),
        "/gone": status(410),
        "/nohead": head_refused,
        "/slow": slow,
        "/busy": status(429, "slow down", **{"Retry-After": "120"}),
        "/broken": status(503),
        "/private/diary": status(200),
        "/hop1": redirect("/hop2"),
        "/hop2": redirect("/ok", 302),
        "/loop": redirect("/loop"),
        "/expired": redirect("/lander", 302),  # the domain changed hands: parked in place
        "/lander": status(200, PARKED_PAGE),
        "/home": redirect("/", 301),  # an article folded into the front page: not parked
        "/": status(200, "<h1>Welcome to our magazine</h1>"),
        "/head-wrong": head_wrong,
    }
    if parked is not None:
        # Another site's front page (localhost is not 127.0.0.1): an expired domain sold on.
        routes["/moved"] = redirect(parked.url("/", host="localhost"))
    return Site(routes)


def parked_site() -> Site:
    return Site({"/": status(200, PARKED_PAGE), "/robots.txt": status(404)})


def closed_port() -> int:
    """A port nothing listens on (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


class Wayback:
    """The availability API (https://archive.org/help/wayback_api.php) on loopback: GET
    /wayback/available?url=U[&timestamp=T] answers the documented JSON; anything else is a
    violation."""

    def __init__(self, snapshots: dict[str, tuple[str, str]]) -> None:
        self.snapshots = snapshots  # url -> (timestamp, original)
        self.asked: list[dict[str, list[str]]] = []
        self.violations: list[str] = []
        self.site = Site({"/wayback/available": self.available})

    @property
    def url(self) -> str:
        return self.site.url("/wayback/available")

    def available(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        self.asked.append(query)
        allowed = {"url", "timestamp", "callback"}
        if method != "GET" or "url" not in query or set(query) - allowed:
            self.violations.append(f"{method} {handler.path}")
        wanted = query.get("url", [""])[0]
        answer: dict[str, Any] = {"url": wanted, "archived_snapshots": {}}
        if wanted in self.snapshots:
            stamp, original = self.snapshots[wanted]
            answer["archived_snapshots"]["closest"] = {
                "status": "200",
                "available": True,
                "url": f"http://web.archive.org/web/{stamp}/{original}",
                "timestamp": stamp,
            }
        if "timestamp" in query:
            answer["timestamp"] = query["timestamp"][0]
        send(handler, 200, json.dumps(answer), {"Content-Type": "application/json"})
