"""Durable file writes: a crash at any moment leaves either the old file or the new one.

Every byte Broadsheet writes goes through `atomic_write_bytes`: a temp file in the same folder,
flush + fsync, `os.replace` over the target, then fsync of the folder so the rename itself
survives a power loss. A symlink is written through (its target is replaced, the link stays),
and a file the writer made read-only is never replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


class WriteError(OSError):
    """A write failed; the target file is unchanged. `reason` is one sentence for the writer."""

    def __init__(self, path: Path, reason: str, err: int | None = None) -> None:
        super().__init__(err or 0, reason, str(path))
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"Could not save {self.path.name}: {self.reason}"


class ReadOnlyError(WriteError):
    """The file is read-only (the writer's own choice): it was not replaced."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "the file is read-only", errno.EACCES)


def real_target(path: Path) -> Path:
    """Where the bytes of `path` live: a symlink is followed to its final target (which may not
    exist yet); anything else is `path` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_read_only(path: Path) -> bool:
    """True when `path` exists and may not be written: no write permission bit at all (even
    for root, who could), or none for this user."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and (not mode & 0o222 or not os.access(path, os.W_OK))


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


def write_temp(folder: Path, name: str, data: bytes, mode: int) -> Path:
    """Write `data` durably to a new temp file in `folder` (beside `name`) and return it."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(folder / name, describe_os_error(exc), exc.errno) from exc
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
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(folder / name, describe_os_error(exc), exc.errno) from exc
    return Path(tmp)


def file_mode(path: Path, default: int = 0o644) -> int:
    """The permission bits of `path`, or `default` for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return default


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` durably, or raise `WriteError` leaving `path` untouched.

    A symlink is written through to its target; a read-only file raises ReadOnlyError.
    """
    target = real_target(Path(path))
    if is_read_only(target):
        raise ReadOnlyError(Path(path))
    tmp = write_temp(target.parent, target.name, data, file_mode(target) if mode is None else mode)
    try:
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(Path(path), describe_os_error(exc), exc.errno) from exc
    fsync_dir(target.parent)


# --- renames that know what they replace (Linux renameat2) ------------------------------------
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _load_renameat2() -> Callable[[bytes, bytes, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2  # glibc 2.28 and newer
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int

    def call(source: bytes, target: bytes, flags: int) -> int:
        if function(_AT_FDCWD, source, _AT_FDCWD, target, flags) == 0:
            return 0
        return ctypes.get_errno()

    return call


_renameat2 = _load_renameat2()
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def _rename2(source: Path, target: Path, flags: int) -> bool:
    """renameat2(source, target, flags); False where the OS or filesystem cannot do it."""
    if _renameat2 is None:
        return False
    err = _renameat2(os.fsencode(source), os.fsencode(target), flags)
    if err in _UNSUPPORTED:
        return False
    if err:
        raise OSError(err, os.strerror(err), str(target))
    return True


def rename_exchange(source: Path, target: Path) -> bool:
    """Swap `source` and `target` atomically; False where the OS or filesystem cannot.

    After the swap, `source` holds exactly what `target` held at that instant, so nothing
    another program wrote a moment earlier is replaced unseen. Raises OSError (ENOENT when
    `target` is gone).
    """
    return _rename2(source, target, RENAME_EXCHANGE)


def rename_no_replace(source: Path, target: Path) -> bool:
    """Rename `source` to `target` only if `target` does not exist (FileExistsError if it
    does); False where the OS or filesystem cannot tell."""
    return _rename2(source, target, RENAME_NOREPLACE)


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """`atomic_write_bytes` for text; the caller decides line endings (no translation here)."""
    atomic_write_bytes(path, text.encode(encoding))


def create_new(path: Path, data: bytes, *, mode: int = 0o644) -> bool:
    """Create `path` durably with `data` unless a file of that name exists (then False): a new
    draft never replaces one made a moment ago by someone else. WriteError when the disk fails."""
    tmp = write_temp(path.parent, path.name, data, mode)
    try:
        try:
            os.link(tmp, path)  # fails when the name is taken; nothing is replaced
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            if not rename_no_replace(tmp, path):
                if path.exists():
                    return False
                os.replace(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        raise WriteError(path, describe_os_error(exc), exc.errno) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)
    return True
