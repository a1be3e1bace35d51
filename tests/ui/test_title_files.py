"""A new draft's file takes its title's name once saved, on the file thread, losing nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMetaObject, Qt

from editor.core.drafts import DraftStore
from editor.core.post import retitled
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait


def settle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Wait until everything typed is saved and the file thread has done what was asked."""
    qtbot.waitUntil(lambda: not window.dirty, timeout=5000)
    QCoreApplication.processEvents()  # the rest of the news of that save: a rename is asked
    # a round trip through the file thread, behind any rename the last save asked for
    QMetaObject.invokeMethod(
        window.files, "list_drafts", Qt.ConnectionType.BlockingQueuedConnection
    )
    QCoreApplication.processEvents()  # what it said meanwhile ("moved") reaches the window
    qtbot.waitUntil(lambda: not window.dirty, timeout=5000)


def set_title(window: MainWindow, title: str) -> None:
    text = window.editor.toPlainText()
    window.editor.replace_text(retitled(text, title, window.doc.path.name))  # type: ignore[union-attr]


def new_untitled(qtbot, window: MainWindow, store: DraftStore) -> Path:  # type: ignore[no-untyped-def]
    window.new_draft()
    qtbot.waitUntil(lambda: window.doc is not None, timeout=5000)
    path = window.doc.path  # type: ignore[union-attr]
    assert path == (store.drafts_dir / "untitled.md").absolute()
    return path


def test_typing_a_title_renames_the_file_once_saved(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    old = new_untitled(qtbot, window, store)
    window.editor.insertPlainText("The quay at dawn.\n")
    window.save(snapshot="save")  # a version in the history, which must follow the draft
    settle(qtbot, window)
    assert window.doc.path == old  # type: ignore[union-attr]  # no title yet: still untitled
    set_title(window, "Harbour days")
    qtbot.waitUntil(lambda: window.doc.path.name == "harbour-days.md", timeout=5000)  # type: ignore[union-attr]
    settle(qtbot, window)
    new = window.doc.path  # type: ignore[union-attr]
    assert not old.exists()
    assert "title: Harbour days" in new.read_text() and "The quay at dawn." in new.read_text()
    assert window.history.snapshots(new) and not window.history.snapshots(old)
    assert "Harbour days" in window.windowTitle()
    assert window.settings.get("last_draft") == str(new)
    # and it keeps following while unpublished
    set_title(window, "Harbour nights")
    qtbot.waitUntil(lambda: window.doc.path.name == "harbour-nights.md", timeout=5000)  # type: ignore[union-attr]
    settle(qtbot, window)
    assert sorted(p.name for p in store.draft_paths()) == ["harbour-nights.md"]


def test_a_published_draft_is_not_renamed(qtbot, window: MainWindow, store: DraftStore) -> None:
    path = store.drafts_dir / "untitled.md"
    store.ensure()
    path.write_text(
        "---\ntitle: Untitled\nstatus: live\npublish:\n  blogger-7:\n    id: '42'\n"
        "    url: https://example.blogspot.com/untitled.html\n---\n\nWords.\n"
    )
    open_and_wait(qtbot, window, path.absolute())
    set_title(window, "Harbour days")
    settle(qtbot, window)
    assert window.doc.path.name == "untitled.md"  # type: ignore[union-attr]
    assert "title: Harbour days" in path.read_text()
    assert [p.name for p in store.draft_paths()] == ["untitled.md"]


def test_no_rename_while_the_draft_is_being_published(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    old = new_untitled(qtbot, window, store)
    window.publishing.busy_path = old  # as during a publish: its record comes back to this name
    set_title(window, "Harbour days")
    settle(qtbot, window)
    assert window.doc.path == old and old.exists()  # type: ignore[union-attr]
    window.publishing.busy_path = None  # published (no record: it failed); the next save renames
    window.editor.insertPlainText("More.\n")
    qtbot.waitUntil(lambda: window.doc.path.name == "harbour-days.md", timeout=5000)  # type: ignore[union-attr]


def test_a_name_the_writer_chose_is_kept(qtbot, window: MainWindow, store: DraftStore) -> None:
    path = store.new_draft("Harbour days")
    chosen = path.rename(path.with_name("notes.md"))
    open_and_wait(qtbot, window, chosen.absolute())
    set_title(window, "Harbour nights")
    settle(qtbot, window)
    assert window.doc.path.name == "notes.md"  # type: ignore[union-attr]


def test_two_drafts_with_the_same_title_get_distinct_names(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    first = store.new_draft("Harbour days", body="The first.\n")
    new_untitled(qtbot, window, store)
    window.editor.insertPlainText("The second.\n")
    set_title(window, "Harbour days")
    qtbot.waitUntil(lambda: window.doc.path.name == "harbour-days-2.md", timeout=5000)  # type: ignore[union-attr]
    settle(qtbot, window)
    assert "The first." in first.read_text() and "The second." not in first.read_text()
    assert "The second." in window.doc.path.read_text()  # type: ignore[union-attr]
    # saving again does not rename the twin back and forth
    window.editor.insertPlainText("More.\n")
    settle(qtbot, window)
    assert window.doc.path.name == "harbour-days-2.md"  # type: ignore[union-attr]


def test_typing_during_the_rename_loses_nothing(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    old = new_untitled(qtbot, window, store)
    assets = old.with_name("untitled.assets")
    assets.mkdir()
    (assets / "quay.jpg").write_bytes(b"jpeg")
    window.editor.insertPlainText("![Quay](untitled.assets/quay.jpg)\n")
    settle(qtbot, window)
    typed: list[str] = []

    def type_while_renaming(_path: Path) -> None:
        # The rename is queued on the file thread; the writer goes on typing, and this save
        # is queued behind it, still for the old name.
        if not typed:
            window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
            window.editor.insertPlainText("Typed during the rename.\n")
            typed.append("x")
            window.save()

    window.title_files.request_follow.connect(type_while_renaming)
    news: list[object] = []
    window.files.external_change.connect(news.append)  # "deleted by another program"?
    set_title(window, "Harbour days")
    qtbot.waitUntil(lambda: window.doc.path.name == "harbour-days.md", timeout=5000)  # type: ignore[union-attr]
    window.editor.insertPlainText("And after it.\n")
    settle(qtbot, window)
    new = window.doc.path  # type: ignore[union-attr]
    on_disk = new.read_text()
    assert typed and "Typed during the rename." in on_disk and "And after it." in on_disk
    assert on_disk == window.editor.toPlainText()
    assert "](harbour-days.assets/quay.jpg)" in on_disk  # the picture's link followed
    assert (new.with_name("harbour-days.assets") / "quay.jpg").read_bytes() == b"jpeg"
    assert not old.exists() and not assets.exists()
    assert window.doc.conflict is None and not window.banner.isVisible()  # type: ignore[union-attr]
    assert window.recovery.get(old) is None and window.recovery.get(new) is None
    assert news == []  # the save queued for the old name went to the new file


# ------------------------------------------------------------------- names in messages


def test_export_suggests_the_title_and_remembers_the_folder(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path, monkeypatch
) -> None:
    path = store.new_draft("Harbour days", body="Words on the quay.\n")
    chosen = path.rename(path.with_name("notes.md")).absolute()  # a name unlike the title
    open_and_wait(qtbot, window, chosen, "Words on the quay.")
    qtbot.waitUntil(lambda: window.rendered_title == "Harbour days", timeout=5000)
    asked: list[str] = []
    out = tmp_path / "exports"
    out.mkdir()

    def choose(_parent, _caption, suggested, _filter):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return (str(out / "mine.html"), "") if len(asked) == 1 else ("", "")

    monkeypatch.setattr("editor.ui.export.QFileDialog.getSaveFileName", choose)
    with qtbot.waitSignal(window.exporter.exported, timeout=10000):
        window.exporter.ask_html()
    assert asked[0] == str(chosen.parent / "harbour-days.html")  # the draft's folder at first
    assert (out / "mine.html").exists()
    window.exporter.ask_pdf()  # cancelled: nothing exported
    assert asked[1] == str(out / "harbour-days.pdf")  # the folder of the last export
    assert window.settings.get("export_folder") == str(out)


def test_messages_name_the_title_not_the_file(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch
) -> None:
    path = store.new_draft("Untitled", body="Words.\n")
    path.write_text(path.read_text().replace("Untitled", "Harbour days"))
    named = path.rename(path.with_name("untitled-7.md")).absolute()
    store.new_draft("Other post")
    open_and_wait(qtbot, window, named)
    qtbot.waitUntil(lambda: window.rendered_title == "Harbour days", timeout=5000)
    window._on_overwrote(named)
    assert "“Harbour days”" in window.banner.text() and "untitled-7" not in window.banner.text()
    # the rename dialog offers another draft's title, not its file name
    other = (store.drafts_dir / "other-post.md").absolute()
    window.refresh_drafts()
    qtbot.waitUntil(lambda: other in window.sidebar.paths(), timeout=5000)
    offered: list[str] = []

    def ask(_parent, _title, _label, text=""):  # type: ignore[no-untyped-def]
        offered.append(text)
        return "", False

    monkeypatch.setattr("editor.ui.main_window.QInputDialog.getText", ask)
    window.rename_draft(other)
    assert offered == ["Other post"]
    # and the status bar says which post went to the trash
    window._on_trashed(other)
    assert "“Other post”" in window.statusBar().currentMessage()
