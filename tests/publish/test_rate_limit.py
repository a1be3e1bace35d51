"""The request quota a batch keeps: sliding windows on an injected clock."""

from __future__ import annotations

import pytest

from editor.publish.base import RateLimit
from editor.publish.rate_limit import QuotaSpentError, RateLimiter
from editor.publish.snippet_update import REQUESTS_PER_POST
from tests.publish.snippet_kit import Clock


def test_a_full_window_waits_until_its_oldest_requests_leave_it() -> None:
    clock = Clock()
    limiter = RateLimiter([RateLimit(100, 100.0)], clock=clock, sleep=clock.sleep)
    starts = []
    for _post in range(60):  # 180 requests: the window holds 33 posts' worth at a time
        assert limiter.acquire(REQUESTS_PER_POST)
        starts.append(clock.now)
    assert starts[32] == 1000.0 and starts[33] >= 1100.0
    for index in range(len(starts)):  # never more than 100 requests in any 100 seconds
        window = [t for t in starts if starts[index] - 100.0 < t <= starts[index]]
        assert len(window) * REQUESTS_PER_POST <= 100
    assert limiter.waited == pytest.approx(clock.slept) and clock.slept == pytest.approx(100.0)


def test_no_limits_never_waits() -> None:
    clock = Clock()
    limiter = RateLimiter([], clock=clock, sleep=clock.sleep)
    for _ in range(10_000):
        limiter.acquire(3)
    assert clock.slept == 0


def test_a_spent_daily_quota_stops_instead_of_waiting_a_day() -> None:
    clock = Clock()
    limits = [RateLimit(100, 100.0), RateLimit(10_000, 86_400.0)]
    limiter = RateLimiter(limits, clock=clock, sleep=clock.sleep)
    limiter._sent.extend([clock.now - 3600.0] * 9_999)  # the day's quota, spent an hour ago
    with pytest.raises(QuotaSpentError) as spent:
        limiter.acquire(3)
    assert spent.value.message == (
        "The blog's request quota is spent for about 23 hours; run the update again then, it"
        " goes on where it stopped."
    )
    assert clock.slept == 0


def test_waiting_for_the_quota_sees_a_cancel() -> None:
    clock = Clock()
    limiter = RateLimiter([RateLimit(3, 100.0)], clock=clock, sleep=clock.sleep)
    assert limiter.acquire(3)
    assert limiter.acquire(3, cancelled=lambda: clock.slept >= 10) is False
    assert 10 <= clock.slept < 12
