"""Help ▸ Keyboard Shortcuts (searchable, read from the window's actions), Markdown Guide
(rendered by the same renderer as posts) and Report a Problem (versions, nothing personal)."""

from __future__ import annotations

from importlib import resources

import PySide6
from PySide6.QtCore import QObject, Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.post import parse_post
from editor.core.problem_report import problem_report

GUIDE = "markdown-guide.md"  # in resources/


def about_box(window: QWidget) -> None:
    """Help ▸ About Broadsheet."""
    from editor import version

    QMessageBox.about(
        window,
        "About Broadsheet",
        f"<b>Broadsheet {version()}</b><p>Write Markdown, see the post, publish to your blog.</p>",
    )


def plain_text(action: QAction) -> str:
    """An action's menu text as words: no mnemonic ampersands, no trailing dots."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…. ")


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(action, menu, keys) for every action of `window` that has a shortcut, menu by menu."""
    rows: list[tuple[str, str, str]] = []
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if not keys or not plain_text(action):
            continue
        menus = [m for m in action.associatedObjects() if isinstance(m, QMenu)]
        menu = plain_text(menus[0].menuAction()) if menus else ""
        rows.append((plain_text(action), menu, ", ".join(keys)))
    return sorted(rows, key=lambda row: (row[1] == "", row[1], row[0]))


class ShortcutsDialog(QDialog):
    """Every shortcut of the window, filtered as the writer types."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(560, 520)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search actions or keys")
        self.search.setAccessibleName("Search shortcuts")
        self.search.setClearButtonEnabled(True)
        label = QLabel("&Search:")
        label.setBuddy(self.search)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Menu", "Shortcut"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, values in enumerate(shortcut_rows(window)):
            self.table.insertRow(row)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.filter)

    def filter(self, words: str) -> None:
        """Show the rows whose action, menu or keys contain every word typed."""
        needles = words.casefold().split()
        for row in range(self.table.rowCount()):
            text = " ".join(self.table.item(row, c).text() for c in range(3)).casefold()
            self.table.setRowHidden(row, not all(n in text for n in needles))

    def visible_actions(self) -> list[str]:
        """The action names now listed (for tests and screen readers alike)."""
        return [
            self.table.item(row, 0).text()
            for row in range(self.table.rowCount())
            if not self.table.isRowHidden(row)
        ]


def guide_html() -> str:
    """The Markdown guide, rendered exactly as a post would be."""
    text = resources.files("editor.resources").joinpath(GUIDE).read_text(encoding="utf-8")
    from editor.core.render import render_post  # Markdown: when the guide is first opened

    return render_post(parse_post(text, GUIDE))


class GuideDialog(QDialog):
    """Help ▸ Markdown Guide: a short cheat sheet."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Markdown Guide")
        self.resize(620, 640)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Markdown guide")
        self.browser.setOpenExternalLinks(False)  # the example link is an example, not a trip
        self.browser.setOpenLinks(False)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


class ReportDialog(QDialog):
    """Help ▸ Report a Problem: a text to copy into a report, with a Copy button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report a Problem")
        self.resize(560, 380)
        note = QLabel(
            "Copy this text into your report and say what happened. It holds the versions"
            " only: no file names, no blogs, nothing about you."
        )
        note.setWordWrap(True)
        self.text = QPlainTextEdit(problem_report(qVersion(), PySide6.__version__))
        self.text.setAccessibleName("Problem report")
        self.text.setTabChangesFocus(True)  # Tab moves on to the buttons, as in a form
        note.setBuddy(self.text)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def copy(self) -> None:
        """Put the whole report (with what the writer added) on the clipboard."""
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText("Copied")


class HelpMenu(QObject):
    """The Help menu's entries before About."""

    def __init__(self, menu: QMenu, window: QWidget) -> None:
        """`menu`: Help, its entries put before the ones it has; `window`: the dialogs' parent."""
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        first = menu.actions()[0] if menu.actions() else None
        entries = (
            ("&Keyboard Shortcuts", self.show_shortcuts, "Ctrl+/"),
            ("&Markdown Guide", self.show_guide, "F1"),
            ("&Report a Problem…", self.show_report, None),
        )
        for text, slot, key in entries:
            action = QAction(text, window)
            if key:
                action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            menu.insertAction(first, action)
        menu.insertSeparator(first)

    def _show(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard Shortcuts."""
        self._show(ShortcutsDialog(self.window)).search.setFocus()

    def show_guide(self) -> None:
        """Help ▸ Markdown Guide."""
        self._show(GuideDialog(self.window))

    def show_report(self) -> None:
        """Help ▸ Report a Problem."""
        self._show(ReportDialog(self.window))
