"""Per keystroke, the render worker and the preview do work that follows the edit.

Counted (calls, characters), not timed: a keystroke in a paragraph of a long draft must not
walk the draft's outline, parse its front matter again, or filter every piece's HTML again.
"""

from __future__ import annotations

import pytest
import yaml

from benchmarks.make_essay import make
from editor.core import outline
from editor.core.drafts import DraftStore
from editor.core.pieces import Piece, splice
from editor.ui.main_window import MainWindow
from editor.ui.preview_pane import PreviewPane
from editor.ui.workers import RenderRequest, RenderWorker
from tests.ui.conftest import open_and_wait


def _typed_in_a_paragraph(text: str) -> str:
    at = text.index("\n\n", len(text) // 2) + 2
    while not text[at].isalpha():  # a paragraph, not a list, table or quote
        at = text.index("\n\n", at) + 2
    at = text.index(" ", at)
    return text[:at] + "e" + text[at:]


def test_a_keystroke_neither_walks_the_outline_nor_parses_the_front_matter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = {"walks": 0, "yaml": 0}
    walk, load = outline._front_matter_end, yaml.safe_load

    def counted_walk(lines):  # type: ignore[no-untyped-def]
        calls["walks"] += 1
        return walk(lines)

    def counted_load(stream):  # type: ignore[no-untyped-def]
        calls["yaml"] += 1
        return load(stream)

    monkeypatch.setattr(outline, "_front_matter_end", counted_walk)  # once per whole walk
    monkeypatch.setattr(yaml, "safe_load", counted_load)
    worker = RenderWorker()
    text = make(3000, 520)
    first = worker._render(RenderRequest(text, 1, "essay.md"))
    assert calls == {"walks": 1, "yaml": 1}
    edited = _typed_in_a_paragraph(text)
    second = worker._render(RenderRequest(edited, 2, "essay.md"))
    assert calls == {"walks": 1, "yaml": 1}
    assert second.outline == first.outline == outline.extract_outline(edited)
    assert (second.title, second.target_words) == (first.title, first.target_words)
    retitled = edited.replace("title: A Long Essay", "title: A Longer Essay", 1)
    assert worker._render(RenderRequest(retitled, 3, "essay.md")).title.startswith("A Longer")
    assert calls["yaml"] == 2  # a changed front matter is read again
    fresh = RenderWorker()._render(RenderRequest(edited, 4, "essay.md"))
    assert (second.words, second.chars) == (fresh.words, fresh.chars)


def test_the_preview_filters_only_the_pieces_that_changed(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pieces = [
        Piece(f"<p data-line='\x02L0\x03'>paragraph {i} " + "words " * 50 + "</p>", i)
        for i in range(2000)
    ]
    pane.set_pieces(pieces, 1)
    before = pane.filtered_chars
    changed = list(pieces)
    changed[1000] = Piece("<p>a <title>changed</title> paragraph</p>", 1000)
    changed[1500:] = [Piece(p.template, p.base + 1) for p in changed[1500:]]  # moved down
    pane.set_pieces(changed, 2)
    assert pane.filtered_chars - before == len(changed[1000].template)
    latest = pane._latest
    assert latest is not None
    assert latest[0][1000].template == "<p>a &lt;title>changed&lt;/title> paragraph</p>"
    assert [p.base for p in latest[0]] == [p.base for p in changed]


def test_colouring_lines_that_scroll_into_view_is_not_an_edit(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:  # type: ignore[no-untyped-def]
    """Colouring (and spell-marking) lines used to fire the editor's textChanged: scrolling
    marked the draft unsaved and rendered the whole, unchanged draft again."""
    store.ensure()
    path = store.drafts_dir / "essay.md"
    path.write_text(essay_text, encoding="utf-8")
    open_and_wait(qtbot, window, path, "If this essay helped you")
    qtbot.waitUntil(lambda: window.preview.applied_generation == window.generation)
    generation, dirty = window.generation, window.dirty
    block = window.editor.firstVisibleBlock()  # the front matter's "---": coloured
    highlighter = window.editor.highlighter
    highlighter.rehighlightBlock(block)
    highlighter.set_dark(not highlighter.dark)  # every line coloured again
    window.desk.visible.refresh()
    qtbot.wait(50)  # the render timer is 0 ms: a render asked for would be on its way
    assert (window.generation, window.dirty) == (generation, dirty)
    assert not window._rendering
    assert block.layout().formats(), "the line is still coloured"


def test_the_piece_the_renderer_says_changed_is_patched_alone(  # type: ignore[no-untyped-def]
    qtbot, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keystroke's result names the one piece that changed: the preview patches it without
    comparing (or filtering) thousands of others; a change against pieces the page no longer
    shows is not trusted, and the pieces are compared in full."""
    from editor.core.pieces import PieceChange
    from editor.ui import preview_pane

    compared = []
    monkeypatch.setattr(
        preview_pane, "splice", lambda old, new: compared.append(1) or splice(old, new)
    )
    pane = PreviewPane()
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.loadFinished, timeout=30000):
        pane.set_base_folder(tmp_path)
    pieces = tuple(Piece(f"<p>paragraph {i}</p>", i) for i in range(300))
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(pieces, 1)
    filtered = pane.filtered_chars
    changed = (*pieces[:150], Piece("<p>a <title>new</title> one</p>", 150), *pieces[151:])
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(changed, 2, PieceChange(pieces, 150))
    assert compared == []
    assert pane.filtered_chars - filtered == len(changed[150].template)
    stale = (*changed[:10], Piece("<p>ten</p>", 10), *changed[11:])
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(stale, 3, PieceChange(pieces, 10))  # not what the page shows
    assert compared == [1]
    box: dict[str, object] = {}
    pane.run_in_page("document.getElementById('content').innerText", lambda r: box.update(r=r))
    qtbot.waitUntil(lambda: "r" in box, timeout=30000)
    shown = str(box["r"]).split("\n")
    expected = [p.template[3:-4].replace("<title>", "&lt;title>") for p in stale]
    assert [line for line in shown if line] == [
        e.replace("&lt;", "<").replace("</title>", "</title>") for e in expected
    ]


def test_a_changed_footnote_replaces_its_item_not_the_list(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A keystroke in one note of a long footnotes list (one piece, 18 KB at 100,000 words)
    replaces the text that changed in the page, not the list: every item keeps its node, so
    Chromium lays out one item. The page then holds exactly the new HTML."""
    from editor.core.pieces import PieceChange

    def notes(edited: int) -> Piece:
        items = "".join(
            f'<li id="fn:{n}"><p>Note {n}{" (edited)" if n == edited else ""}.</p></li>'
            for n in range(200)
        )
        return Piece(f'<div class="footnote" data-line="90"><hr><ol>{items}</ol></div>')

    pane = PreviewPane()
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.loadFinished, timeout=30000):
        pane.set_base_folder(tmp_path)
    pieces = (*(Piece(f"<p>paragraph {i}</p>") for i in range(20)), notes(-1))
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(pieces, 1)
    box: dict[str, object] = {}

    def page(script: str) -> object:
        box.clear()
        pane.run_in_page(script, lambda r: box.update(r=r))
        qtbot.waitUntil(lambda: "r" in box, timeout=30000)
        return box["r"]

    page("for (const li of document.querySelectorAll('li')) li.__kept = true; true")
    changed = (*pieces[:-1], notes(7))
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(changed, 2, PieceChange(pieces, len(pieces) - 1))
    kept = page("Array.from(document.querySelectorAll('li'), li => !!li.__kept).join()")
    assert kept == ",".join("true" for n in range(200))  # the edited one: its text replaced
    html = page("document.getElementById('content').innerHTML")
    assert html == "".join(piece.html() for piece in changed)
    # An item added: the list is replaced whole (its length changed), still exactly.
    more = (*pieces[:-1], Piece(notes(7).template.replace("</ol>", '<li id="fn:x">X</li></ol>')))
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(more, 3, PieceChange(changed, len(pieces) - 1))
    assert page("document.getElementById('content').innerHTML") == "".join(
        piece.html() for piece in more
    )
