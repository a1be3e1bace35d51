"""Typed publishing errors, each carrying one sentence the writer understands.

The UI and the CLI show `.message` as is. Messages never contain tokens, secrets or raw
server bodies: only what the writer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PublishError(Exception):
    """Base of every publishing failure. `message` is one sentence for the writer.

    `transient` says whether trying again later may succeed (network, quota, server trouble);
    `retry_after` is the wait in seconds the server asked for, when it said so.
    """

    transient = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class OfflineError(PublishError):
    """The blog could not be reached (no network, DNS, timeout, connection reset).

    `uncertain` is set when a request that creates something may or may not have arrived;
    `timed_out` when the blog did not answer in time (as opposed to a lost connection);
    `reason` is the first clause of the message ("Blogger did not answer in time (timed
    out)"), for messages that go on to say what happened to the post.
    """

    transient = True

    def __init__(
        self,
        message: str,
        *,
        uncertain: bool = False,
        timed_out: bool = False,
        reason: str = "",
    ) -> None:
        super().__init__(message)
        self.uncertain = uncertain
        self.timed_out = timed_out
        self.reason = reason or message.rstrip(".")


class LeftAsDraftError(PublishError):
    """Moving a schedule stopped halfway: the post went back to a draft on the blog (Blogger
    moves a schedule by reverting it, then publishing it at the new time) and the second step
    failed. `draft` is the post as the blog has it now (a RemotePost); editor.publish.schedule
    fills in `blog_key` and `record`, the draft's record after it (status DRAFT)."""

    def __init__(self, message: str, draft: object, cause: PublishError) -> None:
        super().__init__(message, retry_after=cause.retry_after)
        self.draft = draft
        self.transient = cause.transient
        self.blog_key = ""
        self.record: dict[str, object] = {}


class AuthError(PublishError):
    """Signing in failed, or the blog refused the credentials."""


class SignedOutError(AuthError):
    """There is no usable sign-in any more: the writer has to sign in again."""


class CredentialStoreError(AuthError):
    """The system keyring is missing or locked, so no secret can be stored or read."""


class QuotaError(PublishError):
    """The blog's rate limit or daily quota was hit."""

    transient = True


class PermissionError_(PublishError):  # noqa: N801 - the trailing _ avoids the builtin's name
    """The account may not do this on this blog (not an author, API not enabled, …)."""


class NotFoundError(PublishError):
    """The blog or post does not exist (any more)."""


class PostGoneError(NotFoundError):
    """The post a draft was published as was deleted on the blog: it can only be published
    as a new post (`publish(..., as_new=True)`)."""


class ChangedThereError(PublishError):
    """The post changed on the blog since Broadsheet last published it, so an action that
    sends no text (moving or cancelling its schedule) is refused rather than act on a version
    the writer has not seen."""


class InvalidRequestError(PublishError):
    """The blog rejected what was sent (a 400): the message says what it disliked."""


class ServerError(PublishError):
    """The blog's server failed (5xx) even after retrying."""

    transient = True


class DraftError(PublishError):
    """The draft file could not be read, parsed or written back."""


class ConfigError(PublishError):
    """Broadsheet is missing something it needs (a client id, a blog, a sign-in)."""


@dataclass(frozen=True)
class PostVersion:
    """One side of a conflict: what a post looks like there or here."""

    title: str
    labels: list[str]
    content: str  # HTML
    updated: str = ""
    status: str = ""
    url: str = ""
    id: str = ""
    published: str = ""
    extra: dict[str, object] = field(default_factory=dict)


class ConflictError(PublishError):
    """The post on the blog changed since Broadsheet last published it.

    Carries both versions so a dialog can show what differs; publishing again with
    `overwrite=True` replaces theirs, `take_theirs` saves theirs as a new draft.
    """

    def __init__(
        self,
        ours: PostVersion,
        theirs: PostVersion,
        recorded_updated: str,
        changed: list[str] | None = None,
        *,
        found_by_address: bool = False,
    ) -> None:
        self.ours = ours
        self.theirs = theirs
        self.recorded_updated = recorded_updated
        # What changed on the blog since the last publish, when the record can tell.
        self.changed_there = changed
        said = ", ".join(self.changed_fields()) or "its status"
        # Found by the draft's address after its record was lost: nothing tells when it changed.
        self.found_by_address = found_by_address
        if found_by_address:
            message = (
                f"The post at {theirs.url or 'its address'} differs from this draft ({said})"
                " and Broadsheet's record of what you last published there is missing, so it"
                " cannot tell whether it was changed on the blog."
            )
        else:
            message = (
                "The post on the blog was changed elsewhere since you last published it"
                f" (changed there: {said}; updated {theirs.updated})."
            )
        super().__init__(message)

    def changed_fields(self) -> list[str]:
        """Which of title, labels and content changed on the blog (when the record can tell),
        else which differ between the two versions; labels count as a set."""
        if self.changed_there is not None:
            return list(self.changed_there)
        fields = []
        if self.ours.title != self.theirs.title:
            fields.append("title")
        if set(self.ours.labels) != set(self.theirs.labels):
            fields.append("labels")
        if self.ours.content != self.theirs.content:
            fields.append("content")
        return fields
