"""Side-by-side text comparison and the History dialog (list, diff, restore)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
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

from editor.core.history import HistoryStore, Snapshot
from editor.core.word_diff import Row, Segment, changed_words, compare
from editor.ui.theme import is_dark_palette

# Tints are translucent colours laid over the text area's own background, so one hue works
# on both themes; the alpha is stronger on dark, where a faint tint would vanish. Text keeps
# the palette's colour; tests check it stays at WCAG AA (4.5:1) over the blended tint.
TINTS = {
    # kind: (red, green, blue, alpha on light, alpha on dark)
    "deleted": (220, 38, 38, 0.20, 0.38),
    "inserted": (22, 163, 74, 0.22, 0.38),
}
# Runs of unchanged paragraphs longer than this fold to their ends, so changes stand out.
_FOLD_AFTER = 8
_CONTEXT = 3


def tint(kind: str, base: QColor, dark: bool) -> QColor:
    """The tint of `kind` laid over `base` (the opaque colour the writer sees)."""
    r, g, b, light_alpha, dark_alpha = TINTS[kind]
    alpha = dark_alpha if dark else light_alpha
    return QColor(
        round(base.red() * (1 - alpha) + r * alpha),
        round(base.green() * (1 - alpha) + g * alpha),
        round(base.blue() * (1 - alpha) + b * alpha),
    )


def diff_html(
    old: str, new: str, old_name: str, new_name: str, palette: QPalette | None = None
) -> str:
    """The two versions side by side, paragraphs aligned, changed words tinted."""
    rows = compare(old, new)
    if not any(row.changed for row in rows):
        return "<p><i>The two versions are identical.</i></p>"
    palette = palette or QPalette()
    dark = is_dark_palette(palette)
    base = palette.color(QPalette.ColorRole.Base)
    styles = {
        "equal": "",
        "deleted": f"background-color:{tint('deleted', base, dark).name()};"
        " text-decoration:line-through",
        "inserted": f"background-color:{tint('inserted', base, dark).name()}",
    }
    removed, added = changed_words(rows)
    out = [
        f"<p>{_count(removed, 'word')} removed, {_count(added, 'word')} added.</p>",
        "<table width='100%' cellspacing='0' cellpadding='1'>",
        f"<tr><th width='50%' align='left' style='padding: 4px 10px'>{html.escape(old_name)}</th>"
        f"<th width='50%' align='left' style='padding: 4px 10px'>{html.escape(new_name)}</th></tr>",
    ]
    for item in _fold(rows):
        if isinstance(item, int):
            out.append(
                f"<tr><td colspan='2' align='center'><i>⋯ {_count(item, 'unchanged line')}"
                " ⋯</i></td></tr>"
            )
            continue
        cells = (_cell(item.old, styles), _cell(item.new, styles))
        cell = "<td width='50%' valign='top' style='padding: 1px 10px'>{}</td>"
        out.append("<tr>" + "".join(cell.format(c) for c in cells))
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _fold(rows: list[Row]) -> list[Row | int]:
    """Long runs of unchanged rows keep a few lines of context; the rest become a count."""
    out: list[Row | int] = []
    run: list[Row] = []

    def flush(at_start: bool, at_end: bool) -> None:
        head = 0 if at_start else _CONTEXT
        tail = 0 if at_end else _CONTEXT
        if len(run) > max(_FOLD_AFTER, head + tail):
            out.extend(run[:head])
            out.append(len(run) - head - tail)
            out.extend(run[len(run) - tail :])
        else:
            out.extend(run)
        run.clear()

    for row in rows:
        if row.changed:
            flush(at_start=not out, at_end=False)
            out.append(row)
        else:
            run.append(row)
    flush(at_start=not out, at_end=True)
    return out


def _cell(segments: tuple[Segment, ...], styles: dict[str, str]) -> str:
    parts = []
    for segment in segments:
        style = styles[segment.kind]
        if not style:
            parts.append(_escape(segment.text))
            continue
        # Spaces around a changed phrase stay untinted: the mark covers words only.
        core = segment.text.strip(" \t")
        if not core:
            parts.append(_escape(segment.text))
            continue
        lead = segment.text[: len(segment.text) - len(segment.text.lstrip(" \t"))]
        trail = segment.text[len(segment.text.rstrip(" \t")) :]
        parts.append(f"{_escape(lead)}<span style='{style}'>{_escape(core)}</span>{_escape(trail)}")
    return "".join(parts) or "&nbsp;"


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


class CompareDialog(QDialog):
    """Shows how two versions differ; the caller adds the choices as buttons."""

    def __init__(
        self, parent: QWidget | None, title: str, old: str, new: str, names: tuple[str, str]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 640)
        self.view = QTextBrowser()
        self.view.setAccessibleName("The two versions side by side")
        self.view.setHtml(diff_html(old, new, *names, palette=self.view.palette()))
        self.buttons = QDialogButtonBox()
        self.choice = ""
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_legend(*names)))
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
        self.resize(1200, 720)
        self.current = current
        self.restored_text: str | None = None
        self.snapshots = history.snapshots(draft)
        self.list = QListWidget()
        for snap in self.snapshots:
            item = QListWidgetItem(_describe(snap))
            self.list.addItem(item)
        self.list.setAccessibleName("Snapshots")
        self.view = QTextBrowser()
        self.view.setAccessibleName("The snapshot and your text now, side by side")
        self.legend = QLabel(_legend("the snapshot", "your text now"))
        self.legend.setWordWrap(True)
        self.restore_button = QPushButton("&Restore This Version")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        compare_side = QWidget()
        side_layout = QVBoxLayout(compare_side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.legend)
        side_layout.addWidget(self.view)
        splitter.addWidget(compare_side)
        splitter.setSizes([260, 900])
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
        self.view.setHtml(
            diff_html(
                snap.read(), self.current, "The snapshot", "Your text now", self.view.palette()
            )
        )
        self.restore_button.setEnabled(True)

    def _restore(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.restored_text = self.snapshots[row].read()
            self.accept()


def _legend(old_name: str, new_name: str) -> str:
    return (
        f"Left: {old_name}, with removed words struck through in red. "
        f"Right: {new_name}, with added words in green."
    )


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
