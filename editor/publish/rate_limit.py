"""A platform's request quotas kept by a batch of many posts: sliding windows, waiting when full.

The clock and the sleep are injected, so tests run a day of quota in no time.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

from editor.publish.base import RateLimit
from editor.publish.errors import PublishError

# Longer than this, a batch stops instead of waiting (a daily quota spent): run it again later.
LONGEST_WAIT = 15 * 60.0
_SLICE = 1.0  # seconds slept at a time, so a cancel is seen while waiting


class QuotaSpentError(PublishError):
    """The platform's quota allows no more requests for a long while."""


class RateLimiter:
    """Keeps every `RateLimit` of one platform: `acquire(n)` returns when n requests may go."""

    def __init__(
        self,
        limits: Iterable[RateLimit],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        longest_wait: float = LONGEST_WAIT,
    ) -> None:
        self.limits = tuple(limits)
        self.clock = clock
        self.sleep = sleep
        self.longest_wait = longest_wait
        self._sent: deque[float] = deque()  # when each request went, oldest first
        self.waited = 0.0  # seconds spent waiting, in all (for the report and tests)

    def wait_for(self, requests: int) -> float:
        """Seconds to wait before `requests` more may go (0: now)."""
        now = self.clock()
        longest = max((limit.seconds for limit in self.limits), default=0.0)
        while self._sent and self._sent[0] <= now - longest:
            self._sent.popleft()
        wait = 0.0
        for limit in self.limits:
            if requests > limit.requests:
                raise ValueError(f"{requests} requests never fit in {limit}")
            recent = [t for t in self._sent if t > now - limit.seconds]
            over = len(recent) + requests - limit.requests
            if over > 0:  # the `over` oldest must leave the window first
                wait = max(wait, recent[over - 1] + limit.seconds - now)
        return wait

    def acquire(self, requests: int, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Wait until `requests` requests may go and count them; False when cancelled first.

        Raises QuotaSpentError when that means waiting longer than `longest_wait`.
        """
        while True:
            wait = self.wait_for(requests)
            if wait <= 0:
                break
            if wait > self.longest_wait:
                hours = max(1, round(wait / 3600))
                raise QuotaSpentError(
                    f"The blog's request quota is spent for about {hours} hour"
                    f"{'s' if hours != 1 else ''}; run the update again then, it goes on"
                    " where it stopped."
                )
            if cancelled():
                return False
            step = min(wait, _SLICE)
            self.sleep(step)
            self.waited += step
        now = self.clock()
        self._sent.extend([now] * requests)
        return True
