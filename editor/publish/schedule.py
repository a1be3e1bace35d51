"""Moving and cancelling a scheduled post, from the draft it was published from.

A post is scheduled in one of two places: on its blog (Blogger, WordPress, Ghost keep the time
and publish then; the draft's record says SCHEDULED), or, where the blog cannot schedule
(Micropub, MetaWeblog), in Broadsheet's own queue, which publishes it when its time comes.
Moving changes that time, cancelling takes the post back: on the blog it stays as a draft, a
queued one is taken out of the queue.

What is on the blog is checked first: a post edited there since the last publish, already
live, or back to a draft there is refused with one sentence (nothing is sent). Times keep the
writer's zone (an IANA name, kept in the record as `zone`); each client sends them in UTC as
its API wants.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from editor.core.documents import DocumentError, read_document, write_document
from editor.core.local_zone import system_zone_id
from editor.core.post import FrontMatterError, Post, parse_post, serialize_post
from editor.core.post_fields import SCHEDULED as SCHEDULED_KEY
from editor.core.post_fields import with_field
from editor.publish.accounts import Blog
from editor.publish.base import DRAFT, LIVE, POST, SCHEDULED, BlogClient, RemotePost
from editor.publish.errors import (
    ChangedThereError,
    ConfigError,
    DraftError,
    LeftAsDraftError,
    NotFoundError,
    PostGoneError,
)
from editor.publish.queue import PublishQueue, Queued, due_note
from editor.publish.records import keep_record, read_draft, record_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from editor.publish.service import PublishService

# The record's keys for the time a post goes live and the writer's zone then.
TIME_KEY = "scheduled"
ZONE_KEY = "zone"


@dataclass(frozen=True)
class ScheduleChange:
    """What moving or cancelling a schedule did."""

    blog_key: str
    blog_name: str
    at: datetime | None  # the new time, in the writer's zone; None: the schedule was cancelled
    zone: str  # the zone's IANA name ("" when not known)
    status: str  # the post on the blog now: SCHEDULED, DRAFT (or, for a queued post, "")
    queued: bool  # Broadsheet's queue holds the post (its blog cannot schedule)
    message: str  # one sentence for the writer
    record: dict[str, Any] = field(default_factory=dict)  # the draft's record now (on the blog)


def writer_time(at: datetime) -> tuple[datetime, str]:
    """`at` in the writer's zone, with the zone's IANA name ("" when none is known).

    A time without a zone is the writer's wall-clock time (daylight saving as it will be on
    that day); a time in a named zone keeps it; one with a bare offset is shown in the
    computer's zone when that zone has this offset at that moment.
    """
    name = getattr(at.tzinfo, "key", "")
    if name:
        return at, str(name)
    local = system_zone_id()
    zone = None
    if local:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(local)
    if at.tzinfo is None:
        return (at.replace(tzinfo=zone), local) if zone else (at.astimezone(), "")
    if zone is not None and at.astimezone(zone).utcoffset() == at.utcoffset():
        return at.astimezone(zone), local
    return at, ""


def describe(at: datetime, zone: str = "") -> str:
    """A time as the writer reads it: "25 October 2026 at 10:00 (Europe/Berlin, UTC+01:00)"."""
    offset = at.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    where = ", ".join(part for part in (zone, offset) if part)
    return f"{at.day} {at:%B %Y at %H:%M}" + (f" ({where})" if where else "")


def change_schedule(
    service: PublishService,
    path: Path | str,
    at: datetime | None,
    blog: str | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    write_back: bool = True,
    now: datetime | None = None,
) -> ScheduleChange:
    """Move the scheduled post of the draft at `path` to `at`, or cancel its schedule (`at` is
    None). `blog` (key, id, name or URL) says which blog when the draft is scheduled on
    several. With `write_back` the draft's `status:`, `scheduled:` and `published:` lines follow;
    without, the caller puts `schedule_text` into the text it holds. Raises PublishError
    subclasses, each one sentence."""
    report = progress or (lambda _text: None)
    path = Path(path)
    zone = ""
    if at is not None:
        at, zone = writer_time(at)
        if at <= (now or datetime.now(UTC)):
            raise ConfigError(f"{describe(at, zone)} is in the past; choose a later time.")
    post = read_draft(path)
    queue = PublishQueue(service.paths)
    waiting = queue.waiting_for_time(path)
    target = _scheduled_blog(service, path, post.known_records(), waiting, blog)
    if target.key in waiting:
        change = _change_queued(queue, waiting[target.key], target, path, at, zone)
    else:
        record = post.publish_record(target.key) or {}
        if str(record.get("status") or "").upper() != SCHEDULED or not record.get("id"):
            raise ConfigError(f"{path.name} is not scheduled on {target.name}.")
        client = service.client_for(target)
        try:
            remote = _change_on_blog(client, target, record, at, report)
        except LeftAsDraftError as exc:  # a draft on the blog now: the record says so
            _keep_draft(exc, client, target, path, post, record, write_back)
            raise
        kept = _record_after(client, target, record, remote, at, zone)
        report("Saving the new schedule beside the draft…")
        try:
            keep_record(path, post, target.key, kept, write_back=write_back)
        except DraftError as exc:
            raise DraftError(
                f"The schedule was changed on {target.name}, but it could not be saved beside"
                f" the draft: {exc.message}"
            ) from exc
        change = ScheduleChange(
            target.key,
            target.name,
            at if remote.status == SCHEDULED else None,
            zone,
            remote.status,
            False,
            _said(target, remote, at, zone),
            kept,
        )
    if write_back:
        _write_scheduled_line(path, change.at)
    return change


def schedule_text(text: str, change: ScheduleChange) -> str:
    """The draft's text with a schedule change: its record's `published:` and `status:` lines
    (a post on the blog), and its `scheduled:` line. Raises FrontMatterError when the front
    matter cannot be rewritten."""
    if change.record:
        post = parse_post(text)
        post.require_editable_meta()
        post.record_publish(change.blog_key, dict(change.record))
        text = serialize_post(post)
    return with_field(text, SCHEDULED_KEY, change.at)


def _scheduled_blog(
    service: PublishService,
    path: Path,
    records: dict[str, dict[str, Any]],
    waiting: dict[str, Queued],
    wanted: str | None,
) -> Blog:
    config = service.accounts()
    if wanted:
        return config.find_blog(wanted)
    keys = [
        key
        for key, record in records.items()
        if str(record.get("status") or "").upper() == SCHEDULED and record.get("id")
    ]
    keys += [key for key in waiting if key not in keys]
    known = [key for key in keys if key in config.blogs]
    if not known:
        raise ConfigError(f"{path.name} is not scheduled on any of your blogs.")
    if len(known) > 1:
        names = ", ".join(config.blogs[key].name for key in known)
        raise ConfigError(f"{path.name} is scheduled on several blogs ({names}); say which one.")
    return config.blogs[known[0]]


def _change_queued(
    queue: PublishQueue,
    queued: Queued,
    target: Blog,
    path: Path,
    at: datetime | None,
    zone: str,
) -> ScheduleChange:
    if at is None:
        queue.cancel(queued.id)
        said = f"Cancelled: Broadsheet will not publish {path.name} to {target.name}."
        return ScheduleChange(target.key, target.name, None, zone, "", True, said)
    if queue.move(queued.id, at, due_note(target.name, at)) is None:
        raise ConfigError(f"{path.name} is no longer waiting to be published to {target.name}.")
    said = (
        f"Moved: Broadsheet publishes it to {target.name} on {describe(at, zone)}, if this"
        " computer is on then, with Broadsheet running."
    )
    return ScheduleChange(target.key, target.name, at, zone, "", True, said)


def _change_on_blog(
    client: BlogClient,
    target: Blog,
    record: dict[str, Any],
    at: datetime | None,
    report: Callable[[str], None],
) -> RemotePost:
    post_id, kind = str(record["id"]), str(record.get("kind") or POST)
    report("Checking the post on the blog…")
    try:
        theirs = client.get_item(target.remote_id, post_id, kind)
    except NotFoundError as exc:
        raise PostGoneError(
            f"The post was deleted from {target.name}, so it has no schedule to change."
        ) from exc
    if theirs.status == LIVE:
        raise ConfigError(
            f"The post is already live on {target.name}, so it has no schedule to change."
        )
    if theirs.status != SCHEDULED:
        raise ConfigError(
            f"The post is a draft on {target.name} now: its schedule was cancelled there."
        )
    changed = not theirs.has_digest(record.get("digest"))
    if not (client.capabilities.whole_second_times and record.get("digest")):
        changed = changed and theirs.updated != str(record.get("updated") or "")
    if changed:
        raise ChangedThereError(
            f"The post was changed on {target.name} since you last published it; publish the"
            " draft first to settle that, then change its schedule."
        )
    if at is None:
        report("Cancelling the schedule…")
        return client.unschedule_post(target.remote_id, post_id, base=theirs, kind=kind)
    report("Moving the schedule…")
    return client.reschedule_post(target.remote_id, post_id, at, base=theirs, kind=kind)


def _record_after(
    client: BlogClient,
    target: Blog,
    record: dict[str, Any],
    remote: RemotePost,
    at: datetime | None,
    zone: str,
) -> dict[str, Any]:
    """The record after the change: the post as the blog has it now, the rest as it was."""
    kept = {**record, **record_of(remote)}
    kept.pop(TIME_KEY, None)
    kept.pop(ZONE_KEY, None)
    if at is not None and remote.status == SCHEDULED:
        kept[TIME_KEY] = at.isoformat()
        if zone:
            kept[ZONE_KEY] = zone
    kept.pop("edit_url", None)
    if not remote.url:  # a draft on the blog: its address is where the blog edits it
        kept["edit_url"] = client.edit_address(
            target.remote_id, remote.id, str(record.get("kind") or POST)
        )
    return kept


def _keep_draft(
    exc: LeftAsDraftError,
    client: BlogClient,
    target: Blog,
    path: Path,
    post: Post,
    record: dict[str, Any],
    write_back: bool,
) -> None:
    """A move that stopped halfway left the post a draft on the blog: the record (and with
    `write_back` the draft's `status:` and `scheduled:` lines) says so, so publishing it
    again schedules it anew and the next move is not refused over a record that lies."""
    if not isinstance(exc.draft, RemotePost):
        return
    exc.blog_key = target.key
    exc.record = _record_after(client, target, record, exc.draft, None, "")
    try:
        keep_record(path, post, target.key, exc.record, write_back=write_back)
        if write_back:
            _write_scheduled_line(path, None)
    except DraftError as problem:
        exc.message += f" (The draft could not be updated: {problem.message})"
        exc.args = (exc.message,)


def _said(target: Blog, remote: RemotePost, at: datetime | None, zone: str) -> str:
    if remote.status == SCHEDULED and at is not None:
        return f"Moved: the post goes live on {target.name} on {describe(at, zone)}."
    if remote.status == DRAFT:
        return f"Cancelled: the post stays on {target.name} as a draft."
    return f"The post is now {remote.status.lower() or 'changed'} on {target.name}."


def _write_scheduled_line(path: Path, at: datetime | None) -> None:
    """The draft's `scheduled:` line says the new time (or goes); the body is not touched."""
    try:
        text, fmt = read_document(path)
        new_text = with_field(text, SCHEDULED_KEY, at)
        if new_text != text:
            write_document(path, new_text, fmt)
    except (DocumentError, FrontMatterError, OSError) as exc:
        raise DraftError(
            f"The schedule was changed, but the draft's “scheduled” line could not be updated:"
            f" {exc}"
        ) from exc
