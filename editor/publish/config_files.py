"""Reading the small JSON config files of publishing (accounts, image hosts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
