"""SFTP (any SSH server with a web-served folder) as an image host, over paramiko.

Signs in with a private key (its passphrase, if any, in the keyring) or a password (in the
keyring). The server's host key must be known: either pinned in the settings as the OpenSSH
fingerprint (`SHA256:…`, what `ssh-keygen -lf` prints) or present in ~/.ssh/known_hosts; an
unknown key is refused with its fingerprint in the message, so the writer can compare it.
A file is written under a temporary name and renamed into place, so readers never get half.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import posixpath
import secrets
import socket
import stat
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import paramiko
import requests

from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.errors import (
    ImageHostAuthError,
    ImageHostConfigError,
    ImageHostError,
    ImageHostOfflineError,
)
from editor.publish.hosts.settings import Settings

CONNECT_TIMEOUT = 10.0
IO_TIMEOUT = 60.0


def fingerprint(key: paramiko.PKey) -> str:
    """The OpenSSH SHA256 fingerprint of a host key ("SHA256:…", no padding)."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


class _PinnedOrRefuse(paramiko.MissingHostKeyPolicy):
    """Accepts only the pinned fingerprint; any other unknown key is refused with its print."""

    def __init__(self, pinned: str, label: str) -> None:
        self.pinned = pinned
        self.label = label

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: Any) -> None:
        seen = fingerprint(key)
        if self.pinned and seen == self.pinned:
            return
        if self.pinned:
            raise ImageHostAuthError(
                f"{self.label} presented the host key {seen}, not the expected {self.pinned};"
                " if the server's key really changed, update the fingerprint in the settings."
            )
        raise ImageHostAuthError(
            f"{self.label} presented an unknown host key {seen}; if that is your server's key,"
            " enter it as the host key fingerprint in the settings."
        )


class SftpHost(ImageHost):
    """A folder on an SSH server that a web server publishes at `public_base_url`."""

    max_parallel = 1  # one SFTP channel, used by one thread at a time

    def __init__(
        self,
        *,
        host: str,
        username: str,
        remote_dir: str,
        public_base_url: str,
        port: int = 22,
        password: str | None = None,
        key_file: str = "",
        passphrase: str | None = None,
        host_key: str = "",
        prefix: str = "broadsheet/{year}/{month}/",
        label: str = "",
        session: requests.Session,
        timeout: float = IO_TIMEOUT,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.key_file = key_file
        self.passphrase = passphrase
        self.host_key = host_key.strip()
        self.remote_dir = remote_dir.rstrip("/") or "/"
        self.public_base_url = public_base_url.rstrip("/")
        self.prefix = prefix
        self.label = label or f"the SFTP server {host}"
        self.session = session
        self.timeout = timeout
        self._lock = threading.Lock()
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None

    @classmethod
    def from_settings(
        cls, label: str, values: Mapping[str, Any], secret: str | None, **kwargs: Any
    ) -> SftpHost:
        """Build from the settings dict (see FIELDS) and the password or key passphrase."""
        s = Settings(label, values)
        key_file = s.optional("key_file")
        if not key_file and not secret:
            raise ImageHostConfigError(
                f"The image host {label} needs a private key file or a password."
            )
        kwargs.pop("sleep", None)
        timeout = kwargs.pop("timeout", IO_TIMEOUT)
        return cls(
            host=s.text("host"),
            port=int(s.number("port", 22)),
            username=s.text("username"),
            remote_dir=s.text("remote_dir"),
            public_base_url=s.url("public_base_url"),
            password=None if key_file else secret,
            key_file=key_file,
            passphrase=secret if key_file else None,
            host_key=s.optional("host_key"),
            prefix=s.prefix(),
            label=label,
            timeout=timeout[1] if isinstance(timeout, tuple) else timeout,
            **kwargs,
        )

    def public_url(self, key: str) -> str:
        """Where readers fetch `key`."""
        return f"{self.public_base_url}/{quote(key, safe='/-_.~')}"

    def owns_url(self, url: str) -> bool:
        return url.startswith(self.public_base_url + "/")

    # --- connection ------------------------------------------------------------------------

    def _connect(self) -> paramiko.SFTPClient:
        if self._sftp is not None:
            return self._sftp
        client = paramiko.SSHClient()
        if not self.host_key:
            with contextlib.suppress(OSError):
                client.load_system_host_keys()
        client.set_missing_host_key_policy(_PinnedOrRefuse(self.host_key, self.label))
        pkey = None
        if self.key_file:
            pkey = self._load_key()
        try:
            client.connect(
                self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                pkey=pkey,
                allow_agent=False,
                look_for_keys=False,
                timeout=CONNECT_TIMEOUT,
                banner_timeout=CONNECT_TIMEOUT,
                auth_timeout=CONNECT_TIMEOUT,
            )
            sftp = client.open_sftp()
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise ImageHostAuthError(
                f"{self.label} presented the host key {fingerprint(exc.key)}, which differs from"
                " the one in ~/.ssh/known_hosts; if the server's key really changed, update it."
            ) from exc
        except paramiko.AuthenticationException as exc:
            client.close()
            what = "private key" if self.key_file else "user name and password"
            raise ImageHostAuthError(
                f"{self.label} did not accept the {what}; check them in the host's settings."
            ) from exc
        except ImageHostError:
            client.close()
            raise
        except (OSError, EOFError, paramiko.SSHException) as exc:
            client.close()
            raise ImageHostOfflineError(
                f"{self.label} ({self.host}:{self.port}) could not be reached"
                f" ({_reason(exc)}); check the address and your connection."
            ) from exc
        sftp.get_channel().settimeout(self.timeout)  # type: ignore[union-attr]
        self._client, self._sftp = client, sftp
        return sftp

    def _load_key(self) -> paramiko.PKey:
        path = Path(self.key_file).expanduser()
        try:
            return paramiko.PKey.from_path(path, password=(self.passphrase or None))
        except FileNotFoundError as exc:
            raise ImageHostConfigError(f"The private key file {path} does not exist.") from exc
        except paramiko.PasswordRequiredException as exc:
            raise ImageHostConfigError(
                f"The private key {path.name} is protected by a passphrase; enter it in the"
                " host's settings."
            ) from exc
        except (paramiko.SSHException, ValueError, OSError) as exc:
            raise ImageHostConfigError(
                f"The private key {path.name} could not be read ({_reason(exc)}); is the"
                " passphrase right?"
            ) from exc

    def close(self) -> None:
        """Close the SSH connection (it is reopened when needed)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = self._sftp = None

    # --- files ---------------------------------------------------------------------------

    def remote_path(self, key: str) -> str:
        """The file's path on the server."""
        return posixpath.join(self.remote_dir, key)

    def upload(self, key: str, data: bytes, content_type: str) -> str:
        with self._lock:
            try:
                self._store(key, data)
            except ImageHostError:
                raise
            except (OSError, EOFError, paramiko.SSHException) as exc:
                self._drop()
                raise self.error(exc, "store") from exc
        return self.public_url(key)

    def _store(self, key: str, data: bytes) -> None:
        sftp = self._connect()
        path = self.remote_path(key)
        with contextlib.suppress(FileNotFoundError):
            if sftp.stat(path).st_size == len(data):
                return  # content-addressed: the same name holds the same bytes
        self._make_dirs(sftp, posixpath.dirname(path))
        temp = f"{path}.part-{secrets.token_hex(4)}"
        sftp.putfo(io.BytesIO(data), temp, file_size=len(data), confirm=True)
        with contextlib.suppress(OSError):
            sftp.chmod(temp, 0o644)  # the web server must be able to read it
        try:
            sftp.posix_rename(temp, path)
        except OSError:  # servers without the posix-rename extension
            with contextlib.suppress(OSError):
                sftp.remove(path)
            sftp.rename(temp, path)

    def _make_dirs(self, sftp: paramiko.SFTPClient, folder: str) -> None:
        missing: list[str] = []
        while folder not in ("", "/"):
            try:
                if not stat.S_ISDIR(sftp.stat(folder).st_mode or 0):
                    raise ImageHostConfigError(f"{folder} on {self.label} is not a folder.")
                break
            except FileNotFoundError:
                missing.append(folder)
                folder = posixpath.dirname(folder)
        for path in reversed(missing):
            sftp.mkdir(path)

    def delete(self, key: str) -> None:
        with self._lock:
            try:
                with contextlib.suppress(FileNotFoundError):
                    self._connect().remove(self.remote_path(key))
            except ImageHostError:
                raise
            except (OSError, EOFError, paramiko.SSHException) as exc:
                self._drop()
                raise self.error(exc, "delete") from exc

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = self._sftp = None

    def error(self, exc: BaseException, action: str) -> ImageHostError:
        """An SFTP failure -> one sentence."""
        if isinstance(exc, PermissionError):
            return ImageHostAuthError(
                f"{self.label} does not allow this user to {action} files in {self.remote_dir}."
            )
        if isinstance(exc, socket.timeout | TimeoutError):
            return ImageHostOfflineError(f"{self.label} did not answer in time; try again.")
        if isinstance(exc, EOFError | paramiko.SSHException | ConnectionError):
            return ImageHostOfflineError(
                f"The connection to {self.label} was lost ({_reason(exc)}); try again."
            )
        return ImageHostError(f"{self.label} could not {action} the file ({_reason(exc)}).")


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:160]


FIELDS = {
    "host": "server name or address",
    "port": "SSH port (22)",
    "username": "user name",
    "key_file": "private key file (optional; else the password in the keyring is used)",
    "host_key": "server's host key fingerprint SHA256:… (else ~/.ssh/known_hosts)",
    "remote_dir": "folder on the server that the web server publishes",
    "public_base_url": "address readers fetch that folder's files from",
    "prefix": "folder for images, may use {year} {month} {day}",
}
