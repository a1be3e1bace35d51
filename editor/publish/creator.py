"""Creating a draft's post on a blog exactly once, across failed attempts and program runs.

The client's `insert_once` never repeats a create whose outcome is unknown. This module adds
what a single request cannot know: the pending journal (a marker saved before the create, and
when each create request went out) and the rule that a post whose create timed out or lost
its answer may still appear for a while (`LANDING_WINDOW`), so "not found" is only believed
after that. The same rule serves the publish whose create failed and every publish after it.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from editor.publish.accounts import Blog
from editor.publish.base import DRAFT, LIVE, BlogClient, PostContent, PublishMode, RemotePost
from editor.publish.errors import NotFoundError, OfflineError, PublishError
from editor.publish.http import LANDING_POLL, LANDING_WINDOW, await_landing
from editor.publish.pending import PendingInserts
from editor.publish.records import keep_status

Progress = Callable[[str], None]


class PostCreator:
    """Creates the post of one draft on one blog, never twice."""

    def __init__(
        self,
        client: BlogClient,
        blog: Blog,
        pending: PendingInserts,
        report: Progress,
        *,
        landing_window: float = LANDING_WINDOW,
        stop: threading.Event | None = None,
    ) -> None:
        self.client = client
        self.blog = blog
        self.pending = pending
        self.report = report
        self.landing_window = landing_window
        self.stop = stop or threading.Event()  # set from another thread: stop waiting

    def create(self, path: Path, content: PostContent, mode: PublishMode) -> RemotePost:
        """The draft's post on the blog: found (an earlier attempt made it) or created now."""
        blog, client, pending = self.blog, self.client, self.pending
        earlier = pending.get(blog.key, path)
        marker = pending.begin(blog.key, path)
        if earlier:
            # An earlier attempt may have created the post without us learning its id.
            self.report("Checking whether an earlier attempt already created the post…")
            found = None
            if earlier.get("post_id"):
                with contextlib.suppress(NotFoundError):  # deleted on the blog meanwhile
                    found = client.get_post(blog.remote_id, str(earlier["post_id"]))
            else:
                found = self.await_post(
                    marker,
                    earlier.get("sent"),
                    f"{blog.name} has not finished the first attempt yet",
                )
            if found is not None:
                # Kept before the update: the update replaces the content and with it the
                # marker, so a later attempt could no longer find this post by it.
                pending.remember_post(blog.key, path, found.id)
                self.report("Updating the post created by the earlier attempt…")
                updated = client.update_post(blog.remote_id, found.id, content, base=found)
                return keep_status(updated, found)
        self.report("Creating the post on the blog…")
        sent = pending.sending(blog.key, path)
        try:
            remote = client.insert_post(
                blog.remote_id, content, draft=mode is not PublishMode.PUBLISH, marker=marker
            )
        except OfflineError as exc:
            if not exc.uncertain:
                pending.settled(blog.key, path)
                raise
            landed = self.await_post(marker, sent, exc.reason)
            if landed is None:
                raise OfflineError(
                    f"{exc.reason} while creating the post, and it has not appeared on"
                    f" {blog.name} within {duration(self.landing_window)}; publishing"
                    " again creates it (after one more look, so no copy is made).",
                    uncertain=True,
                    timed_out=exc.timed_out,
                    reason=exc.reason,
                ) from exc
            remote = landed
        except PublishError:
            pending.settled(blog.key, path)  # refused or rejected: nothing was created
            raise
        pending.remember_post(blog.key, path, remote.id)
        if not remote.status:
            remote = replace(remote, status=LIVE if mode is PublishMode.PUBLISH else DRAFT)
        return remote

    def await_post(self, marker: str, sent: object, why: str) -> RemotePost | None:
        """The post of the create sent at `sent` (epoch seconds; None: long ago), waited for
        while the blog may still be making it; None when it has not appeared by then."""
        deadline = float(sent) + self.landing_window if isinstance(sent, int | float) else 0.0

        def waiting(left: float) -> None:
            self.report(
                f"{why}; waiting for the post so no second copy is made ({time_left(left)})…"
            )

        def wait(seconds: float) -> None:
            if self.stop.wait(seconds):
                raise OfflineError(
                    f"Broadsheet stopped waiting for {self.blog.name} to finish creating the"
                    " post; publishing again looks for it first and will not make a copy.",
                    uncertain=True,
                )

        return await_landing(
            lambda: self.client.find_post(self.blog.remote_id, marker),
            deadline=deadline,
            clock=time.time,
            wait=wait,
            waiting=waiting,
            every=min(LANDING_POLL, self.landing_window / 20),
        )


def time_left(seconds: float) -> str:
    """The longest wait left, as a writer reads it: "up to 4 more minutes"."""
    if seconds < 60:
        return "less than a minute left"
    minutes = math.ceil(seconds / 60)
    return f"up to {minutes} more minutes" if minutes > 1 else "up to 1 more minute"


def duration(seconds: float) -> str:
    """A span of time: "5 minutes", "3 seconds"."""
    if seconds >= 90:
        return f"{round(seconds / 60)} minutes"
    count = max(1, round(seconds))
    return f"{count} seconds" if count > 1 else "1 second"
