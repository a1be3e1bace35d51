"""A tiny WordPress media endpoint on loopback (the real WordPress is tested elsewhere).

POST/GET /wp-json/wp/v2/media, DELETE /wp-json/wp/v2/media/<id>?force=true with Basic auth
(one user, one application password), files stored in a folder and served at
/wp-content/uploads/2026/11/<name>. Answers in WordPress's shapes and error envelope.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

UPLOADS = "/wp-content/uploads/2026/11/"


class FakeWordPress:
    """Media library of one site on 127.0.0.1:<ephemeral port>."""

    def __init__(self, folder: Path, user: str, password: str) -> None:
        self.folder = folder
        self.user, self.password = user, password
        self.media: dict[int, dict[str, Any]] = {}
        self.posts = 0  # POST /media requests, for "uploads nothing new"
        self.ids = itertools.count(101)
        self.lock = threading.Lock()
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:
                app.handle(self)

            do_POST = do_DELETE = do_HEAD = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> FakeWordPress:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        url = urlsplit(h.path)
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        if url.path.startswith(UPLOADS):
            path = self.folder / unquote(url.path[len(UPLOADS) :])
            if not path.is_file():
                return self.send(h, 404, b"not found", "text/html")
            return self.send(h, 200, path.read_bytes(), "image/png")
        if not url.path.startswith("/wp-json/wp/v2/media"):
            return self.send_json(h, 404, {"code": "rest_no_route", "message": "No route."})
        expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        if h.headers.get("Authorization") != f"Basic {expected}":
            return self.send_json(
                h, 401, {"code": "incorrect_password", "message": "The password is incorrect."}
            )
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        match = re.fullmatch(r"/wp-json/wp/v2/media/(\d+)", url.path)
        if h.command == "DELETE" and match:
            with self.lock:
                item = self.media.pop(int(match.group(1)), None)
            if item is None:
                return self.send_json(h, 404, {"code": "rest_post_invalid_id", "message": "No."})
            with contextlib.suppress(OSError):
                (self.folder / item["name"]).unlink()
            return self.send_json(h, 200, {"deleted": True, "previous": item})
        if h.command == "GET":
            needle = query.get("search", "")
            with self.lock:
                found = [m for m in self.media.values() if needle in m["title"]["rendered"]]
            return self.send_json(h, 200, found)
        if h.command == "POST":
            with self.lock:
                self.posts += 1
            disposition = h.headers.get("Content-Disposition", "")
            name_match = re.search(r'filename="([^"]+)"', disposition)
            if not name_match or not body:
                return self.send_json(
                    h, 400, {"code": "rest_upload_no_data", "message": "No data."}
                )
            name = name_match.group(1)
            try:
                (self.folder / name).write_bytes(body)
            except OSError:
                return self.send_json(
                    h, 500, {"code": "rest_upload_unknown_error", "message": "Could not write."}
                )
            with self.lock:
                media_id = next(self.ids)
                item = {
                    "id": media_id,
                    "name": name,
                    "title": {"rendered": name.rsplit(".", 1)[0]},
                    "source_url": f"{self.url}{UPLOADS}{name}",
                    "mime_type": h.headers.get("Content-Type", ""),
                }
                self.media[media_id] = item
            return self.send_json(h, 201, item)
        return self.send_json(h, 405, {"code": "rest_no_route", "message": "No route."})

    def send_json(self, h: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        self.send(h, status, json.dumps(payload).encode(), "application/json; charset=UTF-8")

    def send(self, h: BaseHTTPRequestHandler, status: int, data: bytes, ctype: str) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(data)
