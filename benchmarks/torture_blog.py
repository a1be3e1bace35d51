"""A slow blog for the torture trials that kill Broadsheet while a publish is in flight.

The loopback Blogger contract server (tests/publish/blogger_server.py) answers every insert and
update only after `SLOW_S` seconds (having made the change at once, as a slow server does), so
a publish started in a trial is still in flight when the trial kills the application.

The application processes find the sign-in in a file keyring (`FileKeyring`), because the
trials run where no Secret Service may be running. It holds only the fake server's tokens,
in the trial's scratch folder; the application itself never uses it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import keyring.backend

SLOW_S = 60.0
KEYRING_ENV = "BROADSHEET_TORTURE_KEYRING"


class FileKeyring(keyring.backend.KeyringBackend):
    """A JSON file of secrets at $BROADSHEET_TORTURE_KEYRING (test tokens only)."""

    priority = 1  # type: ignore[assignment]

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(Path(os.environ[KEYRING_ENV]).read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}|{username}"] = password
        Path(os.environ[KEYRING_ENV]).write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}|{username}", None)
        Path(os.environ[KEYRING_ENV]).write_text(json.dumps(data))


class SlowBlog:
    """The contract server, signed in for a BROADSHEET_HOME; `env` is for the app's process."""

    def __init__(self, home: Path) -> None:
        from tests.publish.blogger_server import BloggerServer
        from tests.publish.conftest import CLIENT_ID, CLIENT_SECRET, BrowserStub

        self.server = BloggerServer().start()
        self.server.add_client(CLIENT_ID, CLIENT_SECRET)
        self.env = {
            "BROADSHEET_GOOGLE_AUTH_URL": self.server.auth_url,
            "BROADSHEET_GOOGLE_TOKEN_URL": self.server.token_url,
            "BROADSHEET_BLOGGER_API_URL": self.server.api_url,
            "OAUTHLIB_INSECURE_TRANSPORT": "1",  # loopback only: the fake Google
            KEYRING_ENV: str(home / "torture-keyring.json"),
            "PYTHON_KEYRING_BACKEND": f"{__name__}.FileKeyring",
        }
        saved = {key: os.environ.get(key) for key in [*self.env, "BROADSHEET_HOME"]}
        os.environ.update(self.env, BROADSHEET_HOME=str(home))
        previous = keyring.get_keyring()
        keyring.set_keyring(FileKeyring())
        try:
            from editor.publish.service import PublishService

            service = PublishService()
            service.set_google_client(CLIENT_ID, CLIENT_SECRET)
            browser = BrowserStub()
            service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=20)
            browser.join()
        finally:
            keyring.set_keyring(previous)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        for op in ("blogger.posts.insert", "blogger.posts.update"):
            self.server.fault(op, "delay_after", seconds=SLOW_S, times=10_000)

    def writes(self) -> int:
        """Inserts and updates received so far."""
        return self.server.count("blogger.posts.insert") + self.server.count("blogger.posts.update")

    def posts(self) -> int:
        """How many posts the blog holds (more than one is a duplicate)."""
        return sum(len(posts) for posts in self.server.blogger.posts.values())

    def stop(self) -> None:
        """Stop the server (wakes the requests it is holding)."""
        self.server.stop()
