"""The computer's time zone by name ("Europe/Berlin"), found without loading a zone database.

Qt's QTimeZone.systemTimeZoneId() loads ICU's zone data on its first call (about 50 ms of the
window's start-up, for one label of the post panel). On Linux and macOS the name is in the TZ
variable or the /etc/localtime link; elsewhere the caller asks Qt.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")  # Debian's plain-text copy of the name


@functools.cache
def system_zone_id() -> str:
    """The zone's IANA name, or "" when it cannot be told cheaply."""
    named = os.environ.get("TZ", "").lstrip(":")
    if "/" in named and not named.startswith("/"):
        return named
    try:
        target = os.readlink(LOCALTIME)
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    try:
        return TIMEZONE_FILE.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
