"""Whether very large files keep the window responsive, measured on the real window (offscreen).

    python -m benchmarks.big_files [--kinds letter,base64,essay10,essay50] [--scale 1] [--json]

Each kind of file is opened in a fresh process (a fresh window with spell checking on, the
preview shown), which measures:

- open: from asking for the file to its text being in the editor;
- stall: the longest time the event loop did not turn (a 5 ms heartbeat timer missed its
  beat) from asking for the file until the preview shows it and no render is pending — what
  the writer feels as a frozen window;
- settle: from asking for the file until the preview shows it;
- key: from a key event (posted as the window system would) to the typed letter being in the
  document and the editor repainted — the first keystroke right after the text arrives, and
  the worst of a few more once everything settled;
- quit: closing the window with an unsaved keystroke and the render it started in flight;
- quit_first: the same in a second, fresh window, right after the file's text arrived, so
  that the first render of the whole preview (seconds for 10 MB) is in flight: the close
  calls it off rather than wait for it (`rendering` says whether it was still running).

Kinds: `letter` is one 5 MB line of one letter, `base64` one 5 MB line of base64, `essay10`
and `essay50` 10 MB and 50 MB of ordinary essay text (make_essay.py), `words100k` a
100,000-word essay (about 620 KB). `--scale` shrinks or
grows every file (the smoke test uses a tiny scale). A kind that takes longer than
`--timeout` seconds is reported as timed out.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.make_essay import make

MB = 1_000_000
BYTES_PER_WORD = 6.19  # of make_essay's text, measured
KINDS = {
    "letter": 5 * MB,
    "base64": 5 * MB,
    "words100k": int(100_000 * BYTES_PER_WORD),  # issue 17: editable within 1 s
    "essay10": 10 * MB,
    "essay50": 50 * MB,
}
HEARTBEAT_MS = 5
FIGURES = (
    "open_ms",
    "stall_ms",
    "settle_ms",
    "first_key_ms",
    "key_max_ms",
    "quit_ms",
    "quit_first_ms",
)


def write_file(kind: str, size: int, folder: Path) -> Path:
    """Write the file of `kind`, about `size` bytes, deterministically."""
    path = folder / f"{kind}.md"
    if kind == "letter":
        text = "a" * size + "\n"
    elif kind == "base64":
        raw = random.Random(13).randbytes(size * 3 // 4)
        text = base64.b64encode(raw).decode("ascii") + "\n"
    else:
        text = make(max(50, int(size / BYTES_PER_WORD)), 520)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ one kind, in a child
def measure(path: Path, keys: int) -> dict[str, object]:
    """Open `path` in a fresh window and return the figures (run in its own process)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from editor.core.paths import app_paths
    from editor.core.settings import Settings
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = app_paths()

    def new_window() -> MainWindow:
        made = MainWindow(paths, Settings(paths.settings_file).load())
        made.resize(1400, 860)
        made.show()
        return made

    def close(closing: MainWindow) -> float:
        """Close the window; ms the close took (`saved` stays true while each close left the
        file holding the editor's text)."""
        started = time.perf_counter()
        closing.close()
        took = 1000 * (time.perf_counter() - started)
        saved = path.read_text(encoding="utf-8") == closing.editor.toPlainText()
        figures["saved"] = figures.get("saved", True) and saved
        closing.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return took

    window = new_window()
    editor = window.editor

    def turn(ms: int = HEARTBEAT_MS) -> None:
        """Run the event loop for `ms` (sleeping while there is nothing to do)."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError
            turn()

    wait_until(lambda: window.desk.spell.active, 60)

    beats = {"last": 0.0, "worst": 0.0}

    def beat() -> None:
        now = time.perf_counter()
        if beats["last"]:
            beats["worst"] = max(beats["worst"], now - beats["last"])
        beats["last"] = now

    heartbeat = QTimer(interval=HEARTBEAT_MS)
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(beat)

    class PaintWatch(QObject):
        painted = False

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watch = PaintWatch()
    editor.viewport().installEventFilter(watch)

    def keystroke(letter: str = "x", timeout: float = 600) -> float:
        """Ms from a posted key event to the letter in the document and painted."""
        before = editor.document().characterCount()
        started = time.perf_counter()
        key = Qt.Key(ord(letter.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, letter)
            QCoreApplication.postEvent(editor, event)
        watch.painted = False
        deadline = time.monotonic() + timeout
        while True:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            typed = editor.document().characterCount() > before
            if typed and watch.painted:
                return 1000 * (time.perf_counter() - started)
            if not typed:
                watch.painted = False  # a paint of the text before the letter
            if time.monotonic() > deadline:
                raise TimeoutError
            turn(1)

    def settled() -> bool:
        return (
            not window._rendering
            and not window.render_timer.isActive()
            and window.preview.applied_generation >= window.generation
        )

    figures: dict[str, object] = {"bytes": path.stat().st_size}
    refused: list[str] = []
    window.files.load_failed.connect(lambda _path, message: refused.append(message))
    beats["last"] = time.perf_counter()
    heartbeat.start()
    started = time.perf_counter()
    window.open_path(path)
    wait_until(lambda: window.doc is not None or bool(refused), 600)
    if refused:
        raise SystemExit(f"not opened: {refused[0]}")
    figures["open_ms"] = 1000 * (time.perf_counter() - started)
    figures["first_key_ms"] = keystroke()
    wait_until(settled, 600)
    figures["settle_ms"] = 1000 * (time.perf_counter() - started)
    heartbeat.stop()
    figures["stall_ms"] = 1000 * beats["worst"]
    latencies = []
    for _ in range(keys):
        turn(50)
        latencies.append(keystroke())
    figures["key_max_ms"] = max(latencies, default=0.0)
    figures["lines"] = editor.document().blockCount()

    keystroke()  # unsaved, and its render starts
    turn(50)
    figures["quit_ms"] = close(window)

    window = new_window()  # its render worker has rendered nothing yet
    editor = window.editor
    editor.viewport().installEventFilter(watch)
    window.open_path(path)
    wait_until(lambda: window.doc is not None, 600)
    keystroke()  # unsaved; the first render started when the text arrived
    figures["rendering"] = window._rendering
    figures["quit_first_ms"] = close(window)
    return figures


# --------------------------------------------------------------------- the whole run
def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, BROADSHEET_HOME=str(home))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return env


def run_kind(kind: str, path: Path, keys: int, timeout: float) -> dict[str, object]:
    """Measure one file in a child process (a frozen window cannot time itself out)."""
    home = Path(tempfile.mkdtemp(prefix="broadsheet-big-"))
    command = [sys.executable, "-m", "benchmarks.big_files", "--child", str(path)]
    command += ["--keys", str(keys)]
    root = Path(__file__).resolve().parents[1]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env=_environment(home),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"kind": kind, "timed_out": timeout}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        said = [line for line in done.stderr.splitlines() if "not opened:" in line]
        return {"kind": kind, "error": (said or done.stderr.strip().splitlines() or ["?"])[-1]}
    return {"kind": kind, **json.loads(lines[-1])}


def _print_table(results: list[dict[str, object]]) -> None:
    header = f"{'file':<9}{'MB':>6}" + "".join(f"{name[:-3]:>11}" for name in FIGURES)
    print("Broadsheet big files (ms; stall = longest the event loop stood still)")
    print(header)
    for result in results:
        size = float(result.get("bytes", 0)) / MB  # type: ignore[arg-type]
        row = f"{result['kind']:<9}{size:>6.1f}"
        if "timed_out" in result:
            print(f"{row}   timed out after {result['timed_out']:.0f} s")
        elif "error" in result:
            print(f"{row}   failed: {result['error']}")
        else:
            print(row + "".join(f"{float(result[name]):>11.0f}" for name in FIGURES))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or one JSON line)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every file size")
    parser.add_argument("--keys", type=int, default=5, help="keystrokes timed after settling")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per kind")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        print(json.dumps(measure(args.child, args.keys)))
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-big-files-") as folder:
        for kind in args.kinds.split(","):
            path = write_file(kind, max(1000, int(KINDS[kind] * args.scale)), Path(folder))
            results.append(run_kind(kind, path, args.keys, args.timeout))
            path.unlink()
    if args.json:
        print(json.dumps(results))
    else:
        _print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
