"""Keeping the writer's text safe in the window: the last save on quit, history, locks.

Mixed into the main window (like ExternalChangesMixin), to keep the window module small.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QMessageBox

from editor.core.draft_life import RecoveryRequest

# Imported where used: the window's first paint needs none of them (editor/ui/first_paint.py).
if TYPE_CHECKING:
    from editor.core.open_draft import OpenDocument
    from editor.ui.window_facets import DraftWindowBase

    _Base = DraftWindowBase  # the rest of the window, as this mixin sees it
else:
    _Base = object


class DraftSafetyMixin(_Base):
    """The quit-time save, draft locks, the session file, history and restore."""

    # The open draft's state lives in `self.life` (editor.core.draft_life, no Qt); these
    # read it for the widgets and controllers that ask the window.
    @property
    def doc(self) -> OpenDocument | None:
        """The open draft, or None."""
        return self.life.doc

    @property
    def generation(self) -> int:
        """The editor text's edit count."""
        return self.life.generation

    @property
    def saved_generation(self) -> int:
        """The newest edit known to be in the file."""
        return self.life.saved_generation

    @property
    def dirty(self) -> bool:
        """True when the editor has edits not yet known to be on disk."""
        return self.life.dirty

    def draft_name(self, path: Path) -> str:
        """What a message calls a draft: the open one by its title (the writer knows his posts
        by their titles; `untitled-3.md` means nothing to him), another by its file name."""
        if self.doc is not None and self.doc.path == path and self.rendered_title:
            return self.rendered_title
        return path.name

    def _final_save(self) -> bool:
        """Save synchronously on quit; False when the writer chose to stay after a failure.

        The file thread has finished, so its own checked save runs here. Whatever keeps the
        text out of the draft (another program's version, a read-only file, a failing disk), it
        goes to the recovery copy, which the next start offers.
        """

        doc = self.doc
        assert doc is not None
        text = self.editor.toPlainText()
        plan = self.life.quit_plan(text)
        if plan is None:
            return True  # the other window owns the file; this one was never allowed to edit
        if isinstance(plan, RecoveryRequest):
            problem = self.files.keep_recovery(plan.path, text, plan.reason, plan.base_hash)
            return self._after_quit_save(text, problem, doc.conflict is not None)
        result = self.files.write(plan)
        if result.digest is not None:
            self.life.saved(doc.path, result.digest, plan.generation)
            return True
        # Another program's version is on disk (noticed or not yet), or the disk refused:
        # theirs stays, ours is in the recovery copy instead of overwriting theirs silently.
        problem = None if result.unkept is None else str(result.error or result.unkept)
        return self._after_quit_save(text, problem, result.change is not None)

    def _after_quit_save(self, text: str, problem: str | None, conflict: bool) -> bool:
        """A conflicting version also goes into the history; ask only if the text is nowhere."""
        assert self.doc is not None
        if problem is not None:
            return self._confirm_discard(problem)
        if conflict:
            with contextlib.suppress(OSError):
                self.history.take(self.doc.path, text, "conflict")
        return True

    def _show_read_only(self) -> None:
        """Say that the file is read-only, what happens to the text, and offer Save As."""
        assert self.doc is not None
        self.save_label.setText("Read-only")
        self.banner.show_message(
            f"“{self.draft_name(self.doc.path)}” is read-only, so Broadsheet does not change it."
            " Your text is kept safe in a recovery copy: use Save As… to save it as a new file,"
            " or make the file writable and press Ctrl+S.",
            "warning",
            topic="save",
            actions=[("Save As…", self.save_as)],
        )

    def _on_overwrote(self, path: Path) -> None:
        """Another program saved the draft at the very instant Broadsheet did."""
        if self.doc is None or self.doc.path != path:
            return
        self.banner.show_message(
            f"Another program saved “{self.draft_name(path)}” at the same moment as Broadsheet."
            " Your text is in the file; theirs is kept in File ▸ History.",
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
        self.life.release()
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
        from editor.ui.compare_dialog import HistoryDialog

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
