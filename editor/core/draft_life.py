"""The open draft's life, as data and decisions, without Qt: what is open, which edit is on
disk, whether a save may go to the file or only to the recovery copy, what another program's
change means, what a quit must do. The window keeps only the widgets and the timers and asks
this object; autosave and conflict handling are found here and tested without a window
(tests/core/test_draft_life.py).

Edits are counted in generations: each change of the editor's text is one more. A save carries
the generation it wrote; `saved_generation` is the newest known to be in the file, and
`recovered_generation` the newest kept in the recovery copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from editor.core.documents import content_hash
from editor.core.locks import DraftLock
from editor.core.open_draft import ExternalChange, LoadedDocument, OpenDocument, SaveRequest
from editor.core.recovery import CONFLICT, DELETED, READ_ONLY
from editor.core.textfile import UnencodableError, encode_document


class Verdict(Enum):
    """What another program's change to the open draft means for the writer."""

    IGNORE = "ignore"  # not about the open draft, or news already known
    SAVE_AGAIN = "save again"  # stale news stopped a save: the save should be sent again
    SAME_AS_OURS = "same as ours"  # they wrote exactly our text: nothing to ask
    CONFLICT = "conflict"  # ask the writer which version to keep (nothing is overwritten)


@dataclass(frozen=True)
class RecoveryRequest:
    """Keep `text` in the draft's recovery copy: the draft itself cannot take it now."""

    path: Path
    text: str
    reason: str  # CONFLICT, DELETED or READ_ONLY (editor.core.recovery)
    base_hash: str


class DraftLife:
    """One window's open draft, from opening to closing."""

    def __init__(self) -> None:
        self.doc: OpenDocument | None = None
        self.generation = 0
        self.saved_generation = 0
        self.recovered_generation = 0

    # --- opening and closing ---------------------------------------------------------------

    def opened(self, loaded: LoadedDocument) -> OpenDocument:
        """A draft was read from disk and is now in the editor (its text is generation N)."""
        self.doc = OpenDocument(loaded.path, loaded.fmt, loaded.disk_hash, loaded.lock)
        self.doc.file_read_only = loaded.file_read_only
        self.generation += 1
        self.saved_generation = self.generation
        self.recovered_generation = self.generation
        return self.doc

    def recovered_copy_shown(self, loaded: LoadedDocument) -> ExternalChange | None:
        """The recovery copy's text replaced the file's in the editor (one edit): the copy
        holds exactly this generation. Returns the conflict to ask about, if the file changed
        (or went) since the copy's version: then nothing may be written to it unasked."""
        doc, copy = self.doc, loaded.recovered
        assert doc is not None and copy is not None
        if loaded.missing:
            change: ExternalChange | None = ExternalChange(doc.path, True, None, None)
        elif loaded.disk_hash == copy.base_hash:
            change = None
        else:
            change = ExternalChange(doc.path, False, loaded.text, loaded.disk_hash)
        doc.conflict = change
        self.recovered_generation = self.generation
        return change

    @property
    def must_settle(self) -> bool:
        """True when closing now must put the text into the history: the writer closes in a
        conflict without choosing, with edits the file does not have."""
        return self.doc is not None and self.doc.conflict is not None and self.dirty

    def closed(self) -> None:
        """No draft is open any more."""
        self.doc = None

    def release(self) -> None:
        """Give up the draft's lock (another window may now edit it)."""
        if self.doc is not None and self.doc.lock is not None:
            self.doc.lock.release()
            self.doc.lock = None

    def moved(self, old: Path, new: Path) -> bool:
        """The draft file was renamed; True when that was the open draft."""
        if self.doc is None or self.doc.path != old:
            return False
        self.doc.path = new
        return True

    # --- editing and saving ----------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when the editor has edits not yet known to be on disk."""
        return self.doc is not None and self.generation != self.saved_generation

    def edited(self) -> bool:
        """The writer changed the text; True when a draft is open (autosave is then due)."""
        if self.doc is None:
            return False
        self.generation += 1
        return True

    def save_request(
        self, text: str, snapshot: str | None = "typing", force: bool = False
    ) -> SaveRequest | RecoveryRequest | None:
        """What saving now means: a save of the file, a recovery copy (the file cannot take
        the text: another program's version is unresolved, or the file is read-only), or
        nothing (no edits, no draft, another window owns it)."""
        doc = self.doc
        if doc is None or not self.dirty or doc.read_only:
            return None
        if (doc.conflict and not force) or (doc.file_read_only and snapshot != "save"):
            return self.recovery_request(text)
        # Keep Mine replaces their version knowingly (it is in the history already).
        expected = doc.conflict.their_hash if force and doc.conflict else doc.disk_hash
        return SaveRequest(doc.path, text, doc.fmt, self.generation, expected, snapshot, force)

    def recovery_request(self, text: str) -> RecoveryRequest | None:
        """Keep the text in the recovery copy, unless the copy already holds this edit."""
        doc = self.doc
        if doc is None or self.generation <= self.recovered_generation:
            return None
        if doc.conflict is not None:
            reason = DELETED if doc.conflict.deleted else CONFLICT
        else:
            reason = READ_ONLY
        self.recovered_generation = self.generation
        return RecoveryRequest(doc.path, text, reason, doc.disk_hash)

    def saved(self, path: Path, digest: str, generation: int) -> bool:
        """A save reached the disk; True when it was the open draft's."""
        doc = self.doc
        if doc is None or doc.path != path:
            return False
        doc.disk_hash = digest
        doc.conflict = None
        doc.file_read_only = False  # written: it is writable (again)
        self.saved_generation = max(self.saved_generation, generation)
        return True

    def save_refused_read_only(self, path: Path, generation: int) -> bool:
        """The file refused a save because it is read-only; True when it is the open draft
        (its text is in the recovery copy from now on, up to `generation`)."""
        doc = self.doc
        if doc is None or doc.path != path:
            return False
        doc.file_read_only = True
        self.recovered_generation = max(self.recovered_generation, generation)
        return True

    def saved_as(self, path: Path, lock: DraftLock) -> Path:
        """Save As: the text belongs to `path` now (its lock is taken); the next save writes
        it there whole. Returns the draft's old path."""
        doc = self.doc
        assert doc is not None
        old = doc.path
        doc.path, doc.lock = path, lock
        doc.conflict = None
        doc.file_read_only = False
        self.saved_generation = -1
        return old

    def write_again(self) -> None:
        """The next save writes even with nothing typed since (Keep Mine, a new encoding)."""
        self.saved_generation = -1

    # --- another program -------------------------------------------------------------------

    def external_change(self, change: ExternalChange, text: str) -> Verdict:
        """Another program changed or deleted a file; `text` is the editor's now."""
        doc = self.doc
        if doc is None or change.path != doc.path:
            return Verdict.IGNORE
        if not change.deleted and change.their_hash == doc.disk_hash:
            # Stale news: that version is the one we know. A save it stopped goes again.
            return Verdict.SAVE_AGAIN if self.dirty and change.generation >= 0 else Verdict.IGNORE
        if doc.conflict is not None and doc.conflict == change:
            return Verdict.IGNORE  # the same news again
        if change.their_text is not None and change.their_hash is not None:
            try:
                same = content_hash(encode_document(text, doc.fmt)) == change.their_hash
            except UnencodableError:  # the file's encoding cannot hold our text: not theirs
                same = False
            if same:
                doc.disk_hash = change.their_hash  # they wrote exactly what we have
                self.saved_generation = self.generation
                return Verdict.SAME_AS_OURS
        doc.conflict = change
        return Verdict.CONFLICT

    def take_theirs(self) -> str | None:
        """Reload Theirs: their text becomes the editor's (one generation, on disk); None when
        there is nothing to take (no conflict, or theirs is no text)."""
        doc = self.doc
        if doc is None or doc.conflict is None or doc.conflict.their_text is None:
            return None
        change = doc.conflict
        self.generation += 1
        self.saved_generation = self.generation
        doc.disk_hash = change.their_hash or doc.disk_hash
        doc.conflict = None
        return change.their_text

    # --- quitting --------------------------------------------------------------------------

    def quit_plan(self, text: str) -> SaveRequest | RecoveryRequest | None:
        """What the last save before quitting writes: the file (checked against what we know
        is there), or the recovery copy when the file may not take it; None when another
        window owns the draft (this one never edited it)."""
        doc = self.doc
        assert doc is not None
        if doc.read_only:
            return None
        if doc.conflict is not None or doc.file_read_only:
            conflict = doc.conflict
            reason = (DELETED if conflict.deleted else CONFLICT) if conflict else READ_ONLY
            return RecoveryRequest(doc.path, text, reason, doc.disk_hash)
        return SaveRequest(doc.path, text, doc.fmt, self.generation, doc.disk_hash)
