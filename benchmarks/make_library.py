"""A deterministic library of real-shaped drafts, for the library and start-up benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

LABELS = ["local politics", "transit", "housing", "schools", "City Council", "parks", "budget"]


def vocabulary(rng: random.Random, size: int = 2000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def make_drafts(folder: Path, count: int, words: int, seed: int = 17) -> list[str]:
    """`count` drafts like an imported blog leaves in the library; returns the vocabulary."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    for n in range(count):
        body = " ".join(rng.choice(vocab) for _ in range(words))
        labels = ", ".join(rng.sample(LABELS, 2))
        (folder / f"post-{n:05d}.md").write_text(
            f'---\ntitle: "Post {n}: {rng.choice(vocab)} {rng.choice(vocab)}"\n'
            f"date: {2010 + n % 15}-05-{n % 28 + 1:02d}\nlabels: [{labels}]\nstatus: live\n"
            f"published:\n  blogger:7001: https://example.blogspot.com/2019/05/post-{n}.html\n"
            f"---\n\n{body}\n",
            encoding="utf-8",
        )
    return vocab
