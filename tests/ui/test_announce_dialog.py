"""The announcement dialog against the loopback Mastodon and Bluesky servers: live counts,
keyboard path, Send on the worker, and a second Send not posting again."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QPushButton

from editor.publish.announce.accounts import sign_in_bluesky, sign_in_mastodon
from editor.ui.announce_dialog import AnnounceDialog
from editor.ui.workers import wait_for_retired_threads
from tests.publish.bluesky_server import BlueskyServer
from tests.publish.conftest import MemoryKeyring
from tests.publish.mastodon_server import MastodonServer

LINK = "https://blog.example.com/2026/12/trains-at-night.html"
BODY = "The night train to Vienna leaves at 22:10. It is slow.\n"


@pytest.fixture
def signed_in() -> Iterator[tuple[MastodonServer, BlueskyServer]]:
    keyring.set_keyring(MemoryKeyring())
    with MastodonServer() as mastodon, BlueskyServer() as bluesky:
        sign_in_mastodon(mastodon.url, mastodon.token)
        sign_in_bluesky(bluesky.handle, bluesky.password, bluesky.url)
        yield mastodon, bluesky
        wait_for_retired_threads()


def open_dialog(qtbot) -> AnnounceDialog:  # type: ignore[no-untyped-def]
    dialog = AnnounceDialog("Trains at night", BODY, LINK)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)  # shortcuts need an active window
    qtbot.waitUntil(lambda: all(b.isChecked() for b in dialog.boxes.values()), timeout=10000)
    return dialog


def test_announce_dialog_counts_and_sends_once(qtbot, signed_in) -> None:  # type: ignore[no-untyped-def]
    mastodon, bluesky = signed_in
    dialog = open_dialog(qtbot)
    text = dialog.text.toPlainText()
    assert text == f"Trains at night\n\nThe night train to Vienna leaves at 22:10.\n\n{LINK}"
    assert dialog.counts["bluesky"].text() == f"{len(text)} of 300 characters"
    assert dialog.counts["mastodon"].text() == f"{len(text) - len(LINK) + 23} of 500 characters"
    # Every control has a name a screen reader says.
    for kind in (QPlainTextEdit, QCheckBox, QPushButton):
        for widget in dialog.findChildren(kind):
            assert widget.accessibleName(), widget
    # Typing updates the counts live; too long for Bluesky turns Send off.
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, " ok")
    assert dialog.counts["bluesky"].text() == f"{len(text) + 3} of 300 characters"
    dialog.text.insertPlainText(" 👨‍👩‍👧‍👦")  # one grapheme of seven code points
    assert dialog.counts["bluesky"].text() == f"{len(text) + 5} of 300 characters"
    dialog.text.setPlainText("x" * 300 + "\n" + LINK)
    assert "too long" in dialog.counts["bluesky"].text()
    assert "too long" not in dialog.counts["mastodon"].text()
    assert not dialog.send_button.isEnabled()
    assert dialog.status.text() == "Too long for Bluesky: shorten the text or untick it."
    # Unticking Bluesky (keyboard: its mnemonic) lets Mastodon alone be sent.
    qtbot.keyClick(dialog.text, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    # A mnemonic clicks animated: the box changes a moment later.
    qtbot.waitUntil(lambda: not dialog.boxes["bluesky"].isChecked(), timeout=2000)
    assert dialog.send_button.isEnabled()
    assert dialog.status.text() == "Edit the text if you like, then Send."
    # Without the link, nothing can be sent.
    dialog.text.setPlainText("No link here.")
    assert not dialog.send_button.isEnabled()
    assert "must keep the post's link" in dialog.status.text()
    # Back to the default, both networks, Ctrl+Return sends on the worker.
    dialog.boxes["bluesky"].setChecked(True)
    dialog.text.setPlainText(text)
    dialog.text.setFocus()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.sending, timeout=15000)
    status = dialog.status.text()
    assert "Mastodon: sent (" in status and "Bluesky: sent (" in status
    assert [s["text"] for s in mastodon.statuses] == [text]
    assert [r["value"]["text"] for r in bluesky.records] == [text]
    # Sent: the networks are unticked, so Send cannot announce a second time.
    assert not dialog.send_button.isEnabled()
    dialog.close()


def test_announce_dialog_says_which_network_is_not_signed_in(qtbot) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(MemoryKeyring())
    dialog = AnnounceDialog("Trains at night", BODY, LINK)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(
        lambda: (
            "No Mastodon account" in dialog.status.text()
            or "No Bluesky account" in dialog.status.text()
        ),
        timeout=10000,
    )
    assert not dialog.send_button.isEnabled()
    assert isinstance(dialog.status, QLabel)
    dialog.close()
    wait_for_retired_threads()
