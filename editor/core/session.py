"""Session state: which drafts are open, and whether the last run ended cleanly.

`session.json` in the state folder says `"clean": false` while Broadsheet runs. Finding it so at
start means the last run died (kill -9, power loss); the drafts it had open are reopened, and
their files already hold the last autosave.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.atomic import atomic_write_bytes


@dataclass
class Recovery:
    """What an unclean shutdown left behind."""

    open_drafts: list[Path] = field(default_factory=list)


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SessionState:
    """Reads and writes `session.json` (atomically)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "session.json"
        self.open_drafts: list[Path] = []

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def start(self) -> Recovery | None:
        """Mark this run as running; return what to recover if the last run crashed."""
        previous = self._read()
        recovery = None
        pid = previous.get("pid")
        crashed = previous.get("clean") is False and not (
            isinstance(pid, int) and pid != os.getpid() and pid_alive(pid)
        )
        if crashed:
            drafts = previous.get("open", [])
            paths = (
                [Path(p) for p in drafts if isinstance(p, str)] if isinstance(drafts, list) else []
            )
            recovery = Recovery([p for p in paths if p.is_file()])
        self._write(clean=False)
        return recovery

    def set_open(self, drafts: list[Path]) -> None:
        """Remember the open drafts (written at once, so a crash a moment later knows them)."""
        self.open_drafts = list(drafts)
        self._write(clean=False)

    def finish(self) -> None:
        """A clean exit."""
        self._write(clean=True)

    def _write(self, clean: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"pid": os.getpid(), "clean": clean, "open": [str(p) for p in self.open_drafts]}
        atomic_write_bytes(self.path, json.dumps(data, indent=1).encode("utf-8"))
