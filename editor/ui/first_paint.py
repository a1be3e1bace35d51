"""The window's first paint (issue 17): what start-up shows before the rest of the window.

Start-up builds the window in two steps. The first shows the real window, its panes in their
places and the last draft's text in the editor, read-only; everything else (menus' actions,
the drafts list, the post panel, highlighting, spelling, the preview engine, publishing, the
draft's lock, autosave and the file watch) is imported and built right after that paint
(editor/ui/window_parts.py), and only then does the draft open for typing. The text shown
first is the file's bytes as UTF-8: anything else (another encoding, a huge file, a line
too long to lay out quickly) waits for the real load, which always follows.

This module imports only what the first paint needs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from editor.core.settings import Settings
from editor.core.text_limits import LONG_LINE

FIRST_TEXT_LIMIT = 4_000_000  # bytes: a bigger draft opens through the real load only
# The top-level menus, in the order the menu bar shows them; each part fills its own.
MENU_TITLES = {
    "file": "&File",
    "edit": "&Edit",
    "format": "F&ormat",
    "insert": "&Insert",
    "view": "&View",
    "publish": "&Publish",
    "help": "&Help",
}
# What the publishing toolbar holds once built (editor/ui/publishing.py): shown greyed out
# first, so the toolbar has its final size from the first paint on.
TOOLBAR_TEXTS = ("Read More ✂", "Publish", "Open in Browser")
SPLITTER_SIZES = [240, 580, 580]  # drafts | text | preview, until the writer moves them
POST_PANEL_SIZE = "post_panel_size"  # its least width and its height when the window closed


def first_text(path: Path) -> str | None:
    """The draft's text for the first paint, or None when only the real load may say."""
    try:
        if path.stat().st_size > FIRST_TEXT_LIMIT:
            return None
        data = path.read_bytes()
    except OSError:
        return None  # the real load says what is wrong, in a sentence
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # the real load asks which encoding it is
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(len(line) > LONG_LINE for line in text.split("\n")):
        return None  # laid out by the long-line guard, which comes with the rest
    return text


def build_menus(window: QMainWindow) -> dict[str, QMenu]:
    """The menu bar's top-level menus, empty, in their final order."""
    bar = window.menuBar()
    return {key: bar.addMenu(title) for key, title in MENU_TITLES.items()}


def build_toolbar(window: QMainWindow) -> QToolBar:
    """The publishing toolbar with its final buttons greyed out (they work once built)."""
    toolbar = QToolBar("Publishing", window)
    toolbar.setObjectName("publishToolbar")
    toolbar.setMovable(False)
    for text in TOOLBAR_TEXTS:
        toolbar.addAction(text).setEnabled(False)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar


def placeholder(name: str, accessible: str) -> QWidget:
    """A plain pane that holds a place in the splitter until the real pane is built."""
    widget = QWidget()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setAutoFillBackground(True)  # the page's colour, near enough
    widget.setBackgroundRole(QPalette.ColorRole.Base)
    return widget


def post_panel_slot(settings: Settings) -> QWidget:
    """Holds the post panel's place above the text until it is built, as tall (and at least as
    wide) as it was when the window last closed, so the text does not move when it comes."""
    slot = QWidget()
    slot.setObjectName("postPanelPlaceholder")
    size = settings.get(POST_PANEL_SIZE)
    valid = isinstance(size, list) and len(size) == 2
    if valid and all(isinstance(n, int) and 0 <= n <= 4000 for n in size):
        slot.setMinimumWidth(size[0])
        slot.setFixedHeight(size[1])
    else:
        slot.setFixedHeight(0)
    return slot


def remembered_size(panel: QWidget) -> list[int]:
    """What `post_panel_slot` reads at the next start: [least width, height] (0 when hidden)."""
    if panel.isHidden():
        return [0, 0]
    return [panel.minimumSizeHint().width(), panel.height()]


class FirstPaint(QObject):
    """Calls `then` (once) right after `widget` first paints, or when `fire` is called."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """A paint: call `then` once it has been shown (the next turn of the event loop)."""
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self.fire)
        return False

    def fire(self) -> None:
        """Call `then` now, unless it was called already or the widget is gone."""
        if self.then is None or not shiboken6.isValid(self):
            return
        then, self.then = self.then, None
        self.widget.removeEventFilter(self)
        then()


def after_first_paint(widget: QWidget, then: Callable[[], None], fallback_ms: int) -> None:
    """Call `then` once `widget` has painted, or after `fallback_ms` (never painted)."""
    watcher = FirstPaint(widget, then)
    QTimer.singleShot(fallback_ms, watcher, watcher.fire)
