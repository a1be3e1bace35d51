"""What the writer's desk costs per keystroke on a long draft.

    python -m benchmarks.desk --words 100000

Opens the real main window (offscreen unless a display is set) on a generated essay, types
characters with real key events at random places, and times each keystroke from the key press
until the event queue is empty again (highlighting, spelling, layout, render scheduling). It
alternates rounds with spell checking + counts on and off, so both are measured in the same
process (timings on shared machines drift between processes).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

TYPED = "the quick writer drafts a longr esay about organizing wrold history "


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=240, help="keystrokes per mode (>= 200)")
    parser.add_argument("--rounds", type=int, default=4, help="on/off alternations")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    home = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    os.environ["BROADSHEET_HOME"] = str(home)

    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from benchmarks.make_essay import make
    from editor.core.paths import app_paths
    from editor.core.settings import Settings
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = app_paths()
    paths.drafts_dir.mkdir(parents=True)
    essay = paths.drafts_dir / "essay.md"
    essay.write_text(make(args.words, 520), encoding="utf-8")
    window = MainWindow(paths, Settings(paths.settings_file).load())
    window.resize(1400, 860)
    window.show()

    def wait_until(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit("benchmark: timed out waiting for the window")
            app.processEvents()
            time.sleep(0.005)

    started = time.perf_counter()
    window.open_path(essay)
    wait_until(lambda: window.doc is not None)
    opened_ms = 1000 * (time.perf_counter() - started)
    wait_until(lambda: window.desk.spell.active)
    wait_until(lambda: bool(window.desk.outline.headings))
    editor = window.editor
    editor.setFocus()
    rnd = random.Random(args.seed)
    prefs = window.desk.prefs
    modes = {
        "off": prefs.with_changes(spellcheck=False, show_counts=False),
        "on": prefs.with_changes(spellcheck=True, show_counts=True),
    }
    blocks = editor.document().blockCount()
    per_round = max(1, args.chars // args.rounds)
    typed = 0

    def measure() -> tuple[dict[str, list[float]], dict[str, list[float]]]:
        """Per-keystroke ms (key event + event queue) and the key event alone, per mode."""
        nonlocal typed
        timings: dict[str, list[float]] = {name: [] for name in modes}
        key_part: dict[str, list[float]] = {name: [] for name in modes}
        for _round in range(args.rounds):
            for name, mode in modes.items():
                window.desk.apply_preferences(mode)
                app.processEvents()
                for i in range(per_round):
                    if i % 12 == 0:  # a new random place, off the clock
                        block = editor.document().findBlockByNumber(rnd.randrange(blocks))
                        cursor = QTextCursor(block)
                        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                        editor.setTextCursor(cursor)
                        editor.centerCursor()
                        settle = time.monotonic() + 0.05  # lines scrolled into view get checked
                        while time.monotonic() < settle:
                            app.processEvents()
                    char = TYPED[typed % len(TYPED)]
                    typed += 1
                    key = Qt.Key.Key_Space if char == " " else Qt.Key(ord(char.upper()))
                    begin = time.perf_counter()
                    QTest.keyClick(editor, key, Qt.KeyboardModifier.NoModifier)
                    middle = time.perf_counter()
                    app.processEvents()
                    timings[name].append(1000 * (time.perf_counter() - begin))
                    key_part[name].append(1000 * (middle - begin))
        return timings, key_part

    def report(
        title: str, timings: dict[str, list[float]], key_part: dict[str, list[float]]
    ) -> None:
        print(f"\n{title}")
        print(
            f"{'spell check + counts':<22}{'keys':>6}{'median ms':>11}{'p95 ms':>9}"
            f"{'key event median':>18}"
        )
        for name, values in timings.items():
            median = statistics.median(values)
            p95 = _percentile(values, 0.95)
            key_median = statistics.median(key_part[name])
            print(f"{name:<22}{len(values):>6}{median:>11.2f}{p95:>9.2f}{key_median:>18.2f}")
        added = statistics.median(timings["on"]) - statistics.median(timings["off"])
        added_p95 = _percentile(timings["on"], 0.95) - _percentile(timings["off"], 0.95)
        print(f"added per keystroke: median {added:+.2f} ms, p95 {added_p95:+.2f} ms")

    print(f"Broadsheet desk benchmark: {args.words:,}-word essay, {blocks:,} lines")
    print(f"opened (text in the editor) in {opened_ms:.0f} ms")
    report("As used (the preview re-renders on its thread while you type):", *measure())
    # The render thread runs Python-Markdown and holds the GIL in turns, which adds ~10 ms to
    # keystrokes that land during a render in both modes; without renders the desk's own
    # cost stands alone.
    window.render_timer.timeout.disconnect()
    wait_until(lambda: not window._rendering)
    report("Renders paused (the desk's own cost):", *measure())

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


if __name__ == "__main__":
    sys.exit(main())
