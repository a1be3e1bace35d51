"""What the loopback Mastodon and Bluesky servers share: the HTTP plumbing and faults.

Faults: `fault(op, "lost")` does the work, then drops the connection without an answer;
`fault(op, "reset")` drops it without doing anything;
`fault(op, "status", status=429, retry_after="1")` answers that status without doing anything.
Every refused request is kept in `violations` with the reason, for the test to look at.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    op: str
    kind: str  # "lost" | "reset" | "status"
    times: int = 1
    status: int = 500
    retry_after: str | None = None


class Request:
    """One request as the app sees it."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self.method = handler.command
        parts = urlsplit(handler.path)
        self.path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.headers = handler.headers
        length = int(handler.headers.get("Content-Length") or 0)
        self.raw = handler.rfile.read(length) if length else b""

    def bearer(self) -> str | None:
        value = self.headers.get("Authorization") or ""
        return value[7:] if value.startswith("Bearer ") else None

    def json(self) -> Any:
        return json.loads(self.raw.decode("utf-8")) if self.raw else None


class Refused(Exception):
    """A request the reference does not allow: answered `status` with `body`."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(json.dumps(body))
        self.status = status
        self.body = body


class _Lost(Exception):
    """Drop the connection without answering (after the work was done)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:
        app = self.server.app
        request = Request(self)
        with app.lock:
            app.requests.append((request.method, request.path))
        try:
            status, body, headers = app.answer(request)
        except Refused as exc:
            with app.lock:
                app.violations.append(f"{request.method} {request.path}: {exc.body}")
            status, body, headers = exc.status, exc.body, {}
        except _Lost:
            # RST instead of FIN: the client sees a lost connection, not an empty answer.
            with contextlib.suppress(OSError):
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            self.close_connection = True
            return
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: SocialServer


class SocialServer:
    """A loopback HTTP server whose subclass answers `route(request)`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.faults: list[Fault] = []
        self.violations: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.app = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> SocialServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def fault(self, op: str, kind: str, **kwargs: Any) -> None:
        """Inject a fault into the next `times` requests of `op`."""
        with self.lock:
            self.faults.append(Fault(op, kind, **kwargs))

    def _take_fault(self, op: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.op == op and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def answer(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        op, act = self.route(request)
        fault = self._take_fault(op)
        if fault is not None and fault.kind == "reset":
            raise _Lost()  # dropped before anything was done
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return fault.status, self.fault_body(fault.status), headers
        with self.lock:
            status, body = act()
        if fault is not None and fault.kind == "lost":
            raise _Lost()
        return status, body, {}

    def route(self, request: Request) -> tuple[str, Any]:
        """(operation name, a callable doing it and returning (status, body))."""
        raise NotImplementedError

    def fault_body(self, status: int) -> dict[str, Any]:
        """What the platform answers with an injected error status."""
        raise NotImplementedError


def only_keys(data: Any, allowed: set[str], where: str, refuse: Any) -> dict[str, Any]:
    """`data` as a dict with no key outside `allowed`, else `refuse(message)` is raised."""
    if not isinstance(data, dict):
        raise refuse(f"{where} must be an object")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise refuse(f"{where} has unknown fields: {', '.join(unknown)}")
    return data
