"""End to end, in real processes: publish offline (queued), the program killed with SIGKILL
while the queued post is being sent (the post made, its answer not yet back), then a new
program online: exactly one post on the blog, and an empty queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from editor.publish.queue import PublishQueue
from editor.publish.service import PublishService
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import CLIENT_ID, CLIENT_SECRET, BrowserStub
from tests.publish.fault_proxy import FaultProxy
from tests.publish.file_keyring import FileKeyring
from tests.publish.kit import write_draft

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def child_env(
    server: BloggerServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[dict[str, str], FaultProxy]]:
    """Signed in (tokens in a file keyring the child reads too), the API behind a proxy."""
    monkeypatch.setenv("BROADSHEET_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    keyring.set_keyring(FileKeyring())
    proxy = FaultProxy(server.base_url).start()
    api = proxy.url + server.api_url[len(server.base_url) :]
    monkeypatch.setenv("BROADSHEET_BLOGGER_API_URL", api)
    service = PublishService()
    service.set_google_client(CLIENT_ID, CLIENT_SECRET)
    browser = BrowserStub()
    service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.publish.file_keyring.FileKeyring",
        "PYTHONPATH": str(ROOT),
    }
    yield env, proxy
    proxy.stop()


def broadsheet(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "editor", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def titled(server: BloggerServer, title: str) -> list[dict]:  # type: ignore[type-arg]
    with server.lock:
        return [p for p in server.blogger.posts["7001"].values() if p["title"] == title]


def test_publish_offline_kill_9_restart_online_makes_exactly_one_post(
    server: BloggerServer, child_env: tuple[dict[str, str], FaultProxy], tmp_path: Path
) -> None:
    env, proxy = child_env
    draft = write_draft(tmp_path / "drafts", "Written offline", "Words from the train.")
    proxy.offline()
    queued = broadsheet(env, "publish", str(draft), "--blog", "7001", "--queue")
    out, err = queued.communicate(timeout=60)
    assert queued.returncode == 0, err
    assert "Queued" in err and len(PublishQueue().items()) == 1
    # Online again; this program sends the post, and is killed before the answer comes.
    proxy.online()
    creates = []

    def is_create(method: str, path: str, body: bytes) -> bool:
        hit = method == "POST" and path.split("?")[0].rstrip("/").endswith("/blogs/7001/posts")
        creates.extend([path] if hit else [])
        return hit

    proxy.stall(is_create, seconds=30)
    sending = broadsheet(env, "queue", "send")
    deadline = time.monotonic() + 30
    while not titled(server, "Written offline") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(titled(server, "Written offline")) == 1, "the create reached the blog"
    os.kill(sending.pid, signal.SIGKILL)
    sending.communicate(timeout=10)
    assert sending.returncode == -signal.SIGKILL
    assert len(PublishQueue().items()) == 1, "the post is still queued: its answer never came"
    proxy.clear()
    # A new program, online: the queued post is found on the blog, not created again.
    again = broadsheet(env, "queue", "send")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert str(draft.absolute()) in out
    assert len(titled(server, "Written offline")) == 1
    assert len(creates) == 1, "no second create was sent"
    assert PublishQueue().items() == []
    assert "blogger:7001" in draft.read_text(encoding="utf-8")
