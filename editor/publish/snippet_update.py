"""Update all N posts: re-publish every published post that uses a snippet, after it changed.

Each post goes through `PublishService.publish`, the same update path as publishing one draft:
its post is checked on the blog first, so a post edited there since its last publish is left
alone and listed (a conflict), never overwritten, and no post is ever made twice.

The batch runs in order, one post at a time, keeping each platform's request quota
(`Capabilities.rate_limits`). It reports progress after each post, stops between posts when
cancelled, and keeps a journal under the state folder: after a crash or a cancel, running the
update again goes on with the posts not yet done (done ones are not sent again). The journal is
removed when every post has been tried.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from editor.core.atomic import WriteError, atomic_write_bytes
from editor.core.post import record_address
from editor.core.snippets import SnippetFolder, snippet_name, valid_name
from editor.publish.base import LIVE, PRIVATE, PublishMode
from editor.publish.errors import ConfigError, ConflictError, PublishError
from editor.publish.providers import PROVIDERS, capabilities_of
from editor.publish.rate_limit import QuotaSpentError, RateLimiter
from editor.publish.records import read_draft
from editor.publish.service import PublishService

log = logging.getLogger(__name__)

UPDATED = "updated"
CONFLICT = "conflict"
FAILED = "failed"
# Requests one update costs at most: fetch the post (the conflict check), send it, and a
# status change when the blog holds it otherwise. Counted in full, to stay inside a quota.
REQUESTS_PER_POST = 3
JOURNAL_VERSION = 1


@dataclass(frozen=True)
class UsingPost:
    """A published post whose draft includes the snippet: the draft, the blog, the title."""

    path: Path
    blog_key: str
    title: str
    url: str = ""

    @property
    def key(self) -> str:
        """The post's entry in the journal."""
        return f"{self.blog_key} {self.path}"


@dataclass(frozen=True)
class PostOutcome:
    """What happened to one post: UPDATED, CONFLICT or FAILED, with a sentence."""

    post: UsingPost
    outcome: str
    message: str = ""
    url: str = ""


@dataclass(frozen=True)
class UpdateProgress:
    """Where the batch is: `done` of `total` posts; `current` is being sent (None: between)."""

    done: int
    total: int
    current: UsingPost | None = None
    outcome: PostOutcome | None = None  # the post just finished, if any


@dataclass
class UpdateReport:
    """The outcome of a run (a resumed run includes what the earlier runs did)."""

    name: str
    total: int
    outcomes: list[PostOutcome] = field(default_factory=list)
    cancelled: bool = False
    stopped: str = ""  # why the run stopped before the end (a quota), if it did
    resumed: int = 0  # posts done by an earlier, interrupted run

    def of(self, outcome: str) -> list[PostOutcome]:
        """The posts with this outcome."""
        return [o for o in self.outcomes if o.outcome == outcome]

    @property
    def finished(self) -> bool:
        """Every post was tried."""
        return len(self.outcomes) == self.total

    @property
    def ok(self) -> bool:
        """Every post was updated."""
        return self.finished and len(self.of(UPDATED)) == self.total

    def summary(self) -> str:
        """One sentence for the writer."""
        updated, conflicts, failed = (len(self.of(k)) for k in (UPDATED, CONFLICT, FAILED))
        parts = [f"{updated} of {self.total} post{'s' if self.total != 1 else ''} updated"]
        if conflicts:
            parts.append(f"{conflicts} changed on the blog and left as they are")
        if failed:
            parts.append(f"{failed} failed")
        sentence = ", ".join(parts) + "."
        if self.cancelled:
            sentence += f" Cancelled: {self.total - len(self.outcomes)} not sent; run the update"
            sentence += " again to go on."
        elif self.stopped:
            sentence += f" {self.stopped}"
        return sentence


def published_status(record: dict[str, Any]) -> bool:
    """Whether a record is of a post readers see (a draft or scheduled post is not updated)."""
    status = str(record.get("status") or "").upper()
    return status in (LIVE, PRIVATE) or (not status and bool(record_address(record)))


def posts_using(service: PublishService, name: str) -> list[UsingPost]:
    """The published posts whose drafts include the snippet `name` (directly or nested)."""
    return _PublishedDrafts(service).using(name)


def usage_counts(service: PublishService) -> dict[str, int]:
    """Each snippet in the folder with the number of published posts using it."""
    drafts = _PublishedDrafts(service)  # every draft read once, whatever the snippets
    return {name: len(drafts.using(name)) for name in service.snippets.names()}


class _PublishedDrafts:
    """The drafts with a post readers see on a connected blog, read once."""

    def __init__(self, service: PublishService) -> None:
        self.folder: SnippetFolder = service.snippets
        blogs = service.accounts().blogs
        self.drafts: list[tuple[str, list[UsingPost]]] = []  # (body, its posts)
        folder = service.paths.drafts_dir
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            try:
                post = read_draft(path)
            except (PublishError, OSError):
                continue  # unreadable: the library says so; nothing to update from it
            posts = [
                UsingPost(path, key, post.title, record_address(record))
                for key, record in sorted(post.known_records().items())
                if key in blogs and blogs[key].provider in PROVIDERS and published_status(record)
            ]
            if posts:
                self.drafts.append((post.body, posts))

    def using(self, name: str) -> list[UsingPost]:
        """The posts whose drafts include `name`."""
        name = snippet_name(name)
        return [p for body, posts in self.drafts if self.folder.uses(body, name) for p in posts]


class UpdateJournal:
    """What a run of "update all" has done, on disk: the posts to send and those sent."""

    def __init__(self, service: PublishService, name: str) -> None:
        self.path = service.paths.state_dir / "snippet-updates" / f"{name}.json"

    def load(self) -> dict[str, Any] | None:
        """The journal of an interrupted run, or None."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != JOURNAL_VERSION:
            return None
        return data

    def save(self, data: dict[str, Any]) -> None:
        """Write the journal atomically (raises WriteError)."""
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        atomic_write_bytes(self.path, (text + "\n").encode("utf-8"))

    def remove(self) -> None:
        """Forget the run (every post was tried)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _post_of(entry: dict[str, Any]) -> UsingPost:
    return UsingPost(Path(entry["path"]), entry["blog_key"], entry["title"], entry.get("url", ""))


def _entry(post: UsingPost) -> dict[str, Any]:
    return {**asdict(post), "path": str(post.path)}


class SnippetUpdate:
    """One "update all" of a snippet: which posts, and sending them (`run`)."""

    def __init__(
        self,
        service: PublishService,
        name: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        name = snippet_name(name)
        if not valid_name(name) or service.snippets.read(name) is None:
            raise ConfigError(
                f"There is no snippet “{name}”; the snippets are the .md files in"
                f" {service.paths.snippets_dir}."
            )
        self.service = service
        self.name = name
        self.clock = clock
        self.sleep = sleep
        self.journal = UpdateJournal(service, name)
        self._limiters: dict[str, RateLimiter] = {}

    def interrupted(self) -> dict[str, Any] | None:
        """The journal of an earlier run of this snippet's update that did not finish."""
        data = self.journal.load()
        if data is None or data.get("digest") != self.service.snippets.digest(self.name):
            return None  # none, or the snippet changed again since: every post is due again
        return data

    def posts(self) -> list[UsingPost]:
        """The posts this update sends: an interrupted run's, else every published user."""
        data = self.interrupted()
        if data is not None:
            return [_post_of(e) for e in data["posts"]]
        return posts_using(self.service, self.name)

    def _limiter(self, blog_key: str) -> RateLimiter:
        """The limiter of the blog's platform: a quota counts every blog of the platform
        (Blogger's is per Google project, not per blog)."""
        blog = self.service.accounts().blogs.get(blog_key)
        platform = blog.provider if blog is not None else blog_key
        if platform not in self._limiters:
            limits = capabilities_of(blog).rate_limits if blog is not None else ()
            self._limiters[platform] = RateLimiter(limits, clock=self.clock, sleep=self.sleep)
        return self._limiters[platform]

    def run(
        self,
        progress: Callable[[UpdateProgress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> UpdateReport:
        """Send every post not yet done, in order; returns what happened to each.

        `cancelled` is asked between posts (and while waiting for the quota). Raises
        WriteError when the journal cannot be written (nothing is sent then).
        """
        report_progress = progress or (lambda _p: None)
        is_cancelled = cancelled or (lambda: False)
        data = self.interrupted()
        if data is None:
            posts = posts_using(self.service, self.name)
            data = {
                "version": JOURNAL_VERSION,
                "snippet": self.name,
                "digest": self.service.snippets.digest(self.name),
                "posts": [_entry(p) for p in posts],
                "done": {},
            }
            self.journal.save(data)
        posts = [_post_of(e) for e in data["posts"]]
        done: dict[str, Any] = data["done"]
        report = UpdateReport(self.name, len(posts), resumed=len(done))
        for post in posts:
            if post.key in done:
                kept = done[post.key]
                report.outcomes.append(
                    PostOutcome(post, kept["outcome"], kept.get("message", ""), kept.get("url", ""))
                )
        report_progress(UpdateProgress(len(report.outcomes), len(posts)))
        for post in posts:
            if post.key in done:
                continue
            if is_cancelled():
                report.cancelled = True
                break
            try:
                if not self._limiter(post.blog_key).acquire(REQUESTS_PER_POST, is_cancelled):
                    report.cancelled = True
                    break
            except QuotaSpentError as exc:
                report.stopped = exc.message
                break
            report_progress(UpdateProgress(len(report.outcomes), len(posts), post))
            outcome = self._send(post)
            done[post.key] = {"outcome": outcome.outcome, "message": outcome.message}
            done[post.key]["url"] = outcome.url
            self.journal.save(data)  # before the next post: a crash never sends this one again
            report.outcomes.append(outcome)
            report_progress(UpdateProgress(len(report.outcomes), len(posts), None, outcome))
        if report.finished:
            self.journal.remove()
        log.info("Snippet %s: %s", self.name, report.summary())
        return report

    def _send(self, post: UsingPost) -> PostOutcome:
        """Re-publish one post; a conflict or a failure is its outcome, never raised."""
        try:
            result = self.service.publish(post.path, post.blog_key, mode=PublishMode.PUBLISH)
        except ConflictError as exc:
            return PostOutcome(post, CONFLICT, exc.message, post.url)
        except (PublishError, WriteError) as exc:
            message = exc.message if isinstance(exc, PublishError) else str(exc)
            return PostOutcome(post, FAILED, message, post.url)
        return PostOutcome(post, UPDATED, "", result.url or post.url)
