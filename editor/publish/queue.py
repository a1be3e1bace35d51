"""Posts waiting to be published: what Publish does while the network (or the blog's server)
is down, instead of failing. The queue survives quitting and being killed, is sent in order
when the blog answers again, exactly once (a create that may have landed is found by its
marker, as for any retry), and stops at a conflict to ask the writer.

The queue holds only what to publish where; the text is the draft file's at send time, so
the writer may go on editing a queued draft. Kept in `<state>/publish-queue.json`, written
atomically at every change.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.core.atomic import WriteError, atomic_write_text
from editor.core.paths import AppPaths, app_paths
from editor.publish.base import PublishMode
from editor.publish.errors import (
    ConfigError,
    OfflineError,
    PublishError,
    ServerError,
)
from editor.publish.providers import capabilities_of
from editor.publish.records import read_draft

if TYPE_CHECKING:
    from editor.publish.service import PublishResult, PublishService

log = logging.getLogger(__name__)
# What makes a publish wait instead of failing: the blog could not be reached, or its server
# failed even after the retries. Anything else (a refused sign-in, a conflict, a bad draft)
# needs the writer, now.
WAITS_FOR = (OfflineError, ServerError)


@dataclass(frozen=True)
class Queued:
    """One publish waiting for the blog."""

    id: str
    path: str  # the draft file
    blog: str  # the blog's key
    mode: str  # a PublishMode value
    at: str | None  # when a scheduled post goes live (ISO 8601 with its offset)
    queued: str  # when it was queued (ISO 8601, UTC)
    note: str = ""  # why it waits: the last failure, in one sentence
    # Not before this time (ISO 8601 with its offset): a post scheduled on a blog that cannot
    # schedule is published by Broadsheet when the time comes.
    due: str | None = None

    @property
    def when(self) -> datetime | None:
        return datetime.fromisoformat(self.at) if self.at else None

    def is_due(self, now: datetime) -> bool:
        return self.due is None or datetime.fromisoformat(self.due) <= now


@dataclass
class SendReport:
    """What sending the queue did: what went out, and where and why it stopped."""

    sent: list[tuple[Queued, PublishResult]]
    stopped_at: Queued | None = None
    problem: PublishError | None = None  # the failure that stopped it

    @property
    def waiting_for_network(self) -> bool:
        return isinstance(self.problem, WAITS_FOR)


class PublishQueue:
    """The queue file: read at every call, written atomically at every change."""

    def __init__(self, paths: AppPaths | None = None) -> None:
        self.paths = paths or app_paths()

    @property
    def file(self) -> Path:
        return self.paths.publish_queue_file

    def items(self) -> list[Queued]:
        """The waiting publishes, oldest first."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"The list of posts waiting to be published ({self.file}) cannot be read"
                f" ({exc}); move it away to start a new one."
            ) from exc
        rows = data.get("queue") if isinstance(data, dict) else None
        fields = set(Queued.__dataclass_fields__)
        return [
            Queued(**{k: v for k, v in row.items() if k in fields})
            for row in rows or []
            if isinstance(row, dict) and fields - {"note"} <= set(row)
        ]

    def _write(self, items: list[Queued]) -> None:
        text = json.dumps({"version": 1, "queue": [asdict(q) for q in items]}, indent=1)
        self.paths.state_dir.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_text(self.file, text + "\n")
        except WriteError as exc:
            raise ConfigError(f"The post could not be put in the queue: {exc}.") from exc

    def add(
        self,
        path: Path | str,
        blog: str,
        mode: PublishMode = PublishMode.PUBLISH,
        at: datetime | None = None,
        note: str = "",
        due: datetime | None = None,
    ) -> Queued:
        """Queue a publish of `path` to `blog`; one already waiting for the same draft and blog
        is replaced (it would send the same file) and keeps its place."""
        items = self.items()
        entry = Queued(
            id=uuid.uuid4().hex[:8],
            path=str(Path(path).absolute()),
            blog=blog,
            mode=PublishMode(mode).value,
            at=at.isoformat() if at else None,
            queued=datetime.now(UTC).isoformat(timespec="seconds"),
            note=note,
            due=due.isoformat() if due else None,
        )
        for i, old in enumerate(items):
            if old.path == entry.path and old.blog == blog:
                items[i] = replace(entry, id=old.id, queued=old.queued)
                self._write(items)
                return items[i]
        self._write([*items, entry])
        return entry

    def cancel(self, queued_id: str) -> Queued | None:
        """Take a publish out of the queue (nothing was sent for it); None if not there."""
        items = self.items()
        kept = [q for q in items if q.id != queued_id]
        if len(kept) == len(items):
            return None
        self._write(kept)
        return next(q for q in items if q.id == queued_id)

    def move(self, queued_id: str, due: datetime, note: str) -> Queued | None:
        """Give a publish waiting for its time a new time (it keeps its place); None if it is
        not in the queue."""
        items = self.items()
        if not any(q.id == queued_id for q in items):
            return None
        moved = [
            replace(q, due=due.isoformat(), note=note) if q.id == queued_id else q for q in items
        ]
        self._write(moved)
        return next(q for q in moved if q.id == queued_id)

    def waiting_for_time(self, path: Path | str) -> dict[str, Queued]:
        """The publishes of the draft at `path` waiting for their time, by blog key."""
        wanted = str(Path(path).absolute())
        return {q.blog: q for q in self.items() if q.due and q.path == wanted}

    def next_due(self) -> datetime | None:
        """When the earliest publish waiting for its time is due (for a timer), if any."""
        times = [datetime.fromisoformat(q.due) for q in self.items() if q.due]
        return min(times, default=None)

    def _done(self, queued: Queued) -> None:
        self._write([q for q in self.items() if q.id != queued.id])

    def _note(self, queued: Queued, note: str) -> None:
        self._write([replace(q, note=note) if q.id == queued.id else q for q in self.items()])


def send_queue(
    service: PublishService,
    queue: PublishQueue | None = None,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
    write_back: bool = True,
) -> SendReport:
    """Send the waiting publishes in order. Each one sent leaves the queue at once (a crash
    in between sends it again, and the retry finds the post: no copy). Stops at the first
    that fails: the network still down (the rest keeps waiting), a conflict (the writer
    chooses), or anything else (said in one sentence and kept in its note).

    `write_back=False` leaves the records to the caller, as `PublishService.publish` says (the
    window merges them into a draft it has open, so its own file is not changed under it)."""
    queue = queue or PublishQueue(service.paths)
    report = SendReport(sent=[])
    say = progress or (lambda _text: None)
    now = now or datetime.now(UTC)
    for queued in queue.items():
        if not queued.is_due(now):
            continue  # its time has not come: the ones after it need not wait for it
        say(f"Publishing {Path(queued.path).name}…")
        try:
            result = service.publish(
                queued.path,
                queued.blog,
                mode=PublishMode(queued.mode),
                at=queued.when,
                write_back=write_back,
            )
        except PublishError as exc:
            queue._note(queued, exc.message)
            report.stopped_at, report.problem = queued, exc
            return report
        queue._done(queued)
        report.sent.append((queued, result))
    return report


def publish_or_queue(
    service: PublishService,
    path: Path | str,
    blog: str | None = None,
    *,
    mode: PublishMode = PublishMode.PUBLISH,
    at: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    on_wait: Callable[[PublishError], None] | None = None,
    **options: Any,
) -> PublishResult | Queued:
    """Publish now; when the blog cannot be reached (or its server fails), queue it instead
    and return the queue entry. A conflict or any other refusal is raised as usual.
    `on_wait` hears the failure that queued it (the window words offline and server trouble
    differently); `options` (text, write_back, overwrite, as_new) go to
    `PublishService.publish`; the queue sends the draft file as it is then.

    Scheduling on a blog that cannot schedule (Micropub) queues the post to be published by
    Broadsheet at that time: the entry says the computer must be on then."""
    chosen = None
    if blog is None:  # the post panel's choice, as publish reads it
        chosen = read_draft(Path(path)).meta.get("blog")
    target = service.accounts().find_blog(blog or (chosen if isinstance(chosen, str) else None))
    if mode is PublishMode.SCHEDULE and at is not None and not capabilities_of(target).scheduling:
        note = due_note(target.name, at)
        return PublishQueue(service.paths).add(
            path, target.key, PublishMode.PUBLISH, None, note, at
        )
    try:
        return service.publish(path, target.key, mode=mode, at=at, progress=progress, **options)
    except WAITS_FOR as exc:
        log.info("Queued %s for %s: %s", Path(path).name, target.key, exc.message)
        if on_wait is not None:
            on_wait(exc)
        return PublishQueue(service.paths).add(path, target.key, mode, at, exc.message)


def due_note(blog_name: str, at: datetime) -> str:
    """What a post waiting for its time says: Broadsheet publishes it then (a blog that cannot
    schedule), in the time's own zone, and only while it runs (the window, or `queue send`)."""
    local = at if at.tzinfo is not None else at.astimezone()
    return (
        f"{blog_name} cannot schedule posts, so Broadsheet publishes it on"
        f" {local:%d %B %Y at %H:%M} ({local:%Z}) if this computer is on then, with"
        " Broadsheet running."
    )
