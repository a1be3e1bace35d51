"""Secrets (refresh tokens, OAuth client secrets, WordPress application passwords) live in the
system keyring and nowhere else.

There is deliberately no fallback to a file: when no keyring is available the writer is told,
instead of having a token silently written next to the drafts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from editor.publish.errors import CredentialStoreError
from editor.publish.logmask import register_secret

SERVICE = "broadsheet"
T = TypeVar("T")

_UNAVAILABLE = (
    "No system keyring is available to keep your sign-in safe; install and unlock one"
    " (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) and try again."
)


def _entry(kind: str, name: str) -> str:
    return f"{kind}:{name}"


def _keyring():  # type: ignore[no-untyped-def]
    """The keyring module, imported on first use: it costs about 40 ms, and the window's
    start-up never needs a secret."""
    import keyring
    import keyring.errors

    return keyring


def _call(fn: Callable[..., T], *args: str) -> T:
    keyring = _keyring()
    try:
        return fn(*args)
    except keyring.errors.NoKeyringError as exc:
        raise CredentialStoreError(_UNAVAILABLE) from exc
    except keyring.errors.KeyringLocked as exc:
        raise CredentialStoreError(
            "The system keyring is locked; unlock it and try again."
        ) from exc
    except keyring.errors.KeyringError as exc:
        raise CredentialStoreError(
            f"The system keyring refused the request ({type(exc).__name__}); unlock it and try"
            " again."
        ) from exc


def store_secret(kind: str, name: str, value: str) -> None:
    """Save a secret, e.g. store_secret("refresh-token", "google:123", token)."""
    register_secret(value)
    _call(_keyring().set_password, SERVICE, _entry(kind, name), value)


def load_secret(kind: str, name: str) -> str | None:
    """The saved secret, or None when there is none."""
    value = _call(_keyring().get_password, SERVICE, _entry(kind, name))
    register_secret(value)
    return value


def delete_secret(kind: str, name: str) -> None:
    """Forget a secret; forgetting one that does not exist is not an error."""
    try:
        _call(_keyring().delete_password, SERVICE, _entry(kind, name))
    except CredentialStoreError as exc:
        if isinstance(exc.__cause__, _keyring().errors.PasswordDeleteError):
            return
        raise


# The kinds Broadsheet stores, named once so typos cannot split them.
REFRESH_TOKEN = "refresh-token"  # name: account key, e.g. "google:<userId>"
CLIENT_SECRET = "client-secret"  # name: the OAuth client id it belongs to
APP_PASSWORD = "app-password"  # name: account key, e.g. "wordpress:<user>@example.com/blog"
# The one secret of an account of any other platform (an API key, a token, a password), kept
# by PublishService.remember. name: account key.
ACCOUNT_SECRET = "account-secret"
