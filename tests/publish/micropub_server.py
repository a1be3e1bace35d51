"""A loopback Micropub site: home page with its rels, IndieAuth, the Micropub and media
endpoints, following the W3C Recommendation (https://www.w3.org/TR/micropub/) and the
micropub.rocks server tests, and refusing what they do not allow.

- Discovery (§5.3): `Link` header and/or `<link rel="micropub">` (`links="header"|"html"`).
- Authentication (§5.1): a bearer token in the header or the form's `access_token`, never both
  (RFC 6750 §2: 400 invalid_request); none: 401 unauthorized; unknown or expired: 401; a token
  without the scope: 401 insufficient_scope (§3.8); scopes create/update/delete/media (§5.4).
- Create (§3.3): form-encoded (`h`, `category[]`) or JSON (every value an array, `type`
  h-*); unknown properties are ignored and not stored (§3.3.5), and noted in `ignored`;
  201 (or 202 with `accepted=True`) and `Location`.
- Update (§3.4): JSON only, `replace`/`add`/`delete`; 204 (or 200 with a body, or 201 and a
  new `Location` when `move_on_update=True`). Delete/undelete (§3.5): form or JSON.
- Query (§3.7): `q=config`, `q=source` (`url`, `properties[]`), `q=syndicate-to`, and the post
  list extension (`q=source` without `url`: `limit`, `after`; off with `lists=False`).
- Media endpoint (§3.6): multipart with exactly one part named `file`; 201 and `Location`.
- Errors as §3.8: {"error", "error_description"} with 400/401/403.

Faults, as the Blogger server has them: `fault(op, "lost")` (act, then drop the connection),
`"reset"` (drop, do nothing), `"status"` (answer `status`, with `retry_after`),
`"status_after"` (act, then answer `status`), `"delay"`. Ops: create, update, source, list,
config, media, authorize, token. `web_edit(url, ...)` changes a post as the site's own editor
would. Every refused request is kept in `violations`; the fixture asserts none.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import socket
import struct
import threading
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .micropub_posts import MicropubPosts, Refused


@dataclass
class Fault:
    op: str
    kind: str
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    error: str = ""


@dataclass
class Tokens:
    scopes: dict[str, set[str]] = field(default_factory=dict)  # token -> scopes
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    issued: list[str] = field(default_factory=list)
    refresh: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> client_id, scope


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:
        self.server.app.handle(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: MicropubServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class MicropubServer(MicropubPosts):
    """The site on 127.0.0.1:<port>."""

    def __init__(self, *, links: str = "both", lists: bool = True, media: bool = True) -> None:
        super().__init__()
        self.links = links  # where the home page names its endpoints: header, html, both
        self.legacy_rels = False  # authorization_endpoint/token_endpoint rels, no metadata
        self.media_rel = False  # names its media endpoint in a micropub_media rel
        self.refresh_tokens = False  # IndieAuth tokens that expire, with refresh tokens
        self.lists = lists
        self.media = media
        self.files: dict[str, tuple[bytes, str]] = {}
        self.tokens = Tokens()
        self.faults: list[Fault] = []
        self.violations: list[str] = []
        self.requests: list[str] = []  # ops, in order
        self.stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> MicropubServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
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
    def site(self) -> str:
        return f"{self.base_url}/"

    @property
    def endpoint(self) -> str:
        # With a query string of its own: clients must append `q`, not replace (§3.7).
        return f"{self.base_url}/micropub?site=main"

    # --- test controls ------------------------------------------------------------------------

    def issue_token(self, scope: str = "create update delete media") -> str:
        with self.lock:
            token = "mp-" + secrets.token_urlsafe(24)
            self.tokens.scopes[token] = set(scope.split())
            self.tokens.issued.append(token)
            return token

    def revoke(self, token: str) -> None:
        with self.lock:
            self.tokens.scopes.pop(token, None)

    def fault(self, op: str, kind: str, **kwargs: Any) -> None:
        with self.lock:
            self.faults.append(Fault(op, kind, **kwargs))

    def count(self, op: str) -> int:
        with self.lock:
            return self.requests.count(op)

    # --- dispatch -------------------------------------------------------------------------------

    def _take_fault(self, op: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.op == op and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def handle(self, h: _Handler) -> None:
        url = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        query = parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path == "/" and h.command == "GET":
                return self._home(h)
            if url.path == "/other/" and h.command == "GET":
                # Someone else's home page on this host, signed in through another server.
                page = b'<!doctype html><link rel="authorization_endpoint" href="/their-auth">'
                return _send(h, 200, page, "text/html")
            if url.path == "/.well-known/oauth-authorization-server" and h.command == "GET":
                return _send_json(h, 200, self.metadata())
            if url.path == "/auth" and h.command == "GET":
                return self._authorize(h, query)
            if url.path == "/token" and h.command == "POST":
                return self._token(h, raw)
            if url.path == "/micropub":
                if query.get("site") != ["main"]:
                    raise Refused(400, "invalid_request", "the endpoint's own query was dropped")
                return self._micropub(h, query, raw)
            if url.path == "/media" and h.command == "POST":
                return self._media(h, raw)
            if url.path.startswith("/files/") and url.path in self.files:
                data, kind = self.files[url.path]
                return _send(h, 200, data, kind)
            if url.path.startswith("/post/") and h.command == "GET":
                post = self.posts.get(self.base_url + url.path)
                if post is None or post.deleted:
                    raise Refused(404, "not_found", "no such post", violation=False)
                return _send(
                    h, 200, b"<!doctype html><article class=h-entry></article>", "text/html"
                )
            raise Refused(404, "not_found", f"{h.command} {url.path} is not part of the site")
        except Refused as exc:
            if exc.violation:
                with self.lock:
                    self.violations.append(f"{h.command} {h.path}: {exc.description}")
            body = {"error": exc.error, "error_description": exc.description}
            if exc.scope:
                body["scope"] = exc.scope
            _send_json(h, exc.status, body)

    def _home(self, h: _Handler) -> None:
        # Relative, as sites often write them (and so a proxy in front keeps them its own).
        rels = {"micropub": "/micropub?site=main"}
        if self.media_rel:
            rels["micropub_media"] = "/media"
        if self.legacy_rels:  # IndieAuth before its metadata document: one rel per endpoint
            rels.update(authorization_endpoint="/auth", token_endpoint="/token")
        else:
            rels["indieauth-metadata"] = "/.well-known/oauth-authorization-server"
        head = "".join(f'<link rel="{r}" href="{u}">' for r, u in rels.items())
        page = "<!doctype html><html><head><title>Test Site</title>"
        page += (head if self.links in ("html", "both") else "") + "</head><body></body></html>"
        headers = {}
        if self.links in ("header", "both"):
            named = rels if self.legacy_rels else {"micropub": rels["micropub"]}
            headers["Link"] = ", ".join(f'<{u}>; rel="{r}"' for r, u in named.items())
        _send(h, 200, page.encode(), "text/html; charset=utf-8", headers)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.site,
            "authorization_endpoint": f"{self.base_url}/auth",
            "token_endpoint": f"{self.base_url}/token",
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["create", "update", "delete", "media"],
        }

    # --- IndieAuth ------------------------------------------------------------------------------

    def _authorize(self, h: _Handler, query: dict[str, list[str]]) -> None:
        q = {k: v[0] for k, v in query.items()}
        client = urlsplit(q.get("client_id", ""))
        redirect = urlsplit(q.get("redirect_uri", ""))
        problems = [
            q.get("response_type") != "code" and "response_type must be code",
            not (client.scheme in ("http", "https") and client.path) and "client_id not a URL",
            (client.scheme, client.netloc) != (redirect.scheme, redirect.netloc)
            and "redirect_uri not on the client_id's origin",
            q.get("code_challenge_method") != "S256" and "PKCE S256 is required",
            len(q.get("code_challenge", "")) < 43 and "code_challenge missing",
            not q.get("state") and "state missing",
            "create" not in q.get("scope", "").split() and "create scope missing",
        ]
        problem = next((p for p in problems if p), None)
        if problem:
            raise Refused(400, "invalid_request", problem)
        fault = self._take_fault("authorize")
        answer = {"state": q["state"], "iss": self.site}
        if fault and fault.kind == "deny":
            answer["error"] = "access_denied"
        else:
            code = "code-" + secrets.token_urlsafe(16)
            with self.lock:
                self.tokens.codes[code] = q
                self.tokens.issued.append(code)
            answer["code"] = code
            if fault and fault.kind == "wrong_state":
                answer["state"] = "not-the-state-you-sent"
            if fault and fault.kind == "wrong_iss":
                answer["iss"] = "https://elsewhere.example/"
        h.send_response(302)
        h.send_header("Location", f"{q['redirect_uri']}?{urlencode(answer)}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    def _token(self, h: _Handler, raw: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        if form.get("grant_type") == "refresh_token":  # IndieAuth §5.3.5
            with self.lock:
                held = self.tokens.refresh.pop(form.get("refresh_token", ""), None)
            if held is None or held[0] != form.get("client_id"):
                return _send_json(h, 400, {"error": "invalid_grant"})
            return _send_json(h, 200, self._grant(held[0], held[1], self.site))
        with self.lock:
            request = self.tokens.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or request is None:
            return _send_json(h, 400, {"error": "invalid_grant"})
        if form.get("client_id") != request["client_id"]:
            return _send_json(h, 400, {"error": "invalid_grant", "error_description": "client"})
        if form.get("redirect_uri") != request["redirect_uri"]:
            return _send_json(h, 400, {"error": "invalid_grant", "error_description": "redirect"})
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).decode().rstrip("=") != request["code_challenge"]:
            return _send_json(h, 400, {"error": "invalid_grant", "error_description": "PKCE"})
        fault = self._take_fault("token")
        me = f"{self.base_url}/other/" if fault and fault.kind == "other_me" else self.site
        _send_json(h, 200, self._grant(request["client_id"], request["scope"], me))

    def _grant(self, client_id: str, scope: str, me: str) -> dict[str, Any]:
        answer = {
            "access_token": self.issue_token(scope),
            "token_type": "Bearer",
            "scope": scope,
            "me": me,
        }
        if self.refresh_tokens:  # each renewal hands out a new refresh token (rotation)
            refresh = "re-" + secrets.token_urlsafe(24)
            with self.lock:
                self.tokens.refresh[refresh] = (client_id, scope)
                self.tokens.issued.append(refresh)
            answer.update(refresh_token=refresh, expires_in=3600)
        return answer

    # --- Micropub ---------------------------------------------------------------------------------

    def _auth(self, h: _Handler, form_token: str | None, scope: str) -> None:
        header = h.headers.get("Authorization")
        if header is not None and form_token is not None:
            raise Refused(400, "invalid_request", "a token in both the header and the body")
        token = form_token
        if header is not None:
            if not header.startswith("Bearer "):
                raise Refused(401, "unauthorized", "not a bearer token")
            token = header[7:]
        if not token:
            raise Refused(401, "unauthorized", "no access token", violation=False)
        with self.lock:
            scopes = self.tokens.scopes.get(token)
        if scopes is None:
            raise Refused(401, "unauthorized", "the token is not valid", violation=False)
        if scope not in scopes:
            raise Refused(401, "insufficient_scope", f"needs {scope}", violation=False, scope=scope)

    def _micropub(self, h: _Handler, query: dict[str, list[str]], raw: bytes) -> None:
        if h.command == "GET":
            extra = set(query) - {
                "site",
                "q",
                "url",
                "properties[]",
                "properties",
                "limit",
                "after",
                "offset",
            }
            if extra:
                raise Refused(400, "invalid_request", f"unknown parameters {sorted(extra)}")
            self._auth(h, None, "create")
            q = query.get("q", [""])[0]
            if q == "source" and not query.get("url"):
                return self._list(h, query)
            op = {"config": "config", "source": "source", "syndicate-to": "config"}.get(q)
            if op is None:
                raise Refused(400, "invalid_request", f"unknown query {q!r}")
            return self._answer(h, op, lambda: self._query(q, query))
        if h.command != "POST":
            raise Refused(405, "invalid_request", f"{h.command} is not part of Micropub")
        kind = h.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            try:
                body = json.loads(raw)
            except ValueError:
                raise Refused(400, "invalid_request", "the body is not JSON") from None
            if not isinstance(body, dict):
                raise Refused(400, "invalid_request", "the body is not a JSON object")
            if "access_token" in body:
                raise Refused(400, "invalid_request", "access_token belongs in the header")
            self._post_json(h, body)
        elif kind == "application/x-www-form-urlencoded":
            self._post_form(h, parse_qs(raw.decode("utf-8"), keep_blank_values=True))
        else:
            raise Refused(415, "invalid_request", f"content type {kind!r} is not Micropub")

    def _post_form(self, h: _Handler, form: dict[str, list[str]]) -> None:
        tokens = form.pop("access_token", None)
        if tokens is not None and len(tokens) != 1:
            raise Refused(400, "invalid_request", "more than one access_token")
        token = tokens[0] if tokens else None
        action = form.pop("action", [""])[0]
        if action in ("delete", "undelete"):
            self._auth(h, token, "delete")
            url = form.pop("url", [""])[0]
            return self._answer(h, "delete", lambda: self._delete(action, url))
        if action:
            # §3.2: updates are not supported in the form-encoded syntax.
            raise Refused(400, "invalid_request", f"action={action} is not allowed in a form")
        self._auth(h, token, "create")
        h_type = form.pop("h", ["entry"])[0]
        properties: dict[str, list[Any]] = {}
        for name, values in form.items():
            properties[name.removesuffix("[]")] = values
        self._answer(h, "create", lambda: self._create(f"h-{h_type}", properties))

    def _post_json(self, h: _Handler, body: dict[str, Any]) -> None:
        action = body.get("action")
        if action is None:
            self._auth(h, None, "create")
            if set(body) - {"type", "properties"}:
                raise Refused(400, "invalid_request", f"unknown keys {sorted(body)}")
            types = body.get("type")
            if not (isinstance(types, list) and len(types) == 1 and str(types[0]).startswith("h-")):
                raise Refused(400, "invalid_request", "type must be a list with one h-* type")
            properties = body.get("properties")
            if not isinstance(properties, dict):
                raise Refused(400, "invalid_request", "properties must be an object")
            return self._answer(h, "create", lambda: self._create(types[0], properties))
        if action == "update":
            self._auth(h, None, "update")
            return self._answer(h, "update", lambda: self._update(body))
        if action in ("delete", "undelete"):
            self._auth(h, None, "delete")
            if set(body) != {"action", "url"}:
                raise Refused(400, "invalid_request", f"{action} takes action and url only")
            return self._answer(h, "delete", lambda: self._delete(action, str(body["url"])))
        raise Refused(400, "invalid_request", f"unknown action {action!r}")

    def _answer(self, h: _Handler, op: str, act: Any) -> None:
        """Run `act` (-> status, headers, body) with the op's injected fault, if any."""
        with self.lock:
            self.requests.append(op)
        fault = self._take_fault(op)
        kind = fault.kind if fault else ""
        if kind == "reset":
            return _reset(h)
        if kind == "status":
            assert fault is not None
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            error = fault.error or {401: "unauthorized", 403: "forbidden"}.get(fault.status, "")
            body = {"error": error or "server_error", "error_description": "Injected failure"}
            return _send_json(h, fault.status, body, headers)
        if kind == "delay" and self.stopping.wait(fault.seconds if fault else 0):
            return
        with self.lock:
            status, headers, body = act()
        if kind == "lost":
            return _reset(h)
        if kind == "status_after":
            assert fault is not None
            return _send_json(h, fault.status, {"error": "server_error"})
        if body is None:
            return _send(h, status, b"", "", headers)
        _send_json(h, status, body, headers)

    def _list(self, h: _Handler, query: dict[str, list[str]]) -> None:
        if not self.lists:
            raise Refused(400, "invalid_request", "this server cannot list posts", violation=False)

        self._answer(h, "list", lambda: self._page(query))

    # --- media endpoint ---------------------------------------------------------------------

    def _media(self, h: _Handler, raw: bytes) -> None:
        kind = h.headers.get("Content-Type", "")
        if not kind.startswith("multipart/form-data"):
            raise Refused(400, "invalid_request", "the media endpoint takes multipart/form-data")
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {kind}\r\n\r\n".encode() + raw
        )
        parts = list(message.iter_parts())
        names = [p.get_param("name", header="content-disposition") for p in parts]
        token = None
        for part, name in zip(parts, names, strict=True):
            if name == "access_token":
                token = part.get_content().strip()
        files = [p for p, n in zip(parts, names, strict=True) if n == "file"]
        if len(files) != 1 or set(names) - {"file", "access_token"}:
            raise Refused(400, "invalid_request", f"one part named file is needed, got {names}")
        self._auth(h, token, "media")
        part = files[0]
        data = part.get_payload(decode=True) or b""
        content_type = part.get_content_type()

        def act() -> tuple[int, dict[str, str], Any]:
            suffix = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}.get(
                content_type, ".bin"
            )
            path = f"/files/{uuid.uuid4().hex}{suffix}"
            self.files[path] = (data, content_type)
            return 201, {"Location": self.base_url + path}, None

        self._answer(h, "media", act)


def _send(
    h: _Handler, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None
) -> None:
    try:
        h.send_response(status)
        if kind:
            h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)
    except OSError:
        h.close_connection = True


def _send_json(
    h: _Handler, status: int, payload: Any, headers: dict[str, str] | None = None
) -> None:
    _send(h, status, json.dumps(payload).encode(), "application/json", headers)


def _reset(h: _Handler) -> None:
    with contextlib.suppress(OSError):
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
    h.close_connection = True
