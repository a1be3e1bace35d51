"""Saving over a file only if it still holds what we last saw, as closely as the OS allows.

Another program may write the draft at any moment. The save reads the file before writing the
temp file and again right before the rename, so a change made while the temp file was being
written and synced (the slow part) is found and nothing is replaced. Where the OS can swap two
names atomically (Linux renameat2 RENAME_EXCHANGE), the version the rename replaced is read
back: if it is one we had never seen (written in the microseconds between the last check and
the rename), it is returned so the caller keeps it in the draft's history. Elsewhere the last
check and the rename are as close as two system calls.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from editor.core.atomic import (
    ReadOnlyError,
    WriteError,
    describe_os_error,
    file_mode,
    fsync_dir,
    is_read_only,
    real_target,
    rename_exchange,
    rename_no_replace,
    write_temp,
)
from editor.core.documents import content_hash


@dataclass(frozen=True)
class FoundOnDisk:
    """What is on disk instead of a version we know."""

    exists: bool
    data: bytes | None  # None when deleted


@dataclass(frozen=True)
class SaveOutcome:
    """A checked save: written (digest), refused (found), and what an unseen version was."""

    digest: str | None = None  # hash of the bytes written; None when nothing was written
    found: FoundOnDisk | None = None  # not written: another version is on disk
    replaced: bytes | None = None  # written over a version no one had seen: keep it


def found_on_disk(target: Path, known: Collection[str]) -> FoundOnDisk | None:
    """What another program left at `target` instead of a version whose hash is in `known`;
    None when it holds a known one (or cannot be read right now: a write will say why)."""
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return FoundOnDisk(False, None)
    except OSError:
        return None
    return None if content_hash(data) in known else FoundOnDisk(True, data)


def save_checked(
    path: Path, data: bytes, known: Collection[str], *, force: bool = False
) -> SaveOutcome:
    """Write `data` to `path` durably if the file still holds a version whose hash is in
    `known` (`force`: whatever it holds, even nothing).

    Raises ReadOnlyError for a read-only file and WriteError when the disk fails; the file is
    then unchanged. A symlink is written through to its target.
    """
    target = real_target(path)
    if is_read_only(target):
        raise ReadOnlyError(path)
    if not force and (found := found_on_disk(target, known)) is not None:
        return SaveOutcome(found=found)
    tmp = write_temp(target.parent, target.name, data, file_mode(target))
    try:
        if not force and (found := found_on_disk(target, known)) is not None:
            return SaveOutcome(found=found)  # changed while the temp file was synced
        replaced = _swap_in(tmp, target, known)
    except OSError as exc:
        raise WriteError(path, describe_os_error(exc), exc.errno) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(target.parent)
    return SaveOutcome(digest=content_hash(data), replaced=replaced)


def _swap_in(tmp: Path, target: Path, known: Collection[str]) -> bytes | None:
    """Put `tmp` at `target`; returns the replaced bytes if they were not a known version."""
    try:
        swapped = rename_exchange(tmp, target)
    except FileNotFoundError:
        try:  # no file (deleted, or a forced save of a new one): never replace one made now
            if rename_no_replace(tmp, target):
                return None
        except FileExistsError:
            if rename_exchange(tmp, target):  # created a moment ago: swap, and keep it
                return _unknown(tmp, known)
        os.replace(tmp, target)
        return None
    if not swapped:
        os.replace(tmp, target)  # no atomic swap here: the check above was the last word
        return None
    return _unknown(tmp, known)


def _unknown(old: Path, known: Collection[str]) -> bytes | None:
    try:
        data = old.read_bytes()
    except OSError:
        return None
    return None if content_hash(data) in known else data
