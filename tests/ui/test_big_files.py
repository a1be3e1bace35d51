"""Huge drafts, very long lines: bounded work per line, a turning event loop, a quick quit."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextBlock, QTextCursor, QTextOption

from benchmarks.make_essay import make
from editor.core.incremental import IncrementalRenderer
from editor.core.text_limits import LONG_LINE
from editor.ui.editor_pane import MarkdownEditor
from editor.ui.highlighter import FENCE_BACKTICK
from editor.ui.long_lines import LongLineWrap
from editor.ui.main_window import MainWindow
from editor.ui.visible_lines import VisibleLines
from tests.ui.conftest import wait_for_preview

pytestmark = pytest.mark.gui


class Heartbeat:
    """A 10 ms timer that remembers the longest time the event loop did not turn."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._beat)
        self.timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now


class SpellSpy:
    """Stands in for the spell checker and records the lines it was asked about."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def misspelt(self, text: str, *_args: object) -> list[tuple[int, int]]:
        self.lines.append(text)
        return []


def lazy_editor(qtbot) -> MarkdownEditor:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 400)
    editor.show()
    editor.visible = VisibleLines(editor)  # type: ignore[attr-defined]
    editor.wrap = LongLineWrap(editor)  # type: ignore[attr-defined]
    return editor


def formats(block: QTextBlock) -> list[str]:
    """The highlighter's formats in a line, as their foreground colours."""
    return [r.format.foreground().color().name() for r in block.layout().formats()]


def test_a_very_long_line_gets_no_inline_colouring_nor_spell_checking(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = lazy_editor(qtbot)
    spy = SpellSpy()
    editor.highlighter.spell = spy
    data = "**bold** " + "word " * (LONG_LINE // 5)
    editor.setPlainText(f"**bold** here\n{data}\n")
    short, long = editor.document().firstBlock(), editor.document().firstBlock().next()
    assert formats(short) and not formats(long)
    assert "**bold** here" in spy.lines
    assert max(map(len, spy.lines)) < LONG_LINE  # the long line never reached the speller
    cursor = QTextCursor(long)
    cursor.insertText("x")  # typing in it: still no regex work for it
    assert max(map(len, spy.lines)) < LONG_LINE and not formats(long)


def test_lines_off_screen_are_coloured_when_scrolled_to_with_their_state(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = lazy_editor(qtbot)
    text = "```\n" + "**inside the fence**\n" * 3000 + "```\n" + "**bold** after\n" * 10
    editor.setPlainText(text)
    document = editor.document()
    inside = document.findBlockByNumber(2999)
    after = document.findBlockByNumber(3005)
    assert not formats(after)  # far off screen: only its state was followed
    assert inside.userState() == FENCE_BACKTICK
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.ensureCursorVisible()
    qtbot.waitUntil(lambda: bool(formats(after)))
    fence = editor.highlighter.formats["fence"].foreground().color().name()
    strong = editor.highlighter.formats["strong"].foreground().color().name()
    assert formats(after) == [strong]
    assert formats(document.findBlockByNumber(3000)) == [fence]


def test_a_draft_with_a_very_long_line_wraps_anywhere(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = lazy_editor(qtbot)
    words = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    anywhere = QTextOption.WrapMode.WrapAnywhere
    editor.setPlainText("A normal paragraph.\n")
    assert editor.wordWrapMode() == words
    editor.setPlainText("a" * (LONG_LINE + 1))
    assert editor.wordWrapMode() == anywhere
    editor.setPlainText("Another normal draft.\n\nTwo paragraphs.\n")
    assert editor.wordWrapMode() == words
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.insertPlainText("b" * (LONG_LINE + 1))  # pasted data
    assert editor.wordWrapMode() == anywhere
    editor.insertPlainText("c")
    assert editor.wordWrapMode() == anywhere


@pytest.mark.timeout(180)
def test_a_5_mb_line_of_one_letter_opens_and_takes_keystrokes(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # It froze the window for hours: the spell checker's regex was quadratic in the run and
    # Qt's word wrapping of a line without a break opportunity too.
    path = tmp_path / "letter.md"
    path.write_text("a" * 5_000_000 + "\n", encoding="utf-8")
    heartbeat = Heartbeat()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.doc is not None, timeout=60_000)
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_X)
    qtbot.keyClick(window.editor, Qt.Key.Key_Y)
    assert window.editor.document().characterCount() == 5_000_000 + 4
    qtbot.waitUntil(lambda: window.preview.applied_generation >= window.generation, timeout=60_000)
    # Qt still lays the 5 MB line out again per keystroke (linear, about a second here);
    # the old code never got this far.
    assert heartbeat.worst < 30
    assert window.editor.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere


@pytest.mark.timeout(240)
def test_quitting_with_a_10_mb_draft_is_quick_and_saves_it(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "essay.md"
    path.write_text(make(1_700_000, 520), encoding="utf-8")  # 10.5 MB
    window.open_path(path)
    qtbot.waitUntil(lambda: window.doc is not None, timeout=60_000)
    qtbot.waitUntil(lambda: window._rendering, timeout=10_000)  # the first render runs
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, "The end")
    started = time.perf_counter()
    window.close()
    took = time.perf_counter() - started
    assert path.read_text(encoding="utf-8").endswith("The end")
    # It used to wait for the preview of all 10 MB to be rendered (a minute and more); the
    # bound leaves room for a machine shared by the suite's parallel processes.
    assert took < 40


def test_quitting_right_after_a_save_was_queued_writes_the_last_keystrokes(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # The queued save landed while the window was closing, its "saved" signal never arrived,
    # and the quit took our own write for another program's: the last keystrokes went to a
    # "conflict" snapshot instead of the file.
    path = tmp_path / "draft.md"
    path.write_text("A line of the draft.\n" * 20_000, encoding="utf-8")
    window.open_path(path)
    qtbot.waitUntil(lambda: window.doc is not None, timeout=10_000)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(window.editor, Qt.Key.Key_X)
    window.save()  # on its way to the file thread
    qtbot.keyClick(window.editor, Qt.Key.Key_Y)
    window.close()
    assert path.read_text(encoding="utf-8").endswith("\nxy")
    assert not any(window.history.folder(path).glob("*_conflict_*.md"))


class EndlessRender:
    """Stands in for rendering one block: the first block rendered never ends until the
    render is called off (the first render of a 10 MB draft takes seconds: this one, for
    ever); later blocks render as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered = threading.Event()
        self.called_off: list[bool] = []  # per endless block: whether it was called off
        render_block = IncrementalRenderer._render_block

        def endless(renderer: IncrementalRenderer, *args: object) -> object:
            if not self.called_off:
                self.entered.set()
                # Only so that a regression fails instead of hanging: not what is tested.
                deadline = time.monotonic() + 60
                while not renderer.stop.stopped and time.monotonic() < deadline:
                    time.sleep(0.002)
                self.called_off.append(renderer.stop.stopped)
            return render_block(renderer, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(IncrementalRenderer, "_render_block", endless)


def _open_with_a_render_in_flight(qtbot, window: MainWindow, path: Path) -> None:  # type: ignore[no-untyped-def]
    path.write_text(make(3000, 520), encoding="utf-8")
    window.open_path(path)
    qtbot.waitUntil(lambda: window.doc is not None, timeout=20_000)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, "The end")


def test_quitting_calls_off_the_render_in_flight_instead_of_waiting_for_it(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The close joined the render thread, so it waited for the render in flight to end: with
    # the first render of a 10 MB draft that was ten seconds and more of a frozen window.
    endless = EndlessRender(monkeypatch)
    results: list[object] = []
    window.renderer.rendered.connect(results.append)
    path = tmp_path / "essay.md"
    _open_with_a_render_in_flight(qtbot, window, path)
    assert endless.entered.wait(20)
    window.close()
    assert endless.called_off == [True]  # the close did not wait for it to end by itself
    assert window.render_thread.isFinished()
    assert results == []  # no one reads a preview of a closed window
    assert path.read_text(encoding="utf-8") == window.editor.toPlainText()
    assert window.editor.toPlainText().endswith("The end")


def test_a_window_that_stays_open_after_a_failed_quit_renders_again(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    endless = EndlessRender(monkeypatch)
    _open_with_a_render_in_flight(qtbot, window, tmp_path / "essay.md")
    assert endless.entered.wait(20)
    window._final_save = lambda: False  # type: ignore[method-assign]  # "Cancel": the writer stays
    try:
        window.close()
    finally:
        del window._final_save  # the fixture's own close must be able to save and go
    assert endless.called_off == [True]
    assert window.isVisible()
    # The render called off never answers; the window asks for a new one, which ends.
    qtbot.waitUntil(lambda: window.preview.applied_generation >= window.generation, timeout=60_000)
    wait_for_preview(qtbot, window.preview, "The end", timeout=30)
