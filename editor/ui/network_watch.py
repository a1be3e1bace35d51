"""When to try sending the publish queue again, without busy-waiting.

One single-shot timer, armed only while something waits:
- posts waiting for the network: the next try after a back-off that doubles at each failed
  try (30 s, 1 min, 2 min … up to 10 min) and starts again at 30 s once something went out;
- posts held until their time (a schedule the blog cannot keep): at the earliest such time;
- and at once when the system says the network is back (QNetworkInformation's reachability,
  when the platform has a backend for it; without one the back-off alone does it).
An empty queue leaves the timer stopped. A conflict pauses the watch until the writer answers.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal

log = logging.getLogger(__name__)

FIRST_TRY_MS = 30_000
LONGEST_WAIT_MS = 600_000
_QT_TIMER_MAX_MS = 2**31 - 1  # QTimer takes an int: about 24 days


class NetworkWatch(QObject):
    """Says `due` when the queue should be sent; never polls while nothing waits."""

    due = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        first_ms: int = FIRST_TRY_MS,
        longest_ms: int = LONGEST_WAIT_MS,
        reachability: bool = True,
    ) -> None:
        super().__init__(parent)
        self.first_ms = first_ms
        self.longest_ms = longest_ms
        self.backoff_ms = first_ms
        self.paused = False
        self.waiting = False  # something is in the queue (ready or held)
        self.ready = 0
        self.next_try: datetime | None = None  # when the timer fires (for the queue dialog)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # A coarse timer may fire 5 % early: hours early for a post held until its time.
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._fire)
        self.info = self._reachability() if reachability else None

    def _reachability(self):  # type: ignore[no-untyped-def]
        """The system's network reachability, when a backend for it can be loaded."""
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:  # pragma: no cover - QtNetwork ships with PySide6
            return None
        info = QNetworkInformation.instance()
        if info is None:
            feature = QNetworkInformation.Feature.Reachability
            if not QNetworkInformation.loadBackendByFeatures(feature):
                QNetworkInformation.loadDefaultBackend()
            info = QNetworkInformation.instance()
        if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
            log.info("No network reachability backend: the queue is retried on a timer only")
            return None
        info.reachabilityChanged.connect(self._on_reachability)
        return info

    def online(self) -> bool | None:
        """What the system says about the network (None: it cannot tell)."""
        if self.info is None:
            return None
        from PySide6.QtNetwork import QNetworkInformation

        return bool(self.info.reachability() == QNetworkInformation.Reachability.Online)

    def _on_reachability(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if (
            reachability == QNetworkInformation.Reachability.Online
            and self.ready
            and not self.paused
        ):
            log.info("The network is back: sending the publish queue")
            self.backoff_ms = self.first_ms
            self.timer.stop()
            self._fire()

    # --------------------------------------------------------------------- the timer
    def schedule(self, ready: int, next_due: datetime | None, soon: bool = False) -> None:
        """Arm the one timer for what waits: `ready` posts waiting for the network (after the
        back-off, or at once when `soon`), a held one at `next_due`; nothing waiting stops it."""
        self.ready = ready
        self.waiting = bool(ready or next_due)
        self.timer.stop()
        self.next_try = None
        if self.paused or not self.waiting:
            return
        waits: list[int] = []
        if ready:
            waits.append(0 if soon else self.backoff_ms)
        if next_due is not None:
            until = (next_due - datetime.now(UTC)).total_seconds() * 1000
            waits.append(max(0, int(until) + 1))
        wait = min(min(waits), _QT_TIMER_MAX_MS)
        self.next_try = datetime.now(UTC) + timedelta(milliseconds=wait)
        self.timer.start(wait)

    def _fire(self) -> None:
        self.next_try = None
        if not self.paused:
            self.due.emit()

    def stop(self) -> None:
        """No timer while a send runs (its result arms the next)."""
        self.timer.stop()
        self.next_try = None

    def failed(self) -> None:
        """A try found the blog still unreachable: wait longer next time."""
        self.backoff_ms = min(self.backoff_ms * 2, self.longest_ms)

    def succeeded(self) -> None:
        """Something went out: the next try comes soon again."""
        self.backoff_ms = self.first_ms

    def pause(self) -> None:
        """Stop trying until `resume` (a conflict waits for the writer)."""
        self.paused = True
        self.stop()

    def resume(self) -> None:
        self.paused = False
