"""Drafts with local images for the image-host tests."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from editor.core.drafts import assets_dir_for

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

BODY = """---
title: Pictures
labels: [photos]
---

Some text first.

![A red square](pictures.assets/red.png "The red one")

*The red one*

A blue one inline ![blue & small](pictures.assets/blue.png) inside text.

![The red one again](./pictures.assets/red.png)
"""


def png(seed: str) -> bytes:
    """Distinct small bytes that look like a PNG (magic number first)."""
    return PNG_MAGIC + hashlib.sha256(seed.encode()).digest() + os.urandom(16)


def make_draft(folder: Path, body: str = BODY, **images: bytes) -> Path:
    """pictures.md with its images (default: red.png and blue.png) in pictures.assets/."""
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / "pictures.md"
    draft.write_text(body, encoding="utf-8")
    assets = assets_dir_for(draft)
    assets.mkdir(exist_ok=True)
    for name, data in (images or {"red": png("red"), "blue": png("blue")}).items():
        (assets / f"{name}.png").write_bytes(data)
    return draft


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
