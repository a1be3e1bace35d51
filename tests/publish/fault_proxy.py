"""A loopback reverse proxy that misbehaves on purpose, in front of any blog server (a contract
server or the real WordPress), so every platform meets the same faults the same way.

Rules match a request by a predicate on (method, path, body) and are used `times` times:
- `lose`: forward the request, then close the connection unanswered (the post exists, the
  client never learns it);
- `answer`: do not forward; answer with `status`, an optional Retry-After, and the body the
  platform would send (`body`, `content_type`);
- `cut`: the network is down: close the connection at once, nothing forwarded.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
Match = Callable[[str, str, bytes], bool]  # method, path with query, body


def every(_method: str, _path: str, _body: bytes) -> bool:
    """Matches every request."""
    return True


@dataclass
class Rule:
    match: Match
    action: str  # "lose", "answer" or "cut"
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    seconds: float = 0.0  # "stall": how long the answer is kept back


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.proxy.lock:
            self.server.proxy.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.proxy.lock:
            self.server.proxy.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self.server.proxy.forward(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    proxy: FaultProxy

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class FaultProxy:
    """Forwards 127.0.0.1:<port> to `target` (scheme://host:port), faults as told."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.rules: list[Rule] = []
        self.seen: list[tuple[str, str]] = []
        self.connections: set[Any] = set()  # open client connections (kept alive)
        self._used = 0
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.proxy = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.daemon = True

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def offline(self) -> None:
        """Stop listening: connections are refused, as with no network (nothing is sent)."""
        self._port = self._httpd.server_address[1]
        self.stop()
        with self.lock:  # kept-alive connections go down with the network
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(2)

    def online(self) -> None:
        """Listen again on the same port (the network is back)."""
        self._httpd = _Server(("127.0.0.1", self._port), _Handler)
        self._httpd.proxy = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.daemon = True
        self._thread.start()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if not self._thread.is_alive():
            return  # already stopped (offline)
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def lose(self, match: Match, times: int = 1) -> None:
        """Forward the next `times` matching requests, then drop them unanswered."""
        with self.lock:
            self.rules.append(Rule(match, "lose", times))

    def answer(self, match: Match, status: int, *, times: int = 1_000, **fields: Any) -> None:
        """Answer matching requests with `status` instead of forwarding them."""
        with self.lock:
            self.rules.append(Rule(match, "answer", times, status, **fields))

    def used(self) -> int:
        """How many times the rules given so far were applied."""
        with self.lock:
            return self._used

    def cut(self, match: Match = every, *, times: int = 1_000_000) -> None:
        """Drop matching requests unanswered and unforwarded (the network is down)."""
        with self.lock:
            self.rules.append(Rule(match, "cut", times))

    def stall(self, match: Match, seconds: float, times: int = 1) -> None:
        """Forward matching requests at once, then keep their answers back `seconds` (the
        post exists; the client is still waiting: a moment to kill it)."""
        with self.lock:
            self.rules.append(Rule(match, "stall", times, seconds=seconds))

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()
            self._used = 0

    def _rule(self, method: str, path: str, body: bytes) -> Rule | None:
        with self.lock:
            self.seen.append((method, path))
            for rule in self.rules:
                if rule.times > 0 and rule.match(method, path, body):
                    rule.times -= 1
                    self._used += 1
                    return rule
        return None

    def forward(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        rule = self._rule(handler.command, handler.path, body)
        if rule is not None and rule.action == "cut":
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(2)
            return
        if rule is not None and rule.action == "answer":
            self._send(handler, rule.status, rule.body, rule.content_type, rule.retry_after)
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP}
        headers.pop("Host", None)
        try:
            answer = requests.request(
                handler.command,
                self.target + handler.path,
                data=body or None,
                headers=headers,
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException:
            handler.close_connection = True
            return
        if rule is not None and rule.action == "stall":
            time.sleep(rule.seconds)
            rule = None
        if rule is not None:  # "lose": it happened on the server; the answer goes nowhere
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(2)
            return
        extra = [(k, v) for k, v in answer.headers.items() if k.lower() not in _HOP]
        self._send(handler, answer.status_code, answer.content, None, None, extra)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str | None,
        retry_after: str | None,
        headers: list[tuple[str, str]] = (),  # type: ignore[assignment]
    ) -> None:
        try:
            handler.send_response(status)
            for key, value in headers:
                handler.send_header(key, value)
            if content_type:
                handler.send_header("Content-Type", content_type)
            if retry_after is not None:
                handler.send_header("Retry-After", retry_after)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(body)
        except OSError:
            handler.close_connection = True
