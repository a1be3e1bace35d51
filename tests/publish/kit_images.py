"""An image host for kit targets whose platform keeps no media library: the custom-command
host with the test uploader, copying into a folder that a loopback HTTP server serves."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from editor.publish.hosts.config import HostConfig, HostsConfig, save_hosts

UPLOADER = Path(__file__).parent / "hosts" / "fake_uploader.py"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass


@contextmanager
def command_image_host(folder: Path) -> Iterator[str]:
    """Configure the default image host to upload into `folder`; yields its public address."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    command = " ".join(f'"{a}"' for a in (sys.executable, UPLOADER, folder, base))
    config = HostsConfig(
        hosts={"kit": HostConfig("kit", "command", "Kit images", {"command": command})},
        default_host="kit",
    )
    save_hosts(config)
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()
