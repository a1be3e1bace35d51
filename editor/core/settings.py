"""The one settings file (JSON under the config folder), written atomically."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from editor.core.atomic import atomic_write_bytes

log = logging.getLogger(__name__)


class Settings:
    """A small JSON-backed key/value store. Holds no secrets: those live in the keyring."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] = {}
        self.problem: str | None = None

    def load(self) -> Settings:
        """Read the file; a missing file is empty settings, a broken one is reported and kept."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self
        except OSError as exc:
            self.problem = f"Could not read settings: {exc.strerror}"
            return self
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.problem = "The settings file is damaged; defaults are used and it was kept aside."
            self._keep_aside(raw)
            return self
        if isinstance(data, dict):
            self._data = data
        return self

    def _keep_aside(self, raw: bytes) -> None:
        try:
            atomic_write_bytes(self.path.with_suffix(".damaged.json"), raw)
        except OSError:
            log.warning("could not keep the damaged settings file aside")

    def get(self, key: str, default: Any = None) -> Any:
        """A value, or `default`."""
        return self._data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Change a value in memory (call save() to write)."""
        self._data[key] = value

    def to_bytes(self) -> bytes:
        """The file's contents for the current values (to write them on another thread)."""
        data = json.dumps(self._data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return data.encode("utf-8")

    def save(self) -> None:
        """Write the settings durably."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.path, self.to_bytes())
