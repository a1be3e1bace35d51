"""How fast the preview follows the writer, measured on the real window (offscreen).

    python -m benchmarks.preview --words 10000 [--edits 200] [--json]

One run measures, on an essay from make_essay.py with N words:

- preview: from a key event in the editor (QTest.keyClick at a random place in the body) to
  the preview page confirming the new content is in its DOM (PreviewPane.content_applied,
  emitted from the page script's callback); median and p95 over the edits;
- keystroke: the GUI thread's cost of one key event (the key event itself, highlighting, and
  the 0 ms render timer sending the text to the worker);
- opening: from `open_path` on the window to the draft's text in the editor, laid out and
  painted (editable), to the first preview content in the page's DOM, and to the page's
  next frame after it (painted; the typing starts then); the window opens the essay as soon
  as it is made (as at start-up), and once more after the typing, settled;
- full render: Python-Markdown rendering the whole body (the naive baseline), in this process;
- startup: from spawning `python -m editor essay.md` to the window shown with the first
  preview content in it (BROADSHEET_REPORT_READY);
- memory, a second after that: RSS, PSS and USS of the app process (and its peak RSS), the
  same summed with its QtWebEngineProcess children, and the app's largest mappings
  (benchmarks/process_memory.py says what each figure means).

The app runs on QT_QPA_PLATFORM (offscreen unless set: set it to xcb, with DISPLAY, to measure
what a desktop gets). --startup-only skips the typing part.

Timings drift between processes on shared machines: compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import process_memory
from benchmarks.make_essay import make


def _environment(home: Path) -> None:
    from editor.ui.app import prepare_environment

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    prepare_environment()  # the window measured here starts Qt as the app does
    os.environ["BROADSHEET_HOME"] = str(home)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# ------------------------------------------------------------------------- memory (/proc)
def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


# -------------------------------------------------------------------------------- startup
def measure_startup(essay: Path, home: Path, timeout: float = 60.0) -> dict[str, object]:
    """Spawn the app on the essay; time to ready, and its memory once ready."""
    report = home / "ready.txt"
    report.unlink(missing_ok=True)
    env = dict(os.environ, BROADSHEET_REPORT_READY=str(report), BROADSHEET_HOME=str(home))
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-m", "editor", str(essay)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not report.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app did not report ready")
            time.sleep(0.005)
        time.sleep(0.05)  # the file is replaced atomically; give the reader a moment
        ready = float(report.read_text().strip())
        time.sleep(1.0)  # let the page settle before reading memory
        peak = _peak_rss_mb(process.pid)
        memory = process_memory.report(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return {"startup_ms": (ready - started) * 1000, "peak_rss_mb": round(peak, 1), **memory}


# ------------------------------------------------------------------------- full render
def measure_full_render(text: str, repeats: int = 5) -> float:
    """Median time of one full Python-Markdown render of the body (with line markers)."""
    from editor.core.post import parse_post
    from editor.core.render import RenderOptions, render_body, slugify

    post = parse_post(text)
    offset = text.count("\n") - post.body.count("\n")
    options = RenderOptions(slug=slugify(post.title), markers=True, line_offset=offset)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        render_body(post.body, options)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# ---------------------------------------------------------------------------- the window
class _Phases:
    """Start and end times of the steps between a key and the DOM update (--phases)."""

    def __init__(self) -> None:
        self.spans: dict[str, list[tuple[float, float]]] = {}

    def wrap(self, owner: type, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(this, *args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return original(this, *args, **kwargs)
            finally:
                self.spans.setdefault(label, []).append((started, time.perf_counter()))

        setattr(owner, name, timed)

    def last(self, since: float) -> dict[str, list[float]]:
        """The latest span of each step, as (start, end) in ms after `since` (one edit)."""
        return {
            label: [round((a - since) * 1000, 2), round((b - since) * 1000, 2)]
            for label, spans in self.spans.items()
            for a, b in spans[-1:]
            if b >= since
        }

    def report(self, count: int) -> dict[str, float]:
        """Median duration of each step, and of the waits between them, in ms."""
        steps = ["render_now", "worker", "set_pieces", "applied"]
        spans = {k: v[-count:] for k, v in self.spans.items()}
        out: dict[str, float] = {}
        for step in steps:
            out[f"{step}_ms"] = statistics.median((b - a) * 1000 for a, b in spans[step])
        for before, after in zip(steps, steps[1:], strict=False):
            gaps = [(y[0] - x[1]) * 1000 for x, y in zip(spans[before], spans[after], strict=False)]
            out[f"wait_{before}_to_{after}_ms"] = statistics.median(gaps)
        return {k: round(v, 2) for k, v in out.items()}


def measure_editing(
    essay: Path, text: str, edits: int, seed: int, phases: bool = False
) -> dict[str, object]:
    """Type `edits` characters at random places in the real window; time each one."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from editor.core.paths import app_paths
    from editor.core.settings import Settings
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    timing = _Phases()
    if phases:
        from editor.core import incremental
        from editor.ui import desk, main_window, preview_pane

        timing.wrap(main_window.MainWindow, "_render_now", "render_now")
        timing.wrap(incremental.IncrementalRenderer, "render", "worker")
        timing.wrap(preview_pane.PreviewPane, "set_pieces", "set_pieces")
        timing.wrap(preview_pane.PreviewPane, "_applied", "applied")
        timing.wrap(desk.WritersDesk, "on_rendered", "desk")  # (not a slot: its thread stays)
    paths = app_paths()
    window = MainWindow(paths, Settings(paths.settings_file).load())
    window.resize(1400, 860)
    window.show()
    applied: list[tuple[int, float]] = []
    window.preview.content_applied.connect(
        lambda generation: applied.append((generation, time.perf_counter()))
    )

    def wait_for(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        loop = QEventLoop()
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError("timed out waiting for the preview")
            QTimer.singleShot(2, loop.quit)
            loop.exec()

    opening = time.perf_counter()
    window.open_path(essay)
    wait_for(lambda: window.doc is not None)
    app.processEvents()  # the text laid out and painted: the writer can type
    editable = time.perf_counter()
    wait_for(lambda: bool(applied))
    wait_for(lambda: applied and applied[-1][0] == window.generation)
    in_dom = applied[-1][1]

    # The content is in the page's DOM; Chromium then lays out and paints all of it (about
    # 0.4 s at 100,000 words), and a patch sent meanwhile waits. That belongs to opening:
    # measured here, and the typing below starts once the page has painted.
    def page_painted() -> bool:
        answer: dict[str, object] = {}
        window.preview.run_in_page(
            "window.__bsPainted === true", lambda r: answer.setdefault("r", r)
        )
        wait_for(lambda: "r" in answer)
        return answer["r"] is True

    window.preview.run_in_page(
        "window.__bsPainted = false; requestAnimationFrame(() => requestAnimationFrame("
        "() => { window.__bsPainted = true; })); true",
        lambda _r: None,
    )
    wait_for(page_painted)
    open_ms = {
        "open_to_editable_ms": round((editable - opening) * 1000, 1),
        "open_to_preview_ms": round((in_dom - opening) * 1000, 1),
        "open_to_preview_painted_ms": round((time.perf_counter() - opening) * 1000, 1),
    }
    editor = window.editor
    body_start = len(text) - len(text.split("\n---\n", 1)[-1])  # after the front matter
    rnd = random.Random(seed)
    latencies: list[float] = []
    keystrokes: list[float] = []
    places: list[str] = []  # what kind of line each edit was typed in
    breakdown: list[dict[str, list[float]]] = []  # with --phases: each step's span, per edit
    epochs: list[float] = []  # when each key was pressed (s since the epoch)
    letters = [Qt.Key.Key_E, Qt.Key.Key_T, Qt.Key.Key_A, Qt.Key.Key_O, Qt.Key.Key_Space]
    for _ in range(edits):
        length = editor.document().characterCount() - 1
        cursor = editor.textCursor()
        cursor.setPosition(rnd.randrange(body_start, length))
        editor.setTextCursor(cursor)
        places.append(_kind_of_line(cursor.block().text()))
        # Moving there scrolls the editor, the preview follows and repaints: let that finish,
        # as it does before a writer's next keystroke; this measures keystrokes, not jumps.
        settle = time.monotonic() + 0.12
        wait_for(lambda settle=settle: time.monotonic() > settle)
        wait_for(lambda: applied and applied[-1][0] == window.generation)
        started = time.perf_counter()
        epochs.append(time.time())
        QTest.keyClick(editor, rnd.choice(letters))
        QCoreApplication.processEvents()  # the 0 ms render timer: text sent to the worker
        keystrokes.append((time.perf_counter() - started) * 1000)
        target = window.generation
        wait_for(lambda target=target: applied and applied[-1][0] >= target)
        latencies.append((applied[-1][1] - started) * 1000)
        if phases:
            breakdown.append(timing.last(started))
    marker = "Benchmarkmarker"
    cursor = editor.textCursor()
    cursor.setPosition(body_start + 1)
    editor.setTextCursor(cursor)
    QTest.keyClicks(editor, marker)
    wait_for(lambda: applied and applied[-1][0] == window.generation)
    box: dict[str, object] = {}
    window.preview.run_in_page(
        "document.getElementById('content').innerText", lambda r: box.setdefault("text", r)
    )
    wait_for(lambda: "text" in box)
    found = marker in str(box["text"])
    window.preview.run_in_page(
        "JSON.stringify(window.__bs.timings)", lambda r: box.setdefault("timings", r)
    )
    wait_for(lambda: "timings" in box)
    rows = json.loads(str(box["timings"] or "[]"))
    page = _page_timings(rows)
    if phases:
        _add_page_spans(breakdown, epochs, latencies, rows)
    patches, resets = window.preview.patches, window.preview.resets
    phase_report = timing.report(edits) if phases else None  # (before more renders)
    # Opening again once the window has settled (its threads idle): the same draft under
    # another name, so the file thread reads and locks it afresh.
    again = essay.with_name("essay-again.md")
    again.write_text(text, encoding="utf-8")
    opening = time.perf_counter()
    window.open_path(again)
    wait_for(lambda: window.doc is not None and window.doc.path == again.absolute())
    app.processEvents()
    open_ms["open_again_to_editable_ms"] = round((time.perf_counter() - opening) * 1000, 1)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return {
        "phases": phase_report,
        **open_ms,
        "page": page,
        "preview": latencies,
        "places": places,
        "breakdown": breakdown,
        "keystroke": keystrokes,
        "patches": patches,
        "resets": resets,
        "typed_text_in_preview": found,
    }


def _add_page_spans(
    breakdown: list[dict[str, list[float]]],
    epochs: list[float],
    latencies: list[float],
    rows: list[list[float]],
) -> None:
    """Put the page's patch of each edit into its breakdown: (start, end) in ms after the
    key, by the page's clock (ms since the epoch, as the key's)."""
    for steps, epoch, latency in zip(breakdown, epochs, latencies, strict=True):
        key_ms = epoch * 1000
        for row in rows:
            if len(row) > 3 and key_ms <= row[3] <= key_ms + latency:
                start = row[3] - key_ms
                steps["page_patch"] = [round(start, 2), round(start + row[0], 2)]
                steps["page_frame"] = [round(row[1], 2), round(row[2], 2)]


def _page_timings(timings: list[list[float]]) -> dict[str, float]:
    """The page's own clock around each patch (resources/preview.js `timings`): the DOM
    patch, the wait from it to the next frame, and that frame's length (style, layout, paint
    of the change). p50, p95 and max of each, in ms."""
    out: dict[str, float] = {"patches_timed": len(timings)}
    for column, name in enumerate(("patch", "to_frame", "frame")):
        values = [row[column] for row in timings if row[column] >= 0]
        if values:
            out[f"{name}_p50_ms"] = round(statistics.median(values), 2)
            out[f"{name}_p95_ms"] = round(_percentile(values, 0.95), 2)
            out[f"{name}_max_ms"] = round(max(values), 2)
    return out


def _kind_of_line(line: str) -> str:
    """What a line of the essay is, roughly: where the slow edits fall."""
    stripped = line.lstrip()
    for prefix, kind in (
        ("[^", "footnote definition"),
        ("#", "heading"),
        ("> ", "quote"),
        ("- ", "list"),
        ("|", "table"),
        ("![", "image"),
        ("```", "code"),
    ):
        if stripped.startswith(prefix):
            return kind
    if stripped[:1].isdigit() and ". " in stripped[:4]:
        return "list"
    if line.startswith("    ") or not line.strip():
        return "code or blank"
    return "paragraph"


def _by_place(latencies: list[float], places: list[str]) -> dict[str, dict[str, float]]:
    """Per kind of line: how many edits, their median and slowest latency."""
    out: dict[str, dict[str, float]] = {}
    for place in sorted(set(places)):
        times = [t for t, p in zip(latencies, places, strict=True) if p == place]
        out[place] = {
            "edits": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
        }
    return out


def run(
    words: int, edits: int, seed: int, phases: bool = False, startup_only: bool = False
) -> dict[str, object]:
    """All figures of one run."""
    text = make(words, seed)
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as scratch:
        home = Path(scratch) / "home"
        _environment(home)
        essay = Path(scratch) / "essay.md"
        essay.write_text(text, encoding="utf-8")
        startup = measure_startup(essay, Path(scratch) / "startup-home")
        started_ms = startup.pop("startup_ms")
        app: dict[str, float] = startup["app"]  # type: ignore[assignment]
        total: dict[str, float] = startup["total"]  # type: ignore[assignment]
        memory = {
            "startup_ms": round(started_ms, 1),  # type: ignore[call-overload]
            "platform": os.environ.get("QT_QPA_PLATFORM", ""),
            "rss_mb": startup["peak_rss_mb"],  # the app's peak, as before
            "pss_mb": app["pss_mb"],
            "uss_mb": app["uss_mb"],
            "rss_total_mb": total["rss_mb"],
            "pss_total_mb": total["pss_mb"],
            "uss_total_mb": total["uss_mb"],
            "memory": startup,
        }
        if startup_only:
            return {"words": len(text.split()), **memory}
        full_render = measure_full_render(text)
        editing = measure_editing(essay, text, edits, seed, phases)
    preview: list[float] = editing["preview"]  # type: ignore[assignment]
    keystroke: list[float] = editing["keystroke"]  # type: ignore[assignment]
    return {
        "words": len(text.split()),
        "edits": len(preview),
        "preview_p50_ms": round(statistics.median(preview), 2),
        "preview_p95_ms": round(_percentile(preview, 0.95), 2),
        "preview_max_ms": round(max(preview), 2),
        "by_place": _by_place(preview, editing["places"]),  # type: ignore[arg-type]
        "full_render_ms": round(full_render, 2),
        "keystroke_p50_ms": round(statistics.median(keystroke), 2),
        "keystroke_p95_ms": round(_percentile(keystroke, 0.95), 2),
        "open_to_editable_ms": editing["open_to_editable_ms"],
        "open_to_preview_ms": editing["open_to_preview_ms"],
        "open_to_preview_painted_ms": editing["open_to_preview_painted_ms"],
        "open_again_to_editable_ms": editing["open_again_to_editable_ms"],
        **memory,
        "full_render_over_preview_p50": round(full_render / statistics.median(preview), 1),
        "page_patches": editing["patches"],
        "page_resets": editing["resets"],
        "typed_text_in_preview": editing["typed_text_in_preview"],
        "page_timings": editing["page"],
        **({"phases": editing["phases"], "slowest": _slowest(editing)} if phases else {}),
    }


def _slowest(editing: dict[str, object], count: int = 12) -> list[dict[str, object]]:
    """The slowest edits with where their time went (--phases): latency, the key's GUI
    cost, the kind of line, and each step's (start, end) after the key, in ms."""
    preview: list[float] = editing["preview"]  # type: ignore[assignment]
    rows = zip(
        preview,
        editing["keystroke"],  # type: ignore[call-overload]
        editing["places"],  # type: ignore[call-overload]
        editing["breakdown"],  # type: ignore[call-overload]
        strict=True,
    )
    ordered = sorted(rows, key=lambda row: -row[0])[:count]
    return [
        {"ms": round(ms, 1), "key_ms": round(key, 1), "place": place, **steps}
        for ms, key, place, steps in ordered
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--words", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=520)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--phases", action="store_true", help="also time each step (medians)")
    parser.add_argument("--startup-only", action="store_true", help="only start-up time and memory")
    args = parser.parse_args(argv)
    result = run(args.words, args.edits, args.seed, args.phases, args.startup_only)
    if args.json:
        print(json.dumps(result))
        return 0
    memory: dict[str, object] = result["memory"]  # type: ignore[assignment]
    if not args.startup_only:
        print(f"essay: {result['words']} words, {result['edits']} edits at random places")
        print(
            f"preview (key -> DOM):   p50 {result['preview_p50_ms']} ms, "
            f"p95 {result['preview_p95_ms']} ms, max {result['preview_max_ms']} ms"
        )
        for place, figures in result["by_place"].items():  # type: ignore[attr-defined]
            print(
                f"  typed in a {place}: {figures['edits']} edits, p50 {figures['p50_ms']} ms,"
                f" slowest {figures['max_ms']} ms"
            )
        print(
            f"keystroke (GUI thread): p50 {result['keystroke_p50_ms']} ms, "
            f"p95 {result['keystroke_p95_ms']} ms"
        )
        print(
            f"opening (open_path, in the window): editable after "
            f"{result['open_to_editable_ms']} ms, preview after {result['open_to_preview_ms']} ms"
            f" (painted after {result['open_to_preview_painted_ms']} ms);"
            f" a draft opened once the window settled: editable after "
            f"{result['open_again_to_editable_ms']} ms"
        )
        print(
            f"full render (baseline): {result['full_render_ms']} ms "
            f"({result['full_render_over_preview_p50']}x the preview's median)"
        )
    else:
        print(f"essay: {result['words']} words")
    print(f"startup to first preview: {result['startup_ms']} ms ({result['platform']})")
    print(f"memory, app process: peak RSS {memory['peak_rss_mb']} MB")
    print(process_memory.format_report(memory))
    if not args.startup_only:
        print(f"page: {result['page_patches']} patches, {result['page_resets']} full sets")
        print("page's clock around patches:", json.dumps(result["page_timings"]))
    if args.phases:
        print("phases (medians):", json.dumps(result["phases"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
