""" "Waiting to publish: N" in the status bar: there while posts wait, a click opens the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget


class QueueIndicator(QToolButton):
    """A flat status-bar button; hidden while nothing waits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setObjectName("queueIndicator")
        self.count = 0
        self.show_count(0)

    def show_count(self, count: int, note: str = "") -> None:
        """Show how many posts wait (hidden at 0); `note` says why they wait, if known."""
        self.count = count
        text = f"Waiting to publish: {count}"
        self.setText(text)
        self.setAccessibleName(text)
        tip = note or "Posts waiting for the blog to answer; they go out by themselves."
        self.setToolTip(f"{tip}\nClick to see them (Publish ▸ Waiting to Publish…).")
        self.setAccessibleDescription(tip)
        self.setVisible(count > 0)
