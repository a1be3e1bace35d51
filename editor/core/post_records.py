"""What Broadsheet remembers of a draft's posts on blogs, kept beside the draft.

The writer's front matter says only where the post is, one line per blog:

    published:
      blogger:7001: https://example.blogspot.com/2026/11/harbour.html

The bookkeeping (post id, the blog's last update, digests, the labels the blog had, media
uploaded) lives in `<stem>.assets/publish.json`, next to `uploads.json`: it moves and goes to
the trash with the draft (DraftStore moves the folder), and a writer never edits it by accident.
Drafts written before kept it all in the front matter under `publish:`; those records are still
read (`Post.known_records`) and move here on the draft's next publish.

If this file is lost, the `published:` line is enough to find the post by its address, so
publishing never makes a second copy.

Shape: {"version": 1, "blogs": {blog_key: {"id", "url", "updated", "status", "digest", …}}}.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from editor.core.assets_dir import assets_dir_for
from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.documents import read_document
from editor.core.kept_json import read_kept_table
from editor.core.post import LEGACY_RECORDS_KEY, Post, parse_post, serialize_post

FILE_NAME = "publish.json"
VERSION = 1

Records = dict[str, dict[str, Any]]  # blog key -> record


def records_path(draft: Path) -> Path:
    """Where the publish records of `draft` are kept."""
    return assets_dir_for(draft) / FILE_NAME


def load_records(draft: Path) -> Records:
    """The records kept beside `draft` by blog key; empty when there are none (or unreadable:
    then the `published:` lines of the draft find its posts by their addresses)."""
    blogs = read_kept_table(records_path(draft), "blogs")
    return {str(k): dict(v) for k, v in blogs.items() if isinstance(v, dict)}


def store_records(draft: Path, records: Records) -> None:
    """Add (or replace) the records of `records`' blogs beside `draft`, keeping the others.

    The file is read again first and written atomically. Raises WriteError.
    """
    if not records:
        return
    kept = {**load_records(draft), **records}
    data = json.dumps({"version": VERSION, "blogs": kept}, ensure_ascii=False, indent=1)
    path = records_path(draft)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(path, describe_os_error(exc), exc.errno) from exc
    atomic_write_bytes(path, (data + "\n").encode("utf-8"))


def with_records_inside(post: Post) -> str:
    """The draft's text with its records in the front matter (the older `publish:` block): for
    a copy kept outside the drafts folder, with no folder beside it (the blog's version of a
    post in a sync conflict)."""
    meta = {k: v for k, v in post.meta.items() if k != LEGACY_RECORDS_KEY}
    meta[LEGACY_RECORDS_KEY] = {**post.legacy_records(), **post.records}
    return serialize_post(replace(post, meta=meta))


def records_moved_out(text: str, name: str = "") -> tuple[str, Records]:
    """A text whose front matter holds records (an older draft, a kept copy) as a draft is now:
    the `published:` lines in its front matter, and the records to keep beside it."""
    post = parse_post(text, name)
    legacy = post.legacy_records()
    if post.front_matter_error or not legacy:
        return text, {}
    for key, record in legacy.items():
        post.set_publish_record(key, record)
    return serialize_post(post), post.records


def read_post(path: Path) -> Post:
    """The draft at `path` with the records kept beside it (raises DocumentError)."""
    text, _fmt = read_document(path)
    post = parse_post(text, path.name)
    post.records = load_records(path)
    return post
