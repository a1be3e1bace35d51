"""A note in the status bar when the preview takes long to catch up with the text.

Rendering runs on its own thread, so the window never waits for it; but a pasted megabyte of
unusual Markdown can keep the renderer busy for seconds, and meanwhile the preview shows the
last version it rendered. After a second without an answer the status bar says so, until the
new render arrives.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

WAIT_MS = 1000
NOTE = (
    "The preview is catching up (a long or unusual part takes a moment); it shows the last"
    " version until then."
)


class SlowRenderNote(QObject):
    """Shows `NOTE` while a render has been running longer than `WAIT_MS`."""

    def __init__(self, status_bar: QStatusBar, wait_ms: int = WAIT_MS) -> None:
        super().__init__(status_bar)
        self.label = QLabel(NOTE)
        self.label.setAccessibleName("Preview status")
        self.label.setWordWrap(False)
        self.label.hide()
        status_bar.addWidget(self.label, 1)
        self.timer = QTimer(self, singleShot=True, interval=wait_ms)
        self.timer.timeout.connect(self.label.show)

    def started(self, *_request: object) -> None:
        """A render was asked for (a later one keeps the first one's clock)."""
        if not self.timer.isActive() and not self.label.isVisible():
            self.timer.start()

    def finished(self, *_result: object) -> None:
        """A render arrived: the preview is current again (or the next render is asked)."""
        self.timer.stop()
        self.label.hide()
