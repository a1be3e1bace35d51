"""Start-up: from spawning the process to its first visible window, on the same essay.

    python -m benchmarks.startup [--words 10000] [--runs 5] [--drafts 0]
                                 [--compare-retext] [--json]

Each run starts a fresh process on an X display (a private Xvfb unless DISPLAY is set), waits
until the process has a mapped (viewable) window, as `xdotool search --onlyvisible --pid` sees
it, and stops the process. Broadsheet's figure is the later of that and the moment its editor
first painted with the draft's text in it (BROADSHEET_REPORT_TEXT): what the writer sees, not
an empty window. It also reports when the draft was open for typing (BROADSHEET_REPORT_WRITABLE:
locked, autosaved, watched), which at start-up comes after the rest of the window is built.
`--drafts N` fills the library with N more drafts first (the window must not wait for them).
`--compare-retext` installs ReText from PyPI into a throwaway virtual environment (cached under
the system's temp folder) and alternates its runs with Broadsheet's on the same essay file,
printing both medians and their ratio.

Needs Xvfb and xdotool (Debian: xvfb, xdotool).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RETEXT_VENV = Path(tempfile.gettempdir()) / "broadsheet-bench-retext"
TIMEOUT = 60.0


def visible_after(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `command` to its first viewable window."""
    return visible_and_reported(command, env)[0]


def visible_and_reported(
    command: list[str], env: dict[str, str], report: Path | None = None
) -> tuple[float, float | None]:
    """Seconds from spawning `command` to its first viewable window and, with `report`, to the
    moment the app wrote its time into that file (the app writes the wall-clock time)."""
    if report is not None:
        report.unlink(missing_ok=True)
    wall_start = time.time()
    started = time.perf_counter()
    visible: float | None = None
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the function returns
    process = subprocess.Popen(  # noqa: S603 - our own commands
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - started < TIMEOUT:
            found = subprocess.run(  # noqa: S603, S607
                ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                env=env,
                capture_output=True,
                text=True,
            )
            if visible is None and found.stdout.strip():
                visible = time.perf_counter() - started
            if visible is not None:
                if report is None:
                    return visible, None
                if report.exists() and report.read_text().strip():
                    return visible, float(report.read_text()) - wall_start
            if process.poll() is not None:
                log.seek(0)
                tail = log.read().decode(errors="replace").splitlines()[-8:]
                raise RuntimeError(f"{command[0]} exited with {process.returncode}: {tail}")
            time.sleep(0.005)
        raise RuntimeError(f"{command[0]} showed no window (or report) within {TIMEOUT:.0f} s")
    finally:
        with _quiet():
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        # The preview engine's helper processes go a moment later; a start while they still
        # hold the profile once made the next run abort.
        for _ in range(200):
            try:
                os.killpg(process.pid, 0)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.01)
        log.close()


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return isinstance(exc[1], ProcessLookupError | PermissionError)


def broadsheet_after(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning Broadsheet to its window showing the draft's text, and to the
    draft being open for typing."""
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-startup-report-"))
    text, writable = folder / "text", folder / "writable"
    env = dict(env, BROADSHEET_REPORT_TEXT=str(text), BROADSHEET_REPORT_WRITABLE=str(writable))
    wall_start = time.time()
    visible, typing = visible_and_reported(command, env, writable)
    painted = visible
    for _ in range(200):  # written at the first paint with text, which may follow the load
        if text.exists() and text.read_text().strip():
            painted = float(text.read_text()) - wall_start
            break
        time.sleep(0.005)
    shutil.rmtree(folder, ignore_errors=True)
    return max(visible, painted), typing or 0.0


def retext_command() -> list[str]:
    """ReText 8 from PyPI in a throwaway virtual environment (made once, then reused)."""
    retext = RETEXT_VENV / "bin" / "retext"
    if not retext.exists():
        subprocess.run([sys.executable, "-m", "venv", str(RETEXT_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [str(RETEXT_VENV / "bin" / "pip"), "install", "-q", "ReText"], check=True
        )
    return [str(retext)]


def start_display() -> tuple[str, subprocess.Popen[bytes] | None]:
    if os.environ.get("DISPLAY"):
        return os.environ["DISPLAY"], None
    if not shutil.which("Xvfb"):
        raise SystemExit("Xvfb is needed (Debian: apt install xvfb)")
    read_end, write_end = os.pipe()  # Xvfb picks a free display and writes its number here
    xvfb = subprocess.Popen(  # noqa: S603, S607
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        display = ":" + answer.readline().strip()
    return display, xvfb


def prepare_home(words: int, drafts: int) -> tuple[Path, Path]:
    """A Broadsheet home whose last draft is the essay; returns (home, essay)."""
    from benchmarks.make_essay import make
    from benchmarks.make_library import make_drafts

    home = Path(tempfile.mkdtemp(prefix="broadsheet-startup-"))
    folder = home / "data" / "drafts"
    folder.mkdir(parents=True)
    if drafts:
        make_drafts(folder, drafts, 800)
    essay = folder / "essay.md"
    essay.write_text(make(words, 1), encoding="utf-8")
    settings = home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"last_draft": str(essay), "sample_installed": True}))
    return home, essay


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drafts", type=int, default=0, help="more drafts in the library")
    parser.add_argument("--compare-retext", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    display, xvfb = start_display()
    try:
        home, essay = prepare_home(args.words, args.drafts)
        env = dict(os.environ, DISPLAY=display, BROADSHEET_HOME=str(home))
        env.pop("QT_QPA_PLATFORM", None)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        ours = [sys.executable, "-m", "editor", str(essay)]
        theirs = retext_command() if args.compare_retext else None
        broadsheet_after(ours, env)  # a first run warms the disk cache for both
        if theirs:
            visible_after([*theirs, str(essay)], env)
        times: dict[str, list[float]] = {"broadsheet": [], "retext": [], "typing": []}
        for _ in range(args.runs):
            shown, typing = broadsheet_after(ours, env)
            times["broadsheet"].append(shown)
            times["typing"].append(typing)
            if theirs:
                times["retext"].append(visible_after([*theirs, str(essay)], env))
    finally:
        if xvfb is not None:
            xvfb.kill()
    figures: dict[str, object] = {"words": args.words, "drafts": args.drafts, "runs": args.runs}
    for name, values in times.items():
        if values:
            figures[f"{name}_median_ms"] = round(statistics.median(values) * 1000)
            figures[f"{name}_all_ms"] = [round(v * 1000) for v in values]
    if theirs:
        figures["ratio"] = round(
            statistics.median(times["broadsheet"]) / statistics.median(times["retext"]), 2
        )
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{args.words} words, {args.drafts} more drafts, {args.runs} runs: Broadsheet"
            f" {figures['broadsheet_median_ms']} ms median {figures['broadsheet_all_ms']}"
            f" (text shown); open for typing {figures['typing_median_ms']} ms median"
        )
        if theirs:
            print(
                f"ReText {figures['retext_median_ms']} ms median {figures['retext_all_ms']};"
                f" ratio {figures['ratio']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
