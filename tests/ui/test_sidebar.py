"""The drafts sidebar lists, creates, renames and trashes drafts."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.core.post import parse_post
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait


def listed_titles(window: MainWindow) -> list[str]:
    return [
        window.sidebar.list.item(i).text().split("\n")[0]
        for i in range(window.sidebar.list.count())
    ]


def test_lists_drafts_with_title_date_and_words_newest_first(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    old = store.new_draft("Older essay", body="one two three\n")
    store.new_draft("Newer essay", body="four five\n")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    window.refresh_drafts()
    qtbot.waitUntil(lambda: listed_titles(window) == ["Newer essay", "Older essay"], timeout=10_000)
    detail = window.sidebar.list.item(1).text().split("\n")[1]
    assert "3 words" in detail and "20" in detail  # a date, then the count


def test_new_draft_is_created_on_disk_and_opened(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    qtbot.keyClick(window.editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.doc is not None, timeout=10_000)
    assert window.doc is not None and window.doc.path.parent == store.drafts_dir
    assert window.doc.path.exists()
    qtbot.waitUntil(lambda: "Untitled" in listed_titles(window), timeout=10_000)
    qtbot.waitUntil(window.editor.hasFocus, timeout=10_000)


def test_rename_the_open_draft_changes_title_file_and_list(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.new_draft("Before", body="Body stays.\n")
    open_and_wait(qtbot, window, path, "Body stays.")
    monkeypatch.setattr(
        "editor.ui.main_window.QInputDialog.getText", lambda *a, **k: ("After: renamed", True)
    )
    window.rename_draft(None)
    new_path = store.drafts_dir / "after-renamed.md"
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == new_path, timeout=10_000)
    assert not path.exists()
    post = parse_post(new_path.read_text())
    assert post.title == "After: renamed" and post.body == "\nBody stays.\n"
    qtbot.waitUntil(lambda: listed_titles(window) == ["After: renamed"], timeout=10_000)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("After: renamed"), timeout=10_000)
    window.editor.undo()  # the title change in the editor is one undoable edit
    assert 'title: "Before"' in window.editor.toPlainText()


def test_rename_a_draft_that_is_not_open(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.new_draft("Closed one", body="x\n")
    monkeypatch.setattr(
        "editor.ui.main_window.QInputDialog.getText", lambda *a, **k: ("Other name", True)
    )
    window.rename_draft(path)
    qtbot.waitUntil(lambda: (store.drafts_dir / "other-name.md").exists(), timeout=10_000)
    assert parse_post((store.drafts_dir / "other-name.md").read_text()).title == "Other name"


def test_trash_the_open_draft_moves_it_and_keeps_the_text(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    keep = store.new_draft("Keep", body="k\n")
    path = store.new_draft("Goes to trash", body="First.\n")
    open_and_wait(qtbot, window, path, "First.")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Last words")
    window.trash_draft(None)
    qtbot.waitUntil(lambda: not path.exists(), timeout=10_000)
    [trashed] = list(store.trash_dir.iterdir())
    assert "Last words" in trashed.read_text(), "unsaved text is saved before trashing"
    assert window.doc is None
    qtbot.waitUntil(lambda: listed_titles(window) == ["Keep"], timeout=10_000)
    assert keep.exists()


def test_clicking_a_draft_opens_it(qtbot, window: MainWindow, store: DraftStore) -> None:
    store.new_draft("A", body="alpha text\n")
    b = store.new_draft("B", body="beta text\n")
    window.refresh_drafts()
    qtbot.waitUntil(lambda: len(listed_titles(window)) == 2, timeout=10_000)
    row = listed_titles(window).index("B")
    item = window.sidebar.list.item(row)
    rect = window.sidebar.list.visualItemRect(item)
    qtbot.mouseClick(window.sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == b, timeout=10_000)
    assert "beta text" in window.editor.toPlainText()
