"""The draft side of publishing: read a draft, write its publish record back, take theirs.

Only the front matter ever changes; the body is written back byte for byte (BOM and line
endings kept by editor.core.documents), and that is checked before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from editor.core.atomic import WriteError
from editor.core.documents import DocumentError, read_document, write_document
from editor.core.post import FrontMatterError, Post, parse_post, serialize_post
from editor.core.post_records import load_records, read_post, store_records
from editor.core.textfile import TextFormat
from editor.publish.base import PostContent, RemotePost, content_digest, digest_matches
from editor.publish.errors import ConflictError, DraftError, PostVersion

_MARKER = re.compile(r"<!--broadsheet:[0-9a-f]{32}-->")


def read_draft(path: Path) -> Post:
    """Parse the draft at `path` with the records kept beside it, or raise DraftError with one
    sentence."""
    try:
        post = read_post(path)
    except DocumentError as exc:
        raise DraftError(str(exc)) from exc
    return _publishable(post)


def parse_draft(text: str, name: str) -> Post:
    """Parse a draft's text, or raise DraftError when its front matter cannot be published."""
    return _publishable(parse_post(text, name))


def _publishable(post: Post) -> Post:
    try:
        post.require_editable_meta()
    except FrontMatterError as exc:
        raise DraftError(str(exc)) from exc
    return post


def record_of(remote: RemotePost) -> dict[str, Any]:
    """What the draft's front matter remembers of a published post."""
    return {
        "id": remote.id,
        "url": remote.url,
        "updated": remote.updated,
        "status": remote.status,
        # Lets a later conflict check tell an edit on the blog from a mere status/date change.
        "digest": remote.digest(),
        "parts": remote.parts(),  # says later which field changed on the blog
    }


def keep_record(
    path: Path, post: Post, blog_key: str, record: dict[str, Any], *, write_back: bool
) -> str | None:
    """Save a publish record beside the draft (with the records an older draft kept in its
    front matter), then, with `write_back`, the post's address and status into the draft.

    Raises DraftError when the record cannot be saved; returns a warning when only the front
    matter could not be updated (the record beside the draft is what publishing needs).
    """
    problem = None
    if write_back:
        try:
            write_record(path, blog_key, record)  # the record beside the draft, then its line
            return None
        except DraftError as exc:
            problem = exc.message  # the record may be kept all the same: try that alone
    others = {k: v for k, v in post.legacy_records().items() if k not in post.records}
    try:
        store_records(path, {**others, blog_key: record})
    except WriteError as exc:
        raise DraftError(str(exc)) from exc
    if problem is None:
        return None
    return (
        f"The post is published, but the draft's “published” line could not be updated: {problem}"
    )


def write_record(path: Path, blog_key: str, record: dict[str, Any]) -> None:
    """Keep `record` beside the draft and its address in the `published:` line, body unchanged
    (an old `publish:` block in the front matter moves beside the draft).

    The file is read again right before writing so that a save made meanwhile (by the editor
    window) is kept rather than overwritten with the text read when publishing began.
    """
    try:
        text, fmt = read_document(path)
        post = parse_post(text, path.name)
        post.records = load_records(path)
        # (store_records keeps what is beside the draft already: only the new ones are given)
        others = {k: v for k, v in post.legacy_records().items() if k not in post.records}
        store_records(path, {**others, blog_key: record})
        post.record_publish(blog_key, record)
        new_text = serialize_post(post)
        if parse_post(new_text, path.name).body != post.body:
            raise DraftError(
                f"Saving the post id would have changed the text of {path.name}; nothing was"
                " written."
            )
        write_document(path, new_text, fmt)
    except (DocumentError, FrontMatterError, WriteError) as exc:
        raise DraftError(str(exc)) from exc


def with_blog_labels(
    content: PostContent, theirs: RemotePost, record: dict[str, Any], *, labels_set: bool
) -> PostContent:
    """`content` with the labels added on the blog since the last publish or import.

    Publishing never drops a label the post has on the blog unless the writer removed it here:
    a label he removed was in the record (what the blog had then); one added on the blog was
    not. A draft without any `labels` line keeps the blog's labels (an old record has no list).
    """
    recorded = record.get("labels")
    if not isinstance(recorded, list):
        if labels_set or not theirs.labels:
            return content
        return replace(content, labels=list(theirs.labels))
    added = [x for x in theirs.labels if x not in recorded and x not in content.labels]
    return replace(content, labels=[*content.labels, *added]) if added else content


def only_labels_added(theirs: RemotePost, record: dict[str, Any]) -> bool:
    """True when the blog's only change since the record is labels added there."""
    recorded = record.get("labels")
    if not isinstance(recorded, list) or not set(recorded) <= set(theirs.labels):
        return False
    return digest_matches(theirs.title, list(recorded), theirs.content, record.get("digest"))


def strip_markers(html: str) -> str:
    """HTML without Broadsheet's insert markers."""
    return _MARKER.sub("", html)


def take_theirs(path: Path, conflict: ConflictError, blog_key: str) -> Path:
    """Save the blog's version as a new draft next to `path`; returns the new file.

    The new draft carries the publish record of the blog's version, so publishing it updates
    the same post without a conflict. Its body is the blog's HTML (Markdown allows raw HTML).
    """
    theirs = conflict.theirs
    try:
        _text, fmt = read_document(path)
    except DocumentError:
        fmt = TextFormat()
    post = Post(meta={"title": theirs.title}, body=strip_markers(theirs.content).strip() + "\n")
    if theirs.labels:
        post.meta["labels"] = list(theirs.labels)
    post.set_publish_record(
        blog_key,
        {
            "id": theirs.id,
            "url": theirs.url,
            "updated": theirs.updated,
            "status": theirs.status,
            "digest": content_digest(theirs.title, theirs.labels, theirs.content),
        },
    )
    target = _free_name(path)
    try:
        write_document(target, serialize_post(post), fmt)
        store_records(target, post.records)
    except WriteError as exc:
        raise DraftError(str(exc)) from exc
    return target


def _free_name(path: Path) -> Path:
    suffix = path.suffix or ".md"
    candidate = path.with_name(f"{path.stem}.theirs{suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.theirs-{n}{suffix}")
        n += 1
    return candidate


def keep_status(remote: RemotePost, before: RemotePost) -> RemotePost:
    """`remote`, with the status of `before` when the answer did not say (non-admin views)."""
    return remote if remote.status else replace(remote, status=before.status)


def version_of(remote: RemotePost) -> PostVersion:
    """A RemotePost as one side of a conflict."""
    return PostVersion(
        title=remote.title,
        labels=list(remote.labels),
        content=remote.content,
        updated=remote.updated,
        status=remote.status,
        url=remote.url,
        id=remote.id,
        published=remote.published,
    )
