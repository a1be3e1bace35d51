"""A loopback stand-in for a WordPress site's REST API (wp/v2), for client unit tests.

Speaks the shapes of /work/shared/apis/wordpress-wp-api-generated.json and WordPress's error
envelope, with knobs for what differs between real sites:

    FakeWordPress(pretty=False)            # plain permalinks: only /?rest_route=/… answers
    FakeWordPress(app_passwords=False)     # no "application-passwords" in the index
    FakeWordPress(strip_auth=True)         # the web server drops the Authorization header
    FakeWordPress(wrong_password_code="incorrect_password")  # WordPress 6.3+ (default: 6.1)
    FakeWordPress(xmlrpc=False)            # xmlrpc.php blocked
    fake.fault("POST", "wp/v2/posts", "status", status=503, retry_after="2")
    fake.fault("POST", "wp/v2/posts", "lost")    # create, then drop the connection
    fake.fault("POST", "wp/v2/posts", "reset")   # drop the connection, create nothing
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import threading
import xmlrpc.client
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

USER = "writer"
PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"


@dataclass
class Fault:
    method: str
    route: str
    kind: str
    status: int = 500
    retry_after: str | None = None
    body: Any = None


@dataclass
class Seen:
    method: str
    route: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class State:
    posts: dict[int, dict[str, Any]] = field(default_factory=dict)
    terms: dict[str, dict[int, str]] = field(
        default_factory=lambda: {"tags": {}, "categories": {1: "Uncategorized"}}
    )
    media: dict[int, dict[str, Any]] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:
        self.server.app.handle(self)

    do_POST = do_PUT = do_DELETE = do_GET

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: FakeWordPress

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class FakeWordPress:
    """A fake site on 127.0.0.1:<ephemeral port>; use as a context manager."""

    def __init__(
        self,
        *,
        pretty: bool = True,
        app_passwords: bool = True,
        strip_auth: bool = False,
        wrong_password_code: str = "rest_not_logged_in",
        xmlrpc: bool = True,
        can_create_terms: bool = True,
        html_instead_of_json: bool = False,
    ) -> None:
        self.pretty = pretty
        self.app_passwords = app_passwords
        self.strip_auth = strip_auth
        self.wrong_password_code = wrong_password_code
        self.xmlrpc = xmlrpc
        self.can_create_terms = can_create_terms
        self.html_instead_of_json = html_instead_of_json
        self.state = State()
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.ids = itertools.count(100)
        self.lock = threading.RLock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.daemon = True

    def __enter__(self) -> FakeWordPress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fault(self, method: str, route: str, kind: str, **options: Any) -> None:
        self.faults.append(Fault(method, route, kind, **options))

    def calls(self, method: str, route: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and s.route == route]

    # --- plumbing --------------------------------------------------------------------------

    def handle(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        if parts.path == "/xmlrpc.php":
            return self.xmlrpc_call(h, body)
        if self.pretty and parts.path.startswith("/wp-json"):
            route = parts.path.removeprefix("/wp-json").strip("/")
        elif not self.pretty and parts.path in ("", "/") and "rest_route" in query:
            route = unquote(query.pop("rest_route")).strip("/")
        elif parts.path.startswith("/wp-json"):
            return self.send(h, 404, b"<html>Not Found</html>", "text/html")
        else:
            return self.send(h, 200, b"<html>a blog</html>", "text/html")
        headers = {k.lower(): v for k, v in h.headers.items()}
        with self.lock:
            self.seen.append(Seen(h.command, route, query, headers, body))
            fault = next(
                (f for f in self.faults if f.method == h.command and f.route == route), None
            )
            if fault:
                self.faults.remove(fault)
        if fault and fault.kind == "reset":
            return self.drop(h)
        if fault and fault.kind == "status":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            error = fault.body or {"code": "x", "message": "fault", "data": {}}
            return self.send_json(h, fault.status, error, extra)
        if self.html_instead_of_json:
            return self.send(h, 200, b"<!doctype html><p>Maintenance</p>", "text/html")
        status, answer, extra = self.route(h.command, route, query, headers, body)
        if fault and fault.kind == "lost":
            return self.drop(h)
        self.send_json(h, status, answer, extra)

    def drop(self, h: _Handler) -> None:
        h.close_connection = True
        with contextlib.suppress(OSError):
            h.connection.shutdown(2)

    def send(self, h: _Handler, status: int, data: bytes, ctype: str, extra: Any = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(data)

    def send_json(self, h: _Handler, status: int, answer: Any, extra: Any = None) -> None:
        self.send(h, status, json.dumps(answer).encode(), "application/json; charset=UTF-8", extra)

    def signed_in(self, headers: dict[str, str]) -> bool | None:
        """True, False (wrong credentials) or None (none arrived)."""
        value = headers.get("authorization", "")
        if self.strip_auth or not value.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
        return user == USER and password.replace(" ", "") == PASSWORD.replace(" ", "")

    def xmlrpc_call(self, h: _Handler, body: bytes) -> None:
        if not self.xmlrpc:
            return self.send(h, 405, b"XML-RPC server accepts POST requests only.", "text/plain")
        (user, password), _method = xmlrpc.client.loads(body)
        if user == USER and password.replace(" ", "") == PASSWORD.replace(" ", ""):
            answer = xmlrpc.client.dumps(([{"blogid": "1", "isAdmin": True}],), methodresponse=True)
        else:
            answer = xmlrpc.client.dumps(
                xmlrpc.client.Fault(403, "Incorrect username or password."), methodresponse=True
            )
        self.send(h, 200, answer.encode(), "text/xml")

    # --- the API ---------------------------------------------------------------------------

    def error(self, status: int, code: str, message: str, **data: Any) -> tuple:
        return status, {"code": code, "message": message, "data": {"status": status, **data}}, {}

    def index(self) -> dict[str, Any]:
        auth = {"application-passwords": {"endpoints": {}}} if self.app_passwords else {}
        return {
            "name": "Fake &amp; Site",
            "url": self.url,
            "home": self.url,
            "namespaces": ["oembed/1.0", "wp/v2"],
            "authentication": auth,
        }

    def route(
        self, method: str, route: str, q: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        if route == "":
            return 200, self.index(), {}
        who = self.signed_in(headers)
        if who is False and self.wrong_password_code != "rest_not_logged_in":
            return self.error(401, self.wrong_password_code, "<strong>Error:</strong> Wrong.")
        if not who:
            return self.error(401, "rest_not_logged_in", "You are not currently logged in.")
        data = json.loads(body) if body and "json" in headers.get("content-type", "") else {}
        with self.lock:
            return self.api(method, route.split("/"), q, headers, data, body)

    def api(self, method, parts, q, headers, data, body):  # noqa: ANN001, ANN202 - test fake
        st = self.state
        if parts[:3] == ["wp", "v2", "users"] and parts[3:] == ["me"]:
            return 200, {"id": 1, "name": "Wendy Writer", "capabilities": {"edit_posts": True}}, {}
        if parts[:3] == ["wp", "v2", "posts"]:
            if len(parts) == 3 and method == "GET":
                items = [p for p in st.posts.values() if q.get("search", "") in p["content"]]
                return 200, [self.post_json(p) for p in items], {"X-WP-Total": str(len(items))}
            if len(parts) == 3 and method == "POST":
                post = {"id": next(self.ids), "status": "draft", "tags": [], "categories": [1]}
                post.update({"title": "", "content": "", "date_gmt": None})
                post.update(data)
                st.posts[post["id"]] = self.dated(post)
                return 201, self.post_json(post), {}
            post = st.posts.get(int(parts[3]))
            if post is None:
                return self.error(404, "rest_post_invalid_id", "Invalid post ID.")
            if method == "POST":
                post.update(data)
                self.dated(post)
            return 200, self.post_json(post), {}
        if parts[:3] == ["wp", "v2", "media"]:
            if len(parts) == 4:
                item = st.media.get(int(parts[3]))
                if item is None:
                    return self.error(404, "rest_post_invalid_id", "Invalid post ID.")
                return 200, item, {}
            if method == "GET":
                found = [m for m in st.media.values() if q.get("search", "") in m["source_url"]]
                return 200, found, {}
            name = headers.get("content-disposition", "").split('filename="')[-1].rstrip('"')
            item = {"id": next(self.ids), "source_url": f"{self.url}/wp-content/uploads/{name}"}
            item["mime_type"] = headers.get("content-type")
            st.media[item["id"]] = item
            return 201, item, {}
        if parts[:2] == ["wp", "v2"] and parts[2] in ("tags", "categories"):
            terms = st.terms[parts[2]]
            if method == "GET":
                if "include" in q:
                    ids = [int(i) for i in q["include"].split(",")]
                    found = [(i, terms[i]) for i in ids if i in terms]
                else:
                    word = q.get("search", "").lower()
                    found = [(i, n) for i, n in terms.items() if word in n.lower()]
                return 200, [{"id": i, "name": n.replace("&", "&amp;")} for i, n in found], {}
            if not self.can_create_terms:
                return self.error(
                    403,
                    "rest_cannot_create",
                    "Sorry, you are not allowed to create terms in this taxonomy.",
                )
            for i, n in terms.items():
                if n.lower() == data["name"].lower():
                    return self.error(
                        400,
                        "term_exists",
                        "A term with the name provided already exists.",
                        term_id=i,
                    )
            new = next(self.ids)
            terms[new] = data["name"]
            return 201, {"id": new, "name": data["name"].replace("&", "&amp;")}, {}
        return self.error(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )

    def dated(self, post: dict[str, Any]) -> dict[str, Any]:
        post["modified_gmt"] = f"2025-01-01T00:00:{len(self.seen) % 60:02d}"
        if post.get("status") in ("publish", "future") and post.get("date_gmt"):
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
            post["status"] = "future" if post["date_gmt"] > now else "publish"
        return post

    def post_json(self, post: dict[str, Any]) -> dict[str, Any]:
        return {
            **post,
            "title": {"raw": post["title"], "rendered": post["title"]},
            "content": {"raw": post["content"], "rendered": post["content"]},
            "link": f"{self.url}/?p={post['id']}",
        }
