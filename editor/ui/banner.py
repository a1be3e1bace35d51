"""One unobtrusive line above the editor for news, warnings and errors, with optional actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from editor.ui.theme import is_dark_palette

# (background, text) per kind, for a light window; the text colour is set on the label and on
# the dismiss button, so the window's own text colour never lands on these backgrounds.
COLOURS = {
    "info": ("#e7f0fb", "#0d3a6b"),
    "warning": ("#fff4d6", "#5c4400"),
    "error": ("#fde2e1", "#7a1010"),
}
# The same kinds for a dark window: a pale bar there glares and hides the window's light text.
DARK_COLOURS = {
    "info": ("#1e3a5f", "#dbe9ff"),
    "warning": ("#4a3b10", "#ffe7a8"),
    "error": ("#5c1d1d", "#ffd9d6"),
}


class Banner(QFrame):
    """Shows one message at a time; `topic` lets only the same cause replace or clear it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.buttons: list[QPushButton] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 5, 6, 5)
        self._layout.addWidget(self.label, 1)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(lambda: self.clear_message())
        self._layout.addWidget(self.close_button)
        self.topic = ""
        self.kind = "warning"
        self.hide()

    def text(self) -> str:
        """The message shown (empty when hidden)."""
        return self.label.text()

    def show_message(
        self,
        text: str,
        kind: str = "warning",
        topic: str = "",
        actions: list[tuple[str, Callable[[], None]]] | None = None,
        dismissable: bool = True,
    ) -> None:
        """Show `text` with optional (label, callback) buttons."""
        self.kind = kind if kind in COLOURS else "warning"
        self._colour()
        self.label.setText(text)
        self.topic = topic
        self._drop_buttons()
        for label, callback in actions or []:
            button = QPushButton(label)
            button.clicked.connect(callback)
            self._layout.insertWidget(self._layout.count() - 1, button)
            self.buttons.append(button)
        self.close_button.setVisible(dismissable)
        self.show()

    def colours(self) -> tuple[str, str]:
        """(background, text) of the message shown, for the theme in use."""
        table = DARK_COLOURS if is_dark_palette(QApplication.palette()) else COLOURS
        return table[self.kind]

    def _colour(self) -> None:
        background, text_colour = self.colours()
        sheet = (
            f"QFrame#banner {{ background:{background}; }}"
            f" QFrame#banner QLabel, QFrame#banner QToolButton {{ color:{text_colour}; }}"
        )
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API name)
        """Follow the window when its theme changes while a message is shown."""
        super().changeEvent(event)
        changes = (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)
        if event.type() in changes and self.label.text():
            self._colour()

    def _drop_buttons(self) -> None:
        # Hidden and out of the layout at once: deleteLater waits for the event loop, and the
        # old actions must not sit beside the new ones until then.
        for button in self.buttons:
            button.hide()
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []

    def button(self, label: str) -> QPushButton | None:
        """The action button with this label, if shown."""
        return next((b for b in self.buttons if b.text() == label), None)

    def clear_message(self, topic: str | None = None) -> None:
        """Hide the banner (only if it shows `topic`, when one is given)."""
        if topic is not None and topic != self.topic:
            return
        self.label.setText("")
        self.topic = ""
        self._drop_buttons()
        self.hide()
