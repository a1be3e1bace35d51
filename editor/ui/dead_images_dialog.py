"""Publish ▸ Check Images of Published Posts…: find images that no longer load, repair them.

The worker reads the blog's published posts, checks every image address, and looks for the
writer's own copy of each dead image (the draft published as that post remembers its files).
Repair uploads the copy, or a file the writer points at, to the blog's image host and updates
the post; an edit made on the blog since the check stops the repair. The dialog only shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.publish.errors import ConflictError, PublishError
from editor.publish.providers import blogs_where
from editor.ui.publish_worker import ServiceWorker
from editor.ui.theme import note_colour
from editor.ui.workers import start_dialog_worker

if TYPE_CHECKING:
    from editor.publish.accounts import Blog
    from editor.publish.hosts.checkup import BlogScan
    from editor.publish.hosts.deadimages import PostImages

IMAGE_FILES = "Images (*.png *.jpg *.jpeg *.gif *.webp *.avif *.svg *.bmp *.tif *.tiff)"
_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class DeadImage:
    """One dead image in one post, and the writer's copies of it found on disk."""

    post: PostImages
    url: str
    reason: str
    copies: tuple[Path, ...]


class ImagesWorker(ServiceWorker):
    """Scans and repairs off the GUI thread; never touches a widget."""

    blogs_loaded = Signal(object)  # [Blog] that can be checked
    progress = Signal(str)
    scanned = Signal(object, object)  # BlogScan, [DeadImage]
    scan_failed = Signal(str)
    repaired = Signal(object, str, str)  # DeadImage, the new URL, the post's new `updated`
    repair_failed = Signal(object, str)  # DeadImage, one sentence

    @Slot()
    def load_blogs(self) -> None:
        """The Blogger blogs (their images live on image hosts; WordPress keeps its own)."""
        try:
            every = self.service.accounts().blogs.values()
            blogs = blogs_where(every, lambda can: can.image_check)
        except PublishError as exc:
            self.scan_failed.emit(exc.message)
            return
        self.blogs_loaded.emit(blogs)

    @Slot(str)
    def scan(self, blog_key: str) -> None:
        """Check every image of the blog's published posts; find copies of the dead ones."""
        from editor.publish.hosts.checkup import local_copies, scan

        try:
            result = scan(self.service, blog_key, progress=self.progress.emit)
            self.progress.emit("Looking for your copies of the dead images…")
            dead = [
                DeadImage(
                    post,
                    check.url,
                    check.reason,
                    tuple(local_copies(self.service, result.blog, post.post_id, check.url)),
                )
                for post in result.broken
                for check in post.dead
            ]
        except PublishError as exc:
            self.scan_failed.emit(exc.message)
            return
        self.scanned.emit(result, dead)

    @Slot(object, object, object)
    def repair(self, blog: Blog, image: DeadImage, local_file: Path) -> None:
        """Upload `local_file` to the blog's image host and point the post at it."""
        from editor.publish.hosts.checkup import repair

        self.progress.emit(f"Uploading {local_file.name} and updating “{image.post.title}”…")
        try:
            result = repair(self.service, blog, image.post, image.url, local_file)
        except ConflictError:
            self.repair_failed.emit(
                image,
                "The post was changed on the blog since the check; nothing was changed. Check"
                " again, then repair.",
            )
            return
        except PublishError as exc:
            self.repair_failed.emit(image, exc.message)
            return
        self.repaired.emit(image, result.new_url, result.post.updated)


class DeadImagesDialog(QDialog):
    """Lists, per post, the images that do not load, and repairs them one by one."""

    request_blogs = Signal()
    request_scan = Signal(str)
    request_repair = Signal(object, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check Images of Published Posts")
        self.setMinimumSize(900, 560)
        self.scan_result: BlogScan | None = None
        self.blog_box = QComboBox()
        self.check_button = QPushButton("Check Images")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.check)
        top = QHBoxLayout()
        top.addWidget(QLabel("Blog:"))
        top.addWidget(self.blog_box, 1)
        top.addWidget(self.check_button)
        explain = QLabel(
            "Reads your published posts and tries every image in them. Images that no longer"
            " load (old Google Drive or Picasa links, deleted files) are listed here; when you"
            " still have the picture, Repair uploads it to your image host and updates the post."
        )
        explain.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Post / image", "Problem", "Your copy"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 250)
        header.resizeSection(2, 200)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.repair_button = QPushButton("Repair")
        self.repair_button.setToolTip("Upload your copy to the image host and update the post")
        self.repair_button.clicked.connect(self.repair_selected)
        self.choose_button = QPushButton("Repair with a File…")
        self.choose_button.clicked.connect(self.repair_with_file)
        self.open_button = QPushButton("Open Post")
        self.open_button.clicked.connect(self.open_post)
        actions = QHBoxLayout()
        for button in (self.repair_button, self.choose_button, self.open_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.status = QLabel("Loading your blogs…")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self._update_buttons()

        self.worker = ImagesWorker()
        self.thread = start_dialog_worker(self, self.worker, "broadsheet-dead-images")
        self.request_blogs.connect(self.worker.load_blogs)
        self.request_scan.connect(self.worker.scan)
        self.request_repair.connect(self.worker.repair)
        self.worker.blogs_loaded.connect(self._on_blogs)
        self.worker.progress.connect(self._say)
        self.worker.scanned.connect(self._on_scanned)
        self.worker.scan_failed.connect(self._on_scan_failed)
        self.worker.repaired.connect(self._on_repaired)
        self.worker.repair_failed.connect(self._on_repair_failed)
        self.request_blogs.emit()

    # ------------------------------------------------------------------ checking
    def _say(self, message: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {note_colour('error', self)}" if error else "")
        self.status.setText(message)

    def _on_blogs(self, blogs: list[Blog]) -> None:
        self.blog_box.clear()
        for blog in blogs:
            self.blog_box.addItem(f"{blog.name} ({blog.url})" if blog.url else blog.name, blog.key)
        self.check_button.setEnabled(bool(blogs))
        if blogs:
            self._say("Choose a blog and press Check Images.")
        else:
            self._say("No Blogger blog is connected yet: use Publish ▸ Connect a Blog… first.")

    def check(self) -> None:
        """Scan the chosen blog (on the worker)."""
        key = self.blog_box.currentData()
        if not key:
            return
        self.tree.clear()
        self.scan_result = None
        self.check_button.setEnabled(False)
        self._update_buttons()
        self._say("Reading the published posts…")
        self.request_scan.emit(key)

    def _on_scanned(self, result: BlogScan, dead: list[DeadImage]) -> None:
        self.scan_result = result
        self.check_button.setEnabled(True)
        posts: dict[str, QTreeWidgetItem] = {}
        for image in dead:
            parent = posts.get(image.post.post_id)
            if parent is None:
                parent = QTreeWidgetItem([image.post.title or image.post.post_id, "", ""])
                parent.setData(0, _ROLE, image.post)
                parent.setToolTip(0, image.post.url)
                self.tree.addTopLevelItem(parent)
                posts[image.post.post_id] = parent
            copy = image.copies[0].name if image.copies else "none found"
            child = QTreeWidgetItem([image.url, image.reason, copy])
            child.setData(0, _ROLE, image)
            child.setToolTip(0, image.url)
            child.setToolTip(1, image.reason)
            child.setToolTip(2, "\n".join(str(c) for c in image.copies) or "Point to the file")
            parent.addChild(child)
        for parent in posts.values():
            count = parent.childCount()
            parent.setText(
                1, "1 image does not load" if count == 1 else f"{count} images do not load"
            )
            parent.setExpanded(True)
        self._say(result.summary(), error=bool(dead))
        if dead:
            self.tree.setCurrentItem(self.tree.topLevelItem(0).child(0))
        self._update_buttons()

    def _on_scan_failed(self, message: str) -> None:
        self.check_button.setEnabled(self.blog_box.count() > 0)
        self._say(message, error=True)

    # ------------------------------------------------------------------ repairing
    def selected_image(self) -> DeadImage | None:
        """The dead image of the current row (None for a post row or a repaired image)."""
        item = self.tree.currentItem()
        data = item.data(0, _ROLE) if item is not None else None
        return data if isinstance(data, DeadImage) and not item.data(1, _ROLE) else None

    def _update_buttons(self) -> None:
        image = self.selected_image()
        busy = not self.check_button.isEnabled() and self.blog_box.count() > 0
        self.repair_button.setEnabled(bool(image and image.copies) and not busy)
        self.choose_button.setEnabled(image is not None and not busy)
        item = self.tree.currentItem()
        self.open_button.setEnabled(item is not None)

    def repair_selected(self) -> None:
        """Repair the selected image with the copy found on disk."""
        image = self.selected_image()
        if image is not None and image.copies:
            self._repair(image, image.copies[0])

    def repair_with_file(self) -> None:
        """Repair the selected image with a file the writer picks."""
        image = self.selected_image()
        if image is None:
            return
        start = str(image.copies[0].parent) if image.copies else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self, f"The picture once at {image.url}", start, IMAGE_FILES
        )
        if name:
            self._repair(image, Path(name))

    def _repair(self, image: DeadImage, local_file: Path) -> None:
        if self.scan_result is None:
            return
        self.check_button.setEnabled(False)
        self._update_buttons()
        self.request_repair.emit(self.scan_result.blog, image, local_file)

    def _item_of(self, image: DeadImage) -> QTreeWidgetItem | None:
        for row in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(row)
            for n in range(parent.childCount()):
                if parent.child(n).data(0, _ROLE) == image:
                    return parent.child(n)
        return None

    def _on_repaired(self, image: DeadImage, new_url: str, updated: str) -> None:
        self.check_button.setEnabled(True)
        item = self._item_of(image)
        self._post_updated(image.post, updated)
        if item is not None:
            item.setData(1, _ROLE, new_url)
            item.setText(1, "repaired")
            item.setText(2, new_url)
            item.setToolTip(2, new_url)
            for column in range(3):
                item.setForeground(column, QBrush(QColor(note_colour("ok", self))))
        self._say(f"Repaired: “{image.post.title}” now shows the picture from {new_url}.")
        self._update_buttons()

    def _post_updated(self, post: PostImages, updated: str) -> None:
        """Our own repair changed the post: its other dead images expect the new version."""
        newer = replace(post, updated=updated)
        for row in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(row)
            if parent.data(0, _ROLE) != post:
                continue
            parent.setData(0, _ROLE, newer)
            for n in range(parent.childCount()):
                child = parent.child(n)
                image = child.data(0, _ROLE)
                child.setData(0, _ROLE, replace(image, post=newer))

    def _on_repair_failed(self, image: DeadImage, message: str) -> None:
        self.check_button.setEnabled(True)
        self._say(message, error=True)
        self._update_buttons()

    def open_post(self) -> None:
        """Open the selected post on the blog in the browser."""
        item = self.tree.currentItem()
        data = item.data(0, _ROLE) if item is not None else None
        post = data.post if isinstance(data, DeadImage) else data
        if post is not None and post.url:
            QDesktopServices.openUrl(QUrl(post.url))
