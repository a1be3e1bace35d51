"""The command line end to end: login blogger --no-browser -> blogs -> publish -> publish."""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import Path

import pytest
import requests

from editor.cli import main

from .blogger_server import BloggerServer
from .conftest import CLIENT_ID, CLIENT_SECRET
from .test_publish_service import body_bytes, posts, record


class Console:
    """Collects what the CLI printed while it runs in another thread."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.out = ""
        self.err = ""

    def read(self) -> None:
        captured = self.capsys.readouterr()
        self.out += captured.out
        self.err += captured.err

    def wait_for_line(self, prefix: str, seconds: float = 10) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read()
            for line in self.out.splitlines():
                if line.startswith(prefix):
                    return line
            time.sleep(0.02)
        raise AssertionError(f"no line starting with {prefix!r} in {self.out!r}")


def login(server: BloggerServer, console: Console) -> int:
    """Run `broadsheet login blogger --no-browser`, playing the browser from the test."""
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(main(["login", "blogger", "--no-browser"])), daemon=True
    )
    thread.start()
    url = console.wait_for_line(server.auth_url)
    assert requests.get(url, timeout=10).status_code == 200  # the loopback redirect page
    thread.join(timeout=10)
    console.read()
    return codes[0]


def run(console: Console, *argv: str) -> int:
    code = main(list(argv))
    console.read()
    return code


@pytest.fixture
def console(capsys: pytest.CaptureFixture[str]) -> Console:
    return Console(capsys)


def test_login_blogs_publish_and_republish(
    server: BloggerServer,
    draft: Path,
    console: Console,
    monkeypatch: pytest.MonkeyPatch,
    broadsheet_home: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything any library logs, to check for leaks below
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_SECRET", CLIENT_SECRET)
    assert login(server, console) == 0
    assert "Signed in to Blogger as Test Writer" in console.out

    console.out = ""
    assert run(console, "blogs") == 0
    assert console.out.splitlines() == [
        "7001\tField Notes\thttp://notes.example.blogspot.com/\tdefault",
        "7002\tSecond Blog\thttp://second.example.blogspot.com/",
    ]

    console.out = ""
    before = body_bytes(draft)
    assert run(console, "publish", str(draft)) == 0
    [post] = posts(server)
    assert console.out.strip() == post["url"]
    assert body_bytes(draft) == before

    draft.write_text(draft.read_text().replace("first paragraph", "edited paragraph"))
    console.out = ""
    assert run(console, "publish", str(draft), "--blog", "7001") == 0
    [post] = posts(server)
    assert "edited paragraph" in post["content"]
    assert console.out.strip() == post["url"] and record(draft)["id"] == post["id"]

    # No token or client secret anywhere on disk, in the output or in any log record.
    secrets = server.secret_values()
    assert CLIENT_SECRET in secrets and len(secrets) >= 4
    files = [p for p in broadsheet_home.parent.rglob("*") if p.is_file()]
    assert any(p.name == "accounts.json" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret[:6]}… leaked into {path}"
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "Obtained token" in logged or "token" in logged.lower()  # the libraries did log
    for secret in secrets:
        assert secret not in logged, f"{secret[:6]}… leaked into the log"
        assert secret not in console.out + console.err


def test_login_asks_for_the_client_when_none_is_configured(
    server: BloggerServer, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{CLIENT_ID}\n{CLIENT_SECRET}\n"))
    assert login(server, console) == 0
    # Read from the pipe without prompts: no one is at a terminal to read them.
    assert "OAuth client id: " not in console.err and "OAuth client secret: " not in console.err
    assert CLIENT_SECRET not in console.out + console.err


def test_failures_are_one_line_and_exit_non_zero(
    server: BloggerServer, draft: Path, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(console, "publish", str(draft)) == 1  # not signed in yet
    assert console.err.count("\n") == 1 and console.err.startswith("broadsheet: ")
    assert "broadsheet login blogger" in console.err

    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_SECRET", CLIENT_SECRET)
    assert login(server, console) == 0
    for argv in (
        ["publish", str(draft.with_name("missing.md"))],
        ["publish", str(draft), "--blog", "nope"],
        ["publish", str(draft), "--at", "next tuesday"],
    ):
        console.err = ""
        assert run(console, *argv) == 1, argv
        assert console.err.count("\n") == 1 and console.err.startswith("broadsheet: "), argv

    assert run(console, "publish", str(draft)) == 0
    post_id = record(draft)["id"]
    server.blogger.edit_on_web("7001", post_id, title="Changed on the web")
    console.err = ""
    assert run(console, "publish", str(draft)) == 1
    assert "changed elsewhere" in console.err and "--overwrite" in console.err
    assert console.err.count("\n") == 1
    assert run(console, "publish", str(draft), "--overwrite") == 0
    assert posts(server)[0]["title"] == "Hello Blogger"


def test_draft_and_schedule_flags(
    server: BloggerServer, draft: Path, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_SECRET", CLIENT_SECRET)
    assert login(server, console) == 0
    console.out = ""
    assert run(console, "publish", str(draft), "--draft") == 0
    assert "(draft, no public URL yet)" in console.out
    assert posts(server)[0]["status"] == "DRAFT"
    assert run(console, "publish", str(draft), "--at", "2099-05-01T09:00:00+02:00") == 0
    [post] = posts(server)
    assert post["status"] == "SCHEDULED" and post["published"] == "2099-05-01T07:00:00+00:00"


def test_local_images_warning_goes_to_stderr(
    server: BloggerServer, draft: Path, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_SECRET", CLIENT_SECRET)
    assert login(server, console) == 0
    draft.write_text(draft.read_text() + "\n![local](pics/local.png)\n")
    console.out = console.err = ""
    assert run(console, "publish", str(draft)) == 0
    assert "warning" in console.err and "pics/local.png" in console.err
    assert console.out.strip().startswith("http://notes.example.blogspot.com/")


def test_a_post_deleted_on_the_blog_is_published_anew_with_as_new(
    server: BloggerServer, draft: Path, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("BROADSHEET_GOOGLE_CLIENT_SECRET", CLIENT_SECRET)
    assert login(server, console) == 0
    assert run(console, "publish", str(draft)) == 0
    first = record(draft)["id"]
    del server.blogger.posts["7001"][first]
    console.out = console.err = ""
    assert run(console, "publish", str(draft)) == 1
    assert console.err.startswith("broadsheet: The post was deleted from Field Notes")
    assert "--as-new" in console.err and console.err.count("\n") == 1
    assert "publish:" not in console.err and posts(server) == []

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)  # a terminal: progress is shown
    console.out = console.err = ""
    assert run(console, "publish", str(draft), "--as-new") == 0
    [post] = posts(server)
    assert post["id"] != first and record(draft)["id"] == post["id"]
    assert console.out.strip() == post["url"]
    assert "broadsheet: Creating the post on the blog…" in console.err.splitlines()
