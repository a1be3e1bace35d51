"""Snippets in the window: Publish ▸ Snippets… (each snippet, the posts using it, "Update all N
posts…"), Insert ▸ Snippet… (an include line at the cursor), and after a snippet is saved a
banner offering to update the published posts that use it.

Counting the posts reads every draft: that runs on a worker thread (SnippetWorker).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.snippets import SUFFIX, SnippetFolder
from editor.ui.update_all_dialog import SnippetWorker, UpdateAllDialog
from editor.ui.workers import start_dialog_worker, start_worker, stop_thread

if TYPE_CHECKING:
    from editor.ui.window_facets import SnippetsHost

NAME_ROLE = Qt.ItemDataRole.UserRole
RECOUNT_AFTER = 30.0  # seconds: autosaves of a snippet being edited do not re-read every draft


class SnippetsDialog(QDialog):
    """The snippets, each with the number of published posts using it."""

    request_usage = Signal()
    edit_snippet = Signal(object)  # Path
    update_all = Signal(str)  # snippet name

    def __init__(self, parent: QWidget | None, folder: SnippetFolder) -> None:
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle("Snippets")
        self.setAccessibleName("Snippets")
        self.resize(520, 380)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Snippets are the Markdown files in {folder.folder}. A draft includes one with a"
            " line of its own: {% include NAME %}."
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Snippets and the published posts using them")
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.edit_button = QPushButton("&Edit Snippet")
        self.edit_button.setAccessibleName("Edit the selected snippet")
        self.edit_button.clicked.connect(self._edit)
        self.update_button = QPushButton("&Update All Posts…")
        self.update_button.setAccessibleName("Update all posts using the selected snippet")
        self.update_button.clicked.connect(self._update)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.update_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.counts: dict[str, int] = {}
        self.worker = SnippetWorker()
        start_dialog_worker(self, self.worker, "broadsheet-snippet-usage")
        self.request_usage.connect(self.worker.count_usage)
        self.worker.usage.connect(self._on_usage)
        self.list.addItem("Counting the published posts that use each snippet…")
        self._update_buttons()
        self.request_usage.emit()

    @Slot(object)
    def _on_usage(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.list.clear()
        for name, count in counts.items():
            posts = f"{count} published post{'s' if count != 1 else ''}"
            item = QListWidgetItem(f"{name}  —  {posts}")
            item.setData(NAME_ROLE, name)
            self.list.addItem(item)
        if not counts:
            self.list.addItem(f"No snippets yet: put .md files in {self.folder.folder}.")
        else:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        self._update_buttons()

    def _selected(self) -> str | None:
        item = self.list.currentItem()
        return item.data(NAME_ROLE) if item is not None else None

    def _update_buttons(self) -> None:
        name = self._selected()
        count = self.counts.get(name or "", 0)
        self.edit_button.setEnabled(name is not None)
        self.update_button.setEnabled(count > 0)
        self.update_button.setText(f"&Update All {count} Posts…" if count else "&Update All Posts…")

    def _edit(self) -> None:
        name = self._selected()
        if name:
            self.edit_snippet.emit(self.folder.path(name))
            self.accept()

    def _update(self) -> None:
        name = self._selected()
        if name and self.counts.get(name):
            self.update_all.emit(name)


class SnippetsController(QObject):
    """The window's snippet actions and the offer to update posts after a snippet is saved."""

    request_count = Signal()

    def __init__(self, window: SnippetsHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.window = window
        self.parent_widget = parent
        self.folder = SnippetFolder(window.paths.snippets_dir)
        self._counted: dict[str, float] = {}  # snippet name -> when its posts were counted
        self._offer_for = ""
        self.worker = SnippetWorker()
        self.thread = start_worker(self.worker, "broadsheet-snippet-offer")
        self.request_count.connect(self.worker.count_usage)
        self.worker.usage.connect(self._on_usage)
        window.files.saved.connect(self._on_saved)
        self.manage_action = QAction("Snipp&ets…", parent)
        self.manage_action.setToolTip("Your snippets, and updating the posts that use one")
        self.manage_action.triggered.connect(self.show_snippets)
        publish_menu = window.menus["publish"]
        images = getattr(getattr(window, "publishing", None), "images_action", None)
        if images is not None and images in publish_menu.actions():
            publish_menu.insertAction(images, self.manage_action)  # beside the other batch tools
        else:
            publish_menu.addAction(self.manage_action)
        self.insert_action = QAction("S&nippet…", parent)
        self.insert_action.setToolTip("Include a snippet here: {% include NAME %}")
        self.insert_action.triggered.connect(self.insert_include)
        window.menus["insert"].addAction(self.insert_action)

    def stop(self) -> None:
        """Join the worker's thread (the window is closing)."""
        stop_thread(self.thread)

    def show_snippets(self) -> None:
        """Publish ▸ Snippets…"""
        dialog = SnippetsDialog(self.parent_widget, self.folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.edit_snippet.connect(self.window.open_path)
        dialog.update_all.connect(self.show_update_all)
        dialog.open()

    def show_update_all(self, name: str) -> UpdateAllDialog:
        """The Update-all dialog for one snippet (non-modal: the writer goes on writing)."""
        dialog = UpdateAllDialog(self.parent_widget, name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_draft.connect(self.window.open_path)
        dialog.show()
        return dialog

    def insert_include(self) -> None:
        """Insert ▸ Snippet…: choose a snippet, its include line goes in at the cursor."""
        doc = self.window.doc
        if doc is None or doc.read_only:
            return
        names = self.folder.names()  # one small folder listing
        if not names:
            self.window.banner.show_message(
                f"No snippets yet: put Markdown files in {self.folder.folder}, then include"
                " one with Insert ▸ Snippet….",
                "info",
                topic="snippet",
            )
            return
        name, ok = QInputDialog.getItem(
            self.parent_widget, "Insert Snippet", "Snippet to include:", names, 0, False
        )
        if not ok or not name:
            return
        editor = self.window.editor
        cursor = editor.textCursor()
        cursor.beginEditBlock()
        if cursor.positionInBlock() or cursor.block().text().strip():
            cursor.movePosition(cursor.MoveOperation.EndOfBlock)
            cursor.insertText("\n")
        cursor.insertText(f"{{% include {name} %}}\n")
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        editor.setFocus()

    # ------------------------------------------------------------------ the offer
    def _snippet_of(self, path: Path) -> str | None:
        path = Path(path)
        if path.suffix != SUFFIX or path.parent.resolve() != self.folder.folder.resolve():
            return None
        return path.stem

    @Slot(object, str, int)
    def _on_saved(self, path: Path, _digest: str, _generation: int) -> None:
        name = self._snippet_of(path)
        if name is None:
            return
        self._offer_for = name
        if time.monotonic() - self._counted.get(name, -RECOUNT_AFTER) >= RECOUNT_AFTER:
            self._counted[name] = time.monotonic()
            self.request_count.emit()

    @Slot(object)
    def _on_usage(self, counts: dict[str, int]) -> None:
        name = self._offer_for
        count = counts.get(name, 0)
        if not count:
            return
        plural = "s use" if count != 1 else " uses"
        self.window.banner.show_message(
            f"{count} published post{plural} this snippet; they show the old version until"
            " they are updated.",
            "info",
            topic="snippet",
            actions=[(f"Update All {count} Posts…", lambda: self.show_update_all(name))],
        )
