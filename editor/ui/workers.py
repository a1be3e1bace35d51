"""Workers that keep disk and rendering off the GUI thread. They never touch a widget."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QDialog

from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.documents import (
    DocumentError,
    content_hash,
    decode_or_explain,
    read_document_bytes,
    write_document,
)
from editor.core.drafts import DraftStore
from editor.core.history import HistoryStore
from editor.core.incremental import IncrementalRenderer
from editor.core.locks import DraftLock, DraftLockedError
from editor.core.outline import Heading, extract_outline
from editor.core.pieces import Piece
from editor.core.post import parse_post
from editor.core.render import RenderOptions, slugify
from editor.core.stats import count_chars, target_words
from editor.core.text_limits import preview_part
from editor.core.textfile import TextFormat, decode_document
from editor.core.word_count import WordCounter


@dataclass(frozen=True)
class LoadedDocument:
    """A document read from disk: editor text, its stored format, and the hash of its bytes."""

    path: Path
    text: str
    fmt: TextFormat
    disk_hash: str
    lock: DraftLock | None  # None: another process holds the draft; open it read-only
    lock_problem: str | None = None


@dataclass(frozen=True)
class SaveRequest:
    """Write `text` to `path`; `generation` tells the window which edit this save covers.

    `expected_hash` is what the window believes is on disk: a file that differs (changed or
    deleted by another program) is not overwritten unless `force` is set.
    """

    path: Path
    text: str
    fmt: TextFormat
    generation: int
    expected_hash: str | None
    snapshot: str | None = None  # "save" (by hand) or "typing" (taken when due)
    force: bool = False


@dataclass(frozen=True)
class ExternalChange:
    """Another program changed or deleted the open draft."""

    path: Path
    deleted: bool
    their_text: str | None  # None when deleted or unreadable
    their_hash: str | None
    generation: int = -1  # the edit a refused save was carrying, if any


class FileWorker(QObject):
    """Loads, saves and lists drafts in order, on its own thread."""

    loaded = Signal(object)  # LoadedDocument
    load_failed = Signal(object, str)  # path, message
    saved = Signal(object, str, int)  # path, hash of the bytes written, generation
    save_failed = Signal(object, str, int)  # path, message, generation
    listed = Signal(object)  # list[DraftInfo]
    external_change = Signal(object)  # ExternalChange
    created = Signal(object)  # Path of a new draft
    moved = Signal(object, object)  # old path, new path (rename)
    trashed = Signal(object)  # old path
    failed = Signal(str)  # one sentence for the writer

    def __init__(self, store: DraftStore, history: HistoryStore, locks_dir: Path) -> None:
        super().__init__()
        self.store = store
        self.history = history
        self.locks_dir = locks_dir
        # path -> hash of what this worker last wrote there. A save queued while the previous
        # one was still being written carries the hash from before that write; finding our own
        # write on disk is no change by another program.
        self._written: dict[Path, str] = {}

    @Slot(object)
    def load(self, path: Path) -> None:
        """Read one document and take its lock."""
        self._written.pop(path, None)  # what is on disk now is the one to compare with
        try:
            data = read_document_bytes(path)
            text, fmt = decode_or_explain(path, data)
        except DocumentError as exc:
            self.load_failed.emit(path, str(exc))
            return
        lock, problem = None, None
        try:
            lock = DraftLock(self.locks_dir, path)
        except DraftLockedError as exc:
            problem = str(exc)
        except OSError as exc:
            problem = f"{path.name} could not be locked ({exc.strerror}); opened read-only."
        self.loaded.emit(LoadedDocument(path, text, fmt, content_hash(data), lock, problem))

    def written_hash(self, path: Path) -> str | None:
        """Hash of what this worker last wrote to `path` (ask only while its thread is stopped)."""
        return self._written.get(path)

    def _disk_state(self, path: Path) -> tuple[bool, bytes | None]:
        """(exists, bytes) of the file as it is now."""
        try:
            return True, path.read_bytes()
        except FileNotFoundError:
            return False, None
        except OSError:
            return True, None

    @Slot(object)
    def save(self, request: SaveRequest) -> None:
        """Write one document durably, unless another program changed it meanwhile."""
        if not request.force and request.expected_hash is not None:
            change = self._detect_change(request.path, request.expected_hash, request.generation)
            if change is not None:
                self.external_change.emit(change)
                return
        try:
            digest = write_document(request.path, request.text, request.fmt)
        except WriteError as exc:
            self.save_failed.emit(request.path, str(exc), request.generation)
            return
        self._written[request.path] = digest
        self.saved.emit(request.path, digest, request.generation)
        self._snapshot(request)

    def _snapshot(self, request: SaveRequest) -> None:
        if request.snapshot is None:
            return
        if request.snapshot == "typing" and not self.history.due_while_typing(request.path):
            return
        with contextlib.suppress(OSError):  # a lost snapshot must not fail a good save
            self.history.take(request.path, request.text, request.snapshot)

    def _detect_change(self, path: Path, expected: str, generation: int) -> ExternalChange | None:
        exists, data = self._disk_state(path)
        if not exists:
            return ExternalChange(path, True, None, None, generation)
        if data is None:
            return None  # unreadable right now: the write will report the real problem
        digest = content_hash(data)
        if digest in (expected, self._written.get(path)):
            return None
        try:
            text, _fmt = decode_document(data)
        except ValueError:
            text = None
        return ExternalChange(path, False, text, digest, generation)

    @Slot(object, str)
    def check(self, path: Path, expected: str) -> None:
        """Compare the file on disk with what we last loaded or wrote (file watcher fired)."""
        change = self._detect_change(path, expected, -1)
        if change is not None:
            self.external_change.emit(change)

    @Slot(object, str, str)
    def snapshot(self, path: Path, text: str, reason: str) -> None:
        """Keep a version (e.g. theirs, or the text before a restore)."""
        try:
            self.history.take(path, text, reason)
        except OSError as exc:
            self.failed.emit(f"Could not keep a snapshot of {path.name}: {exc.strerror}")

    @Slot()
    def list_drafts(self) -> None:
        """Describe every draft for the sidebar."""
        self.listed.emit(self.store.list_drafts())

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
        with contextlib.suppress(OSError):
            self.history.move(path, new)
        self.moved.emit(path, new)
        self.list_drafts()

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


@dataclass(frozen=True)
class RenderRequest:
    """Render the document text of `generation`."""

    text: str
    generation: int
    source_name: str
    caption_style: str = "blogger"  # the default blog's (editor/core/caption_style.py)


@dataclass(frozen=True)
class RenderResult:
    """The preview HTML of one generation, with what the window shows about the post."""

    pieces: tuple[Piece, ...]  # the post's HTML as pieces the preview patches in
    generation: int
    title: str
    words: int
    front_matter_error: str | None
    lines: int = 0  # lines in the document (front matter included), for scroll sync
    chars: int = 0  # characters of the body, without line breaks
    target_words: int | None = None  # front matter `target_words`
    outline: tuple[Heading, ...] = ()  # headings, with document line numbers

    @property
    def html(self) -> str:
        """The whole preview HTML (with line markers)."""
        return "".join(piece.html() for piece in self.pieces)


class RenderWorker(QObject):
    """Renders Markdown to the preview's HTML on its own thread, re-rendering what changed."""

    rendered = Signal(object)  # RenderResult

    def __init__(self) -> None:
        super().__init__()
        self.renderer = IncrementalRenderer()
        self.words = WordCounter()
        # Rendering is Python and holds the GIL; the GUI thread needs it for every key event
        # (highlighting, slots). Hand it over every millisecond instead of every five.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))

    @Slot(object)
    def render(self, request: RenderRequest) -> None:
        """Render one request; the preview gets line markers for scroll sync."""
        text = request.text
        post = parse_post(text, request.source_name)
        newlines = text.count("\n")
        offset = newlines - post.body.count("\n")
        options = RenderOptions(
            slug=slugify(post.title),
            caption_style=request.caption_style,
            markers=True,
            line_offset=offset,
        )
        rendered = self.renderer.render(preview_part(post.body), options)  # bounded
        # Counting and the outline ride along here so the GUI thread never walks 100k words.
        result = RenderResult(
            rendered.pieces,
            request.generation,
            post.title,
            self.words.count(post.body),
            post.front_matter_error,
            newlines + 1,
            chars=count_chars(post.body),
            target_words=target_words(post.meta),
            outline=extract_outline(text),
        )
        self.rendered.emit(result)


def start_worker(worker: QObject, name: str) -> QThread:
    """Move `worker` to a new named thread and start it."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    return thread


def stop_thread(thread: QThread) -> None:
    """Finish the thread's queued work and join it."""
    thread.quit()
    thread.wait()


_RETIRING: set[tuple[QThread, QObject]] = set()


def retire_thread(thread: QThread, worker: QObject) -> None:
    """Let the thread finish its current job in the background, then end it.

    For a dialog closed while its worker waits on the network: closing must not freeze the
    window for a timeout, and the thread must outlive the dialog that started it.
    """
    pair = (thread, worker)
    if pair in _RETIRING or not shiboken6.isValid(thread) or thread.isFinished():
        return  # already retiring or ended (closed, then destroyed), or gone at exit
    _RETIRING.add(pair)
    thread.finished.connect(lambda: _RETIRING.discard(pair))
    thread.quit()


def wait_for_retired_threads() -> None:
    """Join every retiring thread (at quit, before Qt shuts down)."""
    for thread, _worker in list(_RETIRING):
        thread.wait()
    _RETIRING.clear()


def start_dialog_worker(dialog: QDialog, worker: QObject, name: str) -> QThread:
    """Start `worker` on its own thread for `dialog`; when the dialog closes or is destroyed
    the thread retires (see retire_thread)."""
    thread = start_worker(worker, name)
    dialog.finished.connect(lambda _result: retire_thread(thread, worker))
    dialog.destroyed.connect(lambda: retire_thread(thread, worker))
    return thread
