"""The real WordPress for tests marked `wordpress` (tests/wordpress/start.sh).

scripts/run-tests.sh starts it once and points BROADSHEET_WP_ENV at its wordpress.env. Run
without that script, the session fixture starts (and at the end stops) one itself. When it
cannot start, the tests fail under CI=true with the reason, and are skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
import requests

from editor.publish.service import PublishService
from tests.publish.conftest import MemoryKeyring

HERE = Path(__file__).parent
START = HERE / "start.sh"
ENV_VAR = "BROADSHEET_WP_ENV"  # path of wordpress.env written by start.sh
LOG_VAR = "BROADSHEET_WP_LOG"  # its output, for the reason when it failed


@dataclass(frozen=True)
class WordPressSite:
    """Connection details of the running WordPress, and REST helpers for assertions."""

    url: str
    user: str
    app_password: str
    content_dir: Path

    def rest(self, method: str, route: str, **kwargs: Any) -> requests.Response:
        """A request as the admin, for checking what Broadsheet did (not through Broadsheet)."""
        return requests.request(
            method,
            f"{self.url}/wp-json/{route.lstrip('/')}",
            auth=(self.user, self.app_password),
            timeout=30,
            **kwargs,
        )

    def get(self, route: str, **params: Any) -> Any:
        response = self.rest("GET", route, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def total(self, route: str, **params: Any) -> int:
        """X-WP-Total of a collection (e.g. how many media items there are)."""
        response = self.rest("GET", route, params={"per_page": 1, **params})
        assert response.status_code == 200, response.text
        return int(response.headers["X-WP-Total"])


def read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the real WordPress, which did not start: {reason}")
    pytest.skip(f"no WordPress on loopback: {reason}")


def _tail(path: str | None) -> str:
    if not path or not Path(path).is_file():
        return "(no log)"
    lines = Path(path).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " | ".join(lines[-6:]) or "(empty log)"


@pytest.fixture(scope="session")
def wordpress_site() -> Iterator[WordPressSite]:
    """The running WordPress: from run-tests.sh, or started here for this session."""
    own_dir: str | None = None
    env_path = os.environ.get(ENV_VAR)
    if env_path:
        if not Path(env_path).is_file():
            _unavailable(f"tests/wordpress/start.sh failed: {_tail(os.environ.get(LOG_VAR))}")
    else:
        prerequisites = shutil.which("php") and shutil.which("mariadbd")
        if not prerequisites and os.environ.get("CI") != "true" and os.geteuid() != 0:
            _unavailable("php/mariadb are not installed (scripts/install-system-deps.sh --test)")
        own_dir = tempfile.mkdtemp(prefix="broadsheet-wp-")
        result = subprocess.run(
            [str(START), own_dir], capture_output=True, text=True, timeout=600, check=False
        )
        if result.returncode != 0:
            shutil.rmtree(own_dir, ignore_errors=True)
            _unavailable(f"start.sh exited {result.returncode}: {result.stderr.strip()[-600:]}")
        env_path = str(Path(own_dir) / "wordpress.env")
    values = read_env(Path(env_path))
    try:
        yield WordPressSite(
            url=values["WP_URL"],
            user=values["WP_USER"],
            app_password=values["WP_APP_PASSWORD"],
            content_dir=Path(values["WP_CONTENT"]),
        )
    finally:
        if own_dir:
            subprocess.run([str(START), "--stop", own_dir], timeout=60, check=False)


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    """Secrets in memory for each test (tests/publish/test_secrets.py covers the real one)."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def service() -> Iterator[PublishService]:
    session = requests.Session()
    yield PublishService(session=session, timeout=(5.0, 30.0))
    session.close()


@pytest.fixture
def signed_in(service: PublishService, wordpress_site: WordPressSite) -> PublishService:
    service.sign_in_wordpress(wordpress_site.url, wordpress_site.user, wordpress_site.app_password)
    return service
