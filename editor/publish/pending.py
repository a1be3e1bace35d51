"""Journal of inserts that may have landed without Broadsheet learning the post id.

Before a new post is created, its marker is written here; it is removed only once the post id
is safely in the draft's front matter. If the answer was lost, the app crashed or the draft could
not be written, the next publish of that draft looks for the marker on the blog first and so
never creates a second copy. Stored as JSON in the state folder, written atomically.

Each create request is noted (`sending`) before it goes out and cleared (`settled`) when it
certainly created nothing. A noted request whose post is not found may still land: the blog
can finish it long after Broadsheet stopped listening (a timeout, a lost connection, a crash).
Publishing again waits for it (see `editor.publish.http.await_landing`) before creating.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from editor.core.atomic import atomic_write_bytes
from editor.core.paths import AppPaths

FILE_NAME = "publish-pending.json"


class PendingInserts:
    """Markers of possibly-created posts, keyed by blog and draft path."""

    def __init__(self, paths: AppPaths) -> None:
        self.path = paths.state_dir / FILE_NAME

    @staticmethod
    def _key(blog_key: str, draft: Path) -> str:
        return f"{blog_key}|{draft.resolve()}"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))

    def get(self, blog_key: str, draft: Path) -> dict[str, Any] | None:
        """The pending entry for this draft, if any: {"marker", "started", maybe "post_id",
        maybe "sent" (epoch seconds of a create request whose outcome is unknown)}."""
        entry = self._load().get(self._key(blog_key, draft))
        return entry if isinstance(entry, dict) and entry.get("marker") else None

    def begin(self, blog_key: str, draft: Path) -> str:
        """Reuse the draft's pending marker or create and save a new one; returns it."""
        entry = self.get(blog_key, draft)
        if entry:
            return str(entry["marker"])
        marker = uuid.uuid4().hex
        data = self._load()
        data[self._key(blog_key, draft)] = {
            "marker": marker,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._save(data)
        return marker

    def sending(self, blog_key: str, draft: Path) -> float:
        """Note that a create request goes out now (before sending it); returns the time."""
        now = time.time()
        self._update(blog_key, draft, sent=now)
        return now

    def settled(self, blog_key: str, draft: Path) -> None:
        """The last create request certainly created nothing (refused, rejected)."""
        self._update(blog_key, draft, sent=None)

    def _update(self, blog_key: str, draft: Path, **fields: object) -> None:
        data = self._load()
        entry = data.get(self._key(blog_key, draft))
        if isinstance(entry, dict):
            for name, value in fields.items():
                if value is None:
                    entry.pop(name, None)
                else:
                    entry[name] = value
            self._save(data)

    def remember_post(self, blog_key: str, draft: Path, post_id: str) -> None:
        """Note the created post's id, in case writing the draft then fails."""
        self._update(blog_key, draft, post_id=post_id, sent=None)

    def finish(self, blog_key: str, draft: Path) -> None:
        """Forget the entry: the post id is recorded in the draft."""
        data = self._load()
        if data.pop(self._key(blog_key, draft), None) is not None:
            self._save(data)
