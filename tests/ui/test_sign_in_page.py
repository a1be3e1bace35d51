"""The Connect a Blog dialog has a page for every platform whose registry entry declares a
sign-in form: its fields, hidden secrets, names for screen readers and the keyboard path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from editor.publish import providers
from editor.ui.publish_dialogs import ConnectDialog
from tests.publish.test_sign_in_forms import TOY_FORM


def test_a_registered_form_becomes_a_page_that_asks_for_sign_in(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        providers.PROVIDERS,
        "toy",
        providers.Provider(
            "toy",
            "Toy",
            providers.Capabilities(),
            lambda c, b: None,
            lambda c, a, k: k,
            TOY_FORM,  # type: ignore[arg-type,return-value]
        ),
    )
    dialog = ConnectDialog(None)
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles[:2] == ["Blogger", "WordPress"] and "Toy" in titles
    page = dialog.pages["toy"]
    key = page.fields["key"]
    assert key.echoMode() == QLineEdit.EchoMode.Password
    assert page.fields["site"].echoMode() == QLineEdit.EchoMode.Normal
    assert key.accessibleName() == "Toy api key" and page.button.accessibleName()
    buddies = {label.buddy() for label in page.findChildren(QLabel) if label.buddy()}
    assert set(page.fields.values()) <= buddies  # each field has an Alt+letter label
    asked: list[tuple[str, object]] = []
    dialog.form_requested.connect(lambda name, values: asked.append((name, values)))
    page.fields["site"].setText("https://toy.example")
    qtbot.keyClick(page.fields["site"], Qt.Key.Key_Return)
    assert not asked and "api key" in dialog.status.text()  # the key is still missing
    key.setText(" toy-key ")
    qtbot.keyClick(key, Qt.Key.Key_Return)
    assert asked == [("toy", {"site": "https://toy.example", "key": "toy-key", "note": ""})]
    assert not page.button.isEnabled()  # one request at a time
    dialog.sign_in_failed("Toy refused that key.")
    assert page.button.isEnabled() and key.text() == " toy-key "  # kept to correct
    dialog.signed_in(providers.SignInResult(None, []))  # type: ignore[arg-type]
    assert key.text() == "" and page.fields["site"].text() == "https://toy.example"
