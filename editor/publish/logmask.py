"""Keep secrets out of logs: a filter/formatter that masks tokens, and a record factory.

Libraries we use (requests-oauthlib, google-auth, urllib3) log token responses and headers at
DEBUG. A filter on our own handlers is not enough, because records reach every handler that
someone else attached (pytest's caplog, a GUI log view). `install_secret_masking` therefore
masks at record creation, for every logger, and is idempotent.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

MASK = "***"

# Token shapes worth masking even when the value was never registered.
_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[^\s'\",}]+"),
    re.compile(
        r"(?i)(\b(?:access_token|refresh_token|id_token|client_secret|code_verifier|code|"
        r"assertion|password)[\"']?\s*[:=]\s*[\"']?)[^\s&\"',}]+"
    ),
    re.compile(r"ya29\.[\w.-]+"),  # Google access tokens
    re.compile(r"1//[\w-]{10,}"),  # Google refresh tokens
    re.compile(r"GOCSPX-[\w-]+"),  # Google client secrets
]

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def register_secret(value: str | None) -> None:
    """Mask this exact value in every log record from now on (tokens, client secrets)."""
    if value and len(value) >= 6:  # shorter strings would mask ordinary words
        with _lock:
            _secrets.add(value)


def mask(text: str) -> str:
    """`text` with registered secrets and token-shaped values replaced by ***."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken format string must not break logging
        message = str(record.msg)
    record.msg = mask(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None


class SecretMaskingFilter(logging.Filter):
    """A handler/logger filter that masks secrets in the record (never drops records)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


class SecretMaskingFormatter(logging.Formatter):
    """A formatter whose output never contains a registered secret or token-shaped value."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def install_secret_masking() -> None:
    """Mask secrets in every log record created in this process (safe to call repeatedly)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
        previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    logging.setLogRecordFactory(factory)
