"""Fixtures for the publishing tests: a temp BROADSHEET_HOME, a keyring, the fake Google.

BROADSHEET_HOME comes from tests/conftest.py. No test reaches the internet: every endpoint
is the loopback contract server.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
import requests

from editor.core.paths import app_paths
from editor.publish.service import PublishService

from .blogger_server import BloggerServer

CLIENT_ID = "test-client.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-test-client-secret-0123"
# Short enough to keep the timeout tests quick, long enough for a loaded CI machine; the
# delay faults in test_faults.py wait 3 s, twice the read timeout.
TEST_TIMEOUT = (2.0, 1.5)
# A create that timed out may still land for this long after it was sent (the real window
# is minutes); longer than the 3 s delay faults, so those posts are waited for and found.
TEST_LANDING_WINDOW = 4.0


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything at the end of the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> MemoryKeyring | None:
    """An in-memory keyring, except for tests marked `keyring` (they use the real one)."""
    if request.node.get_closest_marker("keyring"):
        return None
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def real_keyring() -> keyring.backend.KeyringBackend:
    """The Secret Service over D-Bus; fails in CI when missing, skips elsewhere."""
    problem = _secret_service_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a Secret Service (run under dbus-run-session): {problem}")
        pytest.skip(f"no usable Secret Service: {problem}")
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    return backend


def _secret_service_problem() -> str | None:
    try:
        import secretstorage
        from keyring.backends import SecretService

        SecretService.Keyring.priority  # noqa: B018 - raises when the service is missing
        connection = secretstorage.dbus_init()
        try:
            # A locked collection would pop up a prompt and hang for ~30 s: treat as missing.
            if secretstorage.get_default_collection(connection).is_locked():
                return "the default collection is locked"
        finally:
            connection.close()
    except Exception as exc:  # noqa: BLE001 - any failure here means "not available"
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[BloggerServer]:
    """The fake Google on loopback, with Broadsheet's endpoints pointed at it."""
    fake = BloggerServer().start()
    fake.add_client(CLIENT_ID, CLIENT_SECRET)
    monkeypatch.setenv("BROADSHEET_GOOGLE_AUTH_URL", fake.auth_url)
    monkeypatch.setenv("BROADSHEET_GOOGLE_TOKEN_URL", fake.token_url)
    monkeypatch.setenv("BROADSHEET_BLOGGER_API_URL", fake.api_url)
    # oauthlib refuses plain-http token endpoints; allowed here only because it is loopback.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    yield fake
    fake.stop()
    assert fake.violations == [], "requests outside the documented contract"


class Sleeps(list[float]):
    """Records the waits a client asked for, without waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def service(server: BloggerServer, sleeps: Sleeps) -> Iterator[PublishService]:
    """A PublishService with the test OAuth client configured (not yet signed in)."""
    session = requests.Session()
    svc = PublishService(
        session=session, timeout=TEST_TIMEOUT, sleep=sleeps, landing_window=TEST_LANDING_WINDOW
    )
    svc.set_google_client(CLIENT_ID, CLIENT_SECRET)
    yield svc
    session.close()


class BrowserStub:
    """Plays the browser: opens the authorization URL and follows the redirect."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.urls: list[str] = []
        self.errors: list[BaseException] = []

    def __call__(self, url: str) -> None:
        self.urls.append(url)

        def visit() -> None:
            try:
                requests.get(url, timeout=10)
            except BaseException as exc:  # noqa: BLE001 - reported by join()
                self.errors.append(exc)

        thread = threading.Thread(target=visit, daemon=True)
        thread.start()
        self.threads.append(thread)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[BrowserStub]:
    stub = BrowserStub()
    yield stub
    stub.join()


@pytest.fixture
def signed_in(service: PublishService, browser: BrowserStub) -> PublishService:
    """The service after a real (loopback) sign-in."""
    service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    return service


@pytest.fixture
def paths():  # type: ignore[no-untyped-def]
    return app_paths()


ESSAY = """---
title: Hello Blogger
labels: [news, tests]
---

# Hello Blogger

A first paragraph with *emphasis*.

![Remote](https://example.org/pic.png)
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """A draft file outside BROADSHEET_HOME."""
    path = tmp_path / "drafts" / "hello.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ESSAY.encode("utf-8"))
    return path
