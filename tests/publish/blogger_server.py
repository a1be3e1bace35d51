"""A loopback stand-in for Google: OAuth authorize/token endpoints and the Blogger API v3.

Enforces the discovery document (see contract.py) and bearer tokens, keeps posts in memory,
answers in the documented shapes and Google's error envelope, and injects faults on demand:

    server.fault("blogger.posts.insert", "lost")          # create, then drop the connection
    server.fault("blogger.posts.insert", "reset")         # drop the connection, create nothing
    server.fault("blogger.posts.get", "status", status=429, retry_after=1)
    server.fault("blogger.posts.update", "status", status=500, times=2)
    server.fault("blogger.posts.insert", "delay", seconds=2)        # work slowly: the post is
                                          # created only when the late answer goes out (issue 13)
    server.fault("blogger.posts.insert", "delay_after", seconds=2)  # create, answer late
    server.fault("blogger.posts.insert", "status_after", status=500)  # create, answer 500
    server.fault("oauth.authorize", "wrong_state") / ("oauth.authorize", "deny")
    server.expire_access_tokens(); server.revoke_refresh_tokens()

Every refused request is kept in `violations`, which the fixture asserts is empty.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .contract import Contract, Method
from .fake_blogger import FakeBlogger

SCOPE = "https://www.googleapis.com/auth/blogger"


@dataclass
class Fault:
    """One injected failure for an operation, used `times` times."""

    op: str
    kind: str
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0


@dataclass
class OAuthState:
    """Clients, codes and tokens the fake Google has issued."""

    clients: dict[str, str] = field(default_factory=dict)  # client_id -> secret
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, datetime] = field(default_factory=dict)  # token -> expiry
    refresh: dict[str, str] = field(default_factory=dict)  # token -> client_id
    revoked: set[str] = field(default_factory=set)
    issued: list[str] = field(default_factory=list)  # every secret value, for leak checks


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass  # quiet: the tests assert on state, not on access logs

    def do_GET(self) -> None:
        self.server.app.handle(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: BloggerServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # dropped connections are deliberate faults here


class BloggerServer:
    """The fake Google on 127.0.0.1:<ephemeral port>. Use start()/stop() or the fixture."""

    def __init__(self) -> None:
        self.contract = Contract()
        self.blogger = FakeBlogger()
        self.oauth = OAuthState()
        self.faults: list[Fault] = []
        self.violations: list[str] = []
        self.requests: list[tuple[str, str]] = []  # (operation id, path)
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle and addresses ---------------------------------------------------------

    def start(self) -> BloggerServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes handlers sleeping in a delay fault
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v3"

    @property
    def auth_url(self) -> str:
        return f"{self.base_url}/o/oauth2/auth"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    # --- test controls ------------------------------------------------------------------

    def add_client(self, client_id: str, client_secret: str) -> None:
        with self.lock:
            self.oauth.clients[client_id] = client_secret
            self.oauth.issued.append(client_secret)

    def fault(self, op: str, kind: str, **kwargs: Any) -> None:
        with self.lock:
            self.faults.append(Fault(op, kind, **kwargs))

    def expire_access_tokens(self) -> None:
        with self.lock:
            past = datetime.now(UTC) - timedelta(seconds=1)
            self.oauth.access = {t: past for t in self.oauth.access}

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self.oauth.revoked.update(self.oauth.refresh)

    def issue_tokens(self, client_id: str) -> dict[str, Any]:
        """Tokens as if the user had signed in (for tests that skip the browser flow)."""
        with self.lock:
            return self._new_tokens(client_id, with_refresh=True)

    def secret_values(self) -> list[str]:
        with self.lock:
            return list(self.oauth.issued)

    def count(self, op: str) -> int:
        with self.lock:
            return sum(1 for o, _ in self.requests if o == op)

    # --- dispatch ------------------------------------------------------------------------

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
        if url.path == "/o/oauth2/auth":
            return self._authorize(h, query)
        if url.path == "/token":
            return self._token(h, raw)
        routed = self.contract.route(h.command, url.path)
        if isinstance(routed, str):
            return self._refuse(h, 404, "notFound", routed)
        method, path_params = routed
        with self.lock:
            self.requests.append((method.id, url.path))
        problem = self.contract.check_query(method, query)
        body: Any = None
        if problem is None and raw:
            try:
                body = json.loads(raw)
            except ValueError:
                problem = "the body is not JSON"
        problem = problem or self.contract.check_body(method, body)
        if problem:
            return self._refuse(h, 400, "invalid", problem)
        if not self._authorized(h):
            return self._send_error(h, 401, "authError", "Invalid Credentials")
        self._api(h, method, path_params, query, body)

    def _api(
        self, h: _Handler, method: Method, params: dict[str, str], query: Any, body: Any
    ) -> None:
        fault = self._take_fault(method.id)
        kind = fault.kind if fault else ""
        if kind == "reset":
            return _reset(h)
        if kind == "status":
            return self._send_error(
                h,
                fault.status,
                "rateLimitExceeded" if fault.status == 429 else "backendError",
                "Injected failure",
                retry_after=fault.retry_after,
            )
        if kind == "delay" and self.stopping.wait(fault.seconds):
            return
        with self.lock:
            status, payload = self.blogger.call(method.id, params, query, body)
        if kind == "lost":
            return _reset(h)
        if kind == "status_after":
            return self._send_error(h, fault.status, "backendError", "Injected failure")
        if kind == "delay_after" and self.stopping.wait(fault.seconds):
            return
        if status >= 400:
            return self._send_error(h, status, payload["reason"], payload["message"])
        _send_json(h, status, payload)

    def _refuse(self, h: _Handler, status: int, reason: str, problem: str) -> None:
        with self.lock:
            self.violations.append(f"{h.command} {h.path}: {problem}")
        self._send_error(h, status, reason, problem)

    def _send_error(
        self, h: _Handler, status: int, reason: str, message: str, retry_after: str | None = None
    ) -> None:
        envelope = {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"reason": reason, "domain": "global", "message": message}],
            }
        }
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        _send_json(h, status, envelope, headers)

    def _authorized(self, h: _Handler) -> bool:
        header = h.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        with self.lock:
            expiry = self.oauth.access.get(header[7:])
        return expiry is not None and expiry > datetime.now(UTC)

    # --- OAuth ---------------------------------------------------------------------------

    def _authorize(self, h: _Handler, query: dict[str, list[str]]) -> None:
        q = {k: v[0] for k, v in query.items()}
        problems = [
            q.get("response_type") != "code" and "response_type must be code",
            q.get("client_id") not in self.oauth.clients and "unknown client_id",
            not q.get("redirect_uri", "").startswith("http://127.0.0.1:") and "not loopback",
            q.get("code_challenge_method") != "S256" and "PKCE S256 is required",
            len(q.get("code_challenge", "")) < 43 and "code_challenge missing",
            SCOPE not in q.get("scope", "").split() and "blogger scope missing",
            not q.get("state") and "state missing",
            q.get("access_type") != "offline" and "access_type=offline missing",
            q.get("prompt") != "consent" and "prompt=consent missing",
        ]
        problem = next((p for p in problems if p), None)
        if problem:
            with self.lock:
                self.violations.append(f"authorize: {problem}")
            return _send_json(h, 400, {"error": "invalid_request", "error_description": problem})
        fault = self._take_fault("oauth.authorize")
        answer = {"state": q["state"]}
        if fault and fault.kind == "deny":
            answer["error"] = "access_denied"
        else:
            code = "code-" + secrets.token_urlsafe(16)
            with self.lock:
                self.oauth.codes[code] = q
                self.oauth.issued.append(code)
            answer.update(code=code, scope=SCOPE)
            if fault and fault.kind == "wrong_state":
                answer["state"] = "not-the-state-you-sent"
        h.send_response(302)
        h.send_header("Location", f"{q['redirect_uri']}?{urlencode(answer)}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    def _token(self, h: _Handler, raw: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        auth = h.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            form.setdefault("client_id", client_id)
            form.setdefault("client_secret", secret)
        fault = self._take_fault("oauth.token")
        with self.lock:
            status, payload = self._grant(form, fault)
        _send_json(h, status, payload)

    def _grant(self, form: dict[str, str], fault: Fault | None) -> tuple[int, dict[str, Any]]:
        client_id = form.get("client_id", "")
        if self.oauth.clients.get(client_id) != form.get("client_secret"):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        bad = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        if fault and fault.kind == "invalid_grant":
            return 400, bad
        grant = form.get("grant_type")
        if grant == "authorization_code":
            request = self.oauth.codes.pop(form.get("code", ""), None)
            if request is None or request["client_id"] != client_id:
                return 400, {"error": "invalid_grant", "error_description": "Bad code."}
            if form.get("redirect_uri") != request["redirect_uri"]:
                return 400, {"error": "redirect_uri_mismatch"}
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            if challenge != request["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE failed."}
            return 200, self._new_tokens(client_id, with_refresh=True)
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if self.oauth.refresh.get(token) != client_id or token in self.oauth.revoked:
                return 400, bad
            return 200, self._new_tokens(client_id, with_refresh=False)
        return 400, {"error": "unsupported_grant_type"}

    def _new_tokens(self, client_id: str, *, with_refresh: bool) -> dict[str, Any]:
        access = "acc-" + secrets.token_urlsafe(24)
        self.oauth.access[access] = datetime.now(UTC) + timedelta(hours=1)
        answer: dict[str, Any] = {
            "access_token": access,
            "expires_in": 3599,
            "scope": SCOPE,
            "token_type": "Bearer",
        }
        self.oauth.issued.append(access)
        if with_refresh:
            refresh = "ref-" + secrets.token_urlsafe(24)
            self.oauth.refresh[refresh] = client_id
            self.oauth.issued.append(refresh)
            answer["refresh_token"] = refresh
        return answer


def _send_json(
    h: _Handler, status: int, payload: Any, headers: dict[str, str] | None = None
) -> None:
    data = json.dumps(payload).encode()
    try:
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=UTF-8")
        h.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)
    except OSError:
        h.close_connection = True  # the client gave up (a timeout test): nothing to answer


def _reset(h: _Handler) -> None:
    """Drop the connection with a TCP reset, as a network failure would."""
    with contextlib.suppress(OSError):
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
    h.close_connection = True
