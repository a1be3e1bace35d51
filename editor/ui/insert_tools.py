"""Insert ▸ Jump Break and images: pasted or dropped images are copied into the draft's
`<stem>.assets/` folder (on the file thread), then linked where they were put.

Dropped files that are not images are not added: a link to a file on this disk would be a
broken link for every reader once the post is published (the checklist flags such links).
The writer is told which files were left out.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QObject, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QTextCursor
from PySide6.QtWidgets import QFileDialog, QWidget

from editor.core.assets import (
    add_asset,
    alt_text_for,
    copy_asset,
    is_image_file,
    markdown_image,
    pasted_image_name,
)
from editor.core.atomic import WriteError
from editor.core.insertions import Insertion, images_insertion, jump_break_insertion
from editor.ui.background import Runner

if TYPE_CHECKING:
    from editor.ui.window_facets import InsertHost

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg *.bmp *.avif)"


@dataclass(frozen=True)
class AssetRequest:
    """Copy `files` (or encode `image`) into the assets folder of `draft`."""

    ticket: int
    draft: Path
    files: tuple[Path, ...] = ()
    image: QImage | None = None  # clipboard image data, encoded to PNG on the file thread


# What a copy into the assets folder answers: (written file, alt text) pairs, and the
# problems (one sentence each, joined by "; ") or "".
Copied = tuple[list[tuple[Path, str]], str]


def copy_assets(request: AssetRequest) -> Copied:
    """Write every image of the request (on the file thread); the ones that failed are named
    in the problem. Never touches a widget (QImage is safe off the GUI thread)."""
    written: list[tuple[Path, str]] = []
    problems: list[str] = []
    if request.image is not None:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if request.image.save(buffer, "PNG"):
            try:
                data = buffer.data().data()
                written.append((add_asset(request.draft, pasted_image_name(), data), ""))
            except WriteError as exc:
                problems.append(str(exc))
        else:
            problems.append("The pasted image could not be turned into a PNG file")
    for source in request.files:
        try:
            # alt text from the name the writer gave the file, not the URL-friendly copy
            written.append((copy_asset(request.draft, source), alt_text_for(source.name)))
        except WriteError as exc:
            problems.append(str(exc))
    return written, "; ".join(problems)


class InsertTools(QObject):
    """The Insert menu, and images pasted or dropped into the editor."""

    def __init__(self, window: InsertHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.editor = window.editor
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[Path, QTextCursor]] = {}
        self.runner = Runner(self, thread=window.file_thread)  # after the saves queued before
        self.editor.mime_hook = self.take_mime_data
        self._build_menu()

    def _build_menu(self) -> None:
        menu = self.window.menus["insert"]  # in the menu bar since the first paint
        self.jump_break_action = QAction("&Jump Break (Read More)", self.parent_widget)
        self.jump_break_action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        self.jump_break_action.setToolTip("Blogger's “Read more” break: <!--more-->")
        self.jump_break_action.triggered.connect(self.insert_jump_break)
        self.image_action = QAction("&Image from File…", self.parent_widget)
        self.image_action.triggered.connect(self.choose_images)
        for action in (self.jump_break_action, self.image_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menu.addAction(action)

    def _editable(self) -> bool:
        doc = self.window.doc
        return doc is not None and not doc.read_only

    def apply(self, edit: Insertion) -> None:
        """Make one insertion as one undo step and put the cursor after it."""
        start, end, replacement, cursor_at = edit
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)
        cursor.endEditBlock()
        cursor.setPosition(cursor_at)
        self.editor.setTextCursor(cursor)

    def insert_jump_break(self) -> None:
        """Put `<!--more-->` at the cursor, on its own line."""
        if not self._editable():
            return
        position = self.editor.textCursor().position()
        self.apply(jump_break_insertion(self.editor.toPlainText(), position))
        self.editor.setFocus()

    def choose_images(self) -> None:
        """Insert ▸ Image from File…: copy the chosen images into the draft."""
        if not self._editable():
            return
        names, _ = QFileDialog.getOpenFileNames(
            self.parent_widget, "Insert image", "", IMAGE_FILTER
        )
        if names:
            self.add_images(files=[Path(n) for n in names])

    # ------------------------------------------------------------ paste and drop
    def take_mime_data(self, mime: QMimeData) -> bool:
        """The editor's paste/drop hook: True when the data was images (taken here)."""
        local = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if local:
            images = [path for path in local if is_image_file(path) and path.is_file()]
            others = [path.name for path in local if path not in images]
            if others:
                self.window.statusBar().showMessage(
                    "Only images are added to a draft (a link to a file on this computer"
                    f" would be broken on the blog); not added: {', '.join(others)}",
                    8000,
                )
            if images:
                self.add_images(files=images)
            return True
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.add_images(image=image)
                return True
        return False

    def add_images(self, *, files: list[Path] | None = None, image: QImage | None = None) -> None:
        """Copy images into the open draft's assets folder, then link them at the cursor."""
        doc = self.window.doc
        if doc is None or doc.read_only:
            self.window.statusBar().showMessage("Open a draft to add images to it.", 5000)
            return
        ticket = next(self._tickets)
        # a cursor, not a number: it moves along with whatever is typed while the copy runs
        self._pending[ticket] = (doc.path, QTextCursor(self.editor.textCursor()))
        request = AssetRequest(ticket, doc.path, tuple(files or ()), image)
        self.runner.run(
            lambda: copy_assets(request), done=lambda copied: self._on_copied(ticket, *copied)
        )

    def _on_copied(self, ticket: int, written: list[tuple[Path, str]], problem: str) -> None:
        draft, cursor = self._pending.pop(ticket, (None, None))
        if problem:
            self.window.banner.show_message(f"{problem}.", "error", topic="images")
        doc = self.window.doc
        if not written or draft is None or cursor is None or doc is None or doc.path != draft:
            return
        images = [markdown_image(doc.path, path, alt or None) for path, alt in written]
        self.apply(images_insertion(self.editor.toPlainText(), cursor.position(), images))
