"""Reading the small JSON config files of publishing (accounts, image hosts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from editor.core.atomic import WriteError, atomic_write_bytes
from editor.publish.errors import ConfigError


def read_config_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None when the file does not exist yet.

    A damaged file is a ConfigError naming it, so the writer can fix or delete it.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}; fix or delete that file.") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a JSON object; fix or delete that file.")
    return data


def write_config_object(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as JSON durably (creating the folder); failures are a ConfigError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(
            path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        )
    except WriteError as exc:
        raise ConfigError(str(exc)) from exc
    except OSError as exc:
        raise ConfigError(f"Cannot create {path.parent}: {exc.strerror}.") from exc
