"""The file thread: loads, saves, checks and lists drafts in order. It never touches a widget.

Every save is a checked save (editor/core/checked_save.py); whatever keeps the writer's text
out of the draft sends it to the draft's recovery copy (editor/core/recovery.py).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from editor.core.atomic import (
    ReadOnlyError,
    WriteError,
    atomic_write_bytes,
    describe_os_error,
    is_read_only,
    real_target,
)
from editor.core.checked_save import found_on_disk, save_checked
from editor.core.documents import (
    CannotStoreError,
    DocumentError,
    NotUtf8DocumentError,
    content_hash,
    decode_or_explain,
    encode_for,
    read_document,
    read_document_bytes,
)
from editor.core.drafts import DraftStore, file_stem_for
from editor.core.history import HistoryStore
from editor.core.library_db import FILE_NAME as LIBRARY_FILE
from editor.core.library_db import LibraryIndex
from editor.core.library_query import LibraryQuery, answer
from editor.core.locks import DraftLock, DraftLockedError
from editor.core.open_draft import ExternalChange, LoadedDocument, SaveRequest
from editor.core.recovery import CONFLICT, DELETED, FAILED, READ_ONLY, RecoveryStore
from editor.core.textfile import TextFormat, decode_document
from editor.core.title_names import stem_for_title, title_stem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SaveResult:
    """What one save did: written (`digest`), refused because another program's version is
    there (`change`), or failed (`error`). Unless written, the text is in the draft's recovery
    copy, or `unkept` says why it could not be kept there."""

    digest: str | None = None
    change: ExternalChange | None = None
    error: WriteError | None = None
    unkept: str | None = None
    replaced: bool = False  # written over a version no one had seen (now in the history)


class FileWorker(QObject):
    """Loads, saves and lists drafts in order, on its own thread.

    Not a job of editor/ui/background.py's runner, on purpose: it is one long-lived object
    whose state (what it last wrote, the moves it follows, the library index it opened on its
    thread) every request reads, and the order of its requests is the safety of the drafts (a
    save, then the check of that file, then the move). Its signals' payloads are written next
    to each (Qt carries them as `object`); the runner's jobs that must follow its saves run on
    its thread (`Runner(..., thread=file_thread)`).
    """

    loaded = Signal(object)  # LoadedDocument
    load_failed = Signal(object, str)  # path, message
    not_utf8 = Signal(object, object)  # path, NotUtf8Error (after load_failed): offer encodings
    saved = Signal(object, str, int)  # path, hash of the bytes written, generation
    save_failed = Signal(object, str, int, bool)  # path, message, generation, read-only file
    overwrote = Signal(object)  # path: a version written at the instant of our save is in history
    record_applied = Signal(object, str)  # path, blog key: a publish record is in a closed draft
    cannot_store = Signal(object, object)  # path, UnencodableError (after save_failed)
    listed = Signal(object)  # list[DraftInfo]
    found = Signal(object, object)  # LibraryQuery, LibraryAnswer (None: the index failed)
    found_snippets = Signal(object, object)  # LibraryQuery, {path: snippet}
    external_change = Signal(object)  # ExternalChange
    created = Signal(object)  # Path of a new draft
    moved = Signal(object, object)  # old path, new path (rename)
    trashed = Signal(object)  # old path
    failed = Signal(str)  # one sentence for the writer

    def __init__(
        self,
        store: DraftStore,
        history: HistoryStore,
        locks_dir: Path,
        recovery: RecoveryStore | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.history = history
        self.locks_dir = locks_dir
        self.recovery = recovery or RecoveryStore(history.root.parent / "recovery")
        # path -> hash of what this worker last wrote there. A save queued while the previous
        # one was still being written carries the hash from before that write; finding our own
        # write on disk is no change by another program.
        self._written: dict[Path, str] = {}
        # path -> (size, mtime, inode) when we last read, wrote or checked it (for poll)
        self._stats: dict[Path, tuple[int, int, int] | None] = {}
        # path -> the legacy encoding a draft that is not UTF-8 is kept in, to read it back
        self._encodings: dict[Path, str] = {}
        # old path -> new path of a draft whose file followed its title: saves and checks the
        # window queued before it heard of the move go to the new file (forget_move ends it)
        self._moved: dict[Path, Path] = {}
        # path -> the stem of the draft's title when it was opened: a name that may follow it
        self._named_after: dict[Path, str] = {}
        self._library: LibraryIndex | None = None  # opened on the file thread, used only there
        self._listed_once = False  # the first listing comes from the index as it was left

    @Slot(object, object)
    def load(self, path: Path, encoding: str | None = None) -> None:
        """Read one document and take its lock; a recovery copy of it comes along. `encoding`
        is the writer's choice for a file that is not UTF-8 (None: ask)."""
        self._moved.pop(path, None)  # a file opened at that name is another draft
        self._written.pop(path, None)  # what is on disk now is the one to compare with
        recovered = self.recovery.get(path)
        if recovered is not None and not path.exists():
            lock, problem = self._lock(path)
            self.loaded.emit(
                LoadedDocument(path, "", TextFormat(), "", lock, problem, False, True, recovered)
            )
            return
        self._stats[path] = _stat_of(path)  # before reading: a write meanwhile shows later
        try:
            data = read_document_bytes(path)
            text, fmt = decode_or_explain(path, data, encoding)
        except DocumentError as exc:
            self.load_failed.emit(path, str(exc))
            if isinstance(exc, NotUtf8DocumentError):
                self.not_utf8.emit(path, exc.problem)
            return
        self._encodings[path] = fmt.encoding
        self._named_after[path] = title_stem(text, path)
        if recovered is not None and recovered.text == text:
            self.recovery.drop(path)  # the file holds it after all
            recovered = None
        lock, problem = self._lock(path)
        read_only = is_read_only(real_target(path))
        digest = content_hash(data)
        self.loaded.emit(
            LoadedDocument(path, text, fmt, digest, lock, problem, read_only, False, recovered)
        )

    def _lock(self, path: Path) -> tuple[DraftLock | None, str | None]:
        try:
            return DraftLock(self.locks_dir, path), None
        except DraftLockedError as exc:
            return None, str(exc)
        except OSError as exc:
            return None, f"{path.name} could not be locked ({exc.strerror}); opened read-only."

    def write(self, request: SaveRequest) -> SaveResult:
        """The checked save itself. Whatever stops the text from reaching the draft (another
        program's version, a read-only file, a failing disk), it goes to the draft's recovery
        copy instead. Signals nothing but `failed`, so the window can call it at quit too,
        once this thread has stopped."""
        path = request.path
        known = {h for h in (request.expected_hash, self._written.get(path)) if h}
        base = request.expected_hash or ""
        try:
            data = encode_for(path, request.text, request.fmt)
            outcome = save_checked(path, data, known, force=request.force)
        except WriteError as exc:
            reason = READ_ONLY if isinstance(exc, ReadOnlyError) else FAILED
            problem = self.keep_recovery(path, request.text, reason, base)
            return SaveResult(error=exc, unkept=problem)
        if outcome.found is not None:
            found = outcome.found
            reason = CONFLICT if found.exists else DELETED
            problem = self.keep_recovery(path, request.text, reason, base)
            change = self._change(path, found.data, request.generation)
            return SaveResult(change=change, unkept=problem)
        assert outcome.digest is not None
        self._written[path] = outcome.digest
        self._stats[path] = _stat_of(path)
        self._encodings[path] = request.fmt.encoding
        if outcome.replaced is not None:
            self._keep_replaced(path, outcome.replaced)
        with contextlib.suppress(OSError):
            self.recovery.drop(path)  # the draft holds the newest text now
        return SaveResult(digest=outcome.digest, replaced=outcome.replaced is not None)

    @Slot(object)
    def save(self, request: SaveRequest) -> None:
        """Write one document durably, unless another program changed it meanwhile."""
        if request.path in self._moved:
            request = replace(request, path=self._moved[request.path])
        path = request.path
        result = self.write(request)
        if result.error is not None:
            read_only = isinstance(result.error, ReadOnlyError)
            self.save_failed.emit(path, str(result.error), request.generation, read_only)
            if isinstance(result.error, CannotStoreError):
                self.cannot_store.emit(path, result.error.problem)
            return
        if result.change is not None:
            self.external_change.emit(result.change)
            return
        assert result.digest is not None
        if result.replaced and not request.force:  # Save As over a file replaces on purpose
            self.overwrote.emit(path)
        self.saved.emit(path, result.digest, request.generation)
        self._snapshot(request)

    def _keep_replaced(self, path: Path, data: bytes) -> None:
        """A version written at the very instant of our save, which it replaced: keep it."""
        try:
            text, _fmt = decode_document(data, self._encodings.get(path))
        except ValueError:
            text = data.decode("utf-8", errors="replace")
        with contextlib.suppress(OSError):
            self.history.take(path, text, "external")

    @Slot(object, str, str, str)
    def keep_recovery(self, path: Path, text: str, reason: str, base_hash: str) -> str | None:
        """Write the writer's text to the draft's recovery copy (the draft cannot take it).
        Returns the problem in one sentence (also signalled) if even that fails; the window
        calls it directly at quit, once this thread has stopped."""
        path = self._moved.get(path, path)
        try:
            self.recovery.keep(path, text, reason, base_hash)
        except OSError as exc:
            problem = f"Could not keep a recovery copy of {path.name}: {describe_os_error(exc)}"
            self.failed.emit(problem)
            return problem
        return None

    @Slot(object, object, str)
    def settle_recovery(self, path: Path, text: str | None, reason: str) -> None:
        """The writer chose: his text (if any) goes into the history, the recovery copy goes."""
        try:
            if text is not None:
                self.history.take(path, text, reason)
                if not path.exists():  # deleted: the trash folder is where he can find it
                    self.store.keep_in_trash(path, text)
            self.recovery.drop(path)
        except OSError as exc:
            self.failed.emit(f"Could not keep a snapshot of {path.name}: {exc.strerror}")

    def _snapshot(self, request: SaveRequest) -> None:
        if request.snapshot is None:
            return
        if request.snapshot == "typing" and not self.history.due_while_typing(request.path):
            return
        with contextlib.suppress(OSError):  # a lost snapshot must not fail a good save
            self.history.take(request.path, request.text, request.snapshot)

    def _detect_change(self, path: Path, expected: str, generation: int) -> ExternalChange | None:
        known = {h for h in (expected, self._written.get(path)) if h}
        found = found_on_disk(path, known)
        return None if found is None else self._change(path, found.data, generation)

    def _change(self, path: Path, data: bytes | None, generation: int) -> ExternalChange:
        """What another program left at `path` (None: deleted)."""
        if data is None:
            return ExternalChange(path, True, None, None, generation)
        try:
            text, _fmt = decode_document(data, self._encodings.get(path))
        except ValueError:
            text = None
        return ExternalChange(path, False, text, content_hash(data), generation)

    @Slot(object, str)
    def check(self, path: Path, expected: str) -> None:
        """Compare the file on disk with what we last loaded or wrote (file watcher fired)."""
        path = self._moved.get(path, path)
        self._stats[path] = _stat_of(path)
        change = self._detect_change(path, expected, -1)
        if change is not None:
            self.external_change.emit(change)

    @Slot(object, str)
    def poll(self, path: Path, expected: str) -> None:
        """Check the file only if its size, time or inode moved since we last looked: file
        events do not come from network or synced folders, and a watch can be lost."""
        path = self._moved.get(path, path)
        if _stat_of(path) != self._stats.get(path):
            self.check(path, expected)

    @Slot(object, str, object)
    def apply_record(self, path: Path, blog_key: str, record: dict[str, object]) -> None:
        """Store a publish record in a draft that is not open (closed while publishing)."""
        from editor.publish.errors import DraftError
        from editor.publish.records import write_record

        try:
            write_record(path, blog_key, record)
        except DraftError as exc:
            self.failed.emit(
                f"The post is on the blog, but its address could not be saved in {path.name}:"
                f" {exc.message} Publishing it again updates the same post."
            )
            return
        self.record_applied.emit(path, blog_key)

    @Slot(object, str, str)
    def snapshot(self, path: Path, text: str, reason: str) -> None:
        """Keep a version (e.g. theirs, or the text before a restore)."""
        try:
            self.history.take(path, text, reason)
        except OSError as exc:
            self.failed.emit(f"Could not keep a snapshot of {path.name}: {exc.strerror}")

    @Slot(object, object, str)
    def snapshot_disk(self, path: Path, fmt: TextFormat, reason: str) -> None:
        """Keep the version on disk, read in `fmt`'s encoding, in the history."""
        try:
            text, _fmt = decode_or_explain(path, read_document_bytes(path), fmt.encoding)
            self.history.take(path, text, reason)
        except DocumentError as exc:
            self.failed.emit(f"Could not keep the previous version of {path.name}: {exc}")
        except OSError as exc:
            self.failed.emit(f"Could not keep a snapshot of {path.name}: {exc.strerror}")

    @Slot()
    def list_drafts(self) -> None:
        """Describe every draft for the sidebar, from the library index (only the drafts
        changed since the last look are read); without an index, from the files."""
        try:
            index = self._index()
            if not self._listed_once:
                # At start-up the list fills at once from the index as it was left, and is
                # then brought up to date (5,000 drafts: every file's size and time looked at).
                self._listed_once = True
                known = index.listing(refresh=False)
                if known:
                    self.listed.emit(known)
                    changed = index.refresh()
                    if changed.read or changed.removed or changed.rebuilt:
                        self.listed.emit(index.listing(refresh=False))
                    return
            self.listed.emit(index.listing())
        except (sqlite3.Error, OSError) as exc:  # e.g. a full disk: the files still tell
            log.warning("The library index cannot be used: %s", exc)
            self.listed.emit(self.store.list_drafts())

    def _index(self) -> LibraryIndex:
        if self._library is None:
            folder = self.store.drafts_dir
            self._library = LibraryIndex(folder.parent / LIBRARY_FILE, folder)
        return self._library

    @Slot(object)
    def search(self, query: LibraryQuery) -> None:
        """Answer the drafts list's search box and filters from the library index."""
        try:
            self.found.emit(query, answer(self._index(), query))
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.warning("The library index cannot be searched: %s", exc)
            self.found.emit(query, None)

    @Slot(object, object)
    def snippets(self, query: LibraryQuery, paths: list[Path]) -> None:
        """The text around the matches in drafts the list shows without it (scrolled to)."""
        try:
            self.found_snippets.emit(query, self._index().snippets_for(query.text, paths))
        except (sqlite3.Error, OSError) as exc:
            log.warning("The library index cannot be searched: %s", exc)

    @Slot(object, object)
    def write_file(self, path: Path, data: bytes) -> None:
        """Write a small app file (settings, user dictionary) durably, off the GUI thread."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data)
        except WriteError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"Could not save {path.name}: {describe_os_error(exc)}")

    @Slot(str)
    def create_draft(self, title: str) -> None:
        """Create a new draft file."""
        try:
            path = self.store.new_draft(title)
        except WriteError as exc:
            self.failed.emit(str(exc))
            return
        self.created.emit(path)
        self.list_drafts()

    @Slot(object, str, bool)
    def rename(self, path: Path, title: str, file_only: bool) -> None:
        """Rename a draft (file only, when the open editor already changed the title)."""
        try:
            new = (
                self.store.rename_file(path, title) if file_only else self.store.rename(path, title)
            )
        except (WriteError, DocumentError) as exc:
            self.failed.emit(str(exc))
            return
        self._named_after[new] = file_stem_for(title)  # the name follows the new title from now
        self._followed(path, new)

    @Slot(object)
    def follow_title(self, path: Path) -> None:
        """Give a never-published draft in the drafts folder the file name of its title."""
        if path in self._moved or path.parent.resolve() != self.store.drafts_dir.resolve():
            return
        try:
            text, _fmt = read_document(path, self._encodings.get(path))
        except DocumentError:
            return  # unreadable right now: the name is a nicety, the next save asks again
        stem = stem_for_title(path, text, self._named_after.get(path))
        if stem is None:
            return
        try:
            new = self.store.move_to_stem(path, stem)
        except WriteError as exc:
            self.failed.emit(f"The file name could not follow the title: {exc}")
            return
        if path in self._written:
            self._written[new] = self._written.pop(path)
        self._stats[new] = _stat_of(new)
        if path in self._encodings:
            self._encodings[new] = self._encodings.pop(path)
        self._named_after[new] = stem
        for old, moved_to in list(self._moved.items()):
            if moved_to == path:  # renamed twice before the window caught up
                self._moved[old] = new
        self._moved[path] = new
        self._followed(path, new)

    def _followed(self, path: Path, new: Path) -> None:
        """The draft moved: its history and recovery copy follow, the window and list are told."""
        with contextlib.suppress(OSError):
            self.history.move(path, new)
        with contextlib.suppress(OSError):
            self.recovery.move(path, new)
        self.moved.emit(path, new)
        self.list_drafts()

    @Slot(object)
    def forget_move(self, old: Path) -> None:
        """The window works on the new path now: nothing more comes for the old one."""
        self._moved.pop(old, None)

    @Slot(object)
    def trash(self, path: Path) -> None:
        """Move a draft to the trash."""
        try:
            self.store.trash(path)
        except WriteError as exc:
            self.failed.emit(str(exc))
            return
        self.trashed.emit(path)
        self.list_drafts()


def _stat_of(path: Path) -> tuple[int, int, int] | None:
    """What tells cheaply that a file changed: size, modification time, inode (None: gone)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino
