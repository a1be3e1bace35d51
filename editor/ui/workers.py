"""The render worker and the threads of workers. A worker never touches a widget.

The file thread's worker is editor/ui/file_worker.py."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QDialog

from editor.core.outline import Heading, OutlineTracker
from editor.core.paths import app_paths
from editor.core.pieces import Piece, PieceChange
from editor.core.post import Post, parse_post, split_front_matter
from editor.core.snippets import SnippetFolder
from editor.core.stats import target_words
from editor.core.stopping import Stopped, StopSignal
from editor.core.text_edit import LineBreaks
from editor.core.text_limits import preview_part
from editor.core.word_count import WordCounter

if TYPE_CHECKING:
    from editor.core.incremental import IncrementalRenderer

log = logging.getLogger(__name__)

# Shown in the preview when rendering failed in a way nothing else caught (a bug): the window
# gets a result all the same, so it never waits for one, and the next edit renders afresh.
PREVIEW_FAILED = (
    '<p class="bs-render-problem" role="note">The preview could not be updated. Your text is'
    " safe; the next change tries again.</p>"
)


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
    change: PieceChange | None = None  # how `pieces` differ from the last result's, if known

    @property
    def html(self) -> str:
        """The whole preview HTML (with line markers)."""
        return "".join(piece.html() for piece in self.pieces)


class RenderWorker(QObject):
    """Renders Markdown to the preview's HTML on its own thread, re-rendering what changed.

    Not a job of editor/ui/background.py's runner, on purpose: it keeps state between renders
    (the incremental renderer's caches, the counters, the last front matter) that only its own
    thread touches, and the window renders one request at a time and waits for each answer.
    """

    rendered = Signal(object)  # payload: RenderResult (one per request, unless called off)

    def __init__(self) -> None:
        super().__init__()
        # Set from the GUI thread when the window closes: the render in flight stops at its
        # next block instead of keeping the quit waiting for seconds (`call_off`).
        self.stop = StopSignal()
        self._renderer: IncrementalRenderer | None = None  # made on the render thread
        self.words = WordCounter(self.stop)
        self.outline = OutlineTracker()
        self.breaks = LineBreaks()
        self._front: Post | None = None  # the last parsed front matter, re-used while unchanged
        self._last: tuple[str, RenderResult] | None = None  # the last good one, and its draft
        self._texts = ("", "")  # the last text rendered, and its body
        self._includes = True  # whether the last body had "{%" (an include line, perhaps)
        # `{% include NAME %}` lines: a snippet file read again only when it changed on disk.
        self.snippets = SnippetFolder(app_paths().snippets_dir)
        # Rendering is Python and holds the GIL; the GUI thread needs it for every key event
        # (highlighting, slots). Hand it over every millisecond instead of every five.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))

    @Slot(object)
    def render(self, request: RenderRequest) -> None:
        """Render one request; the preview gets line markers for scroll sync.

        Always emits `rendered` (the window renders one request at a time and waits for it),
        except for a render called off: the window that did so expects no answer.
        """
        try:
            result = self._render(request)
        except Stopped:
            self._forget()  # stopped halfway: the next render (if any) starts afresh
            return
        except Exception:  # noqa: BLE001 - anything at all: a result must still be emitted
            log.exception("Rendering the preview failed")
            self._forget()
            result = self._failed(request)
        else:
            self._last = (request.source_name, result)
        self.rendered.emit(result)

    def call_off(self) -> None:
        """Stop the render in flight at its next step, and any render asked before `resume`
        (from any thread: the window, as it closes). No result is emitted for them."""
        self.stop.stop()

    def resume(self) -> None:
        """Render again (the window stayed open); the request called off is not redone."""
        self.stop.resume()

    def _forget(self) -> None:
        """Drop what the renders so far left: their caches may be half updated."""
        self._renderer = None
        self.words = WordCounter(self.stop)
        self.outline, self.breaks = OutlineTracker(), LineBreaks()
        self._texts, self._includes = ("", ""), True

    @property
    def renderer(self) -> IncrementalRenderer:
        """The Markdown renderer, made (and Markdown imported) at the first render: on the
        render thread, after the window's first paint."""
        if self._renderer is None:
            from editor.core.incremental import IncrementalRenderer

            self._renderer = IncrementalRenderer(self.stop)
        return self._renderer

    @Slot()
    def warm_up(self) -> None:
        """Import Markdown and make the renderer now (on the render thread), so the first
        render after the window's start does not wait for it."""
        _ = self.renderer

    def _failed(self, request: RenderRequest) -> RenderResult:
        """The result of a request that could not be rendered: the draft's last title and
        counts, when it was rendered before (else the window falls back to the file name)."""
        pieces = (Piece(PREVIEW_FAILED),)
        if self._last is None or self._last[0] != request.source_name:
            return RenderResult(pieces, request.generation, "", 0, None)
        return replace(self._last[1], pieces=pieces, generation=request.generation, change=None)

    def _render(self, request: RenderRequest) -> RenderResult:
        text = request.text
        from editor.core.render import RenderOptions, slugify

        self.stop.check()  # called off while it waited in the queue
        post = self._parse(text, request.source_name)
        last_text, last_body = self._texts
        self._texts = (text, post.body)
        # Counted around the edit: a keystroke does not walk a long draft to count its lines.
        newlines = self.breaks.count(text)
        front = len(text) - len(post.body)
        edited = self._body_edit(last_text, last_body, text, post.body)
        offset = text.count("\n", 0, front) if text.endswith(post.body) else None
        if offset is None:  # the body is not the end of the text as typed (never, so far)
            offset = newlines - post.body.count("\n")
        options = RenderOptions(
            slug=slugify(post.title),
            caption_style=request.caption_style,
            markers=True,
            line_offset=offset,
        )
        from editor.core.snippet_render import expand_snippets

        # Snippets expanded as publishing expands them; a changed snippet changes the text.
        # A keystroke far from any include line leaves a draft without one as it was: only
        # the edit is searched (a long draft is not, on every keystroke).
        includes = edited is None or self._includes or "{%" in post.body[edited[0] : edited[1]]
        self._includes = includes and "{%" in post.body
        body = preview_part(post.body)
        if includes:
            body = expand_snippets(body, self.snippets, options).text
        rendered = self.renderer.render(body, options)  # bounded
        self.stop.check()  # before the walks through the whole draft below
        # Counting and the outline ride along here so the GUI thread never walks 100k words.
        result = RenderResult(
            rendered.pieces,
            request.generation,
            post.title,
            self.words.count(post.body),
            post.front_matter_error,
            newlines + 1,
            chars=len(post.body) - (newlines - offset),  # `count_chars(post.body)`
            target_words=target_words(post.meta),
            outline=self.outline.outline(text),
            change=rendered.change,
        )
        return result

    def _body_edit(
        self, last_text: str, last_body: str, text: str, body: str
    ) -> tuple[int, int] | None:
        """Where `body` differs from the last body, a character either side included (None:
        unknown). Found from the whole texts' comparison, which the line count made, and
        remembered for the body's, which the word count and the renderer make."""
        from editor.core.text_edit import common_affixes, known_affixes

        front = len(text) - len(body)
        if not last_text or len(last_text) - len(last_body) != front:
            return None
        prefix, suffix = common_affixes(last_text, text)
        if prefix < front:
            return None  # the front matter changed
        known_affixes(last_body, body, (prefix - front, suffix))
        return max(0, prefix - front - 1), len(body) - suffix + 1

    def _parse(self, text: str, source_name: str) -> Post:
        """`parse_post`, re-using the last front matter's YAML while it is unchanged."""
        raw, body = split_front_matter(text)
        last = self._front
        same = last is not None and (last.raw_front_matter, last.source_name) == (raw, source_name)
        if raw is not None and last is not None and same:
            # A keystroke in the body: the YAML is the same, so is what it says.
            return Post(
                meta=last.meta,
                body=body,
                raw_front_matter=raw,
                front_matter_error=last.front_matter_error,
                source_name=source_name,
            )
        post = parse_post(text, source_name)
        self._front = post
        return post


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
    """Join every retiring thread and the background runner's jobs (at quit, before Qt
    shuts down)."""
    from editor.ui.background import wait_for_background_jobs

    for thread, _worker in list(_RETIRING):
        thread.wait()
    _RETIRING.clear()
    wait_for_background_jobs()


def start_dialog_thread(dialog: QDialog, name: str) -> QThread:
    """A thread for the jobs of `dialog`'s runner (`Runner(dialog, thread=...)`, editor/ui/
    background.py): they run in the order asked, and the thread retires with the dialog."""
    return start_dialog_worker(dialog, QObject(), name)


def start_dialog_worker(dialog: QDialog, worker: QObject, name: str) -> QThread:
    """Start `worker` on its own thread for `dialog`; when the dialog closes or is destroyed
    the thread retires (see retire_thread)."""
    thread = start_worker(worker, name)
    dialog.finished.connect(lambda _result: retire_thread(thread, worker))
    dialog.destroyed.connect(lambda: retire_thread(thread, worker))
    return thread
