"""The publishing worker: sign-in, blogs and publishing on their own thread.

Every call into editor.publish blocks on the network, so it runs here; results come back by
signal. The worker never touches a widget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from editor.publish.errors import ConflictError, PostGoneError, PublishError
from editor.publish.hosts.config import load_hosts

if TYPE_CHECKING:
    from editor.publish.base import PublishMode
    from editor.publish.service import PublishResult, PublishService
from editor.publish.accounts import load_accounts


@dataclass(frozen=True)
class PublishJob:
    """One click on Publish: which draft, where, how."""

    path: Path
    blog: str | None
    mode: PublishMode
    at: dt.datetime | None = None
    overwrite: bool = False
    text: str | None = None  # the draft's text at the click (None: the file's)
    as_new: bool = False  # forget the recorded post (deleted on the blog): create a new one


@dataclass(frozen=True)
class PublishOutcome:
    """A successful publish; the window keeps `result.record` in the draft."""

    job: PublishJob
    result: PublishResult
    can_announce: bool = False  # live now, and a Mastodon or Bluesky account is set up


class ServiceWorker(QObject):
    """A worker that calls a PublishService, made on the worker's own thread on first use:
    the publishing stack (HTTP, OAuth, image hosts) is imported only when it is needed.

    Its subclasses (publishing, blog sync, dead links, dead images) stay long-lived workers
    rather than jobs of editor/ui/background.py's runner: the service (its HTTP session, its
    signed-in clients) lives on their thread and is shared by every request, the requests
    must run one at a time in the order asked (publish, then the conflict's choice), and
    their cancel events are read between two network calls. Each signal's payload is written
    next to it (Qt carries it as `object`)."""

    def __init__(self) -> None:
        super().__init__()
        self._service: PublishService | None = None

    @property
    def service(self) -> PublishService:
        """The service, created on first use."""
        if self._service is None:
            from editor.publish.service import PublishService

            self._service = PublishService()
        return self._service


class PublishWorker(ServiceWorker):
    """Runs PublishService calls one at a time."""

    progress = Signal(str)
    published = Signal(object)  # PublishOutcome
    failed = Signal(object, str)  # PublishJob | None, one sentence
    post_gone = Signal(object, str)  # PublishJob, one sentence: the recorded post was deleted
    conflict = Signal(object, object)  # PublishJob, ConflictError
    # PublishJob, Queued, why (OfflineError, ServerError; None: held until its time)
    queued = Signal(object, object, object)
    accounts_loaded = Signal(object)  # AccountsConfig
    image_host_known = Signal(bool)  # an image host is set up (local images can be published)
    sign_in_url = Signal(str)
    signed_in = Signal(object)  # SignInResult
    sign_in_failed = Signal(str)
    took_theirs = Signal(object)  # Path of the new draft

    @Slot()
    def load_accounts(self) -> None:
        """Read the configured blogs (accounts.json) and whether an image host is set up."""
        try:
            self.accounts_loaded.emit(load_accounts())
            self.image_host_known.emit(bool(load_hosts().hosts))
        except PublishError as exc:
            self.failed.emit(None, exc.message)

    @Slot(str, str, bool)
    def sign_in_blogger(self, client_id: str, client_secret: str, open_browser: bool) -> None:
        """Store the writer's OAuth client (if given) and sign in through the browser."""
        try:
            if client_id and client_secret:
                self.service.set_google_client(client_id, client_secret)
            result = self.service.sign_in_blogger(
                open_browser=open_browser, on_url=self.sign_in_url.emit, progress=self.progress.emit
            )
        except PublishError as exc:
            self.sign_in_failed.emit(exc.message)
            return
        self.signed_in.emit(result)
        self.accounts_loaded.emit(self.service.accounts())

    @Slot(str, object)
    def sign_in_with_form(self, name: str, values: dict[str, str]) -> None:
        """Sign in to a platform with what the writer typed in its form (the registry says
        how), and remember the account and its blogs."""
        from editor.publish.errors import ConfigError
        from editor.publish.providers import provider

        try:
            form = provider(name).sign_in_form
            if form is None:
                raise ConfigError(f"{provider(name).display_name} is not signed in with a form.")
            result = form.run(self.service, values, self.progress.emit)
        except PublishError as exc:
            self.sign_in_failed.emit(exc.message)
            return
        self.signed_in.emit(result)
        self.accounts_loaded.emit(self.service.accounts())

    @Slot(str)
    def set_default_blog(self, key: str) -> None:
        """Make `key` the default blog."""
        try:
            self.service.set_default_blog(key)
            self.accounts_loaded.emit(self.service.accounts())
        except PublishError as exc:
            self.failed.emit(None, exc.message)

    @Slot(object)
    def publish(self, job: PublishJob) -> None:
        """Publish (or update) one draft; while the blog cannot be reached, queue it (a
        writer's answer to a conflict or a deleted post is not queued: it fails as before)."""
        from editor.publish.queue import Queued, publish_or_queue

        why: list[PublishError] = []
        options = {
            "progress": self.progress.emit,
            "text": job.text,
            "write_back": job.text is None,  # the window keeps the record in its own text
        }
        try:
            if job.overwrite or job.as_new:
                result = self.service.publish(
                    job.path,
                    job.blog,
                    mode=job.mode,
                    at=job.at,
                    overwrite=job.overwrite,
                    as_new=job.as_new,
                    **options,  # type: ignore[arg-type]
                )
            else:
                done = publish_or_queue(
                    self.service,
                    job.path,
                    job.blog,
                    mode=job.mode,
                    at=job.at,
                    on_wait=why.append,
                    **options,
                )
                if isinstance(done, Queued):
                    self.queued.emit(job, done, why[0] if why else None)
                    return
                result = done
        except ConflictError as exc:
            self.conflict.emit(job, exc)
            return
        except PostGoneError as exc:
            self.post_gone.emit(job, exc.message)
            return
        except PublishError as exc:
            self.failed.emit(job, exc.message)
            return
        self.published.emit(PublishOutcome(job, result, self._can_announce(result)))

    def _can_announce(self, result: PublishResult) -> bool:
        """Live now and an announcement account is set up (a small file read, here)."""
        if str(getattr(result, "status", "")).upper() != "LIVE" or not result.url:
            return False
        from editor.publish.announce.base import load_accounts as announce_accounts

        try:
            return bool(announce_accounts(self.service.paths))
        except PublishError:
            return False

    @Slot(str, object)
    def record_kept(self, blog_key: str, path: Path) -> None:
        """The draft on disk holds the post's record now: the insert is no longer pending."""
        try:
            self.service.record_kept(blog_key, path)
        except OSError as exc:
            self.failed.emit(None, f"Could not update the publishing journal: {exc.strerror}")

    def stop_waiting(self) -> None:
        """Make a publish waiting for a post that may still appear give up (called from the
        window's thread when it closes, so closing does not wait minutes)."""
        if self._service is not None:
            self._service.stop_waiting()

    @Slot(object, object, str)
    def take_theirs(self, path: Path, conflict: ConflictError, blog_key: str) -> None:
        """Save the blog's version as a new draft next to the original."""
        try:
            self.took_theirs.emit(self.service.take_theirs(path, conflict, blog_key))
        except (PublishError, OSError) as exc:
            self.failed.emit(None, getattr(exc, "message", None) or str(exc))
