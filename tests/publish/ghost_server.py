"""A loopback Ghost for the tests: the Admin API as Ghost documents it, field by field.

Follows https://docs.ghost.org/admin-api (posts, pages, images, site) and Ghost's sources
where the pages are silent: tokens checked as core/server/services/auth/api-key/admin.js does
(HS256, a known `kid`, `aud` /admin/, at most five minutes old), 409 UpdateCollisionError for a
stale `updated_at`, "Date must be at least 2 minutes in the future." for a schedule, HTML
converted on `?source=html` only (comments dropped, as Ghost's HTML-to-Lexical conversion
does), tags by name made on first use, images under /content/images/<yyyy>/<mm>/, errors in
Ghost's envelope `{"errors": [{"message", "context", "type", …}]}`. What Ghost allows is in
ghost_contract.py; anything else is refused and kept in `violations`, which the fixtures
assert is empty (test_ghost_contract.py tests the refusals). Faults as in blogger_server.py:

    server.fault("posts.add", "lost")                       # create, then drop the connection
    server.fault("posts.edit", "status", status=429, retry_after="1")
    server.clock_offset = 600                                # the server's clock runs ahead
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import re
import secrets
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt

from .ghost_contract import (
    API,
    IMAGE_TYPES,
    OPTIONS,
    ROUTES,
    STRIPPED,
    check_option,
    check_post,
    ghost_html,
    iso,
    parse_time,
    slugify,
)


@dataclass
class Fault:
    """One injected failure for an operation, used `times` times."""

    op: str
    kind: str
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    type: str = ""
    message: str = ""


@dataclass
class ApiError(Exception):
    """An error answered in Ghost's envelope."""

    status: int
    type: str
    message: str
    context: str | None = None
    property: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:
        self.server.app.handle(self)

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: GhostServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # dropped connections are deliberate faults here


class GhostServer:
    """Ghost's Admin API on 127.0.0.1:<ephemeral port>. start()/stop(), or the fixture."""

    def __init__(self, title: str = "Loopback Ghost") -> None:
        self.title = title
        self.keys: dict[str, bytes] = {}  # Admin API key id -> secret
        self.posts: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, dict[str, Any]] = {}  # Ghost's pages: posts without a date
        self.tags: dict[str, dict[str, Any]] = {}  # slug -> tag
        self.images: dict[str, bytes] = {}  # path below /content/images/ -> bytes
        self.faults: list[Fault] = []
        self.violations: list[str] = []
        self.requests: list[tuple[str, str, str]] = []  # (operation, method, path?query)
        self.clock_offset = 0.0  # seconds the server's clock runs ahead of this computer's
        self.redirect_to = ""  # a site that moved (to https, to www.): every request goes there
        self.strip_authorization = False  # a proxy in front that drops the header
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle and test controls ----------------------------------------------------

    def start(self) -> GhostServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def site_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add_key(self) -> str:
        """A new Admin API key "<id>:<secret>" (a custom integration's)."""
        key_id, secret = secrets.token_hex(12), secrets.token_hex(32)
        with self.lock:
            self.keys[key_id] = bytes.fromhex(secret)
        return f"{key_id}:{secret}"

    def revoke_keys(self) -> None:
        with self.lock:
            self.keys.clear()

    def fault(self, op: str, kind: str, **kwargs: Any) -> None:
        with self.lock:
            self.faults.append(Fault(op, kind, **kwargs))

    def count(self, op: str) -> int:
        with self.lock:
            return sum(1 for o, _m, _p in self.requests if o == op)

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.clock_offset)

    def web_edit(self, post_id: str, **changes: Any) -> dict[str, Any]:
        """Change a post as a writer in Ghost's editor would (title, html, tags by name)."""
        with self.lock:
            post = self.posts[post_id]
            if "tags" in changes:
                changes["tags"] = [self._tag({"name": n}) for n in changes["tags"]]
            post.update(changes)
            self._touch(post)
            return dict(post)

    def add_page(self, title: str, html: str, status: str = "published") -> dict[str, Any]:
        """A page made in Ghost's editor (About, Contact)."""
        with self.lock:
            return dict(self._create(self.pages, {"title": title, "html": html, "status": status}))

    def delete(self, post_id: str) -> None:
        with self.lock:
            del self.posts[post_id]

    # --- dispatch ------------------------------------------------------------------------

    def _take_fault(self, op: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.op == op and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _violation(self, h: _Handler, problem: str) -> None:
        with self.lock:
            self.violations.append(f"{h.command} {h.path}: {problem}")

    def handle(self, h: _Handler) -> None:
        url = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        if self.redirect_to:
            return _send(h, 301, b"", "text/html", {"Location": self.redirect_to + h.path})
        if url.path.startswith("/content/images/") and h.command in ("GET", "HEAD"):
            return self._serve_image(h, unquote(url.path.removeprefix("/content/images/")))
        if not url.path.startswith(API):
            return _send(h, 404, b"<html>Not found</html>", "text/html")
        rest = url.path.removeprefix(API)
        routed = next(
            ((op, m) for verb, rx, op in ROUTES if verb == h.command and (m := rx.match(rest))),
            None,
        )
        if routed is None:
            self._violation(h, "no such Admin API endpoint")
            return self._error(h, ApiError(404, "NotFoundError", "Resource not found"))
        op, match = routed
        with self.lock:
            self.requests.append((op, h.command, h.path))
        query = parse_qs(url.query, keep_blank_values=True)
        try:
            self._check_query(h, op, query)
            if op != "site.read":  # the site endpoint is public; everything else needs a key
                self._authenticate(h)
            fault = self._take_fault(op)
            self._answer(h, op, match.groupdict(), query, raw, fault)
        except ApiError as exc:
            self._error(h, exc)

    def _answer(
        self,
        h: _Handler,
        op: str,
        params: dict[str, str],
        query: dict[str, list[str]],
        raw: bytes,
        fault: Fault | None,
    ) -> None:
        kind = fault.kind if fault else ""
        if fault and kind == "reset":
            return _reset(h)
        if fault and kind == "status":
            kinds = {401: "UnauthorizedError", 403: "NoPermissionError", 404: "NotFoundError",
                     429: "TooManyRequestsError"}  # fmt: skip
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            raise ApiError(
                fault.status,
                fault.type or kinds.get(fault.status, "InternalServerError"),
                fault.message or "Injected failure",
                headers=headers,
            )
        if fault and kind == "delay" and self.stopping.wait(fault.seconds):
            return None
        with self.lock:
            status, payload = self._operate(h, op, params, query, raw)
        if fault and kind == "lost":
            return _reset(h)
        if fault and kind == "status_after":
            raise ApiError(fault.status, "InternalServerError", "Injected failure")
        if fault and kind == "delay_after" and self.stopping.wait(fault.seconds):
            return None
        return _send(h, status, json.dumps(payload).encode(), "application/json; charset=utf-8")

    # --- checks --------------------------------------------------------------------------

    def _check_query(self, h: _Handler, op: str, query: dict[str, list[str]]) -> None:
        version = h.headers.get("Accept-Version", "")
        if not re.fullmatch(r"v\d+\.\d+", version):
            self._violation(h, f"Accept-Version must be v<major>.<minor>, not {version!r}")
        for name, values in query.items():
            problem = None
            if name not in OPTIONS[op]:
                problem = f"{op} takes no query parameter {name!r}"
            elif len(values) > 1:
                problem = f"{name!r} given twice"
            else:
                problem = check_option(name, values[0])
            if problem:
                self._violation(h, problem)
                raise ApiError(400, "BadRequestError", "Bad request", problem)

    def _authenticate(self, h: _Handler) -> None:
        header = "" if self.strip_authorization else h.headers.get("Authorization", "")
        if not header:
            raise ApiError(
                403,
                "NoPermissionError",
                "Authorization failed",
                "Unable to determine the authenticated user or integration.",
            )
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "ghost" or not token:
            raise ApiError(
                401,
                "UnauthorizedError",
                'Authorization header format is "Authorization: Ghost [token]"',
            )
        try:
            head = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise ApiError(400, "BadRequestError", "Invalid token") from None
        kid = head.get("kid")
        if not kid:
            raise ApiError(400, "BadRequestError", "Admin API kid missing.")
        with self.lock:
            secret = self.keys.get(kid)
        if secret is None:
            raise ApiError(401, "UnauthorizedError", "Unknown Admin API Key")
        now = time.time() + self.clock_offset
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                options={"verify_aud": False, "require": ["iat", "exp"], "verify_iat": False},
                leeway=0,
            )
            # jsonwebtoken checks these against the server's own clock.
            if claims["exp"] <= now:
                raise jwt.ExpiredSignatureError("jwt expired")
            if now - claims["iat"] > 300:
                raise jwt.InvalidTokenError("maxAge exceeded")
            if not re.fullmatch(r"/?admin/?", str(claims.get("aud", ""))):
                raise jwt.InvalidTokenError("jwt audience invalid. expected: /?admin/?$")
        except jwt.ExpiredSignatureError:
            raise ApiError(401, "UnauthorizedError", "Invalid token: jwt expired") from None
        except jwt.InvalidSignatureError:
            raise ApiError(401, "UnauthorizedError", "Invalid token: invalid signature") from None
        except jwt.PyJWTError as exc:
            raise ApiError(401, "UnauthorizedError", f"Invalid token: {exc}") from None
        if claims["exp"] - claims["iat"] > 300:
            self._violation(h, "a token must expire at most 5 minutes after it was issued")

    # --- operations ----------------------------------------------------------------------

    def _operate(
        self, h: _Handler, op: str, params: dict[str, str], query: dict[str, list[str]], raw: bytes
    ) -> tuple[int, dict[str, Any]]:
        q = {k: v[0] for k, v in query.items()}
        if op == "site.read":
            site = {"title": self.title, "description": "Thoughts, stories and ideas.",
                    "logo": None, "icon": None, "accent_color": "#ff1a75", "locale": "en",
                    "url": f"{self.site_url}/", "version": "5.96"}  # fmt: skip
            return 200, {"site": site}
        if op == "images.upload":
            return self._upload(h, raw)
        kind, _, action = op.partition(".")  # "posts" or "pages"
        store = self.posts if kind == "posts" else self.pages
        if action == "browse":
            return 200, self._browse(kind, store, q)
        if action == "add":
            post = self._validated(h, kind, raw, q, editing=False)
            return 201, {kind: [self._shown(self._create(store, post), q)]}
        found = self._find(store, params)
        if action == "read":
            return 200, {kind: [self._shown(found, q)]}
        if action == "destroy":
            del store[found["id"]]
            return 204, {}
        post = self._validated(h, kind, raw, q, editing=True)
        if parse_time(post.pop("updated_at")) != parse_time(found["updated_at"]):
            raise ApiError(
                409, "UpdateCollisionError", "Saving failed! Someone else is editing this post."
            )
        self._apply(found, post)
        return 200, {kind: [self._shown(found, q)]}

    def _find(self, store: dict[str, dict[str, Any]], params: dict[str, str]) -> dict[str, Any]:
        if "id" in params:
            found = store.get(params["id"])
        else:
            found = next((p for p in store.values() if p["slug"] == params["slug"]), None)
        if found is None:
            raise ApiError(404, "NotFoundError", "Resource not found error, cannot read post.")
        return found

    def _validated(
        self, h: _Handler, kind: str, raw: bytes, q: dict[str, str], *, editing: bool
    ) -> dict[str, Any]:
        what = "edit" if editing else "save"
        if "json" not in h.headers.get("Content-Type", ""):
            self._violation(h, "a post is sent as JSON")
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            raise ApiError(400, "BadRequestError", "Request body is not JSON") from None
        problem = None
        if not isinstance(body, dict) or set(body) != {kind}:
            problem = f"data should have exactly the property '{kind}'"
        elif not isinstance(body[kind], list) or len(body[kind]) != 1:
            problem = f"data.{kind} should have exactly one item"
        elif not isinstance(body[kind][0], dict):
            problem = f"data.{kind}[0] should be object"
        if problem is None:
            problem = check_post(body[kind][0], editing, kind)
        if problem:
            self._violation(h, problem)
            raise ApiError(
                422, "ValidationError", f"Validation error, cannot {what} post.", problem
            )
        post = {k: v for k, v in body[kind][0].items() if k not in STRIPPED}
        if "html" in post and q.get("source") != "html":
            self._violation(h, "html is ignored without ?source=html: the content would be lost")
        self._check_schedule(post)
        return post

    def _check_schedule(self, post: dict[str, Any]) -> None:
        if post.get("status") != "scheduled":
            return
        when = post.get("published_at")
        if not when or parse_time(when) < self.now() + timedelta(minutes=2):
            raise ApiError(
                422, "ValidationError", "Date must be at least 2 minutes in the future.",
                property="published_at",
            )  # fmt: skip

    def _create(self, store: dict[str, dict[str, Any]], data: dict[str, Any]) -> dict[str, Any]:
        now = self.now().replace(microsecond=0)
        post_id = secrets.token_hex(12)
        post: dict[str, Any] = {
            "id": post_id, "uuid": str(uuid.uuid4()), "title": "(Untitled)", "slug": "",
            "html": None, "comment_id": post_id, "feature_image": None, "featured": False,
            "status": "draft", "visibility": "public", "created_at": iso(now),
            "updated_at": iso(now), "published_at": None, "custom_excerpt": None,
            "codeinjection_head": None, "codeinjection_foot": None, "custom_template": None,
            "canonical_url": None, "tags": [], "authors": [{"id": "1", "name": "Owner"}],
            "meta_title": None, "meta_description": None, "email_subject": None,
        }  # fmt: skip
        self._apply(post, {"status": "draft", **data}, creating=True)
        store[post_id] = post
        return post

    def _apply(self, post: dict[str, Any], data: dict[str, Any], *, creating: bool = False) -> None:
        data = dict(data)
        if "html" in data:
            data["html"] = ghost_html(data["html"] or "")
        if "tags" in data:
            data["tags"] = [self._tag(t) for t in data["tags"]]
        if "title" in data and (creating and "slug" not in data):
            data["slug"] = self._unique_slug(slugify(data["title"]))
        status = data.get("status", post["status"])
        if status == "published" and not (data.get("published_at") or post["published_at"]):
            data["published_at"] = iso(self.now())
        post.update(data)
        if not creating:
            self._touch(post)

    def _touch(self, post: dict[str, Any]) -> None:
        # Whole seconds, as Ghost stores them; strictly later, so every change is a new version.
        before = parse_time(post["updated_at"])
        post["updated_at"] = iso(
            max(self.now().replace(microsecond=0), before + timedelta(seconds=1))
        )

    def _unique_slug(self, slug: str) -> str:
        taken = {p["slug"] for p in [*self.posts.values(), *self.pages.values()]}
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def _tag(self, ref: Any) -> dict[str, Any]:
        name = ref if isinstance(ref, str) else ref.get("name") or ref.get("slug") or ""
        slug = "hash-" + slugify(name[1:]) if name.startswith("#") else slugify(name)
        if slug not in self.tags:
            visibility = "internal" if name.startswith("#") else "public"
            self.tags[slug] = {"id": secrets.token_hex(12), "name": name, "slug": slug,
                               "visibility": visibility}  # fmt: skip
        return dict(self.tags[slug])

    def _shown(self, post: dict[str, Any], q: dict[str, str]) -> dict[str, Any]:
        formats = set((q.get("formats") or "mobiledoc,lexical").split(","))
        shown = {k: v for k, v in post.items() if k != "html"}
        shown["url"] = (
            f"{self.site_url}/{post['slug']}/"
            if post["status"] in ("published", "sent")
            else f"{self.site_url}/p/{post['uuid']}/"
        )
        if "html" in formats:
            shown["html"] = post["html"]
        if "lexical" in formats:
            shown["lexical"] = json.dumps({"root": {"children": [], "type": "root"}})
        if "plaintext" in formats:
            shown["plaintext"] = re.sub(r"<[^>]+>", "", post["html"] or "")
        if q.get("fields"):
            # Ghost selects only these columns, and then no relations unless `include` names
            # them (input serializer posts.js, defaultRelations).
            wanted = set(q["fields"].split(",")) | set((q.get("include") or "").split(","))
            shown = {k: v for k, v in shown.items() if k in wanted}
        return shown

    def _browse(
        self, kind: str, store: dict[str, dict[str, Any]], q: dict[str, str]
    ) -> dict[str, Any]:
        posts = list(store.values())
        flt = q.get("filter", "")
        if flt:
            match = re.fullmatch(r"status:(?:\[([a-z,]+)\]|([a-z]+))", flt)
            assert match, flt  # _check_option refused anything else
            allowed = set((match.group(1) or match.group(2)).split(","))
            posts = [p for p in posts if p["status"] in allowed]
        for part in reversed((q.get("order") or "updated_at desc").split(",")):
            name, _, direction = part.strip().partition(" ")
            posts.sort(key=lambda p, n=name: p.get(n) or "", reverse=direction.lower() == "desc")
        total = len(posts)
        limit = total or 1 if q.get("limit") == "all" else int(q.get("limit") or 15)
        page = int(q.get("page") or 1)
        pages = max(1, -(-total // limit))
        items = posts[(page - 1) * limit : page * limit]
        return {
            kind: [self._shown(p, q) for p in items],
            "meta": {"pagination": {"page": page, "limit": limit, "pages": pages, "total": total,
                                    "next": page + 1 if page < pages else None,
                                    "prev": page - 1 if page > 1 else None}},
        }  # fmt: skip

    # --- images --------------------------------------------------------------------------

    def _upload(self, h: _Handler, raw: bytes) -> tuple[int, dict[str, Any]]:
        content_type = h.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            self._violation(h, "an image is sent as multipart/form-data")
            raise ApiError(400, "BadRequestError", "Please select an image.")
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
        fields: dict[str, tuple[str | None, str, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            fields[str(name)] = (part.get_filename(), part.get_content_type(), payload)
        unknown = set(fields) - {"file", "purpose", "ref"}
        if unknown:
            self._violation(h, f"images/upload takes no field {sorted(unknown)}")
        if "file" not in fields or not fields["file"][0]:
            raise ApiError(422, "ValidationError", "Please select an image.")
        filename, kind, data = fields["file"]
        purpose = fields.get("purpose", (None, "", b"image"))[2].decode()
        if purpose not in ("image", "profile_image", "icon"):
            raise ApiError(422, "ValidationError", f"Invalid purpose {purpose!r}.")
        extension = "." + str(filename).rpartition(".")[2].lower()
        if kind not in IMAGE_TYPES or extension not in IMAGE_TYPES[kind]:
            raise ApiError(415, "UnsupportedMediaTypeError", "Please select a valid image.",
                           f"{filename} is not a supported image ({kind}).")  # fmt: skip
        folder = self.now().strftime("%Y/%m")
        stem = re.sub(r"[^A-Za-z0-9._-]", "-", str(filename).rpartition(".")[0])
        name, n = f"{stem}{extension}", 0
        while f"{folder}/{name}" in self.images:
            n += 1
            name = f"{stem}-{n}{extension}"
        self.images[f"{folder}/{name}"] = data
        ref = fields["ref"][2].decode() if "ref" in fields else None
        return 201, {
            "images": [{"url": f"{self.site_url}/content/images/{folder}/{name}", "ref": ref}]
        }

    def _serve_image(self, h: _Handler, path: str) -> None:
        with self.lock:
            data = self.images.get(path)
        if data is None:
            return _send(h, 404, b"Not found", "text/plain", head=h.command == "HEAD")
        return _send(h, 200, data, "application/octet-stream", head=h.command == "HEAD")

    # --- answers -------------------------------------------------------------------------

    def _error(self, h: _Handler, exc: ApiError) -> None:
        error = {"message": exc.message, "context": exc.context, "type": exc.type,
                 "details": None, "property": exc.property, "help": None, "code": None,
                 "id": str(uuid.uuid4()), "ghostErrorCode": None}  # fmt: skip
        body = {"errors": [error]}
        _send(
            h, exc.status, json.dumps(body).encode(), "application/json; charset=utf-8", exc.headers
        )


def _send(
    h: _Handler,
    status: int,
    data: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
    *,
    head: bool = False,
) -> None:
    try:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", "0" if status == 204 else str(len(data)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        if not head and status != 204:
            h.wfile.write(data)
    except OSError:
        h.close_connection = True


def _reset(h: _Handler) -> None:
    """Drop the connection with a TCP reset, as a network failure would."""
    with contextlib.suppress(OSError):
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
    h.close_connection = True
