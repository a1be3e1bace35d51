"""The main window: typing reaches the preview, saving is atomic, autosave, titles, bad files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage

from editor.core import atomic, checked_save
from editor.core.drafts import DraftStore
from editor.core.post import parse_post
from editor.ui.main_window import MainWindow
from tests.ui.conftest import (
    close_and_delete,
    open_and_wait,
    page_eval,
    preview_text,
    type_at_end,
    wait_for_preview,
)


def test_typing_reaches_the_preview_without_reloading_the_page(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Live", body="First paragraph here.\n")
    open_and_wait(qtbot, window, path, "First paragraph here.")
    reloads: list[bool] = []
    window.preview.loadFinished.connect(reloads.append)
    type_at_end(qtbot, window, "\nFresh words typed live")
    wait_for_preview(qtbot, window.preview, "Fresh words typed live")
    assert reloads == [], "the page content is swapped, never reloaded"


def test_cursor_is_in_the_editor_when_a_draft_opens(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Focus", body="Body\n")
    window.preview.setFocus()
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(window.editor.hasFocus, timeout=10_000)
    qtbot.keyClicks(window.editor, "X")
    post = parse_post(window.editor.toPlainText())
    assert post.title == "Focus", "typing starts in the body, not inside the front matter"
    assert post.body.startswith("X")


def test_title_shows_post_title_unsaved_marker_and_app_name(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("My Essay", body="Body\n")
    open_and_wait(qtbot, window, path, "Body")
    qtbot.waitUntil(lambda: window.windowTitle() == "My Essay[*] — Broadsheet", timeout=10_000)
    assert not window.isWindowModified()
    type_at_end(qtbot, window, "more")
    assert window.isWindowModified()
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=10_000)


def test_ctrl_s_saves_through_a_temp_file_and_replace(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.new_draft("Atomic", body="Start.\n")
    open_and_wait(qtbot, window, path, "Start.")
    replaced: list[tuple[str, str]] = []
    real_replace, real_exchange = os.replace, checked_save.rename_exchange

    def spy(source: str, target: str) -> None:
        replaced.append((source, target))
        real_replace(source, target)

    def spy_exchange(source: Path, target: Path) -> bool:
        replaced.append((str(source), str(target)))  # the swap that knows what it replaced
        return real_exchange(source, target)

    monkeypatch.setattr(atomic.os, "replace", spy)
    monkeypatch.setattr(checked_save, "rename_exchange", spy_exchange)
    type_at_end(qtbot, window, "Saved by hand.")
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Saved by hand." in path.read_text(), timeout=10_000)
    into_draft = [source for source, target in replaced if Path(target) == path]
    assert into_draft, "the save replaced the file with a fully written temp file"
    assert all(Path(s).parent == path.parent for s in into_draft)
    assert all(Path(s).name.startswith(".atomic.md.") for s in into_draft)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_autosave_within_two_seconds_of_the_last_keystroke(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Auto", body="Start.\n")
    open_and_wait(qtbot, window, path, "Start.")
    type_at_end(qtbot, window, "Autosaved words")
    typed_at = time.monotonic()
    qtbot.waitUntil(lambda: "Autosaved words" in path.read_text(), timeout=4000)
    assert time.monotonic() - typed_at <= 2.0
    # the file is replaced on the file thread just before its "saved" signal reaches the window
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=1000)


def test_closing_the_window_saves_unsaved_text(qtbot, store: DraftStore) -> None:
    from editor.core.paths import app_paths
    from editor.core.settings import Settings

    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load())
    win.show()
    path = store.new_draft("Closing", body="Start.\n")
    open_and_wait(qtbot, win, path)
    type_at_end(qtbot, win, "Typed just before quitting")
    close_and_delete(win)
    assert "Typed just before quitting" in path.read_text()
    assert Settings(paths.settings_file).load().get("last_draft") == str(path)


def test_malformed_front_matter_opens_with_a_warning_and_is_not_rewritten(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    path = store.drafts_dir / "broken.md"
    original = b"---\ntitle: [oops\nlabels: x\n---\nThe body survives.\n"
    path.write_bytes(original)
    open_and_wait(qtbot, window, path, "The body survives.")
    qtbot.waitUntil(lambda: "front matter is not valid YAML" in window.banner.text(), timeout=10000)
    assert window.banner.isVisible()
    qtbot.wait(2200)  # longer than autosave: nothing may be written without an edit
    assert path.read_bytes() == original


def test_invalid_utf8_is_refused_and_never_overwritten(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    path = store.drafts_dir / "latin1.md"
    data = b"Caf\xe9 cr\xe8me\n"
    path.write_bytes(data)
    window.open_path(path)
    qtbot.waitUntil(lambda: "not valid UTF-8" in window.banner.text(), timeout=10_000)
    assert window.doc is None
    window.save()
    assert path.read_bytes() == data


def test_local_images_next_to_the_draft_load_and_post_scripts_do_not_run(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    from editor.ui.app import install_sample

    path = install_sample(store)
    open_and_wait(qtbot, window, path, "Type on the left")
    qtbot.waitUntil(
        lambda: (page_eval(qtbot, window.preview, "document.images[0].naturalWidth") or 0) > 0,
        timeout=5000,
    )
    type_at_end(
        qtbot,
        window,
        "\n<script>document.title='pwned'</script><img src=nope onerror=\"document.title='pwned'\">"
        "\nafter the script\n",
    )
    wait_for_preview(qtbot, window.preview, "after the script")
    qtbot.wait(300)
    assert window.preview.page().title() != "pwned"


def test_clicked_links_open_in_the_system_browser(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "editor.ui.preview_pane.QDesktopServices.openUrl", lambda url: opened.append(url.toString())
    )
    page = window.preview.page()
    link = QWebEnginePage.NavigationType.NavigationTypeLinkClicked
    assert page.acceptNavigationRequest(QUrl("https://example.org/x"), link, True) is False
    assert opened == ["https://example.org/x"]
    other = QWebEnginePage.NavigationType.NavigationTypeOther
    assert page.acceptNavigationRequest(QUrl("https://evil.example/"), other, True) is False


def test_preview_text_matches_the_rendered_body(
    qtbot, window: MainWindow, store: DraftStore, essay_text: str
) -> None:
    store.ensure()
    path = store.drafts_dir / "essay.md"
    path.write_text(essay_text, encoding="utf-8")
    open_and_wait(qtbot, window, path, "If this essay helped you")
    text = preview_text(qtbot, window.preview)
    assert "title: A Long Essay" not in text, "front matter is not part of the post"
    assert window.windowTitle().startswith("A Long Essay on Organizing")
