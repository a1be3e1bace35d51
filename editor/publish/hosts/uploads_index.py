"""A draft's memory of its uploaded images: `<stem>.assets/uploads.json`.

Why a file in the assets folder rather than the front matter: it moves and goes to the trash
with the draft (DraftStore moves the folder along), it never touches the text the writer edits
(no race with autosave, no noise in the front matter, the draft's bytes stay exactly as they
were), and it can be saved as soon as uploads succeed, even when the blog then fails, so the
next attempt uploads nothing again.

Shape: {"version": 1, "hosts": {host_id: {sha256: {"url", "key", "file", "uploaded"}}}}.
Keyed by content hash, so one image used twice (or renamed) is one entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from editor.core.atomic import WriteError, atomic_write_bytes
from editor.core.drafts import assets_dir_for
from editor.core.kept_json import read_kept_table

FILE_NAME = "uploads.json"
VERSION = 1

Entries = dict[str, dict[str, Any]]  # sha256 -> {"url", "key", "file", "uploaded"}


def index_path(draft: Path) -> Path:
    """Where the memory of `draft`'s uploads is kept."""
    return assets_dir_for(draft) / FILE_NAME


def load_index(draft: Path) -> dict[str, Entries]:
    """host_id -> entries; empty when there is no (readable) memory yet."""
    hosts = read_kept_table(index_path(draft), "hosts")
    return {
        str(h): {str(sha): dict(e) for sha, e in entries.items() if isinstance(e, dict)}
        for h, entries in hosts.items()
        if isinstance(entries, dict)
    }


def remember(draft: Path, host_id: str, entries: Entries) -> None:
    """Add `entries` for `host_id` to the draft's memory (re-read first, written atomically).

    Raises WriteError when the folder cannot be created or written.
    """
    if not entries:
        return
    path = index_path(draft)
    index = load_index(draft)
    index.setdefault(host_id, {}).update(entries)
    data = {"version": VERSION, "hosts": index}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(path, exc.strerror or str(exc), exc.errno) from exc
    atomic_write_bytes(
        path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    )


def file_for_url(draft: Path, url: str) -> Path | None:
    """The local file that was uploaded as `url` (from any host), if remembered and present."""
    for entries in load_index(draft).values():
        for entry in entries.values():
            if entry.get("url") == url and entry.get("file"):
                candidate = (draft.parent / str(entry["file"])).resolve()
                if candidate.is_file():
                    return candidate
    return None
