"""Bring a whole blog onto the disk and keep it there: import every post and page, sync edits.

Each post becomes one Markdown draft whose publish record ties it to the post, so publishing it
later updates that post. Import lists the blog with bodies, one request per page of posts, and
resumes where an interrupted run stopped. Sync lists without bodies and fetches only what
changed. A draft edited here is never overwritten by a change on the blog: the blog's version
is kept aside and the writer chooses (see `resolve`); the version not chosen goes into the
draft's history. Posts deleted on the blog are marked, never deleted here. No Qt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.core.atomic import WriteError, create_new
from editor.core.blog_labels import BlogLabels
from editor.core.blog_state import CONFLICT, DELETED, BlogStates, Mark
from editor.core.checked_save import save_checked
from editor.core.documents import (
    DocumentError,
    content_hash,
    decode_or_explain,
    encode_for,
    read_document_bytes,
)
from editor.core.drafts import DraftStore, file_stem_for
from editor.core.history import HistoryStore
from editor.core.html_import import Conversion, html_to_markdown
from editor.core.post import (
    LEGACY_RECORDS_KEY,
    PUBLISHED_KEY,
    STATUS_WORDS,
    Post,
    draft_fingerprint,
    parse_post,
    serialize_post,
)
from editor.core.post_records import load_records, store_records, with_records_inside
from editor.core.textfile import TextFormat
from editor.publish.accounts import Blog
from editor.publish.base import (
    DRAFT,
    LIVE,
    PAGE,
    POST,
    SCHEDULED,
    BlogClient,
    ListPage,
    RemotePost,
)
from editor.publish.errors import InvalidRequestError, NotFoundError, PublishError
from editor.publish.import_report import ImportProgress, ImportReport, counted
from editor.publish.library_index import DraftIndex, Recorded
from editor.publish.records import record_of, strip_markers

if TYPE_CHECKING:
    from editor.publish.service import PublishService

# The sync that runs quietly at start-up skips a blog checked less than this long ago.
QUIET_SYNC_INTERVAL = 3600.0
# Up to this many changed posts are fetched one by one; more are listed with bodies.
FETCH_ONE_BY_ONE = 10
_KEPT_STATES = {LIVE, SCHEDULED, DRAFT, "PRIVATE", "PENDING"}


@dataclass(frozen=True)
class _OnDisk:
    """A draft as read: its bytes (to notice a save made meanwhile), text and format."""

    path: Path
    data: bytes
    text: str
    fmt: TextFormat


class Cancelled(Exception):
    """The writer pressed Cancel."""


class BlogMirror:
    """Import and sync one blog into the drafts folder."""

    def __init__(
        self,
        client: BlogClient,
        blog: Blog,
        drafts: DraftStore,
        states: BlogStates,
        history: HistoryStore,
        *,
        progress: Callable[[ImportProgress], None] | None = None,
        cancel: threading.Event | None = None,
        pages: bool = True,
        labels: BlogLabels | None = None,
    ) -> None:
        self.client = client
        self.labels = labels
        self.blog = blog
        self.drafts = drafts
        self.states = states
        self.history = history
        self.progress = progress or (lambda _p: None)
        self.cancel = cancel or threading.Event()
        # What is listed: posts, and pages where the blog has them and the writer wants them.
        with_pages = pages and client.capabilities.pages
        self.kinds = [POST, PAGE] if with_pages else [POST]
        self.index = DraftIndex(drafts.drafts_dir)
        self.state = states.load(blog.key)
        self.report = ImportReport(blog.name)
        self._seen: set[tuple[str, str]] = set()
        self._done = 0

    # --- the two runs --------------------------------------------------------------------

    def import_all(self) -> ImportReport:
        """Every post (and page) of the blog into drafts; resumes an interrupted import."""
        self.drafts.ensure()
        resumed = self.state.importing and bool(self.state.resume_kind)
        self.report.resumed = resumed
        kinds = self.kinds
        if resumed and self.state.resume_kind in kinds:
            kinds = kinds[kinds.index(self.state.resume_kind) :]
            token = self.state.resume_token
        else:
            token = ""
        self.state.importing = True

        def work() -> None:
            for number, kind in enumerate(kinds):
                self._import_kind(kind, token if number == 0 else "")
            if resumed:
                # Pages listed before the interruption are not listed again: a quick check
                # without bodies catches what changed meanwhile.
                self._sync_changes()
            else:
                self._mark_deleted()
            self.state.importing = False
            self.state.resume_kind = self.state.resume_token = ""

        return self._run(work, whole=not resumed)

    def sync(self) -> ImportReport:
        """Bring back what changed on the blog since the last import or sync."""
        self.report.sync = True
        self.drafts.ensure()
        return self._run(self._sync_changes, whole=True)

    def _run(self, work: Callable[[], None], *, whole: bool) -> ImportReport:
        """Do `work`; a stop (Cancel, the network) is reported, and the state is saved."""
        try:
            work()
            self.state.last_sync = datetime.now(UTC).isoformat(timespec="seconds")
            self._keep_labels(whole=whole)
        except Cancelled:
            self.report.cancelled = True
        except PublishError as exc:
            self.report.error = exc.message
        finally:
            self.states.save(self.blog.key, self.state)
        return self.report

    # --- import ----------------------------------------------------------------------------

    def _import_kind(self, kind: str, token: str) -> None:
        for page in self._pages(kind, bodies=True, token=token):
            for remote in page.items:
                self._check_cancel()
                self._count(remote)
                self._apply(remote)
            # Saved after each whole page: a run stopped here goes on with the next page.
            self.state.resume_kind, self.state.resume_token = kind, page.next_token
            self.states.save(self.blog.key, self.state)

    def _pages(self, kind: str, *, bodies: bool, token: str = "") -> Iterator[ListPage]:
        """Every page of one list, one request each, from `token` to the end."""
        restarted = False
        while True:
            self._check_cancel()
            try:
                page = self.client.list_page(
                    self.blog.remote_id, kind=kind, bodies=bodies, token=token
                )
            except (InvalidRequestError, ValueError):
                if not token or restarted:
                    raise
                # A saved place no longer valid (page tokens expire): start this list again,
                # once; what is already imported and unchanged is skipped.
                token, restarted = "", True
                continue
            yield page
            token = page.next_token
            if not token:
                return

    # --- sync ------------------------------------------------------------------------------

    def _sync_changes(self) -> None:
        # Where bodies cost no extra requests (WordPress), they come with the list, and an
        # edit made within the second of the last import (same `updated`) is still seen.
        bodies = self.client.cheap_bodies
        listed: dict[tuple[str, str], RemotePost] = {}
        for kind in self.kinds:
            for page in self._pages(kind, bodies=bodies):
                for remote in page.items:
                    listed[(kind, remote.id)] = remote
        wanted: list[RemotePost] = []
        for (kind, post_id), remote in listed.items():
            self.report.labels.update(remote.labels)
            if (kind, post_id) in self._seen:
                continue
            found = self.index.find(self.blog.key, post_id, kind)
            if (
                found is None
                or str(found.record.get("updated") or "") != remote.updated
                or (bodies and not _same_words(remote, found.record))
            ):
                wanted.append(remote)
            else:
                self._count(remote)
                self.report.unchanged += 1
                if self._mark_is(post_id, DELETED):  # back on the blog (restored from trash)
                    del self.state.marks[post_id]
        for remote in wanted if bodies else self._with_bodies(wanted):
            self._check_cancel()
            self._count(remote)
            self._apply(remote)
        self._seen.update(listed)
        self._mark_deleted()

    def _with_bodies(self, wanted: list[RemotePost]) -> list[RemotePost]:
        """The posts in `wanted` with their content: one by one when few, else listed."""
        posts = [r for r in wanted if r.kind == POST]
        fetched: list[RemotePost] = []
        if len(posts) > FETCH_ONE_BY_ONE:
            missing = {r.id for r in posts}
            for page in self._pages(POST, bodies=True):
                for remote in page.items:
                    if remote.id in missing:
                        missing.discard(remote.id)
                        fetched.append(remote)
                if not missing:
                    break
            posts = [r for r in posts if r.id in missing]  # left: fetched one by one below
        for remote in posts + [r for r in wanted if r.kind != POST]:
            self._check_cancel()
            try:
                fetched.append(self.client.get_item(self.blog.remote_id, remote.id, remote.kind))
            except NotFoundError:
                continue  # deleted between the list and now: the next sync marks it
        return fetched

    def _mark_deleted(self) -> None:
        """Mark drafts whose post is gone from the blog (checked one by one before marking)."""
        for kind, post_id, found in self.index.of_blog(self.blog.key):
            if (kind, post_id) in self._seen or kind not in self.kinds:
                continue
            self._check_cancel()
            try:
                remote = self.client.get_item(self.blog.remote_id, post_id, kind)
                gone = remote.status.upper() not in _KEPT_STATES
            except NotFoundError:
                gone = True
            except PublishError:
                continue  # cannot tell now; the next sync asks again
            if gone:
                self._set_mark(post_id, DELETED, found.path, "")
                self.report.deleted.append(found.path)

    # --- one post --------------------------------------------------------------------------

    def _apply(self, remote: RemotePost) -> None:
        """Bring one post (with its content) into its draft, or into a new one."""
        self._seen.add((remote.kind, remote.id))
        self.report.labels.update(remote.labels)
        found = self.index.find(self.blog.key, remote.id, remote.kind)
        try:
            if found is None:
                self._create(remote)
            else:
                self._update(remote, found)
        except (OSError, DocumentError) as exc:
            self.report.failed.append((remote.title or remote.id, f"{exc}."))

    def _create(self, remote: RemotePost) -> None:
        conversion = self._convert(remote)
        stem = file_stem_for(remote.title) if remote.title.strip() else ""
        untitled = stem in ("", "untitled")
        if untitled:
            stem = _address_stem(remote)
        path = self.drafts.unique_path(stem)
        post = self._draft(Post(), remote, conversion, path)
        while not create_new(path, serialize_post(post).encode("utf-8")):
            # Someone made a file with this name a moment ago: take the next free name.
            path = self.drafts.unique_path(stem)
            post = self._draft(Post(), remote, conversion, path)
        store_records(path, post.records)
        text = serialize_post(post)
        if untitled:
            self.report.untitled.append(path)
        self.index.add(path, text)
        self.report.created.append(path)
        self._note_conversion(path, conversion)

    def _update(self, remote: RemotePost, found: Recorded) -> None:
        record = found.record
        if str(record.get("updated") or "") == remote.updated and _same_words(remote, record):
            self.report.unchanged += 1
            return
        data = read_document_bytes(found.path)
        text, fmt = decode_or_explain(found.path, data)
        current = parse_post(text, found.path.name)
        current.records = load_records(found.path)
        on_disk = _OnDisk(found.path, data, text, fmt)
        if remote.has_digest(record.get("digest")):
            # Only the status or dates moved (published, scheduled): the words are the same.
            if not current.front_matter_error:
                self._write(on_disk, self._retagged(current, remote), "status")
            self.report.unchanged += 1
            return
        conversion = self._convert(remote)
        edited_here = draft_fingerprint(current) != record.get("draft")
        if edited_here or current.front_matter_error:
            theirs = self._draft(Post(meta=dict(current.meta)), remote, conversion, found.path)
            self.states.keep_theirs(self.blog.key, remote.id, with_records_inside(theirs))
            self._set_mark(remote.id, CONFLICT, found.path, remote.title, remote.updated)
            self.report.conflicts.append(found.path)
            return
        if self._write(on_disk, self._draft(current, remote, conversion, found.path), "sync"):
            self.report.updated.append(found.path)
            self._note_conversion(found.path, conversion)

    def _write(self, old: _OnDisk, new: Post, reason: str) -> bool:
        """Replace the draft if it still holds what was read (the editor may have just saved);
        the old text goes into the draft's history first. Its records, kept beside it, follow
        only once the text is in place (else a later sync would think it up to date)."""
        new_text = serialize_post(new)
        if new_text == old.text:
            store_records(old.path, new.records)
            self.index.add(old.path, new_text)
            return False
        self.history.take(old.path, old.text, reason)
        data = encode_for(old.path, new_text, old.fmt)
        outcome = save_checked(old.path, data, {content_hash(old.data)})
        if outcome.digest is None:
            self.report.failed.append(
                (old.path.name, "the draft changed while syncing; it was left as it is.")
            )
            return False
        store_records(old.path, new.records)
        self.index.add(old.path, new_text)
        return True

    def _retagged(self, current: Post, remote: RemotePost) -> Post:
        """The draft with only its status, date and publish record following the blog."""
        post = Post(
            meta=current.meta,
            body=current.body,
            raw_front_matter=current.raw_front_matter,
            source_name=current.source_name,
            records=dict(current.records),
            _meta_as_parsed=current._meta_as_parsed,
        )
        self._set_meta(post, remote)
        old = post.publish_record(self.blog.key) or {}
        record = {**old, **self._record(remote)}
        if old.get("draft"):
            record["draft"] = old["draft"]
        post.set_publish_record(self.blog.key, record)
        return post

    def _draft(self, base: Post, remote: RemotePost, conversion: Conversion, path: Path) -> Post:
        """The complete draft for `remote` (its records to keep beside it): the writer's other
        front matter keys kept."""
        post = Post(
            meta=dict(base.meta),
            body=conversion.markdown,
            raw_front_matter=base.raw_front_matter,
            source_name=path.name,
            records=dict(base.records),
            _meta_as_parsed=base._meta_as_parsed,
        )
        self._set_meta(post, remote)
        fingerprint = draft_fingerprint(parse_post(serialize_post(post), path.name))
        post.set_publish_record(self.blog.key, {**self._record(remote), "draft": fingerprint})
        return post

    def _set_meta(self, post: Post, remote: RemotePost) -> None:
        meta = post.meta
        meta["title"] = remote.title
        if remote.published and remote.status != DRAFT:
            meta["date"] = _date(remote.published) or meta.get("date")
        if remote.kind == POST:
            meta["labels"] = list(remote.labels)
        if remote.categories:
            meta["categories"] = list(remote.categories)
        meta["status"] = STATUS_WORDS.get(remote.status, remote.status.lower() or "draft")
        if remote.status == SCHEDULED and remote.published:
            meta["scheduled"] = remote.published
        else:
            meta.pop("scheduled", None)
        # Last, below what the writer reads; the lines of other blogs stay as they are.
        for key in (PUBLISHED_KEY, LEGACY_RECORDS_KEY):
            if key in meta:
                meta[key] = meta.pop(key)

    def _record(self, remote: RemotePost) -> dict[str, Any]:
        record: dict[str, Any] = dict(record_of(remote))
        if remote.kind != POST:
            record["kind"] = remote.kind
        record["labels"] = list(remote.labels)  # what the blog had: web-added labels are kept
        return record

    def _convert(self, remote: RemotePost) -> Conversion:
        html = strip_markers(remote.content)
        # WordPress's classic editor stores paragraphs as blank lines and line breaks as
        # newlines (it adds the <p> only when it shows the post); its blocks have their <p>.
        classic = self.client.capabilities.classic_html and "<!-- wp:" not in html
        return html_to_markdown(html, line_breaks=classic)

    def _note_conversion(self, path: Path, conversion: Conversion) -> None:
        if conversion.fallback:
            words = conversion.missing_words
            why = "; ".join(conversion.kept_html).removeprefix("the whole post: ")
            if words:
                shown = ", ".join(f"“{w}”" for w in words[:5]) + (" …" if len(words) > 5 else "")
                why = f"Markdown would have lost {shown}"
            self.report.whole_html.append((path, why or "it could not be converted"))
        elif conversion.kept_html:
            self.report.partly_html.append((path, list(conversion.kept_html)))
        else:
            self.report.clean += 1

    # --- bookkeeping -----------------------------------------------------------------------

    def _keep_labels(self, *, whole: bool) -> None:
        """The blog's labels, for completion and the checklist (Blogger cannot list them)."""
        if self.labels is None:
            return
        try:
            if whole:  # every post was listed: the list is complete
                self.labels.save(self.blog.key, self.report.labels)
            else:
                self.labels.add(self.blog.key, self.report.labels)
        except WriteError as exc:
            self.report.failed.append(("the blog's labels", f"{exc}."))

    def _count(self, remote: RemotePost) -> None:
        if remote.kind == PAGE:
            self.report.pages += 1
        else:
            self.report.posts += 1
        if remote.status == LIVE:
            self.report.live += 1
        elif remote.status == SCHEDULED:
            self.report.scheduled += 1
        elif remote.status == DRAFT:
            self.report.drafts += 1
        self._done += 1
        self.progress(ImportProgress(self._done, f"Read {counted(self._done, 'post')} so far…"))

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled

    def _mark_is(self, post_id: str, state: str) -> bool:
        mark = self.state.marks.get(post_id)
        return mark is not None and mark.state == state

    def _set_mark(
        self, post_id: str, state: str, path: Path, title: str, updated: str = ""
    ) -> None:
        self.state.marks[post_id] = Mark(state, str(path), title, updated)


def _same_words(remote: RemotePost, record: dict[str, Any]) -> bool:
    """The record says the blog had these words (or, an old record, it cannot say)."""
    return record.get("digest") is None or remote.has_digest(record.get("digest"))


def _date(when: str) -> date | None:
    """The calendar day of an RFC 3339 time as the blog gave it (its own time zone)."""
    try:
        return date.fromisoformat(when[:10])
    except ValueError:
        return None


def _address_stem(remote: RemotePost) -> str:
    """A file name for a post without a usable title: its URL slug, else its id."""
    slug = remote.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html") if remote.url else ""
    stem = file_stem_for(slug) if slug else ""
    return stem if stem not in ("", "untitled") else f"untitled-{remote.kind}-{remote.id}"


def mirror_for(
    service: PublishService,
    wanted: str | None,
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: threading.Event | None = None,
    pages: bool = True,
) -> BlogMirror:
    """A BlogMirror for a configured blog (key, id, name or URL; the default blog if None)."""
    blog = service.accounts().find_blog(wanted)
    paths = service.paths
    return BlogMirror(
        service.client_for(blog),
        blog,
        DraftStore(paths.drafts_dir, paths.trash_dir),
        BlogStates(paths),
        HistoryStore(paths.data_dir / "history"),
        progress=progress,
        cancel=cancel,
        pages=pages,
        labels=BlogLabels(paths),
    )


def blogs_due(service: PublishService, interval: float = QUIET_SYNC_INTERVAL) -> list[Blog]:
    """Blogs with imported posts whose last check is older than `interval` seconds."""
    states = BlogStates(service.paths)
    due = []
    for blog in service.accounts().blogs.values():
        state = states.load(blog.key)
        if state.last_sync and not state.checked_within(interval):
            due.append(blog)
    return due
