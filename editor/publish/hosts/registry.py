"""Build an image host from its saved settings and its secret from the keyring."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from types import ModuleType

import requests

from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.config import HostConfig, load_host_secret
from editor.publish.hosts.errors import ImageHostConfigError
from editor.publish.hosts.transport import DEFAULT_TIMEOUT

# Each host type's module is imported when it is first used: SFTP alone pulls in paramiko and
# cryptography (~40 MB), which a writer without an SFTP host should not pay for at start.
_CLASSES = {
    "s3": ("s3", "S3Host"),
    "webdav": ("webdav", "WebDavHost"),
    "sftp": ("sftp", "SftpHost"),
    "command": ("command", "CommandHost"),
    "wordpress": ("wordpress_media", "WordPressMediaHost"),
}


def _module(host_type: str) -> ModuleType:
    return importlib.import_module(f"editor.publish.hosts.{_CLASSES[host_type][0]}")


def fields(host_type: str) -> dict[str, str]:
    """A host type's settings and what each means (for the settings dialog)."""
    return dict(_module(host_type).FIELDS)


def flags(host_type: str) -> dict[str, bool]:
    """A host type's yes/no settings and their defaults (the others are text)."""
    return dict(getattr(_module(host_type), "FLAGS", {}))


#: what the settings dialog calls each type, in the order it offers them
TYPE_NAMES: dict[str, str] = {
    "s3": "S3-compatible storage (AWS, R2, B2, Wasabi…)",
    "webdav": "WebDAV (Nextcloud, a web server)",
    "sftp": "SFTP to your own server",
    "command": "A command (PicGo, uPic, a script…)",
    "wordpress": "A WordPress media library",
}

#: what the one secret of each type is (None: the type has no secret)
SECRET_NAMES: dict[str, str | None] = {
    "s3": "secret access key",
    "webdav": "password",
    "sftp": "password, or the private key's passphrase",
    "command": None,
    "wordpress": "application password",
}


def open_host(
    config: HostConfig,
    session: requests.Session,
    *,
    secret: str | None = None,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
) -> ImageHost:
    """The ImageHost for `config`; its secret is read from the keyring unless given.

    Raises ImageHostConfigError (missing settings) or CredentialStoreError (locked keyring).
    """
    if config.type not in _CLASSES:
        raise ImageHostConfigError(f"Unknown image host type {config.type!r}.")
    cls = getattr(_module(config.type), _CLASSES[config.type][1])
    if secret is None and SECRET_NAMES[config.type] is not None:
        secret = load_host_secret(config.key)
    host = cls.from_settings(
        config.display_name(),
        config.settings,
        secret,
        session=session,
        timeout=timeout,
        sleep=sleep,
    )
    host.host_id = config.key
    return host
