"""Find and replace: a bar under the editor, not a dialog, so the text stays in view.

Matches are found with Python's `re` over the whole text (fast even at 100,000 words) and
highlighted with extra selections for the part on screen only, so a common word with
thousands of matches costs no more to show than a rare one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

from editor.core.replace_case import in_any, link_address_spans
from editor.core.search import (
    SearchError,
    SearchOptions,
    compile_search,
    find_all,
    replacement_at,
    replacements,
)
from editor.core.utf16 import Utf16Map
from editor.ui.editor_pane import MarkdownEditor

# (every match, the current match) behind the editor's text: both read at WCAG AA with it.
FIND_COLOURS = {"light": ("#fff0a0", "#ffb347"), "dark": ("#5c4d00", "#7a4300")}
SELECTION_KIND = "find"


class _Field(QLineEdit):
    """A line edit that reports Enter and Shift+Enter."""

    entered = Signal(bool)  # True with Shift

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API name)
        """Enter searches forward, Shift+Enter backward."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entered.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        super().keyPressEvent(event)


def _toggle(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)  # "Aa" or ".*" read aloud means nothing
    button.setCheckable(True)
    button.setAutoRaise(True)
    return button


class FindBar(QWidget):
    """Finds as you type, counts matches ("3 of 12"), replaces one or all (one undo step)."""

    def __init__(self, editor: MarkdownEditor) -> None:
        super().__init__()
        self.setObjectName("findBar")
        self.editor = editor
        self.find_field = _Field()
        self.find_field.setPlaceholderText("Find")
        self.find_field.setAccessibleName("Find")
        self.replace_field = _Field()
        self.replace_field.setPlaceholderText("Replace with")
        self.replace_field.setAccessibleName("Replace with")
        self.case_button = _toggle("Aa", "Match case")
        self.word_button = _toggle("W", "Whole words only")
        self.regex_button = _toggle(".*", "Regular expression (\\1 in the replacement)")
        previous = QToolButton(text="↑", toolTip="Previous match (Shift+F3)", autoRaise=True)
        following = QToolButton(text="↓", toolTip="Next match (F3)", autoRaise=True)
        close = QToolButton(text="✕", toolTip="Close (Esc)", autoRaise=True)
        for button, name in (
            (previous, "Previous match"),
            (following, "Next match"),
            (close, "Close the find bar"),
        ):
            button.setAccessibleName(name)
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(110)
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace All")
        # "harbour" → "harbor" should give "Harbor" in a title: on unless matching case exactly
        self.preserve_case_box = QCheckBox("Pre&serve case")
        self.preserve_case_box.setAccessibleName("Preserve case")
        self.preserve_case_box.setToolTip('Replacing "harbour" turns "Harbour" into "Harbor"')
        self.preserve_case_box.setChecked(True)
        # A word inside a web address is part of the address: changing it breaks the link
        self.in_links_box = QCheckBox("Also in &link addresses")
        self.in_links_box.setAccessibleName("Also replace in link addresses")
        self.in_links_box.setToolTip("Replace inside link and image addresses too")
        self.replace_row = QWidget()
        replace_layout = QGridLayout(self.replace_row)  # the options on a line of their own:
        replace_layout.setContentsMargins(0, 0, 0, 0)  # the replace field keeps its width
        replace_layout.setVerticalSpacing(3)
        replace_line = QHBoxLayout()
        replace_line.addWidget(self.replace_field, 1)
        replace_line.addWidget(self.replace_button)
        replace_line.addWidget(self.replace_all_button)
        options_line = QHBoxLayout()
        options_line.addWidget(self.preserve_case_box)
        options_line.addWidget(self.in_links_box)
        options_line.addStretch(1)
        replace_layout.addLayout(replace_line, 0, 0)
        replace_layout.addLayout(options_line, 1, 0)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setVerticalSpacing(3)
        find_row = QHBoxLayout()
        find_row.addWidget(self.find_field, 1)
        for widget in (self.case_button, self.word_button, self.regex_button, previous, following):
            find_row.addWidget(widget)
        find_row.addWidget(self.count_label)
        find_row.addWidget(close)
        grid.addLayout(find_row, 0, 0)
        grid.addWidget(self.replace_row, 1, 0)

        self.pattern: re.Pattern[str] | None = None
        self.spans: list[tuple[int, int]] = []  # Python indices into self._text
        self.positions: list[tuple[int, int]] = []  # the same spans as Qt positions
        self._text = ""
        self._revision = -1
        self._message = ""
        self._search_timer = QTimer(self, singleShot=True, interval=60)
        self._search_timer.timeout.connect(self.search)
        self._paint_timer = QTimer(self, singleShot=True, interval=30)
        self._paint_timer.timeout.connect(self._highlight_visible)

        self.find_field.textChanged.connect(self._search_timer.start)
        for button in (self.case_button, self.word_button, self.regex_button):
            button.toggled.connect(self.search)
        self.case_button.toggled.connect(lambda on: self.preserve_case_box.setChecked(not on))
        self.find_field.entered.connect(
            lambda back: self.find_previous() if back else self.find_next()
        )
        self.replace_field.entered.connect(lambda _back: self.replace_one())
        previous.clicked.connect(self.find_previous)
        following.clicked.connect(self.find_next)
        close.clicked.connect(self.close_bar)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        editor.textChanged.connect(self._on_text_changed)
        editor.verticalScrollBar().valueChanged.connect(self._paint_timer.start)
        editor.cursorPositionChanged.connect(self._paint_timer.start)
        self.hide()

    # ------------------------------------------------------------------ opening
    def open_bar(self, replace: bool) -> None:
        """Show the bar (with the replace row for Ctrl+H), seeded with a one-line selection."""
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.replace_row.setVisible(replace)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()
        self.search()

    def close_bar(self) -> None:
        """Hide the bar and its highlights; the cursor goes back to the text."""
        self.hide()
        self.editor.set_extra_selections(SELECTION_KIND, [])
        self.editor.setFocus()

    def options(self) -> SearchOptions:
        """What the bar is set to look for."""
        return SearchOptions(
            self.find_field.text(),
            self.case_button.isChecked(),
            self.word_button.isChecked(),
            self.regex_button.isChecked(),
        )

    # ------------------------------------------------------------------ searching
    def _on_text_changed(self) -> None:
        if self.isVisible():
            self._search_timer.start(200)  # typing in the editor: recount once it pauses

    def search(self) -> None:
        """Find every match of the current options in the text."""
        self._search_timer.stop()
        self._message = ""
        try:
            self.pattern = compile_search(self.options())
        except SearchError as exc:
            self.pattern = None
            self._message = str(exc)
        self._text = self.editor.toPlainText()
        self._revision = self.editor.document().revision()
        self.spans = find_all(self._text, self.pattern) if self.pattern else []
        to_qt = Utf16Map(self._text)
        self.positions = [(to_qt(a), to_qt(b)) for a, b in self.spans]
        self._refresh()

    def _fresh(self) -> None:
        if self._revision != self.editor.document().revision():
            self.search()

    @property
    def match_count(self) -> int:
        """How many matches there are."""
        return len(self.positions)

    def current_index(self) -> int | None:
        """The index of the match that is selected in the editor, if one is."""
        cursor = self.editor.textCursor()
        span = (cursor.selectionStart(), cursor.selectionEnd())
        index = bisect_left(self.positions, span)
        if index < len(self.positions) and self.positions[index] == span:
            return index
        return None

    def _refresh(self) -> None:
        index = self.current_index()
        if self._message:
            text = self._message
        elif not self.find_field.text():
            text = ""
        elif not self.positions:
            text = "No matches"
        elif index is None:
            text = f"{len(self.positions):,} matches"
        else:
            text = f"{index + 1:,} of {len(self.positions):,}"
        self.count_label.setText(text)
        self.count_label.setToolTip(self._message)
        self._highlight_visible()

    def _select(self, index: int, wrapped: bool) -> None:
        start, end = self.positions[index]
        cursor = self.editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self._refresh()
        if wrapped:
            self.count_label.setText(self.count_label.text() + " (wrapped)")

    def find_next(self) -> None:
        """Select the next match after the cursor, wrapping to the top."""
        self._fresh()
        if not self.positions:
            return
        after = self.editor.textCursor().selectionEnd()
        index = bisect_left(self.positions, (after, after))
        if index < len(self.positions) and self.positions[index][0] < after:
            index += 1  # overlapping the selection: not "next"
        wrapped = index >= len(self.positions)
        self._select(0 if wrapped else index, wrapped)

    def find_previous(self) -> None:
        """Select the match before the cursor, wrapping to the bottom."""
        self._fresh()
        if not self.positions:
            return
        before = self.editor.textCursor().selectionStart()
        index = bisect_left(self.positions, (before, before)) - 1
        wrapped = index < 0
        self._select(len(self.positions) - 1 if wrapped else index, wrapped)

    # ------------------------------------------------------------------ replacing
    def replace_one(self) -> None:
        """Replace the selected match and select the next one (or just find the next)."""
        self._fresh()
        index = self.current_index()
        if index is None or self.pattern is None:
            self.find_next()
            return
        if in_any(self.spans[index], self._spared_addresses()):
            self.find_next()
            self.count_label.setText("Left a link address as it is")
            return
        try:
            new = replacement_at(
                self._text,
                self.pattern,
                self.spans[index],
                self.replace_field.text(),
                self.regex_button.isChecked(),
                preserve_case=self.preserve_case_box.isChecked(),
            )
        except SearchError as exc:
            self.count_label.setText(str(exc))
            return
        if new is None:
            return
        self.editor.textCursor().insertText(new)
        self.search()
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as ONE undo step; returns how many were replaced."""
        self._fresh()
        if self.pattern is None:
            return 0
        try:
            edits = replacements(
                self._text,
                self.pattern,
                self.replace_field.text(),
                self.regex_button.isChecked(),
                preserve_case=self.preserve_case_box.isChecked(),
                spare=self._spared_addresses(),
            )
        except SearchError as exc:
            self.count_label.setText(str(exc))
            return 0
        to_qt = Utf16Map(self._text)
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        for start, end, new in reversed(edits):  # from the end: earlier positions stay valid
            cursor.setPosition(to_qt(start))
            cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(new)
        cursor.endEditBlock()
        spared = len(self.spans) - len(edits)
        self.search()
        message = f"Replaced {len(edits):,}"
        if spared:
            message += f" (left {spared:,} in link addresses)"
        self.count_label.setText(message)
        return len(edits)

    def _spared_addresses(self) -> list[tuple[int, int]]:
        """The link addresses replacing must leave alone (none when the writer asks)."""
        return [] if self.in_links_box.isChecked() else link_address_spans(self._text)

    # ------------------------------------------------------------------ highlighting
    def _highlight_visible(self) -> None:
        if not self.isVisible() or not self.positions:
            self.editor.set_extra_selections(SELECTION_KIND, [])
            return
        editor = self.editor
        top = editor.firstVisibleBlock().position()
        corner = QPoint(editor.viewport().width(), editor.viewport().height())
        bottom = editor.cursorForPosition(corner).block()
        bottom_end = bottom.position() + bottom.length()
        low = bisect_left(self.positions, (top, top))
        high = bisect_right(self.positions, (bottom_end, bottom_end))
        dark = editor.palette().base().color().lightness() < 128
        colours = FIND_COLOURS["dark" if dark else "light"]
        colour, current_colour = QColor(colours[0]), QColor(colours[1])
        current = self.current_index()
        selections = []
        for index in range(low, high):
            start, end = self.positions[index]
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            fmt = selection.format  # type: ignore[attr-defined]
            fmt.setBackground(current_colour if index == current else colour)
            fmt.setProperty(QTextFormat.Property.UserProperty, index)
            selection.format = fmt  # type: ignore[attr-defined]
            selections.append(selection)
        editor.set_extra_selections(SELECTION_KIND, selections)
