"""One page of the Connect a Blog dialog for a platform signed in with typed values: its steps,
its fields and its button, all from the platform's `SignInForm` in the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from editor.ui.theme import note_colour

if TYPE_CHECKING:
    from editor.publish.providers import SignInForm


class SignInPage(QWidget):
    """Steps, a form and a button; asks for sign-in with the values once they are complete."""

    requested = Signal(str, object)  # platform name, {field name: value}
    incomplete = Signal(str)  # the sentence asking for what is missing

    def __init__(self, name: str, display_name: str, form: SignInForm) -> None:
        super().__init__()
        self.name = name
        self.form = form
        steps = QLabel(form.steps.format(muted=note_colour("muted", self)))
        steps.setWordWrap(True)
        steps.setOpenExternalLinks(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        self.fields: dict[str, QLineEdit] = {}
        layout_form = QFormLayout()
        for field in form.fields:
            edit = QLineEdit()
            edit.setPlaceholderText(field.placeholder)
            edit.setAccessibleName(f"{display_name} {field.label.lower()}")
            if field.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.returnPressed.connect(self._request)
            label = QLabel(f"&{field.label}:")
            label.setBuddy(edit)
            layout_form.addRow(label, edit)
            self.fields[field.name] = edit
        self.button = QPushButton(form.button)
        self.button.setAccessibleName(form.button)
        self.button.clicked.connect(self._request)
        layout = QVBoxLayout(self)
        layout.addWidget(steps)
        layout.addLayout(layout_form)
        layout.addWidget(self.button)
        layout.addStretch(1)

    def values(self) -> dict[str, str]:
        """What the writer typed, trimmed."""
        return {name: edit.text().strip() for name, edit in self.fields.items()}

    def _request(self) -> None:
        if not self.button.isEnabled():
            return
        values = self.values()
        missing = self.form.missing(values)
        if missing:
            self.incomplete.emit(missing)
            return
        self.button.setEnabled(False)
        self.requested.emit(self.name, values)

    def finished(self, signed_in: bool) -> None:
        """The sign-in is over: the button works again; secrets leave the form once kept."""
        self.button.setEnabled(True)
        if signed_in:
            for field in self.form.fields:
                if field.secret:
                    self.fields[field.name].clear()
