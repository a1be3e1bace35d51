"""Durable file writes: a crash at any moment leaves either the old file or the new one.

Every byte Broadsheet writes goes through `atomic_write_bytes`: a temp file in the same folder,
flush + fsync, `os.replace` over the target, then fsync of the folder so the rename itself
survives a power loss.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


class WriteError(OSError):
    """A write failed; the target file is unchanged. `reason` is one sentence for the writer."""

    def __init__(self, path: Path, reason: str, err: int | None = None) -> None:
        super().__init__(err or 0, reason, str(path))
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"Could not save {self.path.name}: {self.reason}"


def describe_os_error(exc: OSError) -> str:
    """One plain sentence for an OS error, without a traceback."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the disk is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "the folder no longer exists",
        errno.ENOTDIR: "the folder no longer exists",
        errno.EIO: "the disk reported an input/output error",
    }
    return reasons.get(exc.errno or -1, exc.strerror or str(exc))


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a folder; the data itself is already synced
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` durably, or raise `WriteError` leaving `path` untouched."""
    path = Path(path)
    folder = path.parent
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(path, describe_os_error(exc), exc.errno) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            view = memoryview(data)
            while view:
                written = fh.write(view)
                if not written:
                    raise OSError(errno.EIO, "short write")
                view = view[written:]
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(path, describe_os_error(exc), exc.errno) from exc
    fsync_dir(folder)


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """`atomic_write_bytes` for text; the caller decides line endings (no translation here)."""
    atomic_write_bytes(path, text.encode(encoding))
