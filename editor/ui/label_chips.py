"""The post panel's labels: each label a small button that removes it, and a field that adds
one, offering the labels the writer's blogs and drafts already use."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetItem,
)

from editor.core.blog_labels import label_key

# Label chips, one colour set per theme: the text reads at WCAG AA on the chip
# (tests/ui/test_contrast.py computes it).
CHIP_COLOURS = {
    "light": {"text": "#1c3550", "back": "#e2ecf6", "border": "#93b1d0"},
    "dark": {"text": "#dbe8f6", "back": "#2b3d51", "border": "#55779a"},
}


class FlowLayout(QLayout):
    """Lays its items out left to right, wrapping onto new rows (the label chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API name)
        """Qt: take an item."""
        self._items.append(item)

    def insert_widget(self, index: int, widget: QWidget) -> None:
        """Put `widget` at `index` (the chips go before the field that adds one)."""
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        """Qt: how many items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API name)
        """Qt: the item at `index`."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API name)
        """Qt: remove and return the item at `index`."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API name)
        """Qt: the height depends on the width (rows wrap)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API name)
        """Qt: the height needed at `width`."""
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API name)
        """Qt: lay the items out in `rect`."""
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API name)
        """Qt: at least as wide as the widest item."""
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API name)
        """Qt: the widest item."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_height:
                x, y, row_height = rect.x(), y + row_height + self._gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


def chip_style(dark: bool) -> str:
    """The label chips' style sheet for the theme in use."""
    c = CHIP_COLOURS["dark" if dark else "light"]
    return (
        f"QToolButton#labelChip {{ color: {c['text']}; background: {c['back']};"
        f" border: 1px solid {c['border']}; border-radius: 10px; padding: 2px 8px; }}"
        " QToolButton#labelChip:focus { border: 2px solid palette(highlight); }"
        " QToolButton#labelChip:hover { border-color: palette(highlight); }"
    )


class LabelChips(QWidget):
    """The post's labels as chips that wrap onto new rows, then the field that adds one."""

    add_requested = Signal(list)  # labels typed or chosen
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        wrapping = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        wrapping.setHeightForWidth(True)
        self.setSizePolicy(wrapping)
        self.flow = FlowLayout(self)
        self.buttons: list[QToolButton] = []
        self.dark = False
        self.edit = QLineEdit()
        self.edit.setObjectName("addLabel")
        self.edit.setAccessibleName("Add a label")
        self.edit.setPlaceholderText("Add a label…")
        self.edit.setMinimumWidth(140)
        self.edit.returnPressed.connect(self.add_typed)
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.popup().setAccessibleName("Label suggestions")
        self.completer.activated[str].connect(self._chosen)
        self.edit.setCompleter(self.completer)
        self.flow.addWidget(self.edit)

    def labels(self) -> list[str]:
        """The labels shown."""
        return [str(b.property("label")) for b in self.buttons]

    def show_labels(self, labels: tuple[str, ...]) -> None:
        """Show these labels (the chips are rebuilt only when they changed)."""
        if self.labels() == list(labels):
            return
        had_focus = any(b.hasFocus() for b in self.buttons)
        for button in self.buttons:
            self.flow.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        # The field stays where it is in the layout: taken out and put back, Qt left it at its
        # old place under the new chips.
        for index, label in enumerate(labels):
            chip = QToolButton(self)
            chip.setObjectName("labelChip")
            chip.setProperty("label", label)
            chip.setText(f"{label}  ✕")
            chip.setAccessibleName(f"Remove label {label}")
            chip.setToolTip(f"Remove the label “{label}”")
            chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _=False, name=label: self.remove_requested.emit(name))
            chip.setStyleSheet(chip_style(self.dark))
            self.flow.insert_widget(index, chip)
            chip.show()
            self.buttons.append(chip)
        self.updateGeometry()
        if had_focus:
            self.edit.setFocus()

    def set_dark(self, dark: bool) -> None:
        """Colour the chips for the theme in use."""
        self.dark = dark
        for chip in self.buttons:
            chip.setStyleSheet(chip_style(dark))

    def offer(self, known: list[str], have: tuple[str, ...]) -> None:
        """Offer the `known` labels the post does not `have` yet."""
        taken = {label_key(label) for label in have}
        offered = [label for label in known if label_key(label) not in taken]
        if self.model.stringList() != offered:
            self.model.setStringList(offered)

    def add_typed(self) -> None:
        """Enter in the field: add what is typed (commas separate several labels)."""
        typed = [part.strip() for part in self.edit.text().split(",") if part.strip()]
        if typed:
            self.add_requested.emit(typed)
        self.edit.clear()

    def _chosen(self, label: str) -> None:
        # after the completer and the field are done with the key (Enter also reaches the
        # field, which adds the same label: it is added once)
        QTimer.singleShot(0, self, lambda: self._add_chosen(label))

    def _add_chosen(self, label: str) -> None:
        self.add_requested.emit([label])
        self.edit.clear()

    def focus_after_removing(self, index: int) -> None:
        """The focus goes to the chip that took the removed one's place, else the field."""
        if self.buttons:
            self.buttons[min(index, len(self.buttons) - 1)].setFocus()
        else:
            self.edit.setFocus()
