"""The drafts sidebar: every draft (title, date, words), searchable and filtered, newest first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.drafts import DraftInfo
from editor.core.library_query import LibraryAnswer, LibraryQuery
from editor.ui.library_view import (
    PATH_ROLE,
    TITLE_ROLE,
    DraftsListView,
    LibraryFilters,
    LibraryModel,
)

__all__ = ["PATH_ROLE", "TITLE_ROLE", "DraftsSidebar"]


class DraftsSidebar(QWidget):
    """Lists drafts; asks the window to open, create, rename or trash one."""

    open_requested = Signal(object)  # Path
    new_requested = Signal()
    rename_requested = Signal(object)  # Path
    trash_requested = Signal(object)  # Path
    search_requested = Signal(object)  # LibraryQuery (answered by FileWorker.search)
    snippets_requested = Signal(object, object)  # LibraryQuery, list[Path] shown without one
    listed = Signal(int)  # the whole library was listed: how many drafts

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
        self.filters = LibraryFilters()
        self.filters.changed.connect(self._ask)
        self.filters.search.down.connect(self.focus_list)
        self.filters.escaped_empty.connect(self.focus_list)
        self.model = LibraryModel()
        self._snippet_timer = QTimer(self, singleShot=True, interval=0)  # one ask per repaint
        self._snippet_timer.timeout.connect(self._ask_snippets)
        self.model.snippets_wanted.connect(self._snippet_timer.start)
        self.list = DraftsListView(self.model)
        self.list.setObjectName("draftsList")
        self.list.setAccessibleName("Drafts")
        self.list.setStyleSheet("QListView#draftsList { border: none; }")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.activated.connect(self._activated)
        self.list.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.list)
        self._current: Path | None = None
        self._listing: list[DraftInfo] = []
        self._serial = 0  # of the last query asked: a late answer to an older one is dropped
        self._shown: LibraryQuery = LibraryQuery()

    def connect_worker(self, worker: QObject) -> None:
        """Searches go to the file thread's `search`; its answers come back here."""
        self.search_requested.connect(worker.search)  # type: ignore[attr-defined]
        worker.found.connect(self.show_answer)  # type: ignore[attr-defined]
        self.snippets_requested.connect(worker.snippets)  # type: ignore[attr-defined]
        worker.found_snippets.connect(self.show_snippets)  # type: ignore[attr-defined]

    def set_drafts(self, drafts: list[DraftInfo]) -> None:
        """The whole library (sorted by last change) has been listed: show it, or ask again
        for the search or filters in use, so that a saved draft shows up in their results."""
        self._listing = drafts
        if self._shown.is_everything():
            self._show(drafts, with_snippets=False)
        self._ask()
        self.listed.emit(len(drafts))

    def show_answer(self, query: LibraryQuery, answer: LibraryAnswer | None) -> None:
        """Show the file thread's answer to the last query (an answer to an older one is late)."""
        if query.serial != self._serial:
            return
        self._shown = query
        if answer is None:  # the index failed: the plain list still tells
            self._show(self._listing, with_snippets=False)
            return
        self.filters.set_choices(answer.labels, answer.years, answer.blogs)
        if answer.hits is None:
            self._show(self._listing, with_snippets=False)
        else:
            self._show(answer.hits, with_snippets=query.searches())

    def show_snippets(self, query: LibraryQuery, snippets: dict[Path, str]) -> None:
        """Snippets for rows shown without one (dropped if another search is shown now)."""
        if query == self._shown:
            self.model.add_snippets(snippets)

    def _ask_snippets(self) -> None:
        paths, self.model.wanted = sorted(self.model.wanted), set()
        if paths and self._shown.searches():
            self.snippets_requested.emit(self._shown, paths)

    def _ask(self) -> None:
        self._serial += 1
        self.search_requested.emit(self.filters.query(self._serial))

    def _show(self, rows: list, *, with_snippets: bool) -> None:  # type: ignore[type-arg]
        self.model.set_rows(rows, with_snippets=with_snippets)
        self.filters.show_count(len(rows))
        self.mark_current(self._current)

    def focus_search(self) -> None:
        """Ctrl+Shift+F: into the search box, its text selected to type over."""
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def focus_list(self) -> None:
        """Into the list, on its current row (or the first)."""
        if not self.list.currentIndex().isValid() and self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def paths(self) -> list[Path]:
        """The listed draft paths, in order."""
        return [row.path for row in self.model.rows]

    def mark_current(self, path: Path | None) -> None:
        """Select the row of the open draft."""
        self._current = path
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        self.list.clearSelection()
        row = self.model.row_of(path)
        if row >= 0:
            index = self.model.index(row, 0)
            self.list.setCurrentIndex(index)  # selects it too (single selection)
        selection.blockSignals(False)
        self.list.viewport().update()

    def title_of(self, path: Path) -> str:
        """The listed title of the draft at `path` ("" when it is not listed)."""
        row = self.model.row_of(path)
        if row < 0:  # filtered out of the view: the whole listing still knows it
            return next((info.title for info in self._listing if info.path == path), "")
        return self.model.rows[row].title

    def selected_path(self) -> Path | None:
        """The selected draft, if any."""
        index = self.list.currentIndex()
        return Path(index.data(PATH_ROLE)) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(Path(index.data(PATH_ROLE)))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        menu = QMenu(self)
        menu.addAction("New Draft", self.new_requested.emit)
        if index.isValid():
            path = Path(index.data(PATH_ROLE))
            menu.addAction("Open", lambda: self.open_requested.emit(path))
            menu.addAction("Rename…", lambda: self.rename_requested.emit(path))
            menu.addSeparator()
            trash = QAction("Move to Trash", menu)
            trash.triggered.connect(lambda: self.trash_requested.emit(path))
            menu.addAction(trash)
        menu.exec(self.list.mapToGlobal(pos))
