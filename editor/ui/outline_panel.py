"""The outline panel: the draft's headings as a tree; click one to go there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from editor.core.outline import Heading, section_at

LINE_ROLE = Qt.ItemDataRole.UserRole


class OutlinePanel(QWidget):
    """Shows headings nested by level and marks the section the cursor is in."""

    jump_requested = Signal(int)  # document line of the heading

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlinePanel")
        self.tree = QTreeWidget()
        self.tree.setObjectName("outlineTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setStyleSheet("QTreeWidget#outlineTree { border: none; }")
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.headings: tuple[Heading, ...] = ()
        self.items: list[QTreeWidgetItem] = []

    def set_headings(self, headings: tuple[Heading, ...]) -> None:
        """Show these headings (nothing is rebuilt when they did not change)."""
        if headings == self.headings:
            return
        self.headings = headings
        self.tree.clear()
        self.items = []
        parents: list[tuple[int, QTreeWidgetItem]] = []  # (level, item) of open sections
        for heading in headings:
            while parents and parents[-1][0] >= heading.level:
                parents.pop()
            item = QTreeWidgetItem([heading.title or "(untitled)"])
            item.setData(0, LINE_ROLE, heading.line)
            item.setToolTip(0, heading.title)
            if parents:
                parents[-1][1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            parents.append((heading.level, item))
            self.items.append(item)
        self.tree.expandAll()

    def follow(self, line: int) -> None:
        """Select the heading of the section holding document line `line`."""
        index = section_at(self.headings, line)
        self.tree.blockSignals(True)
        if index is None:
            self.tree.clearSelection()
        else:
            item = self.items[index]
            if self.tree.currentItem() is not item:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
        self.tree.blockSignals(False)

    def current_line(self) -> int | None:
        """The line of the selected heading."""
        item = self.tree.currentItem()
        return None if item is None else int(item.data(0, LINE_ROLE))

    def _clicked(self, item: QTreeWidgetItem) -> None:
        self.jump_requested.emit(int(item.data(0, LINE_ROLE)))
