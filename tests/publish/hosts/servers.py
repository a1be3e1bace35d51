"""Real servers on 127.0.0.1 for the image-host tests, each its own process.

Every server is started directly (no shell), so the PID we hold is the server's own and stopping
it stops exactly that process. A server that does not come up fails the test with its log:
these tests are never skipped, in CI or elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
START_TIMEOUT = 30.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tool(name: str) -> str:
    """A console program installed with the test extra (next to this Python, else on PATH)."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return found


@dataclass
class ServerProcess:
    """One server process listening on `port`; `log` holds its output."""

    name: str
    argv: list[str]
    port: int
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        env = {**os.environ, "RCLONE_CONFIG": os.devnull, **self.env}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return self
            time.sleep(0.05)
        self.stop()
        tail = self.log.read_text(errors="replace")[-2000:]
        pytest.fail(f"{self.name} did not start on port {self.port}:\n{tail}")

    def stop(self) -> None:
        """Stop this process (by its own PID) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def rclone_s3(root: Path, logs: Path, access_key: str, secret_key: str) -> ServerProcess:
    """rclone's S3 server on `root` (each subfolder a bucket), checking SigV4 signatures.

    Buckets must be created through the server (CreateBucket): it caches the folder listing.
    (`--dir-cache-time 0s` would avoid that but makes the server spin and stall.)
    """
    port = free_port()
    argv = [
        tool("rclone"), "serve", "s3", str(root), "--addr", f"127.0.0.1:{port}",
        "--auth-key", f"{access_key},{secret_key}", "--no-cleanup",
    ]  # fmt: skip
    return ServerProcess("rclone serve s3", argv, port, logs / f"rclone-s3-{port}.log").start()


def rclone_http(root: Path, logs: Path) -> ServerProcess:
    """rclone's plain HTTP file server on `root`: the public URLs readers fetch."""
    port = free_port()
    argv = [
        tool("rclone"), "serve", "http", str(root), "--addr", f"127.0.0.1:{port}",
        "--dir-cache-time", "0s", "--poll-interval", "0s",
    ]  # fmt: skip
    return ServerProcess("rclone serve http", argv, port, logs / f"rclone-http-{port}.log").start()


def rclone_sftp(
    root: Path, logs: Path, user: str, password: str, host_key: Path, authorized: Path
) -> ServerProcess:
    """rclone's SFTP server on `root` with a password and an authorized public key."""
    port = free_port()
    argv = [
        tool("rclone"), "serve", "sftp", str(root), "--addr", f"127.0.0.1:{port}",
        "--user", user, "--pass", password, "--key", str(host_key),
        "--authorized-keys", str(authorized),
    ]  # fmt: skip
    return ServerProcess("rclone serve sftp", argv, port, logs / f"rclone-sftp-{port}.log").start()


def moto_server(logs: Path) -> ServerProcess:
    """moto's S3 (does not check signatures; used for ACL behaviour)."""
    port = free_port()
    argv = [tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    return ServerProcess("moto_server", argv, port, logs / f"moto-{port}.log").start()


def wsgidav(root: Path, logs: Path, user: str, password: str) -> ServerProcess:
    """wsgidav on cheroot serving `root` over WebDAV with Basic auth."""
    port = free_port()
    config = logs / f"wsgidav-{port}.json"
    config.write_text(
        json.dumps(
            {
                "host": "127.0.0.1",
                "port": port,
                "server": "cheroot",
                "provider_mapping": {"/": str(root)},
                "http_authenticator": {
                    "domain_controller": None,
                    "accept_basic": True,
                    "accept_digest": False,
                    "default_to_digest": False,
                },
                "simple_dc": {"user_mapping": {"*": {user: {"password": password}}}},
                "verbose": 1,
                "logging": {"enable_loggers": []},
            }
        )
    )
    argv = [tool("wsgidav"), "--config", str(config)]
    return ServerProcess("wsgidav", argv, port, logs / f"wsgidav-{port}.log").start()
