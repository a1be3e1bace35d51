"""The preview benchmark runs end to end and reports sane figures (not a timing gate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {
    "words",
    "preview_p50_ms",
    "preview_p95_ms",
    "full_render_ms",
    "keystroke_p95_ms",
    "startup_ms",
    "rss_mb",
    "open_to_editable_ms",
    "open_again_to_editable_ms",
}


def test_preview_benchmark_reports_every_figure(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    env["BROADSHEET_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.preview", "--words", "2000", "--edits", "20", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures.keys() >= KEYS
    assert 2000 <= figures["words"] < 3000
    assert figures["edits"] == 20
    for key in KEYS - {"words"}:
        assert figures[key] > 0, key
    assert figures["preview_p50_ms"] <= figures["preview_p95_ms"] < 10_000
    assert figures["rss_total_mb"] >= figures["rss_mb"]
    memory = figures["memory"]
    assert memory["app"]["rss_mb"] >= memory["app"]["pss_mb"] >= memory["app"]["uss_mb"] > 0
    assert memory["total"]["pss_mb"] > memory["app"]["pss_mb"], "WebEngine's processes count"
    assert memory["processes"] >= 2 and len(memory["top_mappings"]) > 5
    assert figures["typed_text_in_preview"] is True
    assert figures["page_resets"] >= 1 and figures["page_patches"] >= 20
    assert figures["open_to_preview_ms"] >= figures["open_to_editable_ms"]
    page = figures["page_timings"]
    assert page["patches_timed"] == figures["page_patches"], "the page timed every patch"
    assert page["patch_p50_ms"] <= page["patch_max_ms"]


def test_render_worst_benchmark_reports_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.render_worst", "--only", "x 4,000", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert [figure["input"] for figure in figures] == [
        "'[' x 4,000",
        "'[a](' x 4,000",
        "'![' x 4,000",
    ]
    for figure in figures:
        assert figure["refused"] and figure["preview_equals_publish"]
        assert 0 <= figure["full_s"] < 60
