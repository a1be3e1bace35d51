"""The announcement dialog: edit the text of a live post's announcement, see each network's
count, choose the networks, send. Accounts, limits and sending run on a worker."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.announcement import (
    BLUESKY_LIMIT,
    MASTODON_DEFAULT_LIMIT,
    bluesky_length,
    default_announcement,
    fit,
    mastodon_length,
)
from editor.ui.theme import note_colour
from editor.ui.workers import start_dialog_worker

NETWORKS = {"mastodon": "&Mastodon", "bluesky": "&Bluesky"}
COUNTERS = {"mastodon": mastodon_length, "bluesky": bluesky_length}


class AnnounceWorker(QObject):
    """Reads the accounts and limits, and sends; never touches a widget."""

    ready = Signal(str, int)  # network, its character limit
    unavailable = Signal(str, str)  # network, one sentence (not signed in, offline …)
    sent = Signal(str, str)  # network, the announcement's address
    failed = Signal(str, str)  # network, one sentence
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.clients: dict[str, object] = {}

    @Slot()
    def load(self) -> None:
        """Find the signed-in accounts and their limits."""
        from editor.publish.announce.accounts import announcer
        from editor.publish.errors import PublishError

        for network in NETWORKS:
            try:
                client = announcer(network)
                limit = client.limit()
            except PublishError as exc:
                self.unavailable.emit(network, exc.message)
                continue
            self.clients[network] = client
            self.ready.emit(network, limit)

    @Slot(object, str, str, str, str)
    def send(self, networks: list[str], text: str, link: str, title: str, excerpt: str) -> None:
        """Announce on each network in turn; one failure does not stop the others."""
        from editor.publish.errors import PublishError

        for network in networks:
            client = self.clients.get(network)
            if client is None:
                continue
            try:
                done = client.announce(text, link, title, excerpt)  # type: ignore[attr-defined]
            except PublishError as exc:
                self.failed.emit(network, exc.message)
                continue
            self.sent.emit(network, done.url or done.id)
        self.done.emit()


class AnnounceDialog(QDialog):
    """Announce a live post: editable text, a count per network, Send."""

    request_load = Signal()
    request_send = Signal(object, str, str, str, str)

    def __init__(self, title: str, body: str, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Announce Post")
        self.setMinimumSize(620, 420)
        self.url = url
        self.announcement = default_announcement(title, body, url)
        self.limits = {"mastodon": MASTODON_DEFAULT_LIMIT, "bluesky": BLUESKY_LIMIT}
        self.available: dict[str, bool] = {}
        self.sending = False
        self.results: list[str] = []
        self.warning = False  # the status says why Send is off

        explain = QLabel(
            "Tell your followers about this post. The link stays at the end; Bluesky also"
            " shows it as a card with the title."
        )
        explain.setWordWrap(True)
        text_label = QLabel("&Text of the announcement:")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Announcement text")
        self.text.setTabChangesFocus(True)  # Tab moves on to the networks, as in a form
        text_label.setBuddy(self.text)
        fitted = fit(self.announcement, BLUESKY_LIMIT, bluesky_length)
        self.text.setPlainText(fitted.text())
        self.text.textChanged.connect(self.update_counts)

        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        self.counts: dict[str, QLabel] = {}
        for row, (network, label) in enumerate(NETWORKS.items()):
            box = QCheckBox(label)
            box.setAccessibleName(f"Announce on {label.replace('&', '')}")
            box.setEnabled(False)  # until the account is found
            box.toggled.connect(self.update_counts)
            count = QLabel()
            count.setAccessibleName(f"{label.replace('&', '')} character count")
            grid.addWidget(box, row, 0)
            grid.addWidget(count, row, 1)
            grid.setColumnStretch(1, 1)
            self.boxes[network], self.counts[network] = box, count

        self.status = QLabel("Looking for your Mastodon and Bluesky accounts…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Announcement status")
        buttons = QDialogButtonBox()
        self.send_button = QPushButton("&Send")
        self.send_button.setAccessibleName("Send announcement")
        self.send_button.setDefault(False)
        self.send_button.setAutoDefault(False)  # Enter in the text is a new line
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.send)

        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.worker = AnnounceWorker()
        self.thread = start_dialog_worker(self, self.worker, "broadsheet-announce")
        self.request_load.connect(self.worker.load)
        self.request_send.connect(self.worker.send)
        self.worker.ready.connect(self._on_ready)
        self.worker.unavailable.connect(self._on_unavailable)
        self.worker.sent.connect(self._on_sent)
        self.worker.failed.connect(self._on_failed)
        self.worker.done.connect(self._on_done)
        self.update_counts()
        self.request_load.emit()

    def checked(self) -> list[str]:
        """The networks to announce on."""
        return [n for n, box in self.boxes.items() if box.isChecked() and box.isEnabled()]

    def update_counts(self) -> None:
        """Each network's count of the text; over a limit in the error colour, Send off."""
        text = self.text.toPlainText()
        over: list[str] = []
        for network, label in self.counts.items():
            used, limit = COUNTERS[network](text), self.limits[network]
            too_long = used > limit
            name = NETWORKS[network].replace("&", "")
            label.setText(f"{used} of {limit} characters" + (" — too long" if too_long else ""))
            label.setAccessibleDescription(f"{name}: {used} of {limit} characters")
            label.setStyleSheet(f"color: {note_colour('error', self)}" if too_long else "")
            if too_long and network in self.checked():
                over.append(name)
        link_kept = self.url in text
        self.send_button.setEnabled(
            bool(self.checked()) and not over and link_kept and not self.sending
        )
        if self.sending:
            return
        if not link_kept:
            self._warn("The text must keep the post's link.")
        elif over:
            self._warn(f"Too long for {' and '.join(over)}: shorten the text or untick it.")
        elif self.warning:
            self.warning = False
            self._say("Edit the text if you like, then Send.")

    def _warn(self, message: str) -> None:
        self.warning = True
        self._say(message, error=True)

    def _say(self, message: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {note_colour('error', self)}" if error else "")
        self.status.setText(message)

    def _on_ready(self, network: str, limit: int) -> None:
        self.limits[network] = limit
        self.available[network] = True
        self.boxes[network].setEnabled(True)
        self.boxes[network].setChecked(True)
        self._after_load()

    def _on_unavailable(self, network: str, message: str) -> None:
        self.available[network] = False
        self.boxes[network].setToolTip(message)
        self.counts[network].setToolTip(message)
        self._after_load(message)

    def _after_load(self, problem: str = "") -> None:
        self.update_counts()
        if len(self.available) < len(NETWORKS):
            return
        if not any(self.available.values()):
            self._say(problem or "No account is set up.", error=True)
        else:
            missing = [NETWORKS[n].replace("&", "") for n, ok in self.available.items() if not ok]
            note = f" ({', '.join(missing)}: not signed in.)" if missing else ""
            self._say("Edit the text if you like, then Send." + note)

    def send(self) -> None:
        """Send the text to the checked networks on the worker."""
        if not self.send_button.isEnabled():
            return
        self.sending = True
        self.send_button.setEnabled(False)
        self.text.setReadOnly(True)
        self._say("Sending…")
        self.results = []
        self.request_send.emit(
            self.checked(),
            self.text.toPlainText(),
            self.url,
            self.announcement.title,
            self.announcement.excerpt,
        )

    def _on_sent(self, network: str, address: str) -> None:
        self.results.append(f"{NETWORKS[network].replace('&', '')}: sent ({address}).")

    def _on_failed(self, network: str, message: str) -> None:
        self.results.append(f"{NETWORKS[network].replace('&', '')}: {message}")

    def _on_done(self) -> None:
        self.sending = False
        self.text.setReadOnly(False)
        failed = any(": sent (" not in line for line in self.results)
        self._say(" ".join(self.results), error=failed)
        if not failed:
            for box in self.boxes.values():
                box.setChecked(False)  # sent: a second click must not announce again
        self.update_counts()
