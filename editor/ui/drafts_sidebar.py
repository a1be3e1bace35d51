"""The drafts sidebar: title, date and word count of every draft, newest first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.drafts import DraftInfo

PATH_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1


class DraftsSidebar(QWidget):
    """Lists drafts; asks the window to open, create, rename or trash one."""

    open_requested = Signal(object)  # Path
    new_requested = Signal()
    rename_requested = Signal(object)  # Path
    trash_requested = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftsSidebar")
        header = QLabel("Drafts")
        header.setObjectName("sidebarHeader")
        new_button = QToolButton()
        new_button.setText("+ New")
        new_button.setToolTip("New draft (Ctrl+N)")
        new_button.clicked.connect(self.new_requested)
        top = QHBoxLayout()
        top.setContentsMargins(10, 8, 6, 4)
        top.addWidget(header)
        top.addStretch(1)
        top.addWidget(new_button)
        self.list = QListWidget()
        self.list.setObjectName("draftsList")
        self.list.setAccessibleName("Drafts")
        self.list.setStyleSheet(
            "QListWidget#draftsList { border: none; }"
            "QListWidget#draftsList::item { padding: 7px 10px;"
            " border-bottom: 1px solid palette(midlight); }"  # palette: readable in dark too
            # Styling ::item drops the style's selection background; without this rule the
            # open draft was drawn white on white.
            "QListWidget#draftsList::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.list.setUniformItemSizes(True)
        # A long title or state is cut with "…" (the tooltip has it all), never scrolled to.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setIconSize(QSize(0, 0))
        self.list.setSpacing(1)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self._current: Path | None = None

    def set_drafts(self, drafts: list[DraftInfo]) -> None:
        """Show these drafts (already sorted by last change)."""
        self.list.blockSignals(True)
        self.list.clear()
        for info in drafts:
            detail = info.problem or f"{info.date} · {info.words:,} words"
            if info.state and not info.problem:
                detail += f" · {info.state}"
            item = QListWidgetItem(f"{info.title}\n{detail}")
            item.setData(PATH_ROLE, str(info.path))
            item.setData(TITLE_ROLE, info.title)
            item.setToolTip(f"{info.path}\n{info.state}" if info.state else str(info.path))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.mark_current(self._current)

    def paths(self) -> list[Path]:
        """The listed draft paths, in order."""
        return [Path(self.list.item(i).data(PATH_ROLE)) for i in range(self.list.count())]

    def mark_current(self, path: Path | None) -> None:
        """Select the row of the open draft."""
        self._current = path
        self.list.blockSignals(True)
        self.list.clearSelection()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if path is not None and Path(item.data(PATH_ROLE)) == path:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def title_of(self, path: Path) -> str:
        """The listed title of the draft at `path` ("" when it is not listed)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if Path(item.data(PATH_ROLE)) == path:
                return str(item.data(TITLE_ROLE) or "")
        return ""

    def selected_path(self) -> Path | None:
        """The selected draft, if any."""
        item = self.list.currentItem()
        return Path(item.data(PATH_ROLE)) if item else None

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(Path(item.data(PATH_ROLE)))

    def _context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        menu = QMenu(self)
        menu.addAction("New Draft", self.new_requested.emit)
        if item is not None:
            path = Path(item.data(PATH_ROLE))
            menu.addAction("Open", lambda: self.open_requested.emit(path))
            menu.addAction("Rename…", lambda: self.rename_requested.emit(path))
            menu.addSeparator()
            trash = QAction("Move to Trash", menu)
            trash.triggered.connect(lambda: self.trash_requested.emit(path))
            menu.addAction(trash)
        menu.exec(self.list.mapToGlobal(pos))
