"""Setting image hosts up: new keys, cleaned settings, saving with secrets, testing.

What the settings dialog (and the command line) do with hosts, without any Qt: the window calls
these from a worker thread, because the keyring and the test connection block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import requests

from editor.core.paths import AppPaths
from editor.publish.hosts.config import (
    HostConfig,
    HostsConfig,
    forget_host_secret,
    load_host_secret,
    save_hosts,
    store_host_secret,
)
from editor.publish.hosts.registry import fields, flags, open_host

TEST_TIMEOUT = (5.0, 20.0)


def new_host_key(config: HostsConfig, label: str, host_type: str) -> str:
    """A key for a new host from its label ("My R2" -> "my-r2"), unique among the hosts."""
    base = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")[:40] or host_type
    if not base[0].isalnum():
        base = f"{host_type}-{base}"
    key, n = base, 2
    while key in config.hosts:
        key, n = f"{base}-{n}", n + 1
    return key


def clean_settings(host_type: str, values: Mapping[str, object]) -> dict[str, object]:
    """The settings to save: known names only, text stripped, empty text left out, flags bool."""
    yes_no = flags(host_type)
    cleaned: dict[str, object] = {}
    for name in fields(host_type):
        value = values.get(name)
        if name in yes_no:
            if isinstance(value, str):
                value = value.strip().lower() in ("1", "true", "yes", "on")
            cleaned[name] = yes_no[name] if value is None else bool(value)
        elif value is not None and str(value).strip():
            cleaned[name] = str(value).strip()
    return cleaned


def check_host(config: HostConfig, secret: str | None) -> None:
    """Raise ImageHostConfigError when the settings (or a needed secret) are missing or wrong.

    `secret` None means the one already in the keyring.
    """
    with requests.Session() as session:
        open_host(config, session, secret=secret).close()


def secrets_known(config: HostsConfig) -> set[str]:
    """The hosts whose secret is in the keyring (the secrets themselves are not returned)."""
    return {key for key in config.hosts if load_host_secret(key)}


def save_changes(
    config: HostsConfig,
    secrets: Mapping[str, str],
    removed: Iterable[str] = (),
    paths: AppPaths | None = None,
) -> None:
    """Write image-hosts.json, keep the new secrets in the keyring, forget removed hosts'.

    The secrets go first: a locked keyring stops the save before the file names a host whose
    secret is missing.
    """
    for key, secret in secrets.items():
        if secret and key in config.hosts:
            store_host_secret(key, secret)
    save_hosts(config, paths)
    for key in removed:
        if key not in config.hosts:
            forget_host_secret(key)


def test_host(
    config: HostConfig,
    secret: str | None = None,
    *,
    session: requests.Session | None = None,
    timeout: float | tuple[float, float] = TEST_TIMEOUT,
) -> tuple[str, bool]:
    """Upload a tiny image, fetch it back from its public URL, delete it.

    Returns that URL and whether the test image could be deleted (a command host cannot).

    `secret` None uses the one in the keyring. Raises PublishError subclasses (ImageHostError,
    ImageHostConfigError, CredentialStoreError) with one clear sentence.
    """
    own = session is None
    session = session or requests.Session()
    try:
        host = open_host(config, session, secret=secret or None, timeout=timeout)
        try:
            return host.test_connection(), host.can_delete
        finally:
            host.close()
    finally:
        if own:
            session.close()
