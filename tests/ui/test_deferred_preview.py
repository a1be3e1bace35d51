"""At start-up the preview engine starts after the window's first paint (issue 17): until
then a placeholder holds the preview's place, shows and hides for it, and a draft opened
meanwhile is shown as soon as the page is made. Start-up time: benchmarks/startup.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWebEngineCore import QWebEnginePage

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.settings import Settings
from editor.ui.main_window import MainWindow
from editor.ui.preview_pane import PreviewPage
from tests.ui.conftest import close_and_delete, open_and_wait, wait_for_preview


@pytest.fixture
def deferred(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A window built as `broadsheet` starts it: the preview deferred, shown at once."""
    paths = app_paths()
    win = MainWindow(paths, Settings(paths.settings_file).load(), defer_preview=True)
    yield win
    close_and_delete(win)


def has_page(window: MainWindow) -> bool:
    return window.preview.findChild(QWebEnginePage) is not None


def test_the_window_paints_before_the_engine_starts_and_the_preview_follows(
    qtbot, deferred: MainWindow, store: DraftStore
) -> None:
    store.ensure()
    draft = store.drafts_dir / "harbour.md"
    draft.write_text("---\ntitle: Harbour\n---\n\nThe lantern swung.\n", encoding="utf-8")
    placeholder = deferred.preview.placeholder
    assert placeholder is not None and deferred.splitter.indexOf(placeholder) == 2
    deferred.show()
    deferred.preview.activate_after_paint(deferred.editor.viewport())
    assert not has_page(deferred)  # showing the window did not start Chromium
    deferred.open_path(draft)  # the draft may arrive before the page is made
    qtbot.waitUntil(lambda: deferred.preview.placeholder is None, timeout=5000)
    assert isinstance(deferred.preview.page(), PreviewPage)
    assert deferred.splitter.indexOf(deferred.preview) == 2
    assert deferred.preview.isVisible()
    open_and_wait(qtbot, deferred, draft)
    wait_for_preview(qtbot, deferred.preview, "The lantern swung.")


def test_while_deferred_the_placeholder_shows_and_hides_for_the_preview(
    qtbot, deferred: MainWindow
) -> None:
    deferred.show()
    placeholder = deferred.preview.placeholder
    assert placeholder is not None
    size = placeholder.width()
    deferred.preview_action.trigger()  # View ▸ Show Preview off (Ctrl+2)
    assert deferred.preview.isHidden() and placeholder.isHidden()
    assert not deferred.preview.isVisible()
    deferred.preview_action.trigger()
    assert not deferred.preview.isHidden() and placeholder.isVisible()
    deferred.preview_action.trigger()  # hidden when the engine starts: it stays hidden
    deferred.preview.activate()
    assert deferred.preview.isHidden() and has_page(deferred)
    deferred.preview_action.trigger()
    qtbot.waitUntil(lambda: deferred.preview.isVisible(), timeout=5000)
    assert abs(deferred.preview.width() - size) <= 2  # it took the placeholder's place


def test_a_window_that_is_not_deferred_has_its_page_at_once(window: MainWindow) -> None:
    assert window.preview.placeholder is None and isinstance(window.preview.page(), PreviewPage)


def test_a_window_closed_before_its_first_paint_never_starts_the_engine(
    qtbot, deferred: MainWindow
) -> None:
    """A quit right after the start (or a window never shown): the late activation does
    nothing, so no page outlives the window and the engine's profile at exit."""
    deferred.preview.activate_after_paint(deferred.editor.viewport())
    deferred.preview.activate()  # as the one-second fallback would, before any paint
    assert deferred.preview.placeholder is not None and not has_page(deferred)
    deferred.show()
    deferred.close()
    deferred.preview.activate()  # the fallback firing after the window closed
    assert deferred.preview.placeholder is not None and not has_page(deferred)
