"""What Broadsheet remembers about each blog's posts between imports and syncs.

The drafts are the truth; this is bookkeeping beside them, under `data/blogs/<blog>/`:
- `sync.json`: when the blog was last checked, where an interrupted import stopped, and marks
  for posts whose draft needs the writer (changed on the blog *and* here, deleted on the blog);
- `theirs/<post id>.md`: the blog's version of a post in conflict, as a complete draft, until the
  writer chooses.
Losing this folder loses no words: the next sync finds the same things again.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from editor.core.atomic import atomic_write_bytes
from editor.core.paths import AppPaths
from editor.core.post import Post, draft_fingerprint

CONFLICT = "conflict"  # changed on the blog and here: the writer chooses
DELETED = "deleted"  # deleted on the blog; the draft stays


@dataclass(frozen=True)
class Mark:
    """A post whose draft needs the writer's attention."""

    state: str  # CONFLICT or DELETED
    path: str  # the draft, as last seen
    title: str = ""
    updated: str = ""  # the blog's `updated` of the version in theirs/


_MARK_FIELDS = ("state", "path", "title", "updated")


@dataclass
class BlogState:
    """The bookkeeping of one blog (see the module docstring)."""

    last_sync: str = ""  # ISO time of the last finished check of the whole blog
    resume_kind: str = ""  # an import in progress: the kind ("post"/"page") being listed …
    resume_token: str = ""  # … and the token of the next page to list
    importing: bool = False
    marks: dict[str, Mark] = field(default_factory=dict)  # post id -> mark

    def checked_within(self, seconds: float, now: datetime | None = None) -> bool:
        """True when the whole blog was checked less than `seconds` ago."""
        if not self.last_sync:
            return False
        try:
            when = datetime.fromisoformat(self.last_sync)
        except ValueError:
            return False
        return ((now or datetime.now(UTC)) - when).total_seconds() < seconds


def blog_folder_name(blog_key: str) -> str:
    """A file-system-safe folder name for a blog key ("blogger:7001" -> "blogger_7001")."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", blog_key).strip("._") or "blog"


class BlogStates:
    """Reads and writes `data/blogs/<blog>/` (every write atomic)."""

    def __init__(self, paths: AppPaths) -> None:
        self.root = paths.data_dir / "blogs"

    @classmethod
    def at(cls, root: Path) -> BlogStates:
        """The states kept in `root` (the data folder's `blogs`)."""
        states = cls.__new__(cls)
        states.root = root
        return states

    def folder(self, blog_key: str) -> Path:
        return self.root / blog_folder_name(blog_key)

    def load(self, blog_key: str) -> BlogState:
        """The blog's state; empty when missing or unreadable (a sync rebuilds it)."""
        try:
            data = json.loads((self.folder(blog_key) / "sync.json").read_text("utf-8"))
            marks = {
                str(k): Mark(**{f: str(v.get(f, "")) for f in _MARK_FIELDS})
                for k, v in (data.get("marks") or {}).items()
                if isinstance(v, dict)
            }
            return BlogState(
                last_sync=str(data.get("last_sync") or ""),
                resume_kind=str(data.get("resume_kind") or ""),
                resume_token=str(data.get("resume_token") or ""),
                importing=bool(data.get("importing")),
                marks=marks,
            )
        except (OSError, ValueError, TypeError, AttributeError):
            return BlogState()

    def save(self, blog_key: str, state: BlogState) -> None:
        folder = self.folder(blog_key)
        folder.mkdir(parents=True, exist_ok=True)
        data: dict[str, Any] = asdict(state)
        atomic_write_bytes(
            folder / "sync.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        )

    def theirs_file(self, blog_key: str, post_id: str) -> Path:
        """Where the blog's version of a post in conflict is kept."""
        return self.folder(blog_key) / "theirs" / f"{re.sub(r'[^0-9A-Za-z_-]', '_', post_id)}.md"

    def keep_theirs(self, blog_key: str, post_id: str, text: str) -> Path:
        target = self.theirs_file(blog_key, post_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, text.encode("utf-8"))
        return target

    def all_marks(self) -> dict[tuple[str, str], Mark]:
        """Every blog's marks by (blog folder name, post id): what the drafts library shows."""
        found: dict[tuple[str, str], Mark] = {}
        if not self.root.is_dir():
            return found
        for folder in self.root.iterdir():
            if (folder / "sync.json").is_file():
                state = self.load(folder.name)  # a folder name is its own safe name
                for post_id, mark in state.marks.items():
                    found[(folder.name, post_id)] = mark
        return found

    def forget(self, blog_key: str, post_ids: set[str]) -> None:
        """Drop the marks (and kept versions) of posts just published: they are settled."""
        if not (self.folder(blog_key) / "sync.json").is_file():
            return
        state = self.load(blog_key)
        gone = [i for i in post_ids if state.marks.pop(i, None) is not None]
        if gone:
            self.save(blog_key, state)
            for post_id in gone:
                self.theirs_file(blog_key, post_id).unlink(missing_ok=True)


# What the drafts library says about a draft's post (empty: a draft only on this computer).
LIVE_STATE = "published"
SCHEDULED_STATE = "scheduled"
BLOG_DRAFT_STATE = "draft on the blog"
EDITED_STATE = "changed here since publishing"
CONFLICT_STATE = "changed on the blog and here"
DELETED_STATE = "deleted on the blog"
_STATES = {"LIVE": LIVE_STATE, "SCHEDULED": SCHEDULED_STATE, "DRAFT": BLOG_DRAFT_STATE}


def draft_state(post: Post, marks: dict[tuple[str, str], Mark]) -> str:
    """Where the draft's post stands: published, scheduled, a draft on the blog, changed here
    since publishing, changed on the blog (waiting for a choice) or deleted there."""
    if post.front_matter_error:
        return ""
    return records_state(post.known_records(), draft_fingerprint(post), marks)


def records_state(
    records: dict[str, dict[str, Any]], fingerprint: str, marks: dict[tuple[str, str], Mark]
) -> str:
    """`draft_state` from a draft's records and fingerprint (what the library index keeps)."""
    states = []
    for key, record in records.items():
        if not record.get("id"):
            continue
        mark = marks.get((blog_folder_name(str(key)), str(record["id"])))
        if mark is not None:
            return CONFLICT_STATE if mark.state == CONFLICT else DELETED_STATE
        recorded = record.get("draft")
        if recorded and recorded != fingerprint:
            states.append(EDITED_STATE)
        else:
            states.append(_STATES.get(str(record.get("status") or "").upper(), LIVE_STATE))
    return states[0] if states else ""
