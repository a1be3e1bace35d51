"""A post changed on the blog *and* in its draft: show both, let the writer choose.

Sync keeps the blog's version aside (core/blog_state.py); choosing puts one version in the draft
and the other in the draft's history, so neither is lost. No Qt, no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.core.atomic import WriteError
from editor.core.blog_state import CONFLICT, BlogStates
from editor.core.checked_save import save_checked
from editor.core.documents import (
    DocumentError,
    content_hash,
    decode_or_explain,
    encode_for,
    read_document_bytes,
)
from editor.core.history import HistoryStore
from editor.core.paths import AppPaths
from editor.core.post import LEGACY_RECORDS_KEY, PUBLISHED_KEY, parse_post, serialize_post
from editor.core.post_records import load_records, records_moved_out, store_records
from editor.core.textfile import TextFormat
from editor.publish.errors import DraftError

# History reasons: the blog's version kept when the writer keeps his; his kept when he takes it.
BLOG_VERSION = "blog"
REPLACED_BY_BLOG = "sync"


@dataclass(frozen=True)
class SyncConflict:
    """One post in conflict: the draft, and the blog's version of it kept aside."""

    blog_folder: str
    post_id: str
    path: Path  # the draft
    title: str
    theirs_path: Path

    def mine(self) -> str:
        """The draft's text as it is now."""
        return _read(self.path)[1]

    def theirs(self) -> str:
        """The blog's version, as a complete draft."""
        return _read(self.theirs_path)[1]


def conflicts(paths: AppPaths) -> list[SyncConflict]:
    """Every post waiting for the writer's choice, across blogs."""
    states = BlogStates(paths)
    found = []
    for (folder, post_id), mark in sorted(states.all_marks().items()):
        if mark.state != CONFLICT:
            continue
        theirs = states.theirs_file(folder, post_id)
        if theirs.is_file() and Path(mark.path).is_file():
            found.append(SyncConflict(folder, post_id, Path(mark.path), mark.title, theirs))
    return found


def conflict_for(paths: AppPaths, draft: Path) -> SyncConflict | None:
    """The conflict of one draft, if it has one."""
    wanted = draft.absolute()
    return next((c for c in conflicts(paths) if c.path.absolute() == wanted), None)


def keep_mine(paths: AppPaths, conflict: SyncConflict) -> None:
    """Keep the draft's words; the blog's version goes into the draft's history. The draft's
    publish record moves to the blog's version, so the next publish replaces it on purpose."""
    data, text, fmt = _read(conflict.path)
    their_text = conflict.theirs()
    post = parse_post(text, conflict.path.name)
    post.records = load_records(conflict.path)
    key = _record_key(post.known_records(), conflict)
    their_record = parse_post(their_text).publish_record(key) if key else None
    HistoryStore(paths.data_dir / "history").take(conflict.path, their_text, BLOG_VERSION)
    if key and their_record and not post.front_matter_error:
        # What the blog holds now, all of it; what the draft says of its own words stays.
        blog_now = {k: v for k, v in their_record.items() if k != "draft"}
        post.set_publish_record(key, {**(post.publish_record(key) or {}), **blog_now})
        new_text = serialize_post(post)
        if new_text != text:
            _replace(conflict.path, data, encode_for(conflict.path, new_text, fmt))
        _keep(conflict.path, post.records)
    BlogStates(paths).forget(conflict.blog_folder, {conflict.post_id})


def take_theirs(paths: AppPaths, conflict: SyncConflict) -> None:
    """Put the blog's version in the draft; the draft's words go into its history."""
    data, text, fmt = _read(conflict.path)
    HistoryStore(paths.data_dir / "history").take(conflict.path, text, REPLACED_BY_BLOG)
    # The kept copy holds its record in its front matter: the draft keeps it beside it.
    their_text, records = records_moved_out(conflict.theirs(), conflict.path.name)
    _replace(conflict.path, data, encode_for(conflict.path, their_text, fmt))
    _keep(conflict.path, records)
    BlogStates(paths).forget(conflict.blog_folder, {conflict.post_id})


def _record_key(records: object, conflict: SyncConflict) -> str | None:
    """The blog key whose record holds the post (the folder name is the key made safe)."""
    if not isinstance(records, dict):
        return None
    for key, record in records.items():
        if isinstance(record, dict) and str(record.get("id")) == conflict.post_id:
            return str(key)
    return None


def _keep(path: Path, records: dict[str, dict[str, Any]]) -> None:
    try:
        store_records(path, records)
    except WriteError as exc:
        raise DraftError(str(exc)) from exc


def _read(path: Path) -> tuple[bytes, str, TextFormat]:
    try:
        data = read_document_bytes(path)
        text, fmt = decode_or_explain(path, data)
    except DocumentError as exc:
        raise DraftError(str(exc)) from exc
    return data, text, fmt


def _replace(path: Path, old: bytes, new: bytes) -> None:
    if save_checked(path, new, {content_hash(old)}).digest is None:
        raise DraftError(
            f"{path.name} changed while you were choosing; nothing was replaced. Look again."
        )


def writer_view(text: str) -> str:
    """A draft as the writer compares it: without the publish records and addresses
    (bookkeeping that differs between the two versions by design)."""
    post = parse_post(text)
    kept = {LEGACY_RECORDS_KEY, PUBLISHED_KEY}
    if post.front_matter_error or not kept & set(post.meta):
        return text
    post.meta = {k: v for k, v in post.meta.items() if k not in kept}
    return serialize_post(post)
