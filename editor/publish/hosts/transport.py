"""HTTP for the image hosts: timeouts, retries of idempotent requests, clear network errors.

Why retries are safe here: every key is content-addressed, so repeating a PUT (or HEAD, GET,
MKCOL, DELETE) after a lost answer stores the same bytes under the same name. A POST (WordPress
media) is sent once (`idempotent=False`); its caller looks for an earlier copy instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from editor.publish.hosts.errors import ImageHostConfigError, ImageHostError, ImageHostOfflineError
from editor.publish.http import Sender
from editor.publish.secure_url import require_secure

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds
MAX_WAIT = 30.0  # never freeze a publish longer than this for one retry


class HostHttp:
    """Sends requests for one image host over an injected session."""

    def __init__(
        self,
        session: requests.Session,
        service: str,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.service = service  # "the S3 bucket photos": used in messages
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.sleep = sleep

    def request(
        self, method: str, url: str, *, idempotent: bool = True, **kwargs: Any
    ) -> requests.Response:
        """Send one request, retrying network failures and 429/5xx when `idempotent`.

        Returns the final response whatever its status (the caller maps statuses to errors);
        raises ImageHostOfflineError when no answer came, ImageHostConfigError (nothing sent)
        when credentials would go over plain http to another computer.
        """
        if kwargs.get("auth") is not None:
            require_secure(url, f"the credentials of {self.service}", error=ImageHostConfigError)
        kwargs.setdefault("allow_redirects", False)
        sender = Sender(
            self.session,
            self.service,
            timeout=self.timeout,
            max_attempts=self.max_attempts,
            sleep=self.sleep,
            max_wait=MAX_WAIT,
        )
        return sender.send(
            method, url, retry=idempotent, offline=lambda exc: self.offline(exc, url), **kwargs
        )

    def offline(self, exc: requests.RequestException, url: str) -> ImageHostOfflineError:
        """A clear error for a request that got no answer."""
        where = urlsplit(url).netloc or url
        if isinstance(exc, requests.Timeout):
            text = f"{self.service} ({where}) did not answer in time"
        else:
            text = f"{self.service} ({where}) could not be reached"
        return ImageHostOfflineError(f"{text}; check the address and your connection.")


def fetch_public(
    session: requests.Session,
    url: str,
    label: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
) -> bytes:
    """The bytes readers get at `url`; ImageHostError when it does not load as a file."""
    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as exc:
        raise ImageHostOfflineError(
            f"The image was uploaded to {label}, but its public address {url} could not be"
            " loaded; check the public base URL in the host's settings."
        ) from exc
    if response.status_code != 200:
        raise ImageHostError(
            f"The image was uploaded to {label}, but its public address {url} answered"
            f" HTTP {response.status_code}; check the public base URL and that readers may"
            " see the files."
        )
    return response.content
