"""Snapshots of each draft: on manual save, before publishing, and every few minutes of typing.

Snapshots live under the data folder, one folder per draft (keyed by the draft's path, moved
along when the draft is renamed). Each snapshot is the whole document, written atomically.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from editor.core.atomic import atomic_write_bytes

TYPING_INTERVAL_S = 5 * 60  # at most one "while typing" snapshot per five minutes
KEEP_ALL = 30  # the newest snapshots are always kept
KEEP_HOURLY_FOR = dt.timedelta(days=2)
KEEP_DAILY_FOR = dt.timedelta(days=90)


@dataclass(frozen=True)
class Snapshot:
    """One saved version of a draft."""

    path: Path
    taken: dt.datetime
    reason: str  # "save", "typing", "publish", "restore", "external", "conflict"
    words: int

    def read(self) -> str:
        """The snapshot's text."""
        return self.path.read_text(encoding="utf-8")


def draft_key(draft: Path) -> str:
    """A stable folder name for a draft path."""
    return hashlib.sha256(str(draft.absolute()).encode("utf-8")).hexdigest()[:20]


class HistoryStore:
    """Takes, lists, prunes and moves snapshots."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, draft: Path) -> Path:
        """Where one draft's snapshots live."""
        return self.root / draft_key(draft)

    def snapshots(self, draft: Path) -> list[Snapshot]:
        """All snapshots of a draft, newest first."""
        folder = self.folder(draft)
        if not folder.is_dir():
            return []
        found = []
        for file in folder.glob("*.md"):
            parsed = _parse_name(file)
            if parsed:
                taken, reason, words = parsed
                found.append(Snapshot(file, taken, reason, words))
        return sorted(found, key=lambda s: s.taken, reverse=True)

    def take(
        self, draft: Path, text: str, reason: str, now: dt.datetime | None = None
    ) -> Snapshot | None:
        """Keep `text` as a snapshot (skipped when identical to the newest one)."""
        now = now or dt.datetime.now()
        existing = self.snapshots(draft)
        if existing and existing[0].read() == text:
            return None
        folder = self.folder(draft)
        folder.mkdir(parents=True, exist_ok=True)
        index = folder / "draft.json"
        if not index.exists():
            record = json.dumps({"path": str(draft.absolute())}).encode()
            atomic_write_bytes(index, record)
        from editor.core.post import count_words, parse_post  # YAML: not at start-up

        words = count_words(parse_post(text).body)
        name = f"{now.strftime('%Y%m%dT%H%M%S%f')}_{reason}_{words}.md"
        target = folder / name
        atomic_write_bytes(target, text.encode("utf-8"))
        self.prune(draft, now)
        return Snapshot(target, now, reason, words)

    def due_while_typing(self, draft: Path, now: dt.datetime | None = None) -> bool:
        """True when the last snapshot is older than the typing interval."""
        now = now or dt.datetime.now()
        existing = self.snapshots(draft)
        return not existing or (now - existing[0].taken).total_seconds() >= TYPING_INTERVAL_S

    def prune(self, draft: Path, now: dt.datetime | None = None) -> None:
        """Keep the newest, then one per hour for two days, one per day for 90 days."""
        now = now or dt.datetime.now()
        kept_buckets: set[tuple[str, str]] = set()
        for i, snap in enumerate(self.snapshots(draft)):
            if i < KEEP_ALL:
                continue
            age = now - snap.taken
            if age <= KEEP_HOURLY_FOR:
                bucket = ("h", snap.taken.strftime("%Y%m%d%H"))
            elif age <= KEEP_DAILY_FOR:
                bucket = ("d", snap.taken.strftime("%Y%m%d"))
            else:
                bucket = ("x", "")
            if bucket[0] != "x" and bucket not in kept_buckets:
                kept_buckets.add(bucket)
                continue
            snap.path.unlink(missing_ok=True)

    def move(self, old: Path, new: Path) -> None:
        """Follow a renamed draft."""
        source, target = self.folder(old), self.folder(new)
        if source.is_dir() and not target.exists():
            shutil.move(str(source), str(target))
            record = json.dumps({"path": str(new.absolute())}).encode()
            atomic_write_bytes(target / "draft.json", record)


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    """Line diff of two versions (what the History and Compare views show)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=2
        )
    )


def _parse_name(file: Path) -> tuple[dt.datetime, str, int] | None:
    parts = file.stem.split("_")
    if len(parts) != 3:
        return None
    try:
        return dt.datetime.strptime(parts[0], "%Y%m%dT%H%M%S%f"), parts[1], int(parts[2])
    except ValueError:
        return None
