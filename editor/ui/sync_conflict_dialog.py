"""Both versions of a post side by side — the draft here and the blog's — and the writer's choice.

Lines that differ are tinted in both panes. Keeping one version puts the other into the draft's
history (the choice itself runs on the sync worker; this dialog only shows and asks).
"""

from __future__ import annotations

import difflib
import html
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.publish.sync_conflicts import SyncConflict

# Translucent tints read on a light and a dark background alike; the text keeps its colour.
_TINT = {"mine": "rgba(230, 160, 0, 0.28)", "theirs": "rgba(40, 140, 255, 0.28)"}


def side_by_side(mine: str, theirs: str) -> tuple[str, str]:
    """HTML of both texts, one block per line, with the lines that differ tinted."""
    a, b = mine.split("\n"), theirs.split("\n")
    changed_a: set[int] = set()
    changed_b: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed_a.update(range(i1, i2))
            changed_b.update(range(j1, j2))
    return _lines(a, changed_a, _TINT["mine"]), _lines(b, changed_b, _TINT["theirs"])


def _lines(lines: list[str], changed: set[int], tint: str) -> str:
    out = []
    for i, line in enumerate(lines):
        style = f"background:{tint};" if i in changed else ""
        out.append(
            f"<div style='white-space:pre-wrap;{style}'>{html.escape(line) or '&nbsp;'}</div>"
        )
    return "".join(out)


class SyncConflictDialog(QDialog):
    """One or more drafts changed on the blog and here; the writer keeps one version of each."""

    chosen = Signal(object, bool)  # SyncConflict, keep mine

    def __init__(
        self, found: list[tuple[SyncConflict, str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed on the Blog and Here")
        self.resize(1100, 700)
        self.found = list(found)
        explain = QLabel(
            "These posts were changed on the blog and also in their drafts here. Nothing was"
            " overwritten. Choose which version each draft keeps; the other goes into the"
            " draft's history (File ▸ History…)."
        )
        explain.setWordWrap(True)
        self.posts = QListWidget()
        self.posts.setAccessibleName("Posts changed on the blog and here")
        self.posts.setMaximumHeight(110)
        self.posts.currentRowChanged.connect(self._show)
        self.mine_view = QTextBrowser()
        self.mine_view.setAccessibleName("Your draft")
        self.theirs_view = QTextBrowser()
        self.theirs_view.setAccessibleName("The blog's version")
        self.mine_title = QLabel("Your draft")
        self.theirs_title = QLabel("On the blog")
        panes = QSplitter()
        for title, view in (
            (self.mine_title, self.mine_view),
            (self.theirs_title, self.theirs_view),
        ):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(title)
            column.addWidget(view, 1)
            panes.addWidget(box)
        self.keep_button = QPushButton("&Keep My Version")
        self.keep_button.setToolTip("The blog's version goes into the draft's history")
        self.keep_button.clicked.connect(lambda: self._choose(True))
        self.take_button = QPushButton("&Take the Blog's Version")
        self.take_button.setToolTip("Your version goes into the draft's history")
        self.take_button.clicked.connect(lambda: self._choose(False))
        self.later_button = QPushButton("Decide &Later")
        self.later_button.clicked.connect(self.reject)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.posts)
        layout.addWidget(panes, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._fill()

    def _fill(self) -> None:
        self.posts.clear()
        for conflict, _mine, _theirs in self.found:
            self.posts.addItem(f"{conflict.title or conflict.path.stem} — {conflict.path.name}")
        self.posts.setVisible(len(self.found) > 1)
        if self.found:
            self.posts.setCurrentRow(0)
        self.keep_button.setEnabled(bool(self.found))
        self.take_button.setEnabled(bool(self.found))

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.found):
            return
        conflict, mine, theirs = self.found[row]
        left, right = side_by_side(mine, theirs)
        self.mine_view.setHtml(left)
        self.theirs_view.setHtml(right)
        self.mine_title.setText(f"Your draft: {conflict.path.name}")
        self.theirs_title.setText(f"On the blog: “{conflict.title}”")

    def current(self) -> SyncConflict | None:
        row = self.posts.currentRow()
        return self.found[row][0] if 0 <= row < len(self.found) else None

    def _choose(self, keep: bool) -> None:
        conflict = self.current()
        if conflict is None:
            return
        self.keep_button.setEnabled(False)
        self.take_button.setEnabled(False)
        self.status.setText("Saving your choice…")
        self.chosen.emit(conflict, keep)

    def settled(self, path: object, message: str) -> None:
        """The worker applied a choice: drop that post; close when none is left."""
        self.found = [f for f in self.found if Path(str(f[0].path)) != Path(str(path))]
        self.status.setText(message)
        if not self.found:
            self.accept()
            return
        self._fill()
