"""Keeping the writer's text safe in the window: the last save on quit, history, locks.

Mixed into MainWindow (like ExternalChangesMixin), to keep the window module small.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QMessageBox

from editor.core.atomic import ReadOnlyError, WriteError
from editor.core.checked_save import save_checked
from editor.core.documents import encode_for
from editor.core.open_draft import ExternalChange
from editor.core.recovery import CONFLICT, DELETED, FAILED, READ_ONLY
from editor.ui.compare_dialog import HistoryDialog

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


class DraftSafetyMixin(_Base):
    """The quit-time save, draft locks, the session file, history and restore."""

    def _final_save(self) -> bool:
        """Save synchronously on quit; False when the writer chose to stay after a failure.

        The file thread has finished, so this runs the same checked save here. Whatever keeps
        the text out of the draft (another program's version, a read-only file, a failing
        disk), it goes to the recovery copy, which the next start offers.
        """
        doc = self.doc
        assert doc is not None
        text = self.editor.toPlainText()
        if doc.read_only:
            return True  # the other window owns the file; this one was never allowed to edit
        if doc.conflict is not None or doc.file_read_only:
            reason = DELETED if _deleted(doc.conflict) else CONFLICT
            return self._keep_at_quit(text, reason if doc.conflict else READ_ONLY)
        known = {h for h in (doc.disk_hash, self.files.written_hash(doc.path)) if h}
        try:
            outcome = save_checked(doc.path, encode_for(doc.path, text, doc.fmt), known)
        except ReadOnlyError:
            return self._keep_at_quit(text, READ_ONLY)
        except WriteError as exc:
            return self._keep_at_quit(text, FAILED, str(exc))
        if outcome.found is not None:
            # Another program's version is on disk (noticed or not yet): it stays, and ours is
            # kept instead of overwriting theirs silently.
            return self._keep_at_quit(text, CONFLICT if outcome.found.exists else DELETED)
        if outcome.replaced is not None:
            with contextlib.suppress(OSError):
                theirs = outcome.replaced.decode("utf-8", "replace")
                self.history.take(doc.path, theirs, "external")
        with contextlib.suppress(OSError):
            self.recovery.drop(doc.path)
        self.saved_generation = self.generation
        return True

    def _keep_at_quit(self, text: str, reason: str, problem: str = "") -> bool:
        """Keep the text in the recovery copy (and the history); ask only if even that fails."""
        doc = self.doc
        assert doc is not None
        try:
            self.recovery.keep(doc.path, text, reason, doc.disk_hash)
        except OSError as exc:
            return self._confirm_discard(problem or f"Could not keep your version: {exc}")
        if reason in (CONFLICT, DELETED):
            with contextlib.suppress(OSError):
                self.history.take(doc.path, text, "conflict")
        return True

    def _show_read_only(self) -> None:
        """Say that the file is read-only, what happens to the text, and offer Save As."""
        assert self.doc is not None
        self.save_label.setText("Read-only")
        self.banner.show_message(
            f"“{self.doc.path.name}” is read-only, so Broadsheet does not change it. Your text"
            " is kept safe in a recovery copy: use Save As… to save it as a new file, or make"
            " the file writable and press Ctrl+S.",
            "warning",
            topic="save",
            actions=[("Save As…", self.save_as)],
        )

    def _on_overwrote(self, path: Path) -> None:
        """Another program saved the draft at the very instant Broadsheet did."""
        if self.doc is None or self.doc.path != path:
            return
        self.banner.show_message(
            f"Another program saved “{path.name}” at the same moment as Broadsheet. Your text is"
            " in the file; theirs is kept in File ▸ History.",
            "warning",
            topic="external",
            actions=[("Show History", self.show_history)],
        )

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

    def replace_text_after_publish(self, text: str) -> int:
        """Take in the post's record (merged into the text as it is now) and save it; returns
        the edit that holds it."""
        self.editor.replace_text(text)
        # Undoing past this edit would drop the post id and the next publish would create a
        # second post; the text before publishing is in the history instead.
        self.editor.document().clearUndoRedoStacks()
        self._update_title()
        self.save(snapshot=None)
        return self.generation

    def restore_text(self, text: str) -> None:
        """Put an old version back; the current text becomes a snapshot first (undoable)."""
        if self.doc is None:
            return
        self.request_snapshot.emit(self.doc.path, self.editor.toPlainText(), "restore")
        self.editor.replace_text(text)
        self.save(snapshot=None)


def _deleted(change: ExternalChange | None) -> bool:
    return change is not None and change.deleted
