"""Files that are not UTF-8: offer to open them in their encoding, keep it, convert on request.

Nothing on disk changes encoding behind the writer's back: a file opened as Windows-1252 is
saved as Windows-1252 until the writer chooses Convert to UTF-8, and then its old version goes
into the draft's history first. A character the old encoding cannot store stops the save with
one sentence and the same offer; the text stays in the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from editor.core.charsets import UTF8, encoding_description, encoding_label
from editor.core.textfile import NotUtf8Error, UnencodableError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from editor.core.open_draft import LoadedDocument
    from editor.ui.window_facets import EncodingsHost

TOPIC = "encoding"  # the banner topic of the offers made here
SNAPSHOT_REASON = "encoding"  # history: the version from before the conversion to UTF-8


class FileEncodings(QObject):
    """The window's side of encodings: the "Open as …" offer, the notice, the conversion."""

    request_disk_snapshot = Signal(object, object, str)  # path, TextFormat on disk, reason

    def __init__(self, window: EncodingsHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self._converting: tuple[Path, str] | None = None  # path, label of the old encoding
        files = window.files
        files.not_utf8.connect(self._offer_encodings)
        files.loaded.connect(self._on_loaded)  # after the window's own handler
        files.cannot_store.connect(self._on_cannot_store)  # after the window's save_failed
        files.saved.connect(self._on_saved)
        self.request_disk_snapshot.connect(files.snapshot_disk)
        # The keyboard path to the conversion (the banner's button is the mouse path).
        self.convert_action = QAction("Convert to &UTF-8", parent)
        self.convert_action.setStatusTip("Save this file as UTF-8 from now on")
        self.convert_action.triggered.connect(self.convert_to_utf8)
        menu = window.menus["file"]
        anchor = next((a for a in menu.actions() if a.text() == "&Rename Draft…"), None)
        if anchor is None:
            menu.addAction(self.convert_action)
        else:
            menu.insertAction(anchor, self.convert_action)
        menu.aboutToShow.connect(self._update_action)
        self._update_action()

    def _can_convert(self) -> bool:
        doc = self.window.doc
        return doc is not None and doc.fmt.legacy and not doc.read_only

    def _update_action(self) -> None:
        self.convert_action.setEnabled(self._can_convert())

    # ----------------------------------------------------------- opening
    def _offer_encodings(self, path: Path, problem: NotUtf8Error) -> None:
        """The file is not UTF-8: say where, and offer the encodings it looks like."""
        text = (
            f"“{path.name}” is not valid UTF-8 text: the first character that is not UTF-8"
            f" is at line {problem.line}, column {problem.column}. It looks like"
            f" {encoding_description(problem.choices[0])}; opened that way, it is also saved"
            " that way until you convert it to UTF-8."
        )
        actions: list[tuple[str, Callable[[], None]]] = [
            (f"Open as {encoding_label(choice)}", self._opener(path, choice))
            for choice in problem.choices
        ]
        actions.append(("Cancel", lambda: self.window.banner.clear_message(topic=TOPIC)))
        banner = self.window.banner
        banner.show_message(text, "warning", topic=TOPIC, actions=actions)
        banner.buttons[0].setFocus()  # the writer just asked to open it: Enter opens, Tab moves

    def _opener(self, path: Path, encoding: str) -> Callable[[], None]:
        def open_as() -> None:
            self.window.banner.clear_message(topic=TOPIC)
            self.window.open_path(path, encoding)

        return open_as

    def _on_loaded(self, loaded: LoadedDocument) -> None:
        self._update_action()
        if not loaded.fmt.legacy or loaded.lock is None:
            return  # UTF-8, or read-only (another window saves it)
        label = encoding_label(loaded.fmt.encoding)
        self.window.banner.show_message(
            f"“{loaded.path.name}” is open as {label} and is saved as {label}, as it was."
            " Convert it to UTF-8 so that it can hold any character?",
            "info",
            topic=TOPIC,
            actions=[("Convert to UTF-8", self.convert_to_utf8)],
        )

    # ----------------------------------------------------------- saving
    def _on_cannot_store(self, path: Path, problem: UnencodableError) -> None:
        doc = self.window.doc
        if doc is None or doc.path != path or not doc.fmt.legacy:
            return  # another file, or converted since this save was asked for
        self.window.banner.show_message(
            f"“{path.name}” was not saved: {problem}. Your text is safe in the editor;"
            " convert the file to UTF-8 to save it.",
            "error",
            topic="save",  # cleared by the next good save, like every save error
            actions=[("Convert to UTF-8", self.convert_to_utf8)],
        )

    def convert_to_utf8(self) -> None:
        """Save the open file as UTF-8 from now on; its old version goes to the history."""
        window = self.window
        doc = window.doc
        if doc is None or not self._can_convert():
            return
        self.request_disk_snapshot.emit(doc.path, doc.fmt, SNAPSHOT_REASON)  # before the save
        self._converting = (doc.path, encoding_label(doc.fmt.encoding))
        doc.fmt = replace(doc.fmt, encoding=UTF8, bom=False)
        window.banner.clear_message(topic=TOPIC)
        window.life.write_again()  # write now, even with nothing typed since
        window.save(snapshot=None)
        self._update_action()

    def _on_saved(self, path: Path, _digest: str, _generation: int) -> None:
        if self._converting is None or self._converting[0] != path:
            return
        old = self._converting[1]
        self._converting = None
        self.window.statusBar().showMessage(
            f"“{path.name}” is now saved as UTF-8; its {old} version is in File ▸ History.",
            10000,
        )
