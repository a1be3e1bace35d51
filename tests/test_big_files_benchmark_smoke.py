"""The big-files benchmark runs end to end on tiny files and reports every figure (no gate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.big_files import FIGURES

ROOT = Path(__file__).resolve().parents[1]


def test_big_files_benchmark_reports_every_figure(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    env["BROADSHEET_HOME"] = str(tmp_path / "home")
    command = [sys.executable, "-m", "benchmarks.big_files", "--scale", "0.002"]
    command += ["--kinds", "letter,essay10", "--keys", "2", "--timeout", "120", "--json"]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    results = json.loads(result.stdout.strip().splitlines()[-1])
    assert [r["kind"] for r in results] == ["letter", "essay10"]
    for figures in results:
        assert "error" not in figures and "timed_out" not in figures, figures
        assert 10_000 <= figures["bytes"] < 30_000
        for name in FIGURES:
            assert figures[name] > 0, name
        assert figures["settle_ms"] >= figures["open_ms"]
        assert figures["saved"] is True  # the keystroke typed before quitting is in the file
