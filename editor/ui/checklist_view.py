"""The pre-publish checklist as a small list (for the publish dialog to embed).

Errors (red, blocking) come first, then warnings (amber, "publish anyway" allowed); an empty
checklist says so in green. The dialog decides what the buttons do: `has_errors()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QStyle, QWidget

if TYPE_CHECKING:
    from editor.core.checklist import CheckItem

COLOURS = {"error": "#c62828", "warning": "#a86400", "ok": "#2e7d32"}
DARK_COLOURS = {"error": "#ff8a80", "warning": "#ffcc80", "ok": "#a5d6a7"}
ALL_CLEAR = "Ready to publish: nothing to check."


class ChecklistView(QListWidget):
    """Shows `CheckItem`s, one line each, with an icon and a colour per level."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistView")
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self._items: list[CheckItem] = []

    def set_items(self, items: list[CheckItem]) -> None:
        """Show a new checklist (the result of `check_post`)."""
        self._items = list(items)
        self.clear()
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        colours = DARK_COLOURS if dark else COLOURS
        style = self.style()
        icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            "ok": style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
        }
        rows = [(item.level, item.text) for item in self._items] or [("ok", ALL_CLEAR)]
        for level, text in rows:
            row = QListWidgetItem(icons[level], text)
            row.setForeground(QColor(colours[level]))
            row.setData(Qt.ItemDataRole.UserRole, level)
            row.setToolTip("Blocks publishing" if level == "error" else "")
            self.addItem(row)

    def check_items(self) -> list[CheckItem]:
        """The checklist shown now."""
        return list(self._items)

    def has_errors(self) -> bool:
        """True when something blocks publishing (the dialog disables Publish)."""
        return any(item.blocks_publishing for item in self._items)

    def has_warnings(self) -> bool:
        """True when the dialog should offer "Publish anyway"."""
        return any(not item.blocks_publishing for item in self._items)
