"""Small JSON files Broadsheet keeps for itself (beside drafts, in its data folder).

Each is a memory that can be rebuilt or done without (records found again by address,
uploads done again), so a missing or damaged file reads as "nothing kept", with a warning in
the log, never as an error the writer has to deal with.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def read_kept_table(path: Path, key: str) -> dict[str, Any]:
    """The table under `key` of the JSON file at `path`; {} when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("Ignoring unreadable %s: %s", path, exc)
        return {}
    table = data.get(key) if isinstance(data, dict) else None
    return table if isinstance(table, dict) else {}
