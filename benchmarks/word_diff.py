"""What the History compare costs on a long essay: a few edits, and every paragraph edited.

    python -m benchmarks.word_diff --words 10000

Times (median of several runs, in one process) the word compare alone, the old line diff
for scale, and opening the History dialog (compare, HTML, layout) offscreen.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.make_essay import make


def median_ms(job: Callable[[], object], runs: int = 7) -> float:
    """Median wall time of `job` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def edited(text: str, seed: int = 5) -> str:
    """Five paragraphs with a changed and an inserted phrase, one paragraph added, one gone."""
    lines = text.split("\n")
    rnd = random.Random(seed)
    for i in rnd.sample([i for i, line in enumerate(lines) if len(line) > 80], 5):
        words = lines[i].split(" ")
        words[3] = "edited"
        words.insert(8, "a few inserted words")
        lines[i] = " ".join(words)
    lines.insert(40, "A brand new paragraph the writer added.")
    del lines[100]
    return "\n".join(lines)


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["BROADSHEET_HOME"] = tempfile.mkdtemp(prefix="broadsheet-bench-")
    from PySide6.QtWidgets import QApplication

    from editor.core.history import HistoryStore, unified_diff
    from editor.core.word_diff import compare
    from editor.ui.compare_dialog import HistoryDialog

    old = make(args.words, 1)
    few = edited(old)
    every = "\n".join(line.replace(" the ", " a ") for line in old.split("\n"))
    print(f"{len(old.split()):,} words, {old.count(chr(10)) + 1} lines")
    line_diff = median_ms(lambda: unified_diff(old, few, "", ""))
    print(f"line diff (old view), a few edits: {line_diff:.1f} ms")
    print(f"word compare, a few edits:         {median_ms(lambda: compare(old, few)):.1f} ms")
    print(f"word compare, every line edited:   {median_ms(lambda: compare(old, every), 3):.1f} ms")
    app = QApplication.instance() or QApplication([])
    root = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    store, draft = HistoryStore(root / "history"), root / "essay.md"
    draft.write_text(old, encoding="utf-8")
    store.take(draft, old, "save")
    for label, new in (("a few edits", few), ("every line edited", every)):

        def open_dialog(new: str = new) -> None:
            dialog = HistoryDialog(None, store, draft, new)
            dialog.view.document().size()  # lay it out
            dialog.deleteLater()

        print(f"History dialog open, {label}: {median_ms(open_dialog, 5):.1f} ms")
    app.processEvents()


if __name__ == "__main__":
    main()
