"""Keeping the writer's text safe in the window: the last save on quit, history, locks.

Mixed into MainWindow (like ExternalChangesMixin), to keep the window module small.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QMessageBox

from editor.core.atomic import WriteError
from editor.core.documents import content_hash, write_document
from editor.ui.compare_dialog import HistoryDialog

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


class DraftSafetyMixin(_Base):
    """The quit-time save, draft locks, the session file, history and restore."""

    def _final_save(self) -> bool:
        """Save synchronously on quit; False when the writer chose to stay after a failure."""
        assert self.doc is not None
        text = self.editor.toPlainText()
        if self.doc.read_only:
            return True  # the other window owns the file; this one was never allowed to edit
        if self.doc.conflict is not None or self._changed_on_disk():
            # Another program's version is on disk (noticed or not yet): it stays, and ours is
            # kept as a snapshot instead of overwriting theirs silently.
            try:
                self.history.take(self.doc.path, text, "conflict")
            except OSError:
                return self._confirm_discard("Could not keep your version as a snapshot")
            return True
        try:
            write_document(self.doc.path, text, self.doc.fmt)
        except WriteError as exc:
            return self._confirm_discard(str(exc))
        self.saved_generation = self.generation
        return True

    def _changed_on_disk(self) -> bool:
        """True when the file differs from what we last loaded or wrote."""
        assert self.doc is not None
        # A save that was still queued at quit has been written by now, but its `saved`
        # signal never reaches the window: the worker's own record counts as ours too.
        ours = (self.doc.disk_hash, self.files.written_hash(self.doc.path))
        try:
            return content_hash(self.doc.path.read_bytes()) not in ours
        except FileNotFoundError:
            return True
        except OSError:
            return False  # unreadable right now: the write reports the real problem

    def _confirm_discard(self, problem: str) -> bool:
        answer = QMessageBox.warning(
            self,
            "Could not save",
            f"{problem}.\n\nQuit anyway and lose the unsaved changes?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # ------------------------------------------------------- safety of the text
    def _release_doc(self) -> None:
        """Give up the open draft's lock and stop watching it."""
        if self.doc is not None and self.doc.lock is not None:
            self.doc.lock.release()
            self.doc.lock = None
        self._unwatch()

    def _remember_open(self) -> None:
        """Tell the session file what is open, so a crash can reopen it."""
        if self.doc is not None:
            self.settings.set("last_draft", str(self.doc.path))
        if self.session is None:
            return
        with contextlib.suppress(OSError):  # not worth an error in the middle of writing
            self.session.set_open([self.doc.path] if self.doc else [])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """Save when the window loses focus (the writer switches to another program)."""
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.save()
        super().changeEvent(event)

    def show_history(self) -> None:
        """The History dialog: snapshots, their difference from now, restore."""
        if self.doc is None:
            return
        self.save()
        current = self.editor.toPlainText()
        dialog = HistoryDialog(self, self.history, self.doc.path, current)
        self.history_dialog = dialog
        if dialog.exec() and dialog.restored_text is not None:
            self.restore_text(dialog.restored_text)

    def replace_text_after_publish(self, text: str, disk_hash: str | None, clean: bool) -> None:
        """Take in the front matter the publisher wrote (the post id) as the file now is."""
        doc = self.doc
        if doc is None:
            return
        self._replace_text(text)
        # Undoing past this edit would drop the post id and the next publish would create a
        # second post; the text before publishing is in the history instead.
        self.editor.document().clearUndoRedoStacks()
        if disk_hash:
            doc.disk_hash = disk_hash
        if clean:
            self.saved_generation = self.generation
        self._update_title()
        self.save()

    def restore_text(self, text: str) -> None:
        """Put an old version back; the current text becomes a snapshot first (undoable)."""
        if self.doc is None:
            return
        self.request_snapshot.emit(self.doc.path, self.editor.toPlainText(), "restore")
        self._replace_text(text)
        self.save(snapshot=None)
