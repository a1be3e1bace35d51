"""A small loopback reverse proxy in front of the real WordPress that misbehaves on purpose.

- `strip_auth`: drops the Authorization header, as Apache with PHP as CGI/FastCGI does;
- `lose_answer(method, path_suffix)`: forwards one matching request, then closes the
  connection without answering (the post exists, the client never learns its id);
- `hold(method, path_suffix, seconds)`: keeps one matching request that long before forwarding
  it, as a slow site would: the post is created only when the late answer goes out, after the
  client gave up. `released` is set once that request has been answered.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:
        self.server.proxy.forward(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    proxy: WordPressProxy

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class WordPressProxy:
    """Forwards 127.0.0.1:<port> to the real WordPress at `target`."""

    def __init__(self, target: str, *, strip_auth: bool = False) -> None:
        self.target = target.rstrip("/")
        self.strip_auth = strip_auth
        self.lose: list[tuple[str, str]] = []
        self.holds: list[tuple[str, str, float]] = []
        self.released = threading.Event()
        self.seen: list[tuple[str, str, bool]] = []  # method, path, had Authorization
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.proxy = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.daemon = True

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> WordPressProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def lose_answer(self, method: str, path_suffix: str) -> None:
        """Forward the next matching request, then drop the connection unanswered."""
        with self.lock:
            self.lose.append((method, path_suffix))

    def hold(self, method: str, path_suffix: str, seconds: float) -> None:
        """Forward the next matching request only after `seconds`, then answer it."""
        with self.lock:
            self.holds.append((method, path_suffix, seconds))
        self.released.clear()

    def forward(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP}
        headers.pop("Host", None)
        had_auth = any(k.lower() == "authorization" for k in headers)
        if self.strip_auth:
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        path = handler.path
        with self.lock:
            self.seen.append((handler.command, path, had_auth))
            rule = next(
                (
                    r
                    for r in self.lose
                    if r[0] == handler.command and path.split("?")[0].endswith(r[1])
                ),
                None,
            )
            if rule:
                self.lose.remove(rule)
            held = next(
                (
                    h
                    for h in self.holds
                    if h[0] == handler.command and path.split("?")[0].endswith(h[1])
                ),
                None,
            )
            if held:
                self.holds.remove(held)
        if held:
            time.sleep(held[2])  # the slow site: nothing happens in WordPress until then
        answer = requests.request(
            handler.command,
            self.target + path,
            data=body,
            headers=headers,
            allow_redirects=False,
            timeout=60,
        )
        if rule:
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(2)
            return
        try:
            handler.send_response(answer.status_code)
            for key, value in answer.headers.items():
                if key.lower() not in _HOP:
                    handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(answer.content)))
            handler.end_headers()
            handler.wfile.write(answer.content)
        except OSError:
            handler.close_connection = True  # the client gave up waiting (a timeout test)
        finally:
            if held:
                self.released.set()
