"""Repair a dead image in a published post: upload the writer's local copy, swap the URL.

The writer's copy is looked for in the drafts published as that post (their publish record
names the post id): first the draft's memory of uploads (which file became which URL), then its
assets folder by file name; or the writer points to a file. The post is fetched right before
the update and its `updated` compared with what the scan saw, so an edit made meanwhile (in
Blogger's editor) is never overwritten. A draft that was in step with the post gets the new
`updated` in its publish record, so its next publish is not mistaken for a conflict.
"""

from __future__ import annotations

import contextlib
import hashlib
import html as htmllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from editor.core.drafts import assets_dir_for
from editor.core.post_images import resolve_image
from editor.publish.base import PostContent, RemotePost
from editor.publish.blogger import BloggerClient
from editor.publish.blogger import blog_key as blogger_key
from editor.publish.errors import (
    ConflictError,
    DraftError,
    NotFoundError,
    PostVersion,
    PublishError,
)
from editor.publish.hosts.base import ImageHost, content_key, image_content_type, key_prefix
from editor.publish.hosts.errors import ImageUploadError, MissingImageError
from editor.publish.hosts.uploads_index import file_for_url, remember
from editor.publish.records import keep_status, read_draft, record_of, version_of, write_record


@dataclass(frozen=True)
class RepairResult:
    """The post after the repair, the image's new address and the drafts brought in step."""

    post: RemotePost
    new_url: str
    drafts_updated: list[Path] = field(default_factory=list)


def drafts_of_post(drafts_dir: Path, blog_key: str, post_id: str) -> list[Path]:
    """Drafts whose publish record for `blog_key` is the post `post_id`."""
    found = []
    for path in sorted(drafts_dir.glob("*.md")):
        with contextlib.suppress(PublishError, OSError):
            record = read_draft(path).publish_record(blog_key) or {}
            if str(record.get("id") or "") == post_id:
                found.append(path)
    return found


def find_local_copies(dead_url: str, post_id: str, blog_key: str, drafts_dir: Path) -> list[Path]:
    """Files on disk that are probably the image once at `dead_url`, best guess first."""
    name = unquote(urlsplit(dead_url).path.rsplit("/", 1)[-1])
    found: dict[Path, None] = {}
    for draft in drafts_of_post(drafts_dir, blog_key, post_id):
        remembered = file_for_url(draft, dead_url)
        if remembered:
            found.setdefault(remembered, None)
        if not urlsplit(dead_url).scheme:  # a local path published as is
            local = resolve_image(dead_url, draft.parent)
            if local is not None and local.is_file():
                found.setdefault(local.resolve(), None)
        assets = assets_dir_for(draft)
        if name and assets.is_dir():
            for candidate in sorted(assets.rglob(name)):
                if candidate.is_file():
                    found.setdefault(candidate.resolve(), None)
    return list(found)


def replace_url(content: str, old: str, new: str) -> str:
    """`content` with `old` replaced by `new`, also where it is written HTML-escaped."""
    escaped_old, escaped_new = htmllib.escape(old, quote=True), htmllib.escape(new, quote=True)
    result = content.replace(escaped_old, escaped_new)
    return result.replace(old, new) if old != escaped_old else result


def repair_image(
    client: BloggerClient,
    blog_id: str,
    post_id: str,
    dead_url: str,
    local_file: Path,
    host: ImageHost,
    *,
    expected_updated: str | None = None,
    drafts_dir: Path | None = None,
    today: date | None = None,
) -> RepairResult:
    """Upload `local_file` to `host` and point the post's copies of `dead_url` at it.

    `expected_updated` is the post's `updated` as the scan saw it: when the post changed since,
    ConflictError is raised and nothing is changed on the blog (scan again). Raises
    MissingImageError, ImageUploadError, NotFoundError (the URL is no longer in the post) and
    the blog client's errors.
    """
    try:
        data = local_file.read_bytes()
    except OSError as exc:
        raise MissingImageError(
            f"The image {local_file} could not be read ({exc.strerror or exc})."
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    ctype = image_content_type(local_file.name, data)
    day = today or date.today()
    key = content_key(digest, local_file.name, ctype, key_prefix(host.prefix, day))
    try:
        new_url = host.upload(key, data, ctype)
    except PublishError as exc:
        raise ImageUploadError(local_file.name, host.label, exc) from exc
    post = client.get_post(blog_id, post_id)  # just before the update: the conflict check
    if new_url == dead_url:
        # The host had lost the file under this very name: the upload brought it back, and
        # the post needs no change (so no edit made meanwhile can be overwritten either).
        return RepairResult(post, new_url)
    if expected_updated is not None and post.updated != expected_updated:
        raise ConflictError(
            ours=PostVersion(
                post.title, list(post.labels), replace_url(post.content, dead_url, new_url)
            ),
            theirs=version_of(post),
            recorded_updated=expected_updated,
        )
    content = replace_url(post.content, dead_url, new_url)
    if content == post.content:
        raise NotFoundError(
            f"The post “{post.title}” no longer shows {dead_url}; scan the blog again."
        )
    updated = keep_status(
        client.update_post(
            blog_id, post_id, PostContent(post.title, content, list(post.labels)), base=post
        ),
        post,
    )
    entry: dict[str, object] = {
        "url": new_url,
        "key": key,
        "file": str(local_file),
        "uploaded": day.isoformat(),
    }
    synced = _sync_drafts(drafts_dir, blogger_key(blog_id), post, updated, host, {digest: entry})
    return RepairResult(updated, new_url, synced)


def _sync_drafts(
    drafts_dir: Path | None,
    blog_key: str,
    before: RemotePost,
    after: RemotePost,
    host: ImageHost,
    entries: dict[str, dict[str, object]],
) -> list[Path]:
    if drafts_dir is None:
        return []
    synced = []
    for draft in drafts_of_post(drafts_dir, blog_key, before.id):
        with contextlib.suppress(OSError):  # only a cache: the next publish re-checks the host
            remember(draft, host.host_id, entries)
        record = read_draft(draft).publish_record(blog_key) or {}
        if record.get("updated") != before.updated:
            continue  # not in step before: its next publish must still see the conflict
        try:
            write_record(draft, blog_key, record_of(after))
        except DraftError:
            continue
        synced.append(draft)
    return synced
