"""The publish queue's network watch: one single-shot timer, armed only while something waits,
backing off while the blog stays unreachable, firing at a held post's time, and at once when
the system says the network is back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtNetwork import QNetworkInformation

from editor.ui.network_watch import NetworkWatch


def watch(first_ms: int = 1000, longest_ms: int = 8000) -> NetworkWatch:
    return NetworkWatch(None, first_ms, longest_ms, reachability=False)


def test_nothing_waiting_means_no_timer(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = watch()
    w.schedule(0, None)
    assert not w.timer.isActive() and w.next_try is None
    w.schedule(2, None)
    assert w.timer.isActive() and w.timer.isSingleShot()
    assert 900 <= w.timer.remainingTime() <= 1000
    w.schedule(0, None)  # the queue emptied (sent, or cancelled)
    assert not w.timer.isActive() and w.next_try is None


def test_the_wait_doubles_up_to_the_longest_and_starts_again_after_a_send(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = watch()
    waits = []
    for _ in range(6):
        w.failed()
        w.schedule(1, None)
        waits.append(w.timer.interval())
    assert waits == [2000, 4000, 8000, 8000, 8000, 8000]
    w.succeeded()
    w.schedule(1, None)
    assert w.timer.interval() == 1000


def test_a_held_post_is_tried_at_its_time_not_before(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = watch(first_ms=60_000)
    soon = datetime.now(UTC) + timedelta(milliseconds=300)
    w.schedule(0, soon)  # only a held one: no back-off tries at all
    assert 0 < w.timer.interval() <= 301
    with qtbot.waitSignal(w.due, timeout=10_000):
        pass
    assert datetime.now(UTC) >= soon
    later = datetime.now(UTC) + timedelta(hours=3)
    w.schedule(1, later)  # one waiting for the network and one held: the sooner of the two
    assert w.timer.interval() == 60_000
    w.schedule(0, later)
    assert 3 * 3600_000 - 2000 < w.timer.interval() <= 3 * 3600_000 + 1


def test_paused_for_a_conflict_it_waits_for_the_writer(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = watch()
    w.pause()
    w.schedule(3, None)
    assert not w.timer.isActive()
    w.resume()
    w.schedule(3, None, soon=True)
    assert w.timer.isActive() and w.timer.interval() == 0


def test_the_network_coming_back_sends_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = watch(first_ms=600_000)
    fired: list[bool] = []
    w.due.connect(lambda: fired.append(True))
    w._on_reachability(QNetworkInformation.Reachability.Online)
    assert fired == [], "nothing waits: nothing to send"
    w.failed()
    w.schedule(1, None)
    w._on_reachability(QNetworkInformation.Reachability.Disconnected)
    assert fired == [] and w.timer.isActive()
    w._on_reachability(QNetworkInformation.Reachability.Online)
    assert fired == [True] and w.backoff_ms == 600_000 and not w.timer.isActive()


def test_without_a_reachability_backend_the_timer_alone_does_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = NetworkWatch(None, 1000, 8000)  # whatever this machine has
    assert w.online() in (None, True, False)
    w.schedule(1, None)
    assert w.timer.isActive()
