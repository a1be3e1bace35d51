"""Where a draft keeps what belongs to it: the `<stem>.assets/` folder next to it.

Its images, the memory of their uploads and its publish records live there; the drafts library
moves the folder (and sends it to the trash) with the draft.
"""

from __future__ import annotations

from pathlib import Path


def assets_dir_for(draft: Path) -> Path:
    """The folder that holds a draft's own images and records (moves with the draft)."""
    return draft.with_name(draft.stem + ".assets")
