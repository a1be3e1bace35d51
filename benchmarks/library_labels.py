"""How long finding the labels of every draft in the library takes (label completion).

    python -m benchmarks.library_labels [--drafts 5000] [--words 1500] [--json]

Makes a drafts folder of real-shaped drafts (front matter with title, date, labels, status and
a Blogger publish record; a body of `--words` words), then measures:

- first: `library_labels` on the folder, as when the window starts (files in the page cache);
- again: a second look with the same `LibraryLabels`, which re-reads only changed drafts;
- one_changed: the same after one draft was edited.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from editor.core.draft_labels import LibraryLabels, library_labels

TOPICS = [
    "local politics",
    "transit",
    "housing",
    "schools",
    "City Council",
    "parks",
    "budget",
    "elections",
    "history",
    "food",
]


def make_drafts(folder: Path, count: int, words: int) -> None:
    """`count` drafts like the ones an imported blog leaves in the library."""
    rng = random.Random(14)
    body = " ".join(
        rng.choice(["the", "bus", "council", "street", "vote", "river"]) for _ in range(words)
    )
    for n in range(count):
        labels = ", ".join(rng.sample(TOPICS, 3) + [f"series {n % 120}"])
        (folder / f"post-{n:05d}.md").write_text(
            f'---\ntitle: "Post number {n}: about the town"\ndate: 2019-05-{n % 28 + 1:02d}\n'
            f"labels: [{labels}]\nstatus: published\npublish:\n  blogger:7001:\n"
            f"    id: '{7000000000000000000 + n}'\n"
            f"    url: https://example.blogspot.com/2019/05/post-{n}.html\n"
            f"    updated: '2019-05-01T10:00:00Z'\n---\n\n{body}\n",
            encoding="utf-8",
        )


def measure(count: int, words: int) -> dict[str, float]:
    """The figures for a library of `count` drafts (seconds, and how many labels)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_drafts(folder, count, words)
        started = time.perf_counter()
        labels = library_labels(folder)
        first = time.perf_counter() - started
        library = LibraryLabels()
        library.labels(folder)
        started = time.perf_counter()
        library.labels(folder)
        again = time.perf_counter() - started
        changed = folder / "post-00000.md"
        changed.write_text(changed.read_text().replace("[", "[a new label, ", 1))
        started = time.perf_counter()
        library.labels(folder)
        one_changed = time.perf_counter() - started
    return {
        "drafts": count,
        "labels": len(labels),
        "first_s": round(first, 4),
        "again_s": round(again, 4),
        "one_changed_s": round(one_changed, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=5000)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--json", action="store_true", help="one line of JSON")
    args = parser.parse_args()
    figures = measure(args.drafts, args.words)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{figures['drafts']} drafts, {figures['labels']} labels: first look"
        f" {figures['first_s'] * 1000:.0f} ms, again {figures['again_s'] * 1000:.0f} ms,"
        f" after one edit {figures['one_changed_s'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
