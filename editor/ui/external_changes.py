"""When another program changes or deletes the open draft: notice, ask, never overwrite silently.

Mixed into MainWindow: a file watcher plus the hash of what Broadsheet last loaded or wrote tell
our own saves (same hash) from someone else's (different hash, or no file).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

# Imported where used: the window's first paint needs none of them (editor/ui/first_paint.py).
if TYPE_CHECKING:
    from editor.core.open_draft import ExternalChange, LoadedDocument
    from editor.core.recovery import RecoveryCopy
    from editor.ui.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


class ExternalChangesMixin(_Base):
    """Watches the open draft's file and resolves changes made by other programs."""

    def _unwatch(self) -> None:
        """Stop watching any file or folder."""
        for watched in self.watcher.files() + self.watcher.directories():
            self.watcher.removePath(watched)

    def _watch(self, path: Path) -> None:
        """Watch the draft and its folder (an atomic replace drops the file watch)."""
        self._unwatch()
        if path.exists():
            self.watcher.addPath(str(path))
        if path.parent.exists():
            self.watcher.addPath(str(path.parent))

    def _on_disk_event(self, _changed: str) -> None:
        # Other programs often write in place (truncate, then write): wait until they are done
        # instead of reading a half-written file.
        self.disk_check_timer.start()

    def _poll_disk(self) -> None:
        if self.doc is not None and not self.disk_check_timer.isActive():
            self.request_poll.emit(self.doc.path, self.doc.disk_hash)

    def _check_disk(self) -> None:
        doc = self.doc
        if doc is None:
            return
        self.request_check.emit(doc.path, doc.disk_hash)
        if doc.path.exists() and str(doc.path) not in self.watcher.files():
            self.watcher.addPath(str(doc.path))

    def _on_external_change(self, change: ExternalChange) -> None:
        doc = self.doc
        if doc is None or change.path != doc.path:
            return
        if not change.deleted and change.their_hash == doc.disk_hash:
            if self.dirty and change.generation >= 0:
                self.autosave_timer.start()  # a save stopped on stale news: save again
            return  # stale news: that version is the one we know
        if doc.conflict is not None and doc.conflict == change:
            return  # the same news again
        if change.their_text is not None:
            from editor.core.documents import content_hash
            from editor.core.textfile import UnencodableError, encode_document

            try:
                mine = encode_document(self.editor.toPlainText(), doc.fmt)
                same = content_hash(mine) == change.their_hash
            except UnencodableError:  # the file's encoding cannot hold our text: not theirs
                same = False
            if same:
                doc.disk_hash = change.their_hash  # they wrote exactly what we have
                self.saved_generation = self.generation
                self._update_title()
                return
        doc.conflict = change
        self.autosave_timer.stop()
        self.autosave_deadline.stop()
        if self.dirty:
            self.keep_recovery_copy()  # from now on the text goes to the recovery copy
        self._show_conflict(change)

    def _show_conflict(self, change: ExternalChange, lead: str = "") -> None:
        """The banner that asks which version to keep (`lead`: a sentence before the question)."""
        name = self.draft_name(change.path)
        lead = f"{lead} " if lead else ""
        if change.deleted:
            self.banner.show_message(
                f"{lead}“{name}” was deleted or moved by another program. Your text is still"
                " here, and kept in a recovery copy until you choose.",
                "warning",
                topic="external",
                actions=[("Save Mine Again", self.keep_mine), ("Close Draft", self.close_draft)],
                dismissable=False,
            )
        elif change.their_text is None:
            self.banner.show_message(
                f"{lead}“{name}” was replaced by another program with something that is not UTF-8"
                " text. It will not be overwritten unless you choose to.",
                "warning",
                topic="external",
                actions=[("Keep Mine", self.keep_mine)],
                dismissable=False,
            )
        else:
            self.banner.show_message(
                f"{lead}“{name}” was changed by another program. Which version do you want?",
                "warning",
                topic="external",
                actions=[
                    ("Reload Theirs", self.reload_theirs),
                    ("Keep Mine", self.keep_mine),
                    ("Compare…", self.compare_versions),
                ],
                dismissable=False,
            )

    def reload_theirs(self) -> None:
        """Take the other program's version; ours goes into the history first."""
        doc = self.doc
        if doc is None or doc.conflict is None or doc.conflict.their_text is None:
            return
        change = doc.conflict
        # ours goes into the history, and the recovery copy is no longer needed
        self.request_settle.emit(doc.path, self.editor.toPlainText(), "conflict")
        self.editor.blockSignals(True)
        self.editor.set_text_keep_undo_clean(change.their_text or "")
        self.editor.blockSignals(False)
        self.generation += 1
        self.saved_generation = self.generation
        doc.disk_hash = change.their_hash or doc.disk_hash
        doc.conflict = None
        self.banner.clear_message(topic="external")
        self._watch(doc.path)
        self._schedule_render()
        self._update_title()

    def keep_mine(self) -> None:
        """Write our version over theirs; theirs goes into the history first."""
        doc = self.doc
        if doc is None or doc.conflict is None:
            return
        if doc.conflict.their_text is not None:
            self.request_snapshot.emit(doc.path, doc.conflict.their_text, "external")
        self.banner.clear_message(topic="external")
        self.saved_generation = -1  # write even if nothing was typed since
        self.save(snapshot=None, force=True)

    def compare_versions(self) -> None:
        """Show the difference, then let the writer choose."""
        doc = self.doc
        if doc is None or doc.conflict is None or doc.conflict.their_text is None:
            return
        from editor.ui.compare_dialog import CompareDialog

        dialog = CompareDialog(
            self,
            f"Compare versions of “{self.draft_name(doc.path)}”",
            doc.conflict.their_text,
            self.editor.toPlainText(),
            ("their version (on disk)", "your version (in the editor)"),
        )
        dialog.add_choice("Reload Theirs", "theirs")
        dialog.add_choice("Keep Mine", "mine")
        dialog.buttons.addButton(
            "Decide Later", dialog.buttons.ButtonRole.RejectRole
        ).clicked.connect(dialog.reject)
        self.compare_dialog = dialog
        if dialog.exec() and dialog.choice == "theirs":
            self.reload_theirs()
        elif dialog.choice == "mine":
            self.keep_mine()

    # ---------------------------------------------------------- recovery copies
    def keep_recovery_copy(self) -> None:
        """Put the text in the draft's recovery copy (the draft itself cannot take it now)."""
        doc = self.doc
        if doc is None or self.generation <= self.recovered_generation:
            return
        from editor.core.recovery import CONFLICT, DELETED, READ_ONLY

        if doc.conflict is not None:
            reason = DELETED if doc.conflict.deleted else CONFLICT
        else:
            reason = READ_ONLY
        self.recovered_generation = self.generation
        text = self.editor.toPlainText()
        self.request_recovery.emit(doc.path, text, reason, doc.disk_hash)
        self.save_label.setText("Kept in a recovery copy")

    def take_in_recovered(self, loaded: LoadedDocument) -> None:
        """Offer the writer's text that never reached this file, kept in its recovery copy.

        If the file is as the writer last saw it, the text is simply his unsaved typing and comes
        back as such. If another program changed or deleted the file meanwhile, he gets the
        same choice he had not made yet when Broadsheet closed.
        """
        doc, copy = self.doc, loaded.recovered
        if doc is None or copy is None:
            return
        from editor.core.open_draft import ExternalChange

        when = _moment(copy)
        if loaded.missing:
            change: ExternalChange | None = ExternalChange(doc.path, True, None, None)
        elif loaded.disk_hash == copy.base_hash:
            change = None
        else:
            change = ExternalChange(doc.path, False, loaded.text, loaded.disk_hash)
        doc.conflict = change
        self.editor.replace_text(copy.text)  # one undo step back to the file's version
        self.recovered_generation = self.generation  # the copy holds exactly this
        name = self.draft_name(doc.path)
        lead = f"Your unsaved version of “{name}” ({when}) was kept in a recovery copy."
        if change is not None:
            self.autosave_timer.stop()
            self.autosave_deadline.stop()
            self.save_label.setText("Kept in a recovery copy")
            self._show_conflict(change, lead)
            return
        self.statusBar().showMessage(
            f"{lead} It is back in the editor and saved to the file now.", 60_000
        )
        self.save()


def _moment(copy: RecoveryCopy) -> str:
    """When a recovery copy was written, as a writer reads it."""
    if copy.saved.date() == dt.date.today():
        return f"from {copy.saved:%H:%M:%S}"
    return f"from {copy.saved:%d %b %Y, %H:%M}"
