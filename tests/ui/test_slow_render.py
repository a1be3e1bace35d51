"""A slow preview says so in the status bar and keeps the last version meanwhile."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from editor.ui.slow_render import SlowRenderNote
from tests.ui.conftest import open_and_wait


def test_the_note_shows_after_the_wait_and_goes_with_the_render(qtbot) -> None:  # type: ignore[no-untyped-def]
    host = QMainWindow()
    qtbot.addWidget(host)
    host.show()
    note = SlowRenderNote(host.statusBar(), wait_ms=50)
    note.started()
    assert not note.label.isVisible(), "a render that answers within the wait says nothing"
    qtbot.waitUntil(note.label.isVisible, timeout=2000)
    note.started()  # the next keystroke's request keeps the note up
    assert note.label.isVisible()
    note.finished()
    assert not note.label.isVisible() and not note.timer.isActive()


def test_the_window_starts_the_clock_with_each_render_and_stops_it_on_the_answer(
    qtbot, window: MainWindow, store: DraftStore
) -> None:  # type: ignore[no-untyped-def]
    path = store.new_draft("Quick", body="A short post.\n")
    open_and_wait(qtbot, window, path, "A short post.")
    seen: list[bool] = []
    window.request_render.connect(lambda *_: seen.append(window.slow_render.timer.isActive()))
    with qtbot.waitSignal(window.renderer.rendered, timeout=5000):
        window.editor.insertPlainText("More words. ")
    assert seen and seen[-1], "the clock runs while the render is out"
    qtbot.waitUntil(lambda: not window.slow_render.timer.isActive(), timeout=2000)
    assert not window.slow_render.label.isVisible()
