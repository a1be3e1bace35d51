"""Updating the post a draft was published as: the check that nothing is overwritten unseen.

A draft's record (kept beside it, editor.core.post_records) names its post and what the blog
held after the last publish. Before an update the post is fetched: a change made on the blog
since then is a conflict the writer decides, unless it is only labels added there (kept).

When the record is lost, the draft's `published:` line still says where the post is: the post
is looked up by that address and updated instead of making a second copy. Nothing then says
whether it was changed on the blog since, so unless the blog holds exactly what is being sent,
the writer chooses, as for any edit made elsewhere.
"""

from __future__ import annotations

from typing import Any

from editor.core.post import record_address
from editor.publish.accounts import Blog
from editor.publish.base import (
    POST,
    BlogClient,
    PostContent,
    RemotePost,
    changed_there,
    content_digest,
)
from editor.publish.creator import Progress
from editor.publish.errors import ConflictError, NotFoundError, PostGoneError, PostVersion
from editor.publish.records import (
    keep_status,
    only_labels_added,
    strip_markers,
    version_of,
    with_blog_labels,
)


def update_recorded(
    client: BlogClient,
    blog: Blog,
    record: dict[str, object],
    content: PostContent,
    overwrite: bool,
    report: Progress,
    *,
    labels_set: bool = True,
) -> RemotePost:
    post_id = str(record["id"])
    kind = str(record.get("kind") or POST)
    report("Checking the post on the blog…")
    try:
        theirs = client.get_item(blog.remote_id, post_id, kind)
    except NotFoundError as exc:
        raise PostGoneError(
            f"The post was deleted from {blog.name}, so it cannot be updated; publish it as"
            " a new post to put it back."
        ) from exc
    recorded = str(record.get("updated") or "")
    content = with_blog_labels(content, theirs, record, labels_set=labels_set)
    changed = not theirs.has_digest(record.get("digest"))
    if changed and only_labels_added(theirs, record):
        changed = False  # labels added on the blog are kept (above): nothing to choose
    if not (client.capabilities.whole_second_times and record.get("digest")):
        # A modified time that moves in whole seconds (WordPress's) stays the same for an
        # edit made within the second of our publish: there the digest alone decides.
        changed = changed and theirs.updated != recorded
    if changed and not overwrite:
        raise ConflictError(
            ours=PostVersion(content.title, list(content.labels), content.html),
            theirs=version_of(theirs),
            recorded_updated=recorded,
            changed=changed_there(theirs, record),
        )
    report("Updating the post…")
    return keep_status(
        client.update_item(blog.remote_id, post_id, content, base=theirs, kind=kind), theirs
    )


def recovered_record(
    client: BlogClient,
    blog: Blog,
    record: dict[str, Any],
    content: PostContent,
    *,
    overwrite: bool,
) -> dict[str, Any]:
    """The record of the post at the record's address, found on the blog.

    Raises PostGoneError when the blog has no post there, ConflictError when the post there
    differs from `content` (unless `overwrite`). The record returned matches the blog's post
    as it is, so the update that follows goes through.
    """
    address = record_address(record)
    theirs = client.find_by_address(blog.remote_id, address)
    if theirs is None:
        raise PostGoneError(
            f"No post was found at {address} on {blog.name}: it may have been deleted or"
            " moved. Publish it as a new post to put it back, or correct the address in the"
            " draft's “published” line."
        )
    blog_has = content_digest(theirs.title, theirs.labels, strip_markers(theirs.content))
    same = blog_has == content_digest(content.title, content.labels, content.html)
    if not same and not overwrite:
        raise ConflictError(
            ours=PostVersion(content.title, list(content.labels), content.html),
            theirs=version_of(theirs),
            recorded_updated="",
            found_by_address=True,
        )
    found = {**record, "id": theirs.id, "url": theirs.url or record.get("url")}
    found.update(
        updated=theirs.updated,
        status=theirs.status,
        digest=theirs.digest(),
        parts=theirs.parts(),
        labels=list(theirs.labels),
    )
    if theirs.kind != POST:
        found["kind"] = theirs.kind
    return found
