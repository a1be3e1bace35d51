"""The open draft's file follows its title: asked after each save, done on the file thread.

When the writer pauses (every edit saved), the file thread is asked to rename the draft after
its title (editor.core.title_names says whether it should). The window's `_on_moved` takes the
new path; saves queued meanwhile are sent to the new file by the file thread itself, so no
keystroke is lost and no false "deleted by another program" is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from editor.ui.window_facets import TitleFilesHost


class TitleFileNames(QObject):
    """Asks the file thread to rename the open draft after its title once it is all saved."""

    request_follow = Signal(object)  # path
    request_forget = Signal(object)  # old path, once the window has taken the new one

    def __init__(self, window: TitleFilesHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.request_follow.connect(window.files.follow_title)
        self.request_forget.connect(window.files.forget_move)
        # connected after the window's own handlers: the window has taken the news first
        window.files.saved.connect(self._on_saved)
        window.files.moved.connect(self._on_moved)

    def _on_saved(self, path: Path, _digest: str, _generation: int) -> None:
        window = self.window
        doc = window.doc
        if doc is None or doc.path != path or window.dirty or doc.conflict is not None:
            return  # still typing (the next save asks again), or not the open draft
        if window.publishing.busy_path is not None:
            return  # a publish reads the draft's pictures and writes its record by this name
        if not doc.read_only:  # the file thread leaves files outside the drafts folder alone
            self.request_follow.emit(path)

    def _on_moved(self, old: Path, _new: Path) -> None:
        self.request_forget.emit(old)
