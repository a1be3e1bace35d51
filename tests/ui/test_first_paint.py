"""Start-up in two steps (issue 17): the first paint shows the real window with the last draft's
text, read-only; the rest of the window arrives right after it, and only then does the draft
open for typing (locked, autosaved, watched). Start-up time: benchmarks/startup.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolBar

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.settings import Settings
from editor.ui.first_paint import FIRST_TEXT_LIMIT, MENU_TITLES, first_text
from editor.ui.main_window import MainWindow
from tests.ui.conftest import close_and_delete, type_at_end
from tests.ui.test_app_start import start_broadsheet, stop_broadsheet

DRAFT = "---\ntitle: Harbour\nlabels: [sea]\n---\n\nThe lantern swung over the quay.\n"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def two_step(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A window built as `broadsheet` builds it: only what the first paint shows."""
    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load(), defer_rest=True)
    yield win
    close_and_delete(win)


def write_draft(store: DraftStore, text: str = DRAFT, name: str = "harbour.md") -> Path:
    store.ensure()
    path = store.drafts_dir / name
    path.write_text(text, encoding="utf-8")
    return path.absolute()


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Open a draft and wait until it is open (the rest of the window may be busy starting)."""
    window.open_path(path)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == path, timeout=20_000)


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_the_first_paint_shows_the_text_read_only_and_typing_waits_for_the_opening(
    qtbot, two_step: MainWindow, store: DraftStore
) -> None:
    draft = write_draft(store)
    assert two_step.show_first_text(draft)
    two_step.show()
    qtbot.waitExposed(two_step)
    assert two_step.editor.toPlainText() == DRAFT
    assert two_step.editor.isReadOnly()
    assert not two_step.built and not hasattr(two_step, "files")  # no lock, no threads yet
    qtbot.keyClicks(two_step.editor, "lost ")
    assert two_step.editor.toPlainText() == DRAFT  # keys before the opening go nowhere
    two_step.build_rest()
    open_and_wait(qtbot, two_step, draft)
    assert not two_step.editor.isReadOnly() and two_step.doc is not None
    assert two_step.doc.lock is not None  # another window would open it read-only
    assert str(draft) in two_step.watcher.files()  # another program's change is noticed
    type_at_end(qtbot, two_step, " It creaked.")
    qtbot.waitUntil(lambda: "It creaked." in draft.read_text(encoding="utf-8"), timeout=10_000)


def test_the_panes_menus_and_toolbar_keep_their_places_when_the_rest_arrives(
    qtbot, store: DraftStore
) -> None:
    draft = write_draft(store)
    paths = app_paths()
    first = MainWindow(paths, Settings(paths.settings_file).load())  # remembers the panel
    first.show()
    open_and_wait(qtbot, first, draft)
    close_and_delete(first)  # the window's settings are written on close
    settings = Settings(paths.settings_file).load()
    settings.set("window_geometry", None)  # wide enough for every pane's least width
    settings.set("splitter_sizes", [240, 560, 560])
    win = MainWindow(paths, settings, defer_rest=True)
    try:
        win.show_first_text(draft)
        win.resize(1400, 860)
        win.show()
        qtbot.waitExposed(win)
        qtbot.wait(50)
        titles = menu_titles(win)
        toolbar = win.findChild(QToolBar, "publishToolbar")
        bar_height = toolbar.height()
        text_at = win.editor.viewport().mapTo(win, QPoint(0, 0))
        sizes = win.splitter.sizes()
        win.build_rest()
        open_and_wait(qtbot, win, draft)
        qtbot.wait(50)
        assert menu_titles(win) == titles == list(MENU_TITLES.values())
        assert win.findChildren(QToolBar) == [toolbar] and toolbar.height() == bar_height
        assert win.splitter.sizes() == sizes
        assert win.post_panel.isVisible()
        moved = win.editor.viewport().mapTo(win, QPoint(0, 0)) - text_at
        assert abs(moved.x()) <= 2 and abs(moved.y()) <= 2, moved  # the text did not jump
    finally:
        close_and_delete(win)


def test_keyboard_shortcuts_work_once_the_rest_has_arrived(
    qtbot, two_step: MainWindow, store: DraftStore
) -> None:
    draft = write_draft(store, "The lantern swung.\n")
    two_step.show_first_text(draft)
    two_step.show()
    two_step.activateWindow()
    two_step.build_rest()
    open_and_wait(qtbot, two_step, draft)
    cursor = two_step.editor.textCursor()
    cursor.setPosition(4)
    cursor.setPosition(11, cursor.MoveMode.KeepAnchor)  # "lantern"
    two_step.editor.setTextCursor(cursor)
    qtbot.keyClick(two_step.editor, Qt.Key.Key_B, CTRL)  # Format ▸ Bold
    assert two_step.editor.toPlainText() == "The **lantern** swung.\n"


def test_a_draft_that_cannot_be_opened_takes_its_first_paint_text_away(
    qtbot, two_step: MainWindow, store: DraftStore
) -> None:
    draft = write_draft(store)
    two_step.show_first_text(draft)
    two_step.show()
    two_step.build_rest()
    draft.unlink()  # gone between the first paint and the opening
    two_step.open_path(draft)
    qtbot.waitUntil(lambda: two_step.banner.isVisible(), timeout=20_000)
    assert two_step.doc is None
    assert two_step.editor.toPlainText() == "" and not two_step.editor.isReadOnly()


def test_a_window_closed_before_the_rest_is_built_closes_cleanly(
    qtbot, two_step: MainWindow, store: DraftStore
) -> None:
    draft = write_draft(store)
    two_step.show_first_text(draft)
    two_step.show()
    assert two_step.close()
    assert draft.read_text(encoding="utf-8") == DRAFT


def test_what_the_first_paint_cannot_show_waits_for_the_real_opening(tmp_path: Path) -> None:
    odd = tmp_path / "odd.md"
    odd.write_bytes(b"\xef\xbb\xbfline one\r\nline two\r\n")
    assert first_text(odd) == "line one\nline two\n"  # as the real load reads it
    odd.write_bytes(b"Caf\xe9\n")  # not UTF-8: the real load asks which encoding
    assert first_text(odd) is None
    odd.write_bytes(b"x" * 20_000)  # one line too long to lay out before the guard
    assert first_text(odd) is None
    odd.write_bytes(b"word \n" * (FIRST_TEXT_LIMIT // 6 + 1))
    assert first_text(odd) is None
    assert first_text(tmp_path / "missing.md") is None


# The heavy parts the first paint does without: Markdown, YAML and Pygments, the preview
# engine, and the modules of the panels that come after it.
NOT_BEFORE_FIRST_PAINT = (
    "markdown",
    "yaml",
    "pygments",
    "PySide6.QtWebEngineWidgets",
    "editor.ui.desk",
    "editor.ui.drafts_sidebar",
    "editor.ui.file_worker",
    "editor.ui.post_panel",
    "editor.ui.publishing",
    "editor.ui.workers",
)


def test_the_first_paint_imports_none_of_the_rest(store: DraftStore) -> None:
    draft = write_draft(store)
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, Qt\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from pathlib import Path\n"
        "from editor.core.paths import app_paths\n"
        "from editor.core.settings import Settings\n"
        "from editor.ui.app import initial_draft\n"
        "from editor.ui.main_window import MainWindow\n"
        "QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)\n"
        "app = QApplication([])\n"
        "paths = app_paths()\n"
        "settings = Settings(paths.settings_file).load()\n"
        "window = MainWindow(paths, settings, defer_preview=True, defer_rest=True)\n"
        f"assert window.show_first_text(initial_draft(paths, settings, Path({str(draft)!r})))\n"
        "window.show()\n"
        "app.processEvents()\n"
        f"print(','.join(m for m in {NOT_BEFORE_FIRST_PAINT!r} if m in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""


def test_the_real_process_shows_the_text_first_then_opens_the_draft_for_typing(
    broadsheet_home: Path, tmp_path: Path
) -> None:
    drafts = broadsheet_home / "data" / "drafts"
    drafts.mkdir(parents=True)
    draft = drafts / "harbour.md"
    draft.write_text(DRAFT, encoding="utf-8")
    text_report, writable_report = tmp_path / "text", tmp_path / "writable"
    env = {
        "BROADSHEET_REPORT_TEXT": str(text_report),
        "BROADSHEET_REPORT_WRITABLE": str(writable_report),
    }
    proc = start_broadsheet(broadsheet_home, tmp_path / "stderr.log", [str(draft)], env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not writable_report.exists():
            assert proc.poll() is None, (tmp_path / "stderr.log").read_text(errors="replace")
            time.sleep(0.05)
        assert text_report.exists() and writable_report.exists()
        assert float(text_report.read_text()) <= float(writable_report.read_text())
    finally:
        stop_broadsheet(proc)


def test_the_word_list_and_the_publish_queue_wait_until_the_draft_is_editable(
    qtbot, two_step: MainWindow, store: DraftStore
) -> None:
    """Both run on threads the opening needs (the file thread, the import lock): the
    opening goes first, and they follow once the draft is open for typing."""
    draft = write_draft(store)
    two_step.build_rest()
    spell, queue = two_step.desk.spell, two_step.publishing.queue
    assert spell.language and spell.held  # chosen, not read
    at_editable: dict[str, object] = {}

    def editable(_loaded: object) -> None:  # called after the window's own slot
        at_editable.update(
            read_only=two_step.editor.isReadOnly(),
            held=spell.held,
            speller=spell.speller,
            queue_read=queue.listed_once,
        )

    two_step.files.loaded.connect(editable)
    open_and_wait(qtbot, two_step, draft)
    assert at_editable == {"read_only": False, "held": True, "speller": None, "queue_read": False}
    qtbot.waitUntil(lambda: spell.speller is not None and queue.listed_once, timeout=20_000)
    assert not spell.held


def test_without_a_draft_to_open_the_start_up_jobs_start_at_once(
    qtbot, two_step: MainWindow
) -> None:
    two_step.build_rest()
    qtbot.waitUntil(lambda: two_step.desk.spell.speller is not None, timeout=20_000)
    qtbot.waitUntil(lambda: two_step.publishing.queue.listed_once, timeout=20_000)
