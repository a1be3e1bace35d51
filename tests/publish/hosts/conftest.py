"""Fixtures for the image-host tests: real servers on loopback (session-wide) and one "rig" per
host type that knows where that server keeps the files, so tests can look on the server side.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.command import CommandHost
from editor.publish.hosts.s3 import S3Host
from editor.publish.hosts.sftp import SftpHost, fingerprint
from editor.publish.hosts.sigv4 import SigV4Auth
from editor.publish.hosts.webdav import WebDavHost
from editor.publish.hosts.wordpress_media import WordPressMediaHost

from . import servers
from .fake_wordpress import FakeWordPress

HERE = Path(__file__).parent
S3_KEY, S3_SECRET = "broadsheet-test", "s3-secret-0123456789"
DAV_USER, DAV_PASSWORD = "writer", "dav-password-123"
SFTP_USER, SFTP_PASSWORD = "writer", "sftp-password-123"
WP_USER, WP_PASSWORD = "writer", "abcd efgh ijkl mnop"
TIMEOUT = (5.0, 10.0)


def no_sleep(_seconds: float) -> None:
    """Retries in tests do not really wait."""


class CountingSession(requests.Session):
    """A session that remembers every request it sent (method, URL)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str]] = []
        self.hooks["response"].append(self._count)

    def _count(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        self.sent.append((response.request.method or "", response.request.url or ""))

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.sent if m == method)


@dataclass
class Stack:
    """A server (or two) sharing one folder on disk."""

    root: Path
    api: servers.ServerProcess | None = None
    public: servers.ServerProcess | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Rig:
    """One configured host plus what the tests need to look behind it."""

    kind: str
    host: ImageHost
    folder: Path  # where the server stores this host's files
    wrong: Callable[[], ImageHost]  # the same host with a wrong secret
    session: CountingSession
    #: where the server keeps an image, from its key and sha256 (hosts name files their way)
    path_of: Callable[[str, str], Path] = lambda key, sha: Path(key)

    def __post_init__(self) -> None:
        self.host.host_id = f"test-{self.kind}"  # as open_host sets it from the config key

    def stored(self) -> dict[str, tuple[int, int, int]]:
        """Every file the server holds for this host: relative path -> (size, mtime, inode)."""
        return {
            str(p.relative_to(self.folder)): (
                p.stat().st_size,
                p.stat().st_mtime_ns,
                p.stat().st_ino,
            )
            for p in self.folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        }


@pytest.fixture(scope="session")
def host_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("host-server-logs")


@pytest.fixture(scope="session")
def s3_stack(tmp_path_factory: pytest.TempPathFactory, host_logs: Path) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("s3-root")
    api = servers.rclone_s3(root, host_logs, S3_KEY, S3_SECRET)
    public = servers.rclone_http(root, host_logs)
    yield Stack(root, api, public)
    api.stop()
    public.stop()


@pytest.fixture(scope="session")
def dav_stack(tmp_path_factory: pytest.TempPathFactory, host_logs: Path) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("dav-root")
    api = servers.wsgidav(root, host_logs, DAV_USER, DAV_PASSWORD)
    public = servers.rclone_http(root, host_logs)
    yield Stack(root, api, public)
    api.stop()
    public.stop()


def write_ed25519(path: Path) -> ed25519.Ed25519PrivateKey:
    """A new OpenSSH-format Ed25519 private key at `path` (and its .pub beside it)."""
    key = ed25519.Ed25519PrivateKey.generate()
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    path.with_suffix(".pub").write_bytes(public + b" broadsheet-test\n")
    return key


@pytest.fixture(scope="session")
def sftp_stack(tmp_path_factory: pytest.TempPathFactory, host_logs: Path) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("sftp-root")
    keys = tmp_path_factory.mktemp("sftp-keys")
    write_ed25519(keys / "host_key")
    write_ed25519(keys / "client_key")
    authorized = keys / "authorized_keys"
    authorized.write_bytes((keys / "client_key.pub").read_bytes())
    api = servers.rclone_sftp(
        root, host_logs, SFTP_USER, SFTP_PASSWORD, keys / "host_key", authorized
    )
    public = servers.rclone_http(root, host_logs)
    host_print = fingerprint(paramiko.Ed25519Key.from_private_key_file(str(keys / "host_key")))
    yield Stack(root, api, public, {"keys": keys, "fingerprint": host_print})
    api.stop()
    public.stop()


@pytest.fixture(scope="session")
def command_stack(tmp_path_factory: pytest.TempPathFactory, host_logs: Path) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("command-root")
    public = servers.rclone_http(root, host_logs)
    yield Stack(root, None, public)
    public.stop()


@pytest.fixture(scope="session")
def wordpress_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("wordpress-root")
    fake = FakeWordPress(root, WP_USER, WP_PASSWORD.replace(" ", "")).start()
    yield Stack(root, None, None, {"wordpress": fake})
    fake.stop()


def _unique(root: Path) -> tuple[str, Path]:
    name = "t" + uuid.uuid4().hex[:10]
    folder = root / name
    folder.mkdir()
    return name, folder


def s3_rig(stack: Stack, session: CountingSession, **options: object) -> Rig:
    assert stack.api and stack.public
    bucket = "t" + uuid.uuid4().hex[:10]
    created = requests.put(
        f"{stack.api.url}/{bucket}", auth=SigV4Auth(S3_KEY, S3_SECRET, "us-east-1"), timeout=10
    )
    assert created.status_code == 200, created.text
    folder = stack.root / bucket

    def make(secret: str = S3_SECRET) -> S3Host:
        return S3Host(
            endpoint=stack.api.url, bucket=bucket, access_key=S3_KEY, secret_key=secret,
            public_base_url=f"{stack.public.url}/{bucket}", label="Test S3",
            session=session, timeout=TIMEOUT, sleep=no_sleep, **options,  # type: ignore[arg-type]
        )  # fmt: skip

    return Rig("s3", make(), folder, lambda: make("wrong-secret"), session, lambda k, s: folder / k)


def dav_rig(stack: Stack, session: CountingSession) -> Rig:
    assert stack.api and stack.public
    name, folder = _unique(stack.root)

    def make(password: str = DAV_PASSWORD) -> WebDavHost:
        return WebDavHost(
            url=f"{stack.api.url}/{name}", username=DAV_USER, password=password,
            public_base_url=f"{stack.public.url}/{name}", label="Test WebDAV",
            session=session, timeout=TIMEOUT, sleep=no_sleep,
        )  # fmt: skip

    return Rig(
        "webdav", make(), folder, lambda: make("wrong-password"), session, lambda k, s: folder / k
    )


def sftp_rig(stack: Stack, session: CountingSession, *, use_key: bool = False) -> Rig:
    assert stack.api and stack.public
    name, folder = _unique(stack.root)
    keys = stack.extra["keys"]
    assert isinstance(keys, Path)

    def make(password: str = SFTP_PASSWORD) -> SftpHost:
        return SftpHost(
            host="127.0.0.1", port=stack.api.port, username=SFTP_USER,
            password=None if use_key else password,
            key_file=str(keys / "client_key") if use_key else "",
            host_key=str(stack.extra["fingerprint"]), remote_dir=f"/{name}",
            public_base_url=f"{stack.public.url}/{name}", label="Test SFTP",
            session=session, timeout=10.0,
        )  # fmt: skip

    return Rig(
        "sftp", make(), folder, lambda: make("wrong-password"), session, lambda k, s: folder / k
    )


def command_rig(stack: Stack, session: CountingSession, *options: str) -> Rig:
    assert stack.public
    name, folder = _unique(stack.root)
    script = HERE / "fake_uploader.py"

    def make(*extra: str) -> CommandHost:
        argv = [sys.executable, str(script), str(folder), f"{stack.public.url}/{name}"]
        command = " ".join(f'"{a}"' for a in [*argv, *options, *extra])
        return CommandHost(command=command, time_limit=20, label="Test command", session=session)

    def path_of(key: str, sha: str) -> Path:
        return folder / (sha[:16] + Path(key).suffix)

    return Rig("command", make(), folder, lambda: make("--fail"), session, path_of)


def wordpress_rig(stack: Stack, session: CountingSession) -> Rig:
    fake = stack.extra["wordpress"]
    assert isinstance(fake, FakeWordPress)

    def make(password: str = WP_PASSWORD) -> WordPressMediaHost:
        return WordPressMediaHost(
            site_url=fake.url, username=WP_USER, app_password=password, label="Test WordPress",
            session=session, timeout=TIMEOUT, sleep=no_sleep,
        )  # fmt: skip

    # The fake keeps one library for the session: clear it so each test starts empty.
    with fake.lock:
        fake.media.clear()
    for old in stack.root.iterdir():
        if old.is_file():
            old.unlink()

    def path_of(key: str, sha: str) -> Path:
        return stack.root / key.rsplit("/", 1)[-1]

    return Rig("wordpress", make(), stack.root, lambda: make("wrong password"), session, path_of)


HOST_KINDS = ["s3", "webdav", "sftp", "command", "wordpress"]


@pytest.fixture
def counting_session() -> Iterator[CountingSession]:
    session = CountingSession()
    yield session
    session.close()


@pytest.fixture(params=HOST_KINDS)
def rig(request: pytest.FixtureRequest, counting_session: CountingSession) -> Iterator[Rig]:
    """Each host type in turn, on its own fresh folder of its session-wide server."""
    kind = request.param
    stack = request.getfixturevalue(f"{kind}_stack" if kind != "webdav" else "dav_stack")
    made = {
        "s3": s3_rig, "webdav": dav_rig, "sftp": sftp_rig, "command": command_rig,
        "wordpress": wordpress_rig,
    }[kind](stack, counting_session)  # fmt: skip
    yield made
    if isinstance(made.host, SftpHost):
        made.host.close()
