"""Reading one host's non-secret settings with clear messages for what is missing or wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from editor.publish.hosts.base import DEFAULT_PREFIX, key_prefix
from editor.publish.hosts.errors import ImageHostConfigError


class Settings:
    """Typed access to a host's settings dict; every problem names the host and the field."""

    def __init__(self, label: str, values: Mapping[str, Any]) -> None:
        self.label = label
        self.values = values

    def text(self, name: str, default: str | None = None) -> str:
        """A required (or defaulted) non-empty string."""
        value = self.values.get(name, default)
        if value is None or not str(value).strip():
            raise ImageHostConfigError(f"The image host {self.label} needs a {name}.")
        return str(value).strip()

    def optional(self, name: str) -> str:
        """A string that may be empty."""
        value = self.values.get(name)
        return "" if value is None else str(value).strip()

    def flag(self, name: str, default: bool = False) -> bool:
        """A yes/no setting (JSON true/false, or the strings "true"/"false")."""
        value = self.values.get(name, default)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)

    def number(self, name: str, default: float) -> float:
        """A positive number."""
        value = self.values.get(name, default)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if number <= 0:
            raise ImageHostConfigError(
                f"The {name} of the image host {self.label} must be a positive number."
            )
        return number

    def url(self, name: str) -> str:
        """A required http(s) URL, without a trailing slash."""
        value = self.text(name)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImageHostConfigError(
                f"The {name} of the image host {self.label} must be an http(s) address,"
                f" not {value!r}."
            )
        return value.rstrip("/")

    def prefix(self) -> str:
        """The key prefix template, checked once so a bad one fails before any upload."""
        template = self.values.get("prefix")
        template = DEFAULT_PREFIX if template is None else str(template)
        key_prefix(template, date(2000, 1, 1))
        return template
