"""A loopback stand-in for a WordPress site's REST API (wp/v2), for client unit tests.

Speaks the shapes of /work/shared/apis/wordpress-wp-api-generated.json and WordPress's error
envelope, with knobs for what differs between real sites:

    FakeWordPress(pretty=False)            # plain permalinks: only /?rest_route=/… answers
    FakeWordPress(app_passwords=False)     # no "application-passwords" in the index
    FakeWordPress(strip_auth=True)         # the web server drops the Authorization header
    FakeWordPress(wrong_password_code="incorrect_password")  # WordPress 6.3+ (default: 6.1)
    FakeWordPress(xmlrpc=False)            # xmlrpc.php blocked
    FakeWordPress(paging_headers=False)    # a proxy drops X-WP-Total and X-WP-TotalPages
    fake.fault("POST", "wp/v2/posts", "status", status=503, retry_after="2")
    fake.fault("POST", "wp/v2/posts", "lost")    # create, then drop the connection
    fake.fault("POST", "wp/v2/posts", "reset")   # drop the connection, create nothing
    fake.add(title="Old", status="draft", modified_gmt="2020-01-01T00:00:00")  # seed directly
    fake.add("pages", title="About")             # pages share ids with posts, as in WordPress
    fake.web_edit(post_id, title="Edited")       # an edit made in WordPress's own editor

Lists (GET wp/v2/posts and wp/v2/pages) behave as WordPress 6.1 does (tests/wordpress shows the
real one): `status` defaults to publish and `any` means every status but trash; `per_page` is
1-100 (default 10) and `page` at least 1, else 400 rest_invalid_param; a page past the last is
400 rest_post_invalid_page_number (an empty blog answers page 1 with []); X-WP-Total and
X-WP-TotalPages headers; `orderby` date/modified/id/title/slug with `order`; `_fields`; raw
title and content only with context=edit. Like MariaDB under WordPress, rows that tie on the
sort column (saved in the same second) come back in an order that changes from page to page.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import math
import threading
import xmlrpc.client
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

USER = "writer"
PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"
# What status=any lists: every status an editor sees in WordPress's lists (not trash).
ANY = ("publish", "future", "draft", "pending", "private")
KINDS = {"posts": "post", "pages": "page"}
ORDER_KEYS = {
    "date": lambda p: p.get("date_gmt") or "",
    "modified": lambda p: p.get("modified_gmt") or "",
    "id": lambda p: p["id"],
    "title": lambda p: p.get("title") or "",
    "slug": lambda p: p.get("slug") or "",
}


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
        paging_headers: bool = True,
    ) -> None:
        self.pretty = pretty
        self.app_passwords = app_passwords
        self.strip_auth = strip_auth
        self.wrong_password_code = wrong_password_code
        self.xmlrpc = xmlrpc
        self.can_create_terms = can_create_terms
        self.html_instead_of_json = html_instead_of_json
        self.paging_headers = paging_headers  # False: a proxy that drops X-WP-Total(Pages)
        self.state = State()
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.ids = itertools.count(100)
        self.clock = datetime(2025, 1, 1)  # modified times: one second later at every change
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

    def add(self, collection: str = "posts", **fields: Any) -> dict[str, Any]:
        """Put a post (or a page) on the site directly, as if written there; returns it."""
        with self.lock:
            item = self.new_item(collection, {"status": "publish", **fields})
            item.setdefault("date_gmt", item["modified_gmt"])
            self.state.posts[item["id"]] = item
            return item

    def web_edit(self, item_id: int | str, **fields: Any) -> dict[str, Any]:
        """Change a post as WordPress's own editor would (its modified time moves on)."""
        with self.lock:
            item = self.state.posts[int(item_id)]
            item.update(fields)
            item["modified_gmt"] = self.tick()
            return item

    def tick(self) -> str:
        """The next modified time (whole seconds, as WordPress stores them)."""
        self.clock += timedelta(seconds=1)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S")

    def new_item(self, collection: str, fields: dict[str, Any]) -> dict[str, Any]:
        kind = KINDS[collection]
        item: dict[str, Any] = {"id": next(self.ids), "type": kind, "status": "draft"}
        item.update({"title": "", "content": "", "slug": "", "password": ""})
        if kind == "post":
            item.update({"tags": [], "categories": [1]})
        item.update(fields)
        item.setdefault("modified_gmt", self.tick())
        return item

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
        if parts[:2] == ["wp", "v2"] and parts[2:3] and parts[2] in KINDS:
            return self.items(method, parts[2], parts[3:], q, data)
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
                per_page = int(q.get("per_page", 10))
                if not 1 <= per_page <= 100:
                    return self.invalid("per_page", "must be between 1 (inclusive) and 100")
                if "include" in q:
                    ids = [int(i) for i in q["include"].split(",")]
                    found = [(i, terms[i]) for i in ids if i in terms]
                else:
                    word = q.get("search", "").lower()
                    found = [(i, n) for i, n in terms.items() if word in n.lower()]
                answer = [{"id": i, "name": n.replace("&", "&amp;")} for i, n in found]
                headers = {"X-WP-Total": str(len(answer))}
                return 200, [self.only(t, q) for t in answer[:per_page]], headers
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

    # --- posts and pages ---------------------------------------------------------------------

    def items(self, method, collection, rest, q, data):  # noqa: ANN001, ANN202 - test fake
        kind = KINDS[collection]
        if not rest and method == "GET":
            return self.list_items(kind, q)
        if not rest and method == "POST":
            item = self.new_item(collection, data)
            self.state.posts[item["id"]] = self.dated(item)
            return 201, self.item_json(item), {}
        item = self.state.posts.get(int(rest[0]))
        if item is None or item.get("type", "post") != kind:
            return self.error(404, "rest_post_invalid_id", "Invalid post ID.")
        if method == "POST":
            item.update(data)
            self.dated(item)
        elif method == "DELETE":
            if q.get("force") in ("true", "1"):
                del self.state.posts[item["id"]]
                return 200, {"deleted": True, "previous": self.item_json(item)}, {}
            item["status"] = "trash"
            item["modified_gmt"] = self.tick()
        return 200, self.item_json(item, edit=method != "GET" or q.get("context") == "edit"), {}

    def list_items(self, kind: str, q: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        per_page, page = int(q.get("per_page", 10)), int(q.get("page", 1))
        if not 1 <= per_page <= 100:
            return self.invalid("per_page", "must be between 1 (inclusive) and 100 (inclusive)")
        if page < 1:
            return self.invalid("page", "must be greater than or equal to 1")
        statuses = q.get("status", "publish").split(",")
        wanted = set(ANY) if "any" in statuses else set(statuses)
        word = q.get("search", "")
        found = [
            p
            for p in self.state.posts.values()
            if p.get("type", "post") == kind
            and p["status"] in wanted
            and (word in p["content"] or word in p["title"])
        ]
        offset = (page - 1) * per_page
        key = ORDER_KEYS[q.get("orderby", "date")]
        # MariaDB's LIMIT sort leaves ties in no fixed order; a different one for each page.
        found.sort(
            key=lambda p: (key(p), zlib.crc32(f"{p['id']}:{offset}".encode())),
            reverse=q.get("order", "desc") == "desc",
        )
        pages = math.ceil(len(found) / per_page)
        if page > pages and found:
            return self.error(
                400,
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
            )
        edit = q.get("context") == "edit"
        answer = [self.only(self.item_json(p, edit), q) for p in found[offset : offset + per_page]]
        if not self.paging_headers:
            return 200, answer, {}
        return 200, answer, {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)}

    def invalid(self, name: str, why: str) -> tuple:
        return self.error(
            400,
            "rest_invalid_param",
            f"Invalid parameter(s): {name}",
            params={name: f"{name} {why}"},
        )

    def only(self, data: dict[str, Any], q: dict[str, str]) -> dict[str, Any]:
        """`data` cut down to the `_fields` asked for (top-level names, or `content.raw`)."""
        if not q.get("_fields"):
            return data
        kept: dict[str, Any] = {}
        for name in q["_fields"].split(","):
            top, _, sub = name.partition(".")
            if top not in data:
                continue
            if sub and isinstance(data[top], dict):
                if sub in data[top]:
                    kept.setdefault(top, {})[sub] = data[top][sub]
            else:
                kept[top] = data[top]
        return kept

    def dated(self, post: dict[str, Any]) -> dict[str, Any]:
        post["modified_gmt"] = self.tick()
        if post.get("status") in ("publish", "future") and post.get("date_gmt"):
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
            post["status"] = "future" if post["date_gmt"] > now else "publish"
        if not post.get("date_gmt"):
            post["date_gmt"] = post["modified_gmt"]
        return post

    def item_json(self, post: dict[str, Any], edit: bool = True) -> dict[str, Any]:
        """A post or page as the REST API shows it; raw fields only in context=edit."""
        kind = post.get("type", "post")
        data = {
            **post,
            "type": kind,
            "title": {"raw": post["title"], "rendered": post["title"]},
            "content": {
                "raw": post["content"],
                "rendered": post["content"],
                "protected": bool(post.get("password")),
            },
            "link": f"{self.url}/?{'p' if kind == 'post' else 'page_id'}={post['id']}",
            "_links": {"self": [{"href": f"{self.url}/wp-json/wp/v2/{kind}s/{post['id']}"}]},
        }
        if not edit:
            for name in ("title", "content"):
                data[name] = {k: v for k, v in data[name].items() if k != "raw"}
            data.pop("password", None)
        return data
