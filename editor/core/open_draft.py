"""The open draft as data: what was loaded, what a save asks for, what another program did,
and what the window knows about the draft it shows. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from editor.core.locks import DraftLock
from editor.core.recovery import RecoveryCopy
from editor.core.textfile import TextFormat


@dataclass(frozen=True)
class LoadedDocument:
    """A document read from disk: editor text, its stored format, and the hash of its bytes."""

    path: Path
    text: str
    fmt: TextFormat
    disk_hash: str
    lock: DraftLock | None  # None: another process holds the draft; open it read-only
    lock_problem: str | None = None
    file_read_only: bool = False  # the file itself is read-only: saves go to a recovery copy
    missing: bool = False  # no file (deleted): only its recovery copy was found
    recovered: RecoveryCopy | None = None  # the writer's text that never reached this file


@dataclass(frozen=True)
class SaveRequest:
    """Write `text` to `path`; `generation` tells the window which edit this save covers.

    `expected_hash` is what the window believes is on disk: a file that differs (changed or
    deleted by another program) is not overwritten unless `force` is set.
    """

    path: Path
    text: str
    fmt: TextFormat
    generation: int
    expected_hash: str | None
    snapshot: str | None = None  # "save" (by hand) or "typing" (taken when due)
    force: bool = False


@dataclass(frozen=True)
class ExternalChange:
    """Another program changed or deleted the open draft."""

    path: Path
    deleted: bool
    their_text: str | None  # None when deleted or unreadable
    their_hash: str | None
    generation: int = -1  # the edit a refused save was carrying, if any


@dataclass
class OpenDocument:
    """The draft in the editor: where it lives, how it is stored, what is on disk."""

    path: Path
    fmt: TextFormat
    disk_hash: str
    lock: DraftLock | None = None  # None: read-only, another window holds the draft
    conflict: ExternalChange | None = None  # set while another program's change is unresolved
    file_read_only: bool = False  # the file is read-only: the text goes to a recovery copy

    @property
    def read_only(self) -> bool:
        """True when another Broadsheet window holds this draft."""
        return self.lock is None
