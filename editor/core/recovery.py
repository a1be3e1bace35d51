"""Recovery copies: the writer's text when it cannot go into the draft itself.

While another program's change waits for the writer's choice, while the draft is read-only, or
while the disk refuses the save, the text still reaches the disk here, within the autosave
interval. One JSON file per draft in the data folder, written atomically; it is removed once the
draft itself holds the text (or the writer chose the other version, which keeps his in the
history). On the next start, opening the draft offers what is here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from editor.core.atomic import atomic_write_bytes
from editor.core.history import draft_key

CONFLICT = "conflict"  # another program changed the draft; the writer has not chosen yet
DELETED = "deleted"  # another program deleted or moved the draft
READ_ONLY = "read-only"  # the draft is read-only
FAILED = "failed"  # the disk refused the save (full, gone, …)


@dataclass(frozen=True)
class RecoveryCopy:
    """The writer's text that did not reach the draft, and why."""

    draft: Path
    text: str
    reason: str
    saved: dt.datetime
    base_hash: str  # the version of the draft the writer was editing (what he last saw)


class RecoveryStore:
    """Keeps, reads and drops recovery copies (one per draft path)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def file_for(self, draft: Path) -> Path:
        """The recovery file of one draft."""
        return self.folder / f"{draft_key(draft)}.json"

    def keep(self, draft: Path, text: str, reason: str, base_hash: str) -> None:
        """Write (replace) the recovery copy of `draft`. Raises WriteError."""
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {
            "path": str(draft.absolute()),
            "reason": reason,
            "saved": dt.datetime.now().isoformat(timespec="seconds"),
            "base_hash": base_hash,
            "text": text,
        }
        atomic_write_bytes(self.file_for(draft), json.dumps(record).encode("utf-8"))

    def get(self, draft: Path) -> RecoveryCopy | None:
        """The recovery copy of `draft`, if there is one (an unreadable one is left alone)."""
        return _read(self.file_for(draft))

    def drop(self, draft: Path) -> None:
        """Forget the recovery copy of `draft` (its text is in the draft or the history)."""
        with contextlib.suppress(FileNotFoundError):
            self.file_for(draft).unlink()

    def move(self, old: Path, new: Path) -> None:
        """Follow a renamed draft."""
        copy = self.get(old)
        if copy is not None:
            self.keep(new, copy.text, copy.reason, copy.base_hash)
            self.drop(old)

    def all(self) -> list[RecoveryCopy]:
        """Every recovery copy, newest first."""
        if not self.folder.is_dir():
            return []
        copies = [c for f in self.folder.glob("*.json") if (c := _read(f)) is not None]
        return sorted(copies, key=lambda c: c.saved, reverse=True)


def _read(file: Path) -> RecoveryCopy | None:
    try:
        record = json.loads(file.read_text(encoding="utf-8"))
        return RecoveryCopy(
            Path(record["path"]),
            str(record["text"]),
            str(record["reason"]),
            dt.datetime.fromisoformat(record["saved"]),
            str(record.get("base_hash", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
