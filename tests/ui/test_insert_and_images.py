"""Insert ▸ Jump Break, and images pasted or dropped into a draft (copied into its assets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage, QTextCursor
from PySide6.QtWidgets import QApplication, QInputDialog

from editor.core.drafts import DraftStore, assets_dir_for
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, page_eval

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def make_png(path: Path, width: int = 40, height: int = 30) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(path), "PNG")
    return path


def image_widths(qtbot, window: MainWindow) -> list[int]:  # type: ignore[no-untyped-def]
    script = (
        "JSON.stringify(Array.from(document.querySelectorAll('#content img'))"
        ".map(i => i.complete ? i.naturalWidth : -1))"
    )
    return json.loads(str(page_eval(qtbot, window.preview, script)))


def cursor_after(window: MainWindow, needle: str) -> None:
    text = window.editor.toPlainText()
    cursor = window.editor.textCursor()
    cursor.setPosition(text.index(needle) + len(needle))
    window.editor.setTextCursor(cursor)


# ------------------------------------------------------------------------ jump break


def test_jump_break_shortcut_inserts_one_undoable_more_line(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Breaks", body="Teaser paragraph.\n\nThe rest of it.\n")
    open_and_wait(qtbot, window, path, "The rest of it.")
    before = window.editor.toPlainText()
    cursor_after(window, "Teaser paragraph.")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, CTRL_SHIFT)
    text = window.editor.toPlainText()
    assert "Teaser paragraph.\n\n<!--more-->\n\nThe rest of it.\n" in text
    assert text.count("<!--more-->") == 1
    qtbot.waitUntil(
        lambda: (
            page_eval(qtbot, window.preview, "document.querySelectorAll('.bs-jump-break').length")
            == 1
        ),
        timeout=5000,
    )
    window.editor.undo()
    assert window.editor.toPlainText() == before, "one undo step takes it all back"
    assert window.inserts.jump_break_action.shortcut().toString() == "Ctrl+Shift+Return"
    assert window.inserts.jump_break_action in window.menus["insert"].actions()


@pytest.mark.parametrize("look", ["light", "dark", "blogger", "blog"])
def test_every_look_shows_the_jump_break_divider(
    qtbot, window: MainWindow, store: DraftStore, look: str
) -> None:
    path = store.new_draft("Looks", body="Above.\n\n<!--more-->\n\nBelow.\n")
    open_and_wait(qtbot, window, path, "Below.")
    if look == "blog":
        window.desk.blog_css = ".post-body{color:#123}"
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look=look))
    divider = (
        "(() => { const d = document.querySelector('.bs-jump-break');"
        " const after = getComputedStyle(d, '::after').content;"
        " return d.offsetHeight > 0 && after.includes('read more')"
        " && getComputedStyle(d).display !== 'none'; })()"
    )
    qtbot.waitUntil(lambda: page_eval(qtbot, window.preview, divider) is True, timeout=5000)


# ------------------------------------------------------------------------- images


def test_dropping_an_image_file_copies_it_into_the_assets_and_shows_it(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    path = store.new_draft("Holiday", body="First line.\n\nLast line.\n")
    open_and_wait(qtbot, window, path, "Last line.")
    source = make_png(tmp_path / "Harbour Test.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    # drop onto the empty line between the paragraphs
    block = window.editor.document().findBlockByNumber(
        window.editor.toPlainText().split("\n").index("First line.") + 1
    )
    rect = window.editor.cursorRect(QTextCursor(block))
    event = QDropEvent(
        QPointF(rect.center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.editor.dropEvent(event)
    copied = assets_dir_for(path) / "harbour-test.png"
    qtbot.waitUntil(lambda: "![Harbour Test](holiday.assets/harbour-test.png)" in
                    window.editor.toPlainText(), timeout=5000)  # fmt: skip
    assert copied.read_bytes() == source.read_bytes() and source.exists()
    assert "First line.\n\n![Harbour Test](holiday.assets/harbour-test.png)\n\nLast line." in (
        window.editor.toPlainText()
    )
    qtbot.waitUntil(lambda: image_widths(qtbot, window) == [40], timeout=8000)
    qtbot.waitUntil(lambda: "harbour-test.png" in path.read_text(), timeout=5000)

    # the same name again is never overwritten
    window.inserts.add_images(files=[source])
    qtbot.waitUntil(lambda: (assets_dir_for(path) / "harbour-test-2.png").exists(), timeout=5000)


def test_pasting_clipboard_image_data_makes_a_png_in_the_assets(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Pasted", body="Text before.\n\n")
    open_and_wait(qtbot, window, path, "Text before.")
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    image = QImage(25, 12, QImage.Format.Format_ARGB32)
    image.fill(QColor("#d53a3a"))
    QApplication.clipboard().setImage(image)
    window.editor.paste()
    qtbot.waitUntil(lambda: "![Pasted image](pasted.assets/pasted-image-" in
                    window.editor.toPlainText(), timeout=5000)  # fmt: skip
    files = list(assets_dir_for(path).glob("pasted-image-*.png"))
    assert len(files) == 1 and files[0].read_bytes().startswith(b"\x89PNG")
    assert QImage(str(files[0])).size().width() == 25
    qtbot.waitUntil(lambda: image_widths(qtbot, window) == [25], timeout=8000)


def test_dropping_other_files_adds_nothing_and_says_why(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    path = store.new_draft("Others", body="Body.\n")
    open_and_wait(qtbot, window, path, "Body.")
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    before = window.editor.toPlainText()
    window.editor.insertFromMimeData(mime)
    assert window.editor.toPlainText() == before
    assert "notes.pdf" in window.statusBar().currentMessage()
    assert not assets_dir_for(path).exists()


def test_renaming_a_draft_keeps_its_images_showing(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path, monkeypatch
) -> None:
    path = store.new_draft("Old title", body="Intro.\n\n")
    open_and_wait(qtbot, window, path, "Intro.")
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.inserts.add_images(files=[make_png(tmp_path / "pic.png")])
    qtbot.waitUntil(lambda: "old-title.assets/pic.png" in window.editor.toPlainText(), timeout=5000)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("New title", True))
    window.rename_draft(None)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path.stem == "new-title",
                    timeout=5000)  # fmt: skip
    new = window.doc.path
    qtbot.waitUntil(lambda: "(new-title.assets/pic.png)" in window.editor.toPlainText(),
                    timeout=5000)  # fmt: skip
    assert (assets_dir_for(new) / "pic.png").is_file() and not assets_dir_for(path).exists()
    qtbot.waitUntil(lambda: "(new-title.assets/pic.png)" in new.read_text(), timeout=5000)
    qtbot.waitUntil(lambda: image_widths(qtbot, window) == [40], timeout=8000)


def test_the_toolbar_has_the_jump_break(qtbot, window: MainWindow, store: DraftStore) -> None:
    path = store.new_draft("Toolbar", body="Above the fold.\n\nBelow it.\n")
    open_and_wait(qtbot, window, path, "Below it.")
    toolbar = window.publishing.toolbar
    action = window.inserts.jump_break_action
    assert action in toolbar.actions()
    button = toolbar.widgetForAction(action)
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("Below it."))
    window.editor.setTextCursor(cursor)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    text = window.editor.toPlainText()
    assert "<!--more-->" in text and text.index("<!--more-->") < text.index("Below it.")
