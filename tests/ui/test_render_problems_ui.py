"""A part that cannot be rendered never stalls the preview: the window keeps rendering."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from editor.ui.workers import RenderRequest, RenderWorker
from tests.ui.conftest import open_and_wait, page_eval, preview_text, wait_for_preview

SENTENCE = "This part could not be shown: it nests lists 400 deep"
DEEP = "- " * 400 + "deep"  # a list nested 400 deep, typed on one line


def wait_until_preview_lacks(qtbot, window: MainWindow, needle: str, timeout: float = 10) -> str:  # type: ignore[no-untyped-def]
    """Wait until the preview no longer shows `needle`; its text then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = preview_text(qtbot, window.preview)
        if needle not in text:
            return text
        qtbot.wait(30)
    raise AssertionError(f"the preview still shows {needle!r}")


def put_cursor_after(window: MainWindow, needle: str) -> None:
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index(needle) + len(needle))
    window.editor.setTextCursor(cursor)


def test_typing_a_list_nested_400_deep_shows_a_sentence_and_never_stalls_the_preview(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Deep lists", body="Intro paragraph.\n\nOutro paragraph.\n")
    open_and_wait(qtbot, window, path, "Outro paragraph.")
    put_cursor_after(window, "Intro paragraph.")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, DEEP)  # typed, key by key: every prefix is rendered too
    wait_for_preview(qtbot, window.preview, SENTENCE)
    shown = preview_text(qtbot, window.preview)
    assert "Intro paragraph." in shown and "Outro paragraph." in shown
    assert "Publishing is blocked until it is changed." in shown
    assert shown.count("This part could not be shown") == 1

    # While the sentence is there, the title and the counts keep following the text.
    counts = window.desk.counts.text()
    put_cursor_after(window, 'title: "Deep lists')
    qtbot.keyClicks(window.editor, " today")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Deep lists today"), timeout=5000)
    put_cursor_after(window, "Outro paragraph.")
    qtbot.keyClicks(window.editor, " Three more words.")
    wait_for_preview(qtbot, window.preview, "Outro paragraph. Three more words.")
    qtbot.waitUntil(lambda: window.desk.counts.text() != counts, timeout=5000)
    assert SENTENCE in preview_text(qtbot, window.preview)

    # Deleting the line gives the normal preview back, and later edits render as usual.
    start = window.editor.toPlainText().index(DEEP)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(DEEP) + 1, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_Delete)
    assert DEEP not in window.editor.toPlainText()
    shown = wait_until_preview_lacks(qtbot, window, "This part could not be shown")
    assert "Intro paragraph." in shown and "Outro paragraph. Three more words." in shown
    counts = window.desk.counts.text()
    qtbot.keyClicks(window.editor, "Back to normal.")
    wait_for_preview(qtbot, window.preview, "Back to normal.")
    qtbot.waitUntil(lambda: window.desk.counts.text() != counts, timeout=5000)
    put_cursor_after(window, 'title: "Deep lists today')
    qtbot.keyClicks(window.editor, " again")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Deep lists today again"), timeout=5000)


def test_a_render_that_fails_unexpectedly_still_answers_the_window(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window renders one request at a time: a worker that did not answer stalled it."""
    worker = RenderWorker()
    with qtbot.waitSignal(worker.rendered) as first:
        worker.render(RenderRequest("# Kept title\n\nSome words here.\n", 1, "post.md"))
    assert first.args[0].title == "Kept title"

    def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug in the renderer")

    monkeypatch.setattr(worker.renderer, "render", broken)
    with qtbot.waitSignal(worker.rendered) as failed:
        worker.render(RenderRequest("# Kept title\n\nSome more words.\n", 2, "post.md"))
    result = failed.args[0]
    assert result.generation == 2
    assert "The preview could not be updated." in result.html
    assert "ZeroDivisionError" not in result.html and "bug" not in result.html
    assert result.title == "Kept title" and result.words == first.args[0].words

    with qtbot.waitSignal(worker.rendered) as again:  # a fresh renderer: all is well again
        worker.render(RenderRequest("# Kept title\n\nSome more words.\n", 3, "post.md"))
    assert "Some more words." in again.args[0].html and again.args[0].generation == 3


@pytest.mark.parametrize(
    ("look", "background"),
    [
        ("light", "rgb(253, 246, 227)"),
        ("dark", "rgb(43, 39, 29)"),
        ("blogger", "rgb(253, 246, 227)"),
    ],
)
def test_the_sentence_is_set_apart_calmly_in_every_look(
    qtbot, window: MainWindow, store: DraftStore, look: str, background: str
) -> None:
    path = store.new_draft("Deep lists", body=f"Intro paragraph.\n\n{DEEP}\n\nOutro paragraph.\n")
    open_and_wait(qtbot, window, path, SENTENCE)
    window.looks.look_actions[look].trigger()
    script = """(() => { const e = document.querySelector('.bs-render-problem');
        const s = getComputedStyle(e);
        return [s.backgroundColor, s.borderLeftWidth, e.getAttribute('role')].join('|'); })()"""
    qtbot.waitUntil(
        lambda: page_eval(qtbot, window.preview, script) == f"{background}|4px|note",
        timeout=5000,
    )
