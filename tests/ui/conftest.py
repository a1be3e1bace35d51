"""GUI fixtures: a real main window (offscreen) with a real QWebEngineView preview."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
from PySide6.QtWidgets import QApplication

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.settings import Settings
from editor.ui.main_window import MainWindow
from editor.ui.preview_pane import PreviewPane
from editor.ui.workers import wait_for_retired_threads


@pytest.fixture
def store() -> DraftStore:
    """The drafts store of the temporary BROADSHEET_HOME."""
    paths = app_paths()
    return DraftStore(paths.drafts_dir, paths.trash_dir)


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A shown main window; closed (threads joined) after the test."""
    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load())
    win.show()
    win.activateWindow()
    yield win
    close_and_delete(win)


def close_and_delete(win: MainWindow) -> None:
    """Close a window and delete it now: a WebEngine page must die before its profile."""
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    wait_for_retired_threads()  # a closed dialog's worker finishing its network call


@pytest.fixture(scope="session", autouse=True)
def _delete_leftover_widgets() -> Iterator[None]:
    """At the end of the run, delete every top-level widget before Qt shuts down."""
    yield
    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def page_eval(qtbot, preview: PreviewPane, script: str, timeout: int = 5000) -> object:  # type: ignore[no-untyped-def]
    """Evaluate `script` in the preview page (isolated world) and return its result."""
    box: dict[str, object] = {}
    preview.run_in_page(script, lambda result: box.setdefault("r", result))
    qtbot.waitUntil(lambda: "r" in box, timeout=timeout)
    return box["r"]


def preview_text(qtbot, preview: PreviewPane) -> str:  # type: ignore[no-untyped-def]
    """The visible text of the post in the preview page."""
    text = page_eval(qtbot, preview, "(document.getElementById('content') || {}).innerText || ''")
    return text if isinstance(text, str) else ""


def wait_for_preview(qtbot, preview: PreviewPane, needle: str, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the preview page's DOM shows `needle`."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        last = preview_text(qtbot, preview)
        if needle in last:
            return
        qtbot.wait(30)
    raise AssertionError(f"preview never showed {needle!r}; it shows {last[:300]!r}")


def type_at_end(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a person at the end of the text (real key events, Return for newlines)."""
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(window.editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(window.editor, line)


def open_and_wait(qtbot, window: MainWindow, path: Path, needle: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Open a draft and wait until it is in the editor (and its text in the preview)."""
    window.open_path(path)
    # The file is read on the file worker: on a loaded machine that can take seconds.
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == path, timeout=20000)
    if needle:
        wait_for_preview(qtbot, window.preview, needle)
