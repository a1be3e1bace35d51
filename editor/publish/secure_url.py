"""The one rule for where a secret may be sent: https, or plain http to this computer only.

A secret is anything that lets someone act as the writer: a password (WordPress, WebDAV, in
Basic auth), an access or refresh token, the OAuth client secret, or a request signed with an
S3 secret key (SigV4 never sends the key itself, but over plain http the signed requests, the
access key id and any session token can be read, and the answers can be forged: "already
uploaded", or a different public address). Plain http to loopback (127.0.0.0/8, ::1,
localhost) never leaves the machine, so the tests' servers and local development servers
keep working. Every client asks `may_carry_secret` before it sends one: when it is set up (the
settings are refused in one sentence) and again right before sending.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from editor.publish.errors import ConfigError, PublishError


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def may_carry_secret(url: str) -> bool:
    """Whether a request to `url` may carry a password, token or signed request."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "https":
        return True
    return scheme == "http" and is_loopback(parts.hostname or "")


def _address(host: str, port: int | None) -> str:
    """host[:port], without any user name or password that the URL may hold."""
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def insecure_message(url: str, secret: str, where: str = "") -> str:
    """One sentence saying why `secret` will not be sent to `url` (`where`: whose address)."""
    parts = urlsplit(url.strip())
    try:
        address = _address(parts.hostname or "", parts.port)
    except ValueError:  # a port that is not a number
        address = parts.hostname or ""
    scheme = parts.scheme.lower()
    shown = f"{scheme}://{address}{parts.path}" if scheme else url.split("@")[-1]
    shown = f"{where} ({shown})" if where else shown
    if scheme != "http":
        return f"{shown} is not an https address, so {secret} cannot be sent to it."
    return (
        f"{shown} uses plain http, which would send {secret} unencrypted; use"
        f" https://{address}{parts.path} (plain http is only for servers on this computer)."
    )


def require_secure(
    url: str,
    secret: str = "your password",
    *,
    where: str = "",
    error: type[PublishError] = ConfigError,
) -> None:
    """Raise `error` with one sentence unless `url` may carry `secret`."""
    if not may_carry_secret(url):
        raise error(insecure_message(url, secret, where))
