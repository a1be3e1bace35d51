"""The real `broadsheet` process starts offscreen and creates the sample on first run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from editor.core.post import parse_post


def test_first_start_creates_and_opens_the_sample_draft(
    broadsheet_home: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    env["BROADSHEET_HOME"] = str(broadsheet_home)
    log = tmp_path / "stderr.log"  # a file, not a pipe: Chromium logs a lot, nobody reads it
    with open(log, "wb") as err:  # noqa: PTH123
        proc = subprocess.Popen(
            [sys.executable, "-m", "editor"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
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
