"""One writer per draft: an advisory lock held while a draft is open.

Two Broadsheet processes (or two windows) on the same draft would overwrite each other's
autosaves. The lock is an flock on a small file under the state folder, so it vanishes with the
process, even after kill -9: no stale locks to clean up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from editor.core.history import draft_key


class DraftLockedError(Exception):
    """Another Broadsheet process has this draft open."""

    def __init__(self, draft: Path, holder: str) -> None:
        super().__init__(
            f"{draft.name} is open in another Broadsheet window ({holder}); it was opened"
            " read-only here so the two cannot overwrite each other."
        )
        self.draft = draft


class DraftLock:
    """An exclusive, non-blocking lock on one draft for the life of this object."""

    def __init__(self, locks_dir: Path, draft: Path) -> None:
        self.draft = draft
        locks_dir.mkdir(parents=True, exist_ok=True)
        self.path = locks_dir / f"{draft_key(draft)}.lock"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(self._fd)
            self._fd = None
            raise DraftLockedError(draft, holder) from None
        # Not a user file: a note of who holds the lock, for the message above.
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"process {os.getpid()}".encode(), 0)

    def release(self) -> None:
        """Give the draft back."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
