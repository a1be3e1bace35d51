"""What the drafts library costs with thousands of drafts: the index, the list, search.

    python -m benchmarks.library [--drafts 5000] [--words 800] [--json]

Makes a drafts folder of real-shaped drafts (title, date, labels, status, a `published:`
line; a body of about `--words` words drawn from a 2,000-word vocabulary), then measures:

- rebuild: building the index from scratch (every draft read), as on first start or after the
  index was deleted;
- listing: the drafts list from the index when nothing changed (every file's size and time
  compared, none read), and after one draft changed;
- scan: the same list made by reading every file (what the window did before the index);
- search: 50 queries of one to three words (prefixes), p50 and p95;
- start-up (the real window under Xvfb, as benchmarks/startup.py starts it, `--runs` times
  each, alternating): spawn -> visible window with an empty library (one draft) and with this
  one, their ratio, and spawn -> the drafts list filled (the app reports it). Skip it with
  `--no-startup` where there is no Xvfb.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.make_library import make_drafts
from editor.core.drafts import DraftStore
from editor.core.library_db import LibraryIndex


def timed(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def startup(count: int, runs: int) -> dict[str, float]:
    """Start-up of the window with an empty library and with `count` drafts (medians, ms)."""
    from benchmarks.startup import prepare_home, start_display, visible_and_reported

    display, xvfb = start_display()
    homes: dict[str, tuple[Path, Path]] = {}
    try:
        env = dict(os.environ, DISPLAY=display)
        env.pop("QT_QPA_PLATFORM", None)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        homes["empty"] = prepare_home(1000, 0)
        homes["library"] = prepare_home(1000, count)
        times: dict[str, list[tuple[float, float | None]]] = {"empty": [], "library": []}
        for run in range(runs + 1):  # the first run of each warms the disk cache
            for name, (home, essay) in homes.items():
                report = home / "listed.txt"
                home_env = dict(
                    env, BROADSHEET_HOME=str(home), BROADSHEET_REPORT_LISTED=str(report)
                )
                command = [sys.executable, "-m", "editor", str(essay)]
                figures = visible_and_reported(command, home_env, report)
                if run:
                    times[name].append(figures)
    finally:
        if xvfb is not None:
            xvfb.kill()
        for home, _essay in homes.values():
            shutil.rmtree(home, ignore_errors=True)

    def median_ms(name: str, which: int) -> float:
        return round(statistics.median(t[which] or 0.0 for t in times[name]) * 1000)

    return {
        "startup_empty_ms": median_ms("empty", 0),
        "startup_library_ms": median_ms("library", 0),
        "startup_ratio": round(median_ms("library", 0) / median_ms("empty", 0), 2),
        "list_filled_empty_ms": median_ms("empty", 1),
        "list_filled_ms": median_ms("library", 1),
    }


def measure(count: int, words: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        drafts = Path(tmp) / "drafts"
        drafts.mkdir()
        vocab = make_drafts(drafts, count, words)
        index = LibraryIndex(Path(tmp) / "library.sqlite3", drafts)
        rebuild = timed(index.refresh)
        listing = timed(index.listing)
        changed = drafts / "post-00000.md"
        changed.write_text(changed.read_text() + "\nOne more line.\n")
        listing_one = timed(index.listing)
        store = DraftStore(drafts, Path(tmp) / "trash")
        scan = timed(store.list_drafts)
        rng = random.Random(3)
        queries = [
            " ".join(rng.choice(vocab)[: rng.randint(3, 6)] for _ in range(rng.randint(1, 3)))
            for _ in range(50)
        ]
        times = sorted(timed(lambda q=q: index.search(q)) for q in queries)
        index.close()
        size = (Path(tmp) / "library.sqlite3").stat().st_size
    return {
        "drafts": count,
        "rebuild_s": round(rebuild, 3),
        "listing_unchanged_s": round(listing, 3),
        "listing_one_changed_s": round(listing_one, 3),
        "scan_every_file_s": round(scan, 3),
        "search_p50_ms": round(statistics.median(times) * 1000, 1),
        "search_p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1),
        "index_mb": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, nargs="+", default=[5000])
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--json", action="store_true", help="one line of JSON per size")
    parser.add_argument("--runs", type=int, default=5, help="start-ups of each library")
    parser.add_argument("--no-startup", action="store_true", help="skip the window start-ups")
    args = parser.parse_args()
    for count in args.drafts:
        figures = measure(count, args.words)
        if not args.no_startup:
            figures.update(startup(count, args.runs))
        if args.json:
            print(json.dumps(figures))
            continue
        print(
            f"{count} drafts: rebuild {figures['rebuild_s']} s;"
            f" list {figures['listing_unchanged_s']}"
            f" s unchanged, {figures['listing_one_changed_s']} s after one edit (reading every"
            f" file: {figures['scan_every_file_s']} s); search p50 {figures['search_p50_ms']} ms,"
            f" p95 {figures['search_p95_ms']} ms; index {figures['index_mb']} MB"
        )
        if not args.no_startup:
            print(
                f"  start-up: empty library {figures['startup_empty_ms']} ms, {count} drafts"
                f" {figures['startup_library_ms']} ms (ratio {figures['startup_ratio']});"
                f" list filled after {figures['list_filled_ms']} ms"
                f" (empty library: {figures['list_filled_empty_ms']} ms)"
            )


if __name__ == "__main__":
    main()
