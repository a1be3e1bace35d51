"""The live preview: patched in place, coalesced renders, scroll sync in both directions."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, page_eval, wait_for_preview

QUIET_MS = 450  # longer than scroll sync's echo window (ECHO_SECONDS)


def _open_essay(qtbot, window: MainWindow, store: DraftStore, essay_text: str) -> Path:  # type: ignore[no-untyped-def]
    store.ensure()
    path = store.drafts_dir / "essay.md"
    path.write_text(essay_text, encoding="utf-8")
    open_and_wait(qtbot, window, path, "If this essay helped you")
    qtbot.wait(QUIET_MS)
    return path


def _put_cursor_at_end_of_line(window: MainWindow, line: int) -> None:
    block = window.editor.document().findBlockByNumber(line)
    cursor = window.editor.textCursor()
    cursor.setPosition(block.position() + block.length() - 1)
    window.editor.setTextCursor(cursor)


def _scroll_y(qtbot, window: MainWindow) -> float:  # type: ignore[no-untyped-def]
    return float(page_eval(qtbot, window.preview, "window.scrollY"))  # type: ignore[arg-type]


def _json(qtbot, window: MainWindow, script: str) -> object:  # type: ignore[no-untyped-def]
    """Evaluate a script returning a structure (only scalars cross the bridge: use JSON)."""
    result = page_eval(qtbot, window.preview, f"JSON.stringify({script})")
    assert isinstance(result, str), result
    return json.loads(result)


def _block_at_top(qtbot, window: MainWindow) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The first top-level block whose bottom is below the top of the view."""
    script = """(() => {
        for (const e of document.getElementById('content').children) {
            const r = e.getBoundingClientRect();
            if (r.bottom > 1 && e.hasAttribute('data-line'))
                return {tag: e.tagName, line: Number(e.getAttribute('data-line')), top: r.top};
        }
        return null; })()"""
    result = _json(qtbot, window, script)
    assert isinstance(result, dict)
    return result


def test_typing_patches_only_the_changed_block(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:
    _open_essay(qtbot, window, store, essay_text)
    marked = page_eval(
        qtbot,
        window.preview,
        """(() => { const c = document.getElementById('content');
            c.querySelector('h2').__bsMark = 'untouched';
            c.lastElementChild.previousElementSibling.__bsMark = 'edited';
            return c.querySelector('h2').textContent; })()""",
    )
    assert marked
    resets, patches = window.preview.resets, window.preview.patches
    at = window.editor.toPlainText().index("If this essay helped you")
    cursor = window.editor.textCursor()
    cursor.setPosition(at)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "Patched ")
    wait_for_preview(qtbot, window.preview, "Patched If this essay")
    marks = page_eval(
        qtbot,
        window.preview,
        """(() => { const c = document.getElementById('content');
            return (c.querySelector('h2').__bsMark || 'new') + ' ' +
                   (c.lastElementChild.previousElementSibling.__bsMark || 'new'); })()""",
    )
    # Only what changed is replaced: the edited paragraph keeps its node, with the new text.
    assert marks == "untouched edited", "the heading's and the paragraph's nodes survived"
    edited = page_eval(
        qtbot,
        window.preview,
        "document.getElementById('content').lastElementChild.previousElementSibling.textContent",
    )
    assert str(edited).startswith("Patched If this essay")
    assert window.preview.resets == resets
    assert window.preview.patches > patches
    # The page times each patch for benchmarks/preview.py: the DOM change, then the frame.
    qtbot.waitUntil(lambda: _json(qtbot, window, "window.__bs.timings.at(-1)")[2] >= 0)
    timings = _json(qtbot, window, "window.__bs.timings")
    assert isinstance(timings, list)
    assert len(timings) == window.preview.patches - patches
    assert all(patch >= 0 and frame >= 0 for patch, _wait, frame, _when in timings)


def test_preview_keeps_its_scroll_position_while_typing(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:
    _open_essay(qtbot, window, store, essay_text)
    # 2500 px into the body (below the title), where typing at the top block's end needs no
    # scrolling of the editor first.
    page_eval(
        qtbot,
        window.preview,
        "window.scrollTo(0, 2500 + document.getElementById('content').getBoundingClientRect().top"
        " - document.getElementById('bs-title').getBoundingClientRect().top); window.scrollY",
    )
    qtbot.wait(QUIET_MS)  # the editor follows; then the writer types
    top = _block_at_top(qtbot, window)
    before = _scroll_y(qtbot, window)
    assert before > 2000
    _put_cursor_at_end_of_line(window, top["line"])
    qtbot.keyClicks(window.editor, " Freshly typed words")
    wait_for_preview(qtbot, window.preview, "Freshly typed words")
    assert abs(_scroll_y(qtbot, window) - before) < 30
    visible = page_eval(
        qtbot,
        window.preview,
        """(() => { const r = document.createRange();
            const it = document.evaluate("//text()[contains(., 'Freshly typed words')]",
                document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
            r.selectNodeContents(it); const b = r.getBoundingClientRect();
            return b.top >= 0 && b.bottom <= window.innerHeight; })()""",
    )
    assert visible is True


def test_edits_during_a_render_cost_exactly_one_more_render(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Coalesce", body="Start.\n")
    open_and_wait(qtbot, window, path, "Start.")
    gate = threading.Event()
    renderer = window.renderer.renderer
    real_render = renderer.render

    def slow_render(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real_render(*args, **kwargs)

    renderer.render = slow_render  # type: ignore[method-assign]
    requests: list[int] = []
    window.request_render.connect(lambda request: requests.append(request.generation))
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(window.editor, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: len(requests) == 1, timeout=2000)
    qtbot.keyClicks(window.editor, "bcdef")  # typing never waits for the preview
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, "more")
    qtbot.wait(100)
    assert len(requests) == 1, "edits while rendering wait for the render to finish"
    gate.set()
    wait_for_preview(qtbot, window.preview, "more")
    assert "abcdef" in page_eval(qtbot, window.preview, "document.body.innerText")  # type: ignore[operator]
    qtbot.wait(100)
    assert len(requests) == 2, "exactly one follow-up render"
    assert requests[-1] == window.generation


def test_scrolling_the_editor_to_a_heading_puts_it_at_the_top_of_the_preview(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:
    _open_essay(qtbot, window, store, essay_text)
    heading = _json(
        qtbot,
        window,
        """(() => { const h = document.querySelectorAll('#content > h2')[4];
            return {line: Number(h.getAttribute('data-line')), text: h.textContent}; })()""",
    )
    assert isinstance(heading, dict)
    line = int(heading["line"])
    assert window.editor.document().findBlockByNumber(line).text().startswith("## ")
    block = window.editor.document().findBlockByNumber(line)
    window.editor.verticalScrollBar().setValue(block.firstLineNumber())
    assert window.editor.firstVisibleBlock().blockNumber() == line

    def heading_on_top() -> bool:
        top = _block_at_top(qtbot, window)
        return top["line"] == line and abs(top["top"]) < 2

    qtbot.waitUntil(heading_on_top, timeout=5000)
    assert _block_at_top(qtbot, window)["tag"] == "H2"


def test_scrolling_the_preview_to_a_block_puts_its_line_at_the_top_of_the_editor(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:
    _open_essay(qtbot, window, store, essay_text)
    target = page_eval(
        qtbot,
        window.preview,
        """(() => { const ps = document.querySelectorAll('#content > p[data-line]');
            const p = ps[Math.floor(ps.length / 2)];
            window.scrollTo(0, p.getBoundingClientRect().top + window.scrollY);
            return Number(p.getAttribute('data-line')); })()""",
    )
    assert isinstance(target, int | float)
    qtbot.waitUntil(
        lambda: window.editor.firstVisibleBlock().blockNumber() == int(target), timeout=5000
    )
    text = window.editor.firstVisibleBlock().text()
    assert text and not text.startswith("#"), "a paragraph's first line"


def test_scrolling_within_a_long_block_interpolates(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:
    _open_essay(qtbot, window, store, essay_text)
    heading = page_eval(
        qtbot,
        window.preview,
        """(() => { const h = document.querySelectorAll('#content > h2')[3];
            return Number(h.getAttribute('data-line')); })()""",
    )
    line = int(heading)  # type: ignore[arg-type]
    # Half-way between this heading's line and the next one: inside the following blocks.
    window.editor.verticalScrollBar().setValue(
        window.editor.document().findBlockByNumber(line + 2).firstLineNumber()
    )
    qtbot.waitUntil(lambda: _block_at_top(qtbot, window)["line"] >= line + 1, timeout=5000)
    top = _block_at_top(qtbot, window)
    assert top["line"] <= line + 2
