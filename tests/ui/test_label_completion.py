"""Label completion in the front matter, and the checklist's warning about a label spelt
differently on the blog, in the real window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.core import draft_labels
from editor.core.blog_labels import BlogLabels
from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.settings import Settings
from editor.publish.service import PublishService
from editor.ui import label_completer
from editor.ui.label_completer import LabelCompleter
from editor.ui.main_window import MainWindow
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.ui.conftest import close_and_delete, open_and_wait

BLOG = "blogger:7001"


@pytest.fixture
def blog_labels() -> BlogLabels:
    """The blog's labels, as an import collected them (before the window starts)."""
    store = BlogLabels(app_paths())
    store.save(BLOG, ["transit", "Travel", "news", "Local politics"])
    return store


def completer(window: MainWindow) -> LabelCompleter:
    return window.desk.labels


def open_draft(qtbot, window: MainWindow, store: DraftStore, front_matter: str) -> Path:  # type: ignore[no-untyped-def]
    path = store.new_draft("Buses")
    path.write_text(f"---\ntitle: Buses\n{front_matter}\n---\n\nThe buses run late.\n")
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: "transit" in completer(window).known, timeout=5000)
    return path


def put_cursor_at_end_of(window: MainWindow, text: str) -> None:
    """Put the cursor at the end of the (first) line that starts with `text`."""
    block = window.editor.document().firstBlock()
    while block.isValid() and not block.text().startswith(text):
        block = block.next()
    assert block.isValid(), text
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    window.editor.setTextCursor(cursor)


def line_of(window: MainWindow, start: str) -> str:
    return next(line for line in window.editor.toPlainText().split("\n") if line.startswith(start))


def suggestions(window: MainWindow) -> list[str]:
    return completer(window).model.stringList()


def test_typing_a_label_offers_the_blogs_labels_and_enter_puts_one_in(
    qtbot, blog_labels: BlogLabels, window: MainWindow, store: DraftStore
) -> None:
    open_draft(qtbot, window, store, "labels: ")
    put_cursor_at_end_of(window, "labels:")
    popup = completer(window).popup
    qtbot.keyClicks(window.editor, "[news, Tra")
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    assert suggestions(window) == ["transit", "Travel"], "prefix matches; news is in already"
    assert popup.accessibleName() == "Label suggestions"
    assert popup.currentIndex().row() == 0

    qtbot.keyClick(popup, Qt.Key.Key_Return)  # where the keys go while the popup shows
    assert not popup.isVisible()
    assert line_of(window, "labels:") == "labels: [news, transit"
    cursor = window.editor.textCursor()
    assert cursor.block().text()[: cursor.positionInBlock()] == "labels: [news, transit"

    qtbot.keyClicks(window.editor, ", pol")  # anywhere in the label, any case
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    assert suggestions(window) == ["Local politics"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # the writer may move in the list first
    qtbot.keyClick(window.editor, Qt.Key.Key_Tab)  # a key that reaches the editor works too
    assert line_of(window, "labels:") == "labels: [news, transit, Local politics"
    window.editor.undo()
    assert line_of(window, "labels:") == "labels: [news, transit, pol", "one undo step"


def test_block_lists_and_escape(
    qtbot, blog_labels: BlogLabels, window: MainWindow, store: DraftStore
) -> None:
    open_draft(qtbot, window, store, "tags:\n  - news\n  - ")
    block = window.editor.document().findBlockByNumber(4)  # the empty item
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    window.editor.setTextCursor(cursor)
    popup = completer(window).popup
    qtbot.keyClicks(window.editor, "tr")
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    assert suggestions(window) == ["transit", "Travel"]
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert block.text() == "  - tr", "Escape changes nothing"
    qtbot.keyClicks(window.editor, "a")
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert block.text() == "  - Travel"
    assert "\n\n" not in window.editor.toPlainText().split("---")[1], "Tab added no line"


def test_typing_in_the_body_or_other_fields_offers_nothing(
    qtbot, blog_labels: BlogLabels, window: MainWindow, store: DraftStore
) -> None:
    open_draft(qtbot, window, store, "labels: []")
    lc = completer(window)
    for start, typing in (("The buses", " labels: [Tra"), ("title:", " tra")):
        put_cursor_at_end_of(window, start)
        before = lc.checks
        qtbot.keyClicks(window.editor, typing)
        qtbot.waitUntil(lambda before=before: lc.checks > before, timeout=10_000)
        assert not lc.popup.isVisible(), start
    text = window.editor.toPlainText()
    assert "run late. labels: [Tra]\n" in text and "title: Buses tra\n" in text


def test_the_drafts_labels_are_offered_and_read_off_the_gui_thread(
    qtbot,
    blog_labels: BlogLabels,
    store: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = store.new_draft("Old post")
    other.write_text("---\ntitle: Old post\nlabels: [Zoning board, TRANSIT]\n---\nWords.\n")
    threads: list[threading.Thread] = []

    def spying(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return draft_labels.known_labels(*args, **kwargs)

    monkeypatch.setattr(label_completer, "known_labels", spying)
    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load())  # reads them as it starts
    win.show()
    try:
        open_draft(qtbot, win, store, "labels: [zon")
        assert threads and threading.main_thread() not in threads
        assert "Zoning board" in completer(win).known
        assert "TRANSIT" not in completer(win).known, "the blog's spelling is offered"
        put_cursor_at_end_of(win, "labels:")
        popup = completer(win).popup
        qtbot.keyClicks(win.editor, "i")
        qtbot.waitUntil(popup.isVisible, timeout=10_000)
        assert suggestions(win) == ["Zoning board"]
        row = popup.visualRect(popup.model().index(0, 0))
        qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
        assert line_of(win, "labels:") == "labels: [Zoning board", "a click chooses too"
    finally:
        close_and_delete(win)


def test_refresh_picks_up_labels_saved_after_the_window_started(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    lc = completer(window)
    qtbot.waitUntil(lambda: lc._loaded_at is not None, timeout=5000)
    assert lc.known == []
    BlogLabels(app_paths()).save(BLOG, ["transit"])  # an import finished
    lc.refresh()
    lc.refresh()  # asked twice while reading: one more read, not a pile
    qtbot.waitUntil(lambda: lc.known == ["transit"], timeout=5000)


def test_the_checklist_warns_about_a_label_spelt_differently_on_the_blog(
    qtbot,
    blog_labels: BlogLabels,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.publishing.request_accounts.emit()
    qtbot.waitUntil(lambda: bool(getattr(window.publishing.accounts, "blogs", {})), timeout=5000)
    open_draft(qtbot, window, store, "labels: [local politics, transit]")
    shown: list[str] = []

    def fake_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        shown.extend(dialog.view.item(i).text() for i in range(dialog.view.count()))
        return 0

    monkeypatch.setattr("editor.ui.publish_dialogs.ChecklistDialog.exec", fake_exec)
    window.publishing.publish_action.trigger()
    assert shown == [
        "Label “local politics” differs from the blog's “Local politics” only in capitals or"
        " spaces; the blog would list them as two labels."
    ]
    assert window.publishing.busy_path is None and not server.blogger.posts.get("7001")
