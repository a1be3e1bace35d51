"""A local picture that is not on disk says so at once: in the preview, and when exporting."""

from __future__ import annotations

import json
from pathlib import Path

from editor.core.drafts import DraftStore
from editor.core.post import parse_post
from editor.core.render import render_post
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, page_eval, wait_for_preview
from tests.ui.test_insert_and_images import make_png

BOXES = (
    "JSON.stringify(Array.from(document.querySelectorAll('#content .bs-missing-picture'))"
    ".map(b => b.innerText))"
)
SHOWN = (
    "JSON.stringify(Array.from(document.querySelectorAll('#content img'))"
    ".filter(i => !i.closest('.bs-missing-picture')).map(i => [i.alt, i.naturalWidth]))"
)


def boxes(qtbot, window: MainWindow) -> list[str]:  # type: ignore[no-untyped-def]
    return json.loads(str(page_eval(qtbot, window.preview, BOXES)))


def test_a_missing_local_picture_shows_a_box_and_an_existing_one_does_not(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft(
        "Harbour",
        body="Before.\n\n[![The quay](quay.jpg)](quay.jpg)\n\n![Boats](boats.png)\n\nAfter.\n",
    )
    make_png(path.parent / "boats.png")
    open_and_wait(qtbot, window, path, "After.")
    wait_for_preview(qtbot, window.preview, "picture not found: quay.jpg")
    assert boxes(qtbot, window) == ["picture not found: quay.jpg"]
    qtbot.waitUntil(
        lambda: json.loads(str(page_eval(qtbot, window.preview, SHOWN))) == [["Boats", 40]],
        timeout=8000,
    )
    # The note has the text's colour (not a link's), in the light look and the dark one.
    box_colour = "getComputedStyle(document.querySelector('.bs-missing-picture')).color"
    text_colour = "getComputedStyle(document.querySelector('#content p')).color"
    light = page_eval(qtbot, window.preview, box_colour)
    assert light == page_eval(qtbot, window.preview, text_colour)
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="dark"))
    qtbot.waitUntil(lambda: page_eval(qtbot, window.preview, box_colour) != light)
    assert page_eval(qtbot, window.preview, box_colour) == page_eval(
        qtbot, window.preview, text_colour
    )

    # Typing elsewhere patches the page; the box stays and no second one appears.
    window.editor.appendPlainText("\nMore words.\n")
    wait_for_preview(qtbot, window.preview, "More words.")
    assert boxes(qtbot, window) == ["picture not found: quay.jpg"]
    # The published HTML is untouched: only the preview shows the box.
    published = render_post(parse_post(window.editor.toPlainText(), path.name))
    assert "not found" not in published and 'src="quay.jpg"' in published


def test_export_warns_about_missing_pictures(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    path = store.new_draft("Quay", body="Words.\n\n![The quay](quay.jpg)\n")
    open_and_wait(qtbot, window, path, "Words.")
    with qtbot.waitSignal(window.exporter.exported, timeout=10000):
        window.exporter.export_html(tmp_path / "post.html")
    assert window.banner.isVisible()
    assert "quay.jpg" in window.banner.text() and "not found" in window.banner.text()

    window.banner.clear_message(topic="export")
    with qtbot.waitSignal(window.exporter.exported, timeout=20000):
        window.exporter.export_pdf(tmp_path / "post.pdf")
    assert "quay.jpg" in window.banner.text() and window.banner.isVisible()


def test_export_without_missing_pictures_does_not_warn(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    path = store.new_draft("Fine", body="Words.\n\n![Boats](boats.png)\n")
    make_png(path.parent / "boats.png")
    open_and_wait(qtbot, window, path, "Words.")
    with qtbot.waitSignal(window.exporter.exported, timeout=10000):
        window.exporter.export_html(tmp_path / "post.html")
    assert "not found" not in window.banner.text()
