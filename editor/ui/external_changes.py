"""When another program changes or deletes the open draft: notice, ask, never overwrite silently.

Mixed into the main window: a file watcher plus the hash of what Broadsheet last loaded or
wrote tell our own saves (same hash) from someone else's (different hash, or no file).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.draft_life import RecoveryRequest, Verdict

# Imported where used: the window's first paint needs none of them (editor/ui/first_paint.py).
if TYPE_CHECKING:
    from editor.core.open_draft import ExternalChange, LoadedDocument
    from editor.core.recovery import RecoveryCopy
    from editor.ui.window_facets import DraftWindowBase

    _Base = DraftWindowBase  # the rest of the window, as this mixin sees it
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
        verdict = self.life.external_change(change, self.editor.toPlainText())
        if verdict is Verdict.SAVE_AGAIN:
            self.autosave_timer.start()  # a save stopped on stale news: save again
        if verdict is Verdict.SAME_AS_OURS:
            self._update_title()
        if verdict is not Verdict.CONFLICT:
            return
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
        mine = self.editor.toPlainText()
        theirs = self.life.take_theirs()
        if doc is None or theirs is None:
            return
        # ours goes into the history, and the recovery copy is no longer needed
        self.request_settle.emit(doc.path, mine, "conflict")
        self.editor.blockSignals(True)
        self.editor.set_text_keep_undo_clean(theirs)
        self.editor.blockSignals(False)
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
        self.life.write_again()  # write even if nothing was typed since
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
    def keep_recovery_copy(self, request: RecoveryRequest | None = None) -> None:
        """Put the text in the draft's recovery copy (the draft itself cannot take it now);
        `request`: the one the draft's life already made for this edit."""
        request = request or self.life.recovery_request(self.editor.toPlainText())
        if request is None:
            return
        self.request_recovery.emit(request.path, request.text, request.reason, request.base_hash)
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
        when = _moment(copy)
        self.editor.replace_text(copy.text)  # one undo step back to the file's version
        change = self.life.recovered_copy_shown(loaded)  # the copy holds exactly this edit
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
