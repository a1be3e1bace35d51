"""JSON over HTTP for the blog clients: bearer token, timeouts, safe retries, typed errors.

Retry rules (why): a GET or PUT can be repeated without changing the outcome, so 429/5xx and
network failures are retried with backoff, honouring Retry-After. A request that creates
something is never blindly repeated here (`retry=False`): the caller must first find out whether
the first attempt landed. A 401 is always retried once with a fresh token, because the server
rejected the request before doing anything.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

import requests

from editor.publish.base import RemotePost
from editor.publish.errors import OfflineError, PublishError, QuotaError, ServerError
from editor.publish.secure_url import require_secure

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # a server asking for longer gets a QuotaError instead of a frozen app
# How long after a create was sent the blog may still commit it although Broadsheet stopped
# listening (timeout, lost connection, crash). Issue 13 saw Blogger answer after 70 s. Web
# servers and proxies in front of a blog give up on an answer after 60-100 s (nginx, Apache,
# Cloudflare), but the application behind them may finish its work later; five minutes is
# several times anything observed, and short enough that a writer whose first attempt
# really died is told so within minutes. Until then "not found" is not proof.
LANDING_WINDOW = 300.0
LANDING_POLL = 5.0  # seconds between two looks for a post that may still land


class TokenSource(Protocol):
    """Gives access tokens and renews them after a 401."""

    def token(self) -> str:
        """A currently valid access token."""
        ...

    def refresh(self, rejected: str | None = None) -> None:
        """Replace the token the server rejected."""
        ...


ErrorMapper = Callable[[requests.Response], PublishError]


def retry_after_seconds(response: requests.Response) -> float | None:
    """The wait the server asked for (Retry-After: seconds or an HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retry_delay(attempt: int, asked: float | None = None) -> float:
    """Seconds to wait before attempt `attempt + 1`: the server's Retry-After, else backoff."""
    if asked is not None:
        return asked
    return min(8.0, 0.5 * 2 ** (attempt - 1)) * (1 + random.random() / 4)


def insert_once(
    send: Callable[[], RemotePost],
    find: Callable[[], RemotePost | None],
    *,
    attempts: int,
    wait: Callable[[float], None],
) -> RemotePost:
    """Create a post exactly once, whatever the network does.

    `send` makes one create request (never retried by itself); `find` looks for the post by
    its hidden marker. After an ambiguous failure the post is looked for before anything is
    sent again, so a flaky network never makes a duplicate. When the answer was lost or timed
    out and the post is not there (yet), this raises an uncertain OfflineError: the blog may
    still finish the request, so the caller must wait for it (`await_landing`), not resend.
    """
    for attempt in range(1, attempts + 1):
        try:
            return send()
        except PublishError as exc:
            if not exc.transient:
                raise
            failure = exc
        uncertain = isinstance(failure, OfflineError) and failure.uncertain
        if uncertain or isinstance(failure, ServerError):
            # The request reached the server, which may have created the post anyway.
            # A failing lookup raises, so nothing is created while we cannot tell.
            try:
                found = find()
            except PublishError as lookup:
                if isinstance(failure, OfflineError) and uncertain:
                    raise uncertain_create(failure) from lookup
                raise
            if found is not None:
                return found
        if isinstance(failure, OfflineError) and uncertain:
            # Not found *yet*: the blog may finish the request later. Sending it again now
            # could create a copy, so stop and let the caller wait for it to land.
            raise uncertain_create(failure) from failure
        if attempt == attempts or (failure.retry_after or 0) > MAX_RETRY_AFTER:
            raise failure
        # Refused connection, 429, or a 5xx that created nothing: safe to send again.
        wait(retry_delay(attempt, failure.retry_after))
    raise AssertionError("unreachable")  # the loop either returns or raises


def uncertain_create(failure: OfflineError) -> OfflineError:
    """The error for a create whose outcome is unknown: it timed out or its answer was lost."""
    return OfflineError(
        f"{failure.reason} while creating the post, so it may still appear; publishing again"
        " looks for it first and will not make a copy.",
        uncertain=True,
        timed_out=failure.timed_out,
        reason=failure.reason,
    )


def await_landing(
    find: Callable[[], RemotePost | None],
    *,
    deadline: float,
    clock: Callable[[], float],
    wait: Callable[[float], None],
    waiting: Callable[[float], None],
    every: float = LANDING_POLL,
) -> RemotePost | None:
    """The post of an uncertain create, looked for until the blog can no longer be working on it.

    "Not found" right after a create timed out or lost its connection proves nothing: the
    blog may commit the post later (issue 13: it answered after 70 s, the client had given up
    at 60 s). So `find` is repeated every `every` seconds until it finds the post or `clock()`
    passes `deadline`; `waiting(seconds_left)` reports each wait, `wait` may raise to stop.
    The one rule for both the publish that failed and any publish after it.
    """
    while True:
        found = find()
        if found is not None:
            return found
        remaining = deadline - clock()
        if remaining <= 0:
            return None
        waiting(remaining)
        wait(min(every, remaining))


def network_error(exc: requests.RequestException, method: str, who: str) -> OfflineError:
    """A clear error for a request to `who` that got no answer (every blog client uses it).

    A read timeout says "timed out", never "connection lost": the blog got the request and
    may still be working on it, which matters for a create.
    """
    cause = repr(exc.args[0] if exc.args else exc)
    # A refused/unresolvable connection never reached the server; anything later might have.
    unsent = isinstance(exc, requests.ConnectTimeout) or (
        isinstance(exc, requests.ConnectionError) and "NewConnectionError" in cause
    )
    # requests reports a timeout while reading the body as a ConnectionError around it.
    timed_out = isinstance(exc, requests.Timeout) or "ReadTimeoutError" in cause
    if timed_out:
        text = f"{who} did not answer in time (timed out)"
    elif unsent:
        text = f"Could not reach {who}"
    else:
        text = f"The connection to {who} was lost"
    return OfflineError(
        f"{text}; check your internet connection and try again.",
        uncertain=method != "GET" and not unsent,
        timed_out=timed_out,
        reason=text,
    )


class Sender:
    """The one loop that sends a request, puts a timeout on it and retries what is safe: every
    blog client and image host sends through one (issue 18: three loops had drifted apart).

    A network failure, 429 or 5xx is retried with backoff when `retry` is set, honouring
    Retry-After up to `max_wait` seconds; a longer wait is not slept through: the answer is
    returned for the caller to say so (see `too_long`). Whatever else comes back is returned
    unchecked: statuses become typed errors in the caller, which knows its platform's words.
    """

    def __init__(
        self,
        session: requests.Session,
        who: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_RETRY_AFTER,
    ) -> None:
        self.session = session
        self.who = who  # for the log: "Blogger", "WordPress", "the S3 bucket photos"
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.sleep = sleep
        self.max_wait = max_wait

    def send(
        self,
        method: str,
        url: str,
        *,
        retry: bool = True,
        offline: Callable[[requests.RequestException], Exception],
        **kwargs: Any,
    ) -> requests.Response:
        """Send `method url` (kwargs as for requests); `offline` makes the error raised when
        no answer came after the last attempt."""
        kwargs.setdefault("timeout", self.timeout)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(method, url, **kwargs)
            except requests.RequestException as exc:
                if retry and attempt < self.max_attempts:
                    self.wait(retry_delay(attempt))
                    continue
                raise offline(exc) from exc
            if response.status_code in RETRY_STATUSES and retry and attempt < self.max_attempts:
                asked = retry_after_seconds(response)
                if asked is None or asked <= self.max_wait:
                    self.wait(retry_delay(attempt, asked))
                    continue
            return response

    def wait(self, seconds: float) -> None:
        """Sleep before a retry (injectable so tests do not really wait)."""
        log.info("%s: retrying in %.1f s", self.who, seconds)
        self.sleep(seconds)


def too_long(response: requests.Response, who: str) -> QuotaError | None:
    """A QuotaError when the server asks to wait longer than Broadsheet waits, else None."""
    if response.status_code not in RETRY_STATUSES:
        return None
    asked = retry_after_seconds(response)
    if asked is None or asked <= MAX_RETRY_AFTER:
        return None
    return QuotaError(
        f"{who} asks to wait {asked / 60:.0f} minutes before trying again; try later.",
        retry_after=asked,
    )


class JsonApi:
    """Calls one JSON API below `base_url` with an injected session."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        auth: TokenSource,
        map_error: ErrorMapper,
        *,
        service: str,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        # Every call carries a bearer token: refuse plain http before any can be sent.
        require_secure(self.base_url, f"your {service} access token")
        self.auth = auth
        self.map_error = map_error
        self.service = service  # "Blogger": used in messages
        self.max_attempts = max(1, max_attempts)
        self.sender = Sender(
            session, service, timeout=timeout, max_attempts=max_attempts, sleep=sleep
        )
        self.wait = self.sender.wait  # between attempts to create (insert_once)

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | list[tuple[str, str]] | None = None,
        body: dict[str, Any] | None = None,
        retry: bool = True,
    ) -> dict[str, Any]:
        """Send one request (retrying when `retry` and safe) and return the JSON answer."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        renewed = False
        while True:
            token = self.auth.token()
            response = self.sender.send(
                method,
                url,
                retry=retry,
                offline=lambda exc: network_error(exc, method, self.service),
                params=params,
                json=body,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
            if response.status_code == 401 and not renewed:
                renewed = True  # the request was rejected unprocessed: safe to send again
                self.auth.refresh(token)
                continue
            quota = too_long(response, self.service)
            if quota is not None:
                raise quota
            if response.status_code >= 400:
                error = self.map_error(response)
                if response.status_code in RETRY_STATUSES:
                    error.retry_after = retry_after_seconds(response)
                raise error
            return self.json_of(response)

    def json_of(self, response: requests.Response) -> dict[str, Any]:
        """The decoded JSON object of a successful answer ({} for an empty body)."""
        if not response.content:
            return {}
        try:
            data = response.json()
        except ValueError as exc:
            raise ServerError(
                f"{self.service} sent an answer that is not JSON; try again."
            ) from exc
        if not isinstance(data, dict):
            raise ServerError(f"{self.service} sent an unexpected answer; try again.")
        return data
