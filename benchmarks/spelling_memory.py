"""What the spell checker's word table costs in memory: load English and check 2,000 words.

    python -m benchmarks.spelling_memory [--language en] [--json]

Each figure comes from a fresh Python process (so nothing loaded earlier is counted), with
BROADSHEET_HOME in a temporary folder shared by the runs: the first run starts with an empty
cache (a cold start), the second finds what the first left there (every later start).

- held: memory still in use after loading and checking (tracemalloc: Python objects;
  RSS: the process's resident size, VmRSS, minus what it was before loading);
- peak: the most in use at any moment while loading and checking (tracemalloc's peak;
  VmHWM minus the RSS before loading, with the high-water mark reset first).

Then ten suggestions are asked for, as on a right-click, and what is held after that is
reported too. Not a timed test: it prints figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024
WORDS = 2000


def sample_words(count: int = WORDS, seed: int = 7) -> list[str]:
    """`count` words of prose as the highlighter sees them, one in ten misspelt."""
    from benchmarks.make_essay import make
    from editor.core.spelling import prose_words

    text = make(count * 2, seed)
    words = [line[s:e] for line in text.splitlines() for s, e in prose_words(line)][:count]
    rnd = random.Random(seed)
    for i in range(0, len(words), 10):
        word = words[i]
        j = rnd.randrange(len(word))
        words[i] = word[:j] + rnd.choice("qxzj") + word[j + 1 :]  # a typo
    return words


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False when the kernel refuses."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def child(language: str, traced: bool) -> dict[str, float]:
    """Load, check and suggest in this process; return the figures in MB."""
    import tracemalloc

    from editor.core.spelling import Speller

    words = sample_words()
    gc.collect()
    if traced:
        tracemalloc.start()
    rss_before = _status_kb("VmRSS")
    peak_reset = _reset_peak()
    started = time.perf_counter()
    speller = Speller.load(language)
    loaded = time.perf_counter() - started
    misspelt = [w for w in words if not speller.is_correct(w)]
    gc.collect()
    figures: dict[str, float] = {"load_s": round(loaded, 3), "misspelt": len(misspelt)}
    if traced:
        held, peak = tracemalloc.get_traced_memory()
        figures |= {"held_mb": held / MB, "peak_mb": peak / MB}
    else:
        figures |= {"held_mb": (_status_kb("VmRSS") - rss_before) / 1024}
        if peak_reset:
            figures["peak_mb"] = (_status_kb("VmHWM") - rss_before) / 1024
    started = time.perf_counter()
    for word in sorted(set(misspelt))[:10]:
        speller.suggestions(word)
    figures["suggest_s"] = round(time.perf_counter() - started, 3)
    gc.collect()
    if traced:
        figures["held_after_suggestions_mb"] = tracemalloc.get_traced_memory()[0] / MB
    else:
        figures["held_after_suggestions_mb"] = (_status_kb("VmRSS") - rss_before) / 1024
    return {k: round(v, 1) if k.endswith("_mb") else v for k, v in figures.items()}


def run_child(language: str, traced: bool, home: Path) -> dict[str, float]:
    """Run `child` in a fresh interpreter with BROADSHEET_HOME=`home`."""
    env = dict(os.environ, BROADSHEET_HOME=str(home))
    mode = "traced" if traced else "rss"
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.spelling_memory", "--child", mode, language],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return json.loads(out)


def main() -> None:
    """Print held and peak memory for a cold and a warm start."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "LANGUAGE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, language = args.child
        print(json.dumps(child(language, traced=mode == "traced")))
        return
    results: dict[str, dict[str, dict[str, float]]] = {}
    for traced, name in ((False, "rss"), (True, "tracemalloc")):
        with tempfile.TemporaryDirectory(prefix="spell-bench-") as home:
            cold = run_child(args.language, traced, Path(home))
            warm = run_child(args.language, traced, Path(home))
        results[name] = {"cold": cold, "warm": warm}
    if args.json:
        print(json.dumps({"language": args.language, "words": WORDS, **results}, indent=2))
        return
    print(f"Spell checker, {args.language}: load and check {WORDS} words (MB)")
    for name, runs in results.items():
        for start, f in runs.items():
            print(
                f"  {name:11} {start:4}  held {f['held_mb']:5.1f}  peak {f.get('peak_mb', 0):5.1f}"
                f"  after 10 suggestions {f['held_after_suggestions_mb']:5.1f}"
                f"  (load {f['load_s']:.2f} s, 10 suggestions {f['suggest_s']:.2f} s,"
                f" {f['misspelt']} misspelt)"
            )


if __name__ == "__main__":
    main()
