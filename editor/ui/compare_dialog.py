"""Side-by-side text comparison and the History dialog (list, diff, restore)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.history import HistoryStore, Snapshot, unified_diff


def diff_html(old: str, new: str, old_name: str, new_name: str) -> str:
    """A coloured unified diff for a QTextBrowser."""
    lines = unified_diff(old, new, old_name, new_name)
    if not lines:
        return "<p><i>The two versions are identical.</i></p>"
    out = ["<pre style='font-family:monospace; white-space:pre-wrap'>"]
    for line in lines:
        colour = ""
        if line.startswith("+") and not line.startswith("+++"):
            colour = "background:#e6ffec; color:#1a5e2a"
        elif line.startswith("-") and not line.startswith("---"):
            colour = "background:#ffebe9; color:#82071e"
        elif line.startswith("@@"):
            colour = "color:#6a737d"
        out.append(f"<span style='{colour}'>{html.escape(line)}</span>")
    out.append("</pre>")
    return "\n".join(out)


class CompareDialog(QDialog):
    """Shows how two versions differ; the caller adds the choices as buttons."""

    def __init__(
        self, parent: QWidget | None, title: str, old: str, new: str, names: tuple[str, str]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 640)
        self.view = QTextBrowser()
        self.view.setHtml(diff_html(old, new, *names))
        self.buttons = QDialogButtonBox()
        self.choice = ""
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"Lines starting with − are only in {names[0]}; + only in {names[1]}.")
        )
        layout.addWidget(self.view)
        layout.addWidget(self.buttons)

    def add_choice(self, label: str, key: str) -> QPushButton:
        """A button that closes the dialog with `choice` = key."""
        button = self.buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)

        def choose() -> None:
            self.choice = key
            self.accept()

        button.clicked.connect(choose)
        return button


class HistoryDialog(QDialog):
    """Lists a draft's snapshots with time and words; shows the difference; restores one."""

    def __init__(
        self, parent: QWidget | None, history: HistoryStore, draft: Path, current: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of {draft.name}")
        self.resize(1000, 680)
        self.current = current
        self.restored_text: str | None = None
        self.snapshots = history.snapshots(draft)
        self.list = QListWidget()
        for snap in self.snapshots:
            item = QListWidgetItem(_describe(snap))
            self.list.addItem(item)
        self.view = QTextBrowser()
        self.restore_button = QPushButton("Restore This Version")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.view)
        splitter.setSizes([300, 700])
        buttons = QHBoxLayout()
        hint = "Restoring keeps your current text as a snapshot, so it can be undone."
        buttons.addWidget(QLabel(hint))
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        if not self.snapshots:
            layout.addWidget(QLabel("No snapshots yet: one is kept each time you save by hand."))
        layout.addWidget(splitter)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._show)
        if self.snapshots:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if row < 0:
            return
        snap = self.snapshots[row]
        self.view.setHtml(diff_html(snap.read(), self.current, "the snapshot", "your text now"))
        self.restore_button.setEnabled(True)

    def _restore(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.restored_text = self.snapshots[row].read()
            self.accept()


def _describe(snap: Snapshot) -> str:
    reasons = {
        "save": "saved by hand",
        "typing": "while typing",
        "publish": "before publishing",
        "restore": "before a restore",
        "external": "changed by another program",
        "conflict": "your text at a conflict",
        "encoding": "before converting to UTF-8",
    }
    when = snap.taken.strftime("%Y-%m-%d %H:%M:%S")
    return f"{when}\n{snap.words:,} words · {reasons.get(snap.reason, snap.reason)}"
