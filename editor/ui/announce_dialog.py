"""The announcement dialog: edit the text of a live post's announcement, see each network's
count, choose the networks, send. Accounts, limits and sending run on a worker."""

from __future__ import annotations

import logging
from dataclasses import dataclass

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
from editor.ui.background import Job, Runner
from editor.ui.theme import note_colour
from editor.ui.workers import start_dialog_thread

log = logging.getLogger(__name__)

NETWORKS = {"mastodon": "&Mastodon", "bluesky": "&Bluesky"}
COUNTERS = {"mastodon": mastodon_length, "bluesky": bluesky_length}


def _nothing(_result: object) -> None:
    """The accounts were all looked at (each reported as found)."""


@dataclass(frozen=True)
class Reach:
    """One network's account, as found: its character limit, or why it cannot be used."""

    network: str
    limit: int | None  # None: unavailable (not signed in, offline …)
    problem: str = ""  # one sentence when unavailable


@dataclass(frozen=True)
class Outcome:
    """One network's announcement: its address once sent, or why it was not."""

    network: str
    address: str = ""
    problem: str = ""  # one sentence when it failed


class Announcer:
    """Reads the accounts and limits, and sends; runs on the dialog's thread (in order: the
    accounts found are the ones sent on) and never touches a widget."""

    def __init__(self) -> None:
        self.clients: dict[str, object] = {}

    def load(self, job: Job[Reach]) -> None:
        """Find the signed-in accounts and their limits, one network at a time."""
        from editor.publish.announce.accounts import announcer
        from editor.publish.errors import PublishError

        for network in NETWORKS:
            try:
                client = announcer(network)
                limit = client.limit()
            except PublishError as exc:
                job.report(Reach(network, None, exc.message))
                continue
            self.clients[network] = client
            job.report(Reach(network, limit))

    def send(  # noqa: PLR0913 - what one announcement is made of
        self, job: Job[Outcome], networks: list[str], text: str, link: str, title: str, excerpt: str
    ) -> None:
        """Announce on each network in turn; one failure does not stop the others."""
        from editor.publish.errors import PublishError

        for network in networks:
            client = self.clients.get(network)
            if client is None:
                continue
            try:
                done = client.announce(text, link, title, excerpt)  # type: ignore[attr-defined]
            except PublishError as exc:
                job.report(Outcome(network, problem=exc.message))
                continue
            job.report(Outcome(network, address=done.url or done.id))


class AnnounceDialog(QDialog):
    """Announce a live post: editable text, a count per network, Send."""

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

        self.announcer = Announcer()
        self.thread = start_dialog_thread(self, "broadsheet-announce")
        self.runner = Runner(self, thread=self.thread)
        self.update_counts()
        self.runner.run_job(self.announcer.load, done=_nothing, progress=self._on_reach)

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

    def _on_reach(self, reach: Reach) -> None:
        if reach.limit is None:
            self._on_unavailable(reach.network, reach.problem)
        else:
            self._on_ready(reach.network, reach.limit)

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
        sending = (
            self.checked(),
            self.text.toPlainText(),
            self.url,
            self.announcement.title,
            self.announcement.excerpt,
        )
        self.runner.run_job(
            lambda job: self.announcer.send(job, *sending),
            done=lambda _none: self._on_done(),
            failed=self._on_send_failed,
            progress=self._on_outcome,
        )

    def _on_outcome(self, outcome: Outcome) -> None:
        if outcome.problem:
            self._on_failed(outcome.network, outcome.problem)
        else:
            self._on_sent(outcome.network, outcome.address)

    def _on_send_failed(self, exc: Exception) -> None:
        log.error("Announcing failed", exc_info=exc)  # a bug: the dialog still ends sending
        self._on_done()

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
