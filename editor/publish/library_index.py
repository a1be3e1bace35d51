"""Which draft holds which blog post: found by reading the publish records of the drafts.

The drafts are the only truth, so the index is built by reading the records kept beside them
(editor.core.post_records) and, for drafts from before, their front matter (only the front
matter is parsed). Used by import and sync to match a post on the blog to its draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from editor.core.documents import DocumentError, read_document
from editor.core.drafts import DRAFT_SUFFIX
from editor.core.post import split_front_matter
from editor.core.post_records import load_records
from editor.publish.base import POST

try:  # the C loader is several times faster on thousands of drafts
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Recorded:
    """A draft that records a post of a blog."""

    path: Path
    record: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.record.get("kind") or POST)


def records_of(path: Path, text: str) -> dict[str, dict[str, Any]]:
    """The records of the draft at `path` (with `text`) by blog key: those kept beside it,
    else those an older draft keeps in its front matter."""
    kept = {k: v for k, v in load_records(path).items() if v.get("id")}
    return {**records_in(text), **kept}


def records_in(text: str) -> dict[str, dict[str, Any]]:
    """The `publish:` records of an older draft's text by blog key ({} when it has none)."""
    raw, _body = split_front_matter(text)
    if not raw or "publish" not in raw:
        return {}
    try:
        meta = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError):
        return {}
    records = meta.get("publish") if isinstance(meta, dict) else None
    if not isinstance(records, dict):
        return {}
    return {str(k): v for k, v in records.items() if isinstance(v, dict) and v.get("id")}


class DraftIndex:
    """(blog key, kind, post id) -> the draft that records it, for one drafts folder."""

    def __init__(self, drafts_dir: Path) -> None:
        self.drafts_dir = drafts_dir
        self._by_post: dict[tuple[str, str, str], Recorded] = {}
        self.scan()

    def scan(self) -> None:
        self._by_post.clear()
        if not self.drafts_dir.is_dir():
            return
        for path in sorted(self.drafts_dir.iterdir()):
            if path.suffix.lower() != DRAFT_SUFFIX or path.name.startswith("."):
                continue
            try:
                text, _fmt = read_document(path)
            except (DocumentError, OSError):
                continue
            self.add(path, text)

    def add(self, path: Path, text: str) -> None:
        """Index (or re-index) one draft from its text."""
        for blog_key, record in records_of(path, text).items():
            item = Recorded(path, record)
            # Two drafts recording one post (a copy): the first by name keeps it.
            self._by_post.setdefault((blog_key, item.kind, str(record["id"])), item)

    def find(self, blog_key: str, post_id: str, kind: str = POST) -> Recorded | None:
        return self._by_post.get((blog_key, kind, post_id))

    def of_blog(self, blog_key: str) -> list[tuple[str, str, Recorded]]:
        """(kind, post id, draft) of every post of one blog that has a draft."""
        return [(k, i, r) for (b, k, i), r in self._by_post.items() if b == blog_key]
