"""The real `broadsheet` process starts offscreen and creates the sample on first run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from editor.core.post import parse_post


def start_broadsheet(
    home: Path, log: Path, args: list[str] | None = None, more_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """The real `broadsheet` process, offscreen, in its own process group."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    env["BROADSHEET_HOME"] = str(home)
    env.update(more_env or {})
    with open(log, "wb") as err:  # noqa: PTH123 - a file, not a pipe: Chromium logs a lot
        return subprocess.Popen(
            [sys.executable, "-m", "editor", *(args or [])],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )


def stop_broadsheet(proc: subprocess.Popen[bytes]) -> None:
    """Close the window as a logout would (it saves), or kill it after 20 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        raise AssertionError("SIGTERM did not close Broadsheet within 20 s") from None


def test_first_start_creates_and_opens_the_sample_draft(
    broadsheet_home: Path, tmp_path: Path
) -> None:
    log = tmp_path / "stderr.log"
    proc = start_broadsheet(broadsheet_home, log)
    sample = broadsheet_home / "data" / "drafts" / "welcome-to-broadsheet.md"
    image = sample.with_name("welcome-to-broadsheet.assets") / "harbour-at-dusk.png"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not image.exists():
            assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
            time.sleep(0.1)
        assert sample.exists() and image.exists()
        post = parse_post(sample.read_text(encoding="utf-8"))
        assert post.title == "Welcome to Broadsheet"
        for needle in ("> ", "```python", "| Element", "[^1]", "*Above:"):
            assert needle in post.body, f"the sample shows off {needle!r}"
        time.sleep(1.0)
        assert proc.poll() is None, "the window stays up"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # closes the window properly (saves), then exits
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            raise AssertionError("SIGTERM did not close Broadsheet within 20 s") from None


def test_the_next_start_opens_a_draft_whose_text_only_its_recovery_copy_holds(
    broadsheet_home: Path, tmp_path: Path
) -> None:
    """Issue 13, defect 2: after a crash with a deleted draft's text pending, the next start
    opens that text (not the welcome sample, not another draft) and offers the choice again."""
    import json

    from editor.core.drafts import DraftStore
    from editor.core.paths import app_paths
    from editor.core.recovery import DELETED, RecoveryStore

    paths = app_paths()
    store = DraftStore(paths.drafts_dir, paths.trash_dir)
    other = store.new_draft("Another draft", body="Other words.\n")
    (broadsheet_home / "config").mkdir(parents=True, exist_ok=True)
    (broadsheet_home / "config" / "settings.json").write_text(
        json.dumps({"last_draft": str(other), "sample_installed": True})
    )
    gone = paths.drafts_dir / "deleted-by-sync.md"
    copies = RecoveryStore(paths.data_dir / "recovery")
    copies.keep(gone, "---\ntitle: Kept\n---\n\nTyped after the delete.\n", DELETED, "abc")
    log = tmp_path / "stderr.log"
    proc = start_broadsheet(broadsheet_home, log)
    session = paths.state_dir / "session.json"

    def open_drafts() -> list[str]:
        try:
            return json.loads(session.read_text())["open"]
        except (OSError, ValueError, KeyError):
            return []

    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not open_drafts():
            assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
            time.sleep(0.1)
        assert open_drafts() == [str(gone)]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    assert not gone.exists(), "nothing is written until the writer chooses"
    kept = copies.get(gone)
    assert kept is not None and "Typed after the delete." in kept.text, "still offered next time"
    assert not (paths.drafts_dir / "welcome-to-broadsheet.md").exists()
