"""Which image hosts the writer set up: `image-hosts.json` in the config folder.

Holds no secrets: per host its type, a label and non-secret settings (endpoint, bucket, user
name, public base URL, …). The one secret of each host (S3 secret key, WebDAV/SFTP password or
key passphrase, WordPress application password) is kept in the keyring under the host's key.
Every write goes through the atomic writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.core.paths import AppPaths, app_paths
from editor.publish import credentials
from editor.publish.config_files import read_config_object, write_config_object
from editor.publish.errors import ConfigError

FILE_NAME = "image-hosts.json"
VERSION = 1
HOST_TYPES = ("s3", "webdav", "sftp", "command", "wordpress")
SECRET_KIND = "image-host"  # keyring entry "image-host:<host key>"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass
class HostConfig:
    """One image host: `key` names it (and its keyring entry), `settings` has no secrets."""

    key: str
    type: str
    label: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    def display_name(self) -> str:
        """What messages call this host."""
        return self.label or self.key


@dataclass
class HostsConfig:
    """Every configured image host and the one publishing uses by default."""

    hosts: dict[str, HostConfig] = field(default_factory=dict)
    default_host: str | None = None
    #: blog key ("blogger:<id>") -> host key, for blogs that do not use the default host
    blog_hosts: dict[str, str] = field(default_factory=dict)

    def add(self, host: HostConfig) -> None:
        """Add or replace a host; the first one becomes the default."""
        if not _KEY.match(host.key):
            raise ConfigError(
                f"{host.key!r} cannot name an image host: use letters, digits, '.', '_', '-'."
            )
        if host.type not in HOST_TYPES:
            raise ConfigError(
                f"Unknown image host type {host.type!r}; choose one of {', '.join(HOST_TYPES)}."
            )
        self.hosts[host.key] = host
        if self.default_host not in self.hosts:
            self.default_host = host.key

    def remove(self, key: str) -> None:
        """Forget a host (its secret is deleted by `forget_host_secret`)."""
        self.hosts.pop(key, None)
        if self.default_host not in self.hosts:
            self.default_host = next(iter(self.hosts), None)
        self.blog_hosts = {b: h for b, h in self.blog_hosts.items() if h != key}

    def use_for_blog(self, blog_key: str, host_key: str | None) -> None:
        """Publish `blog_key`'s images to `host_key` (None: to the default host)."""
        if host_key is None:
            self.blog_hosts.pop(blog_key, None)
            return
        if host_key not in self.hosts:
            raise ConfigError(f"No image host {host_key!r} is set up.")
        self.blog_hosts[blog_key] = host_key

    def for_blog(self, blog_key: str) -> HostConfig:
        """The host a blog's images go to: its own choice, else the default host."""
        chosen = self.blog_hosts.get(blog_key)
        return self.hosts[chosen] if chosen in self.hosts else self.find(None)

    def find(self, wanted: str | None = None) -> HostConfig:
        """The host named by key or label; the default one when `wanted` is None."""
        if not self.hosts:
            raise ConfigError(
                "No image host is set up yet; add one in Publish ▸ Image Hosts… (or with"
                " `broadsheet images add-host`)."
            )
        if wanted is None:
            if self.default_host in self.hosts:
                return self.hosts[self.default_host]
            return next(iter(self.hosts.values()))
        if wanted in self.hosts:
            return self.hosts[wanted]
        matches = [h for h in self.hosts.values() if h.label.casefold() == wanted.casefold()]
        if len(matches) == 1:
            return matches[0]
        raise ConfigError(f"No image host {wanted!r} is set up.")


def config_path(paths: AppPaths | None = None) -> Path:
    """Where image-hosts.json lives."""
    return (paths or app_paths()).config_dir / FILE_NAME


def load_hosts(paths: AppPaths | None = None) -> HostsConfig:
    """Read image-hosts.json; a missing file is an empty config."""
    data = read_config_object(config_path(paths))
    if data is None:
        return HostsConfig()
    config = HostsConfig(default_host=data.get("default_host"))
    chosen = data.get("blog_hosts")
    if isinstance(chosen, dict):
        config.blog_hosts = {str(b): str(h) for b, h in chosen.items() if isinstance(h, str)}
    for key, raw in (data.get("hosts") or {}).items():
        if not isinstance(raw, dict) or raw.get("type") not in HOST_TYPES:
            continue  # a host type from a newer version: keep going with the others
        settings = raw.get("settings")
        if not isinstance(settings, dict):
            settings = {}
        config.hosts[key] = HostConfig(key, raw["type"], str(raw.get("label") or ""), settings)
    return config


def save_hosts(config: HostsConfig, paths: AppPaths | None = None) -> None:
    """Write image-hosts.json durably (after checking no setting looks like a secret)."""
    path = config_path(paths)
    for host in config.hosts.values():
        leaked = [k for k in host.settings if re.search(r"secret|password|passphrase", k, re.I)]
        if leaked:
            raise ConfigError(
                f"The image host {host.display_name()} has {', '.join(leaked)} in its settings;"
                " secrets belong in the keyring (store_host_secret)."
            )
    data = {
        "version": VERSION,
        "default_host": config.default_host,
        "hosts": {
            k: {"type": h.type, "label": h.label, "settings": h.settings}
            for k, h in config.hosts.items()
        },
        "blog_hosts": {b: h for b, h in config.blog_hosts.items() if h in config.hosts},
    }
    write_config_object(path, data)


def store_host_secret(host_key: str, secret: str) -> None:
    """Keep a host's secret (S3 secret key, password, passphrase) in the keyring."""
    credentials.store_secret(SECRET_KIND, host_key, secret)


def load_host_secret(host_key: str) -> str | None:
    """The host's secret from the keyring, or None."""
    return credentials.load_secret(SECRET_KIND, host_key)


def forget_host_secret(host_key: str) -> None:
    """Delete the host's secret (no error when there is none)."""
    credentials.delete_secret(SECRET_KIND, host_key)
