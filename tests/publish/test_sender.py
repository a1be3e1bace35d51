"""The one loop every client and image host sends through (editor.publish.http.Sender)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from editor.publish.errors import OfflineError
from editor.publish.http import Sender, too_long


class Scripted(requests.Session):
    """Answers from a script: an int is a status, an exception is raised."""

    def __init__(self, *script: int | tuple[int, str] | Exception) -> None:
        super().__init__()
        self.script = list(script)
        self.sent = 0

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent += 1
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        status, retry_after = step if isinstance(step, tuple) else (step, None)
        response = requests.Response()
        response.status_code = status
        if retry_after is not None:
            response.headers["Retry-After"] = retry_after
        return response


def offline(exc: requests.RequestException) -> OfflineError:
    return OfflineError(f"No answer ({type(exc).__name__}).")


def test_429_and_5xx_are_retried_honouring_retry_after() -> None:
    slept: list[float] = []
    session = Scripted((429, "7"), 503, 200)
    answer = Sender(session, "Test", sleep=slept.append).send("GET", "u", offline=offline)
    assert answer.status_code == 200 and session.sent == 3
    assert slept[0] == 7.0 and 0.5 <= slept[1] <= 0.625 * 2


def test_a_create_is_never_repeated_blindly() -> None:
    session = Scripted(503, 200)
    answer = Sender(session, "Test", sleep=pytest.fail).send(
        "POST", "u", retry=False, offline=offline
    )
    assert answer.status_code == 503 and session.sent == 1
    lost = Scripted(requests.ConnectionError("reset"), 200)
    with pytest.raises(OfflineError):
        Sender(lost, "Test", sleep=pytest.fail).send("POST", "u", retry=False, offline=offline)
    assert lost.sent == 1


def test_a_wait_longer_than_allowed_is_not_slept_through() -> None:
    session = Scripted((429, "3600"), 200)
    answer = Sender(session, "Test", sleep=pytest.fail).send("GET", "u", offline=offline)
    assert answer.status_code == 429 and session.sent == 1
    quota = too_long(answer, "The blog")
    assert quota is not None and "60 minutes" in quota.message and quota.retry_after == 3600


def test_no_answer_after_the_last_attempt_is_the_callers_sentence() -> None:
    slept: list[float] = []
    session = Scripted(*[requests.Timeout("slow")] * 3)
    with pytest.raises(OfflineError, match="No answer"):
        Sender(session, "Test", max_attempts=3, sleep=slept.append).send(
            "GET", "u", offline=offline
        )
    assert session.sent == 3 and len(slept) == 2
