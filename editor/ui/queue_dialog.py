"""Publish ▸ Waiting to Publish…: the posts in the publish queue, Send Now, Cancel Publish.

The dialog only shows what the queue controller gives it and asks for sends and cancels by
signal; the queue file is read and written on the publish thread."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.ui.queue_worker import QueueRow, QueueState
from editor.ui.theme import note_colour

COLUMNS = ("Post", "Blog", "When", "Why it waits")


def _local(moment: datetime) -> str:
    local = moment.astimezone()
    today = datetime.now().astimezone().date()
    return f"{local:%H:%M}" if local.date() == today else f"{local:%d %b, %H:%M}"


def when_text(row: QueueRow, next_try: datetime | None, sending: bool) -> str:
    """When this one goes out, in a few words."""
    queued = row.queued
    if queued.due:
        return f"At {_local(datetime.fromisoformat(queued.due))} (held until then)"
    scheduled = f"; scheduled for {_local(queued.when)}" if queued.when else ""
    if sending:
        return "Sending now…" + scheduled
    if next_try is not None:
        return f"Next try at {_local(next_try)}" + scheduled
    return "When the blog answers" + scheduled


def confirm_cancel(parent: QWidget, row: QueueRow) -> bool:
    """Ask before taking a post out of the queue."""
    answer = QMessageBox.question(
        parent,
        "Cancel Publish",
        f"Stop waiting to publish “{row.title}” to {row.blog_name}? Nothing is sent; the"
        " draft stays as it is.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class QueueDialog(QDialog):
    """The waiting publishes: title, blog, when, why; Send Now and Cancel Publish."""

    send_requested = Signal()
    cancel_requested = Signal(str)  # the entry's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Waiting to Publish")
        self.setMinimumSize(820, 320)
        self.rows: tuple[QueueRow, ...] = ()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Publish queue summary")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Posts waiting to be published")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Publish queue status")
        buttons = QDialogButtonBox()
        self.send_button = QPushButton("&Send Now")
        self.send_button.setAccessibleName("Send the waiting posts now")
        self.cancel_button = QPushButton("&Cancel Publish…")
        self.cancel_button.setAccessibleName("Cancel the selected post's publish")
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send_requested)
        self.cancel_button.clicked.connect(self.cancel_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.sending = False

    def show_state(self, state: QueueState, next_try: datetime | None, sending: bool) -> None:
        """Show the queue as last read (the selection stays on the same post)."""
        chosen = self.selected()
        self.rows, self.sending = state.rows, sending
        self.tree.clear()
        for row in state.rows:
            item = QTreeWidgetItem(
                [row.title, row.blog_name, when_text(row, next_try, sending), row.queued.note]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.queued.id)
            item.setToolTip(0, row.queued.path)
            item.setToolTip(3, row.queued.note)
            self.tree.addTopLevelItem(item)
            if chosen is not None and row.queued.id == chosen.queued.id:
                self.tree.setCurrentItem(item)
        if state.rows and not self.tree.selectedItems():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        count = len(state.rows)
        self.summary.setText(
            "Nothing is waiting to be published."
            if not count
            else f"{count} post{'s' if count != 1 else ''} waiting to be published. They go out"
            " in this order, by themselves, when the blog answers again."
        )
        self.say(state.problem, error=bool(state.problem))
        self._update_buttons()

    def say(self, message: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {note_colour('error', self)}" if error else "")
        self.status.setText(message)

    def selected(self) -> QueueRow | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        wanted = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((row for row in self.rows if row.queued.id == wanted), None)

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(bool(self.rows) and not self.sending)
        self.cancel_button.setEnabled(self.selected() is not None)

    def cancel_selected(self) -> None:
        """Cancel Publish…: after a confirmation, take the selected post out of the queue."""
        row = self.selected()
        if row is not None and confirm_cancel(self, row):
            self.cancel_requested.emit(row.queued.id)
