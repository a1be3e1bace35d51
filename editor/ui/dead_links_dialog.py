"""Publish ▸ Check Links of Published Posts…: dead and parked links, per post, and an archived
copy put into the writer's draft once he confirms.

The worker runs the check (editor/publish/links.py) and the archive lookup; Cancel sets an
event the check looks at between two links (what was checked is kept for the next run). The
dialog only shows and asks: the question "replace with the archived copy?" is asked here,
never from the worker, and the blog itself is never changed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.publish.errors import PublishError
from editor.ui.publish_worker import ServiceWorker
from editor.ui.theme import note_colour
from editor.ui.workers import start_dialog_worker

if TYPE_CHECKING:
    from editor.publish.accounts import Blog
    from editor.publish.link_check import LinkVerdict
    from editor.publish.links import LinkReport, PostLinks

_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class DeadLink:
    """One dead or parked link in one post."""

    post: PostLinks
    verdict: LinkVerdict


class LinksWorker(ServiceWorker):
    """Checks links and asks the archive off the GUI thread; never touches a widget."""

    blogs_loaded = Signal(object)  # [Blog]
    progress = Signal(str)
    checked = Signal(object)  # LinkReport
    failed = Signal(str)
    archive_found = Signal(object, str, object)  # DeadLink, archived address, [Path] drafts
    replaced = Signal(object, str, int)  # DeadLink, archived address, drafts changed

    def __init__(self) -> None:
        super().__init__()
        self.cancel = threading.Event()  # set from the GUI thread: stop between two links

    @Slot()
    def load_blogs(self) -> None:
        """Every connected blog."""
        try:
            blogs = list(self.service.accounts().blogs.values())
        except PublishError as exc:
            self.failed.emit(exc.message)
            return
        self.blogs_loaded.emit(blogs)

    @Slot(str)
    def check(self, blog_key: str) -> None:
        """Check the links of the blog's published posts."""
        from editor.publish.links import check_blog

        self.cancel.clear()
        try:
            report = check_blog(
                self.service,
                blog_key,
                progress=self.progress.emit,
                on_result=lambda done, total, _v: self.progress.emit(
                    f"Checked {done} of {total} links…"
                ),
                cancel=self.cancel,
            )
        except PublishError as exc:
            self.failed.emit(exc.message)
            return
        except OSError as exc:  # the results could not be kept
            self.failed.emit(str(exc))
            return
        self.checked.emit(report)

    @Slot(str, object)
    def find_archive(self, blog_key: str, link: DeadLink) -> None:
        """The archived copy of the link, and the drafts that would change."""
        from editor.publish.link_archive import archive_timestamp, archived_copy, drafts_linking
        from editor.publish.links import LinkStore, results_path

        url = link.verdict.url
        self.progress.emit(f"Asking the Internet Archive for a copy of {url}…")
        try:
            posts = LinkStore(results_path(self.service.paths)).posts.get(blog_key) or {}
            drafts = [
                path
                for post_id, path in drafts_linking(
                    self.service.paths.drafts_dir, blog_key, posts, url
                )
                if post_id == link.post.post_id
            ]
            if not drafts:
                self.failed.emit(
                    f"No draft of “{link.post.title}” is on this computer; import the blog"
                    " (Publish ▸ Import) to change the link in a draft."
                )
                return
            copy = archived_copy(
                self.service.session, url, near=archive_timestamp(link.post.published)
            )
        except PublishError as exc:
            self.failed.emit(exc.message)
            return
        if copy is None:
            self.failed.emit(f"The Internet Archive has no copy of {url}.")
            return
        self.archive_found.emit(link, copy.url, drafts)

    @Slot(object, str, object)
    def replace(self, link: DeadLink, archived: str, drafts: list[Path]) -> None:
        """Put the archived address in place of the dead link in the drafts."""
        from editor.publish.link_archive import replace_in_draft

        changed = 0
        try:
            for draft in drafts:
                changed += 1 if replace_in_draft(draft, link.verdict.url, archived) else 0
        except PublishError as exc:
            self.failed.emit(exc.message)
            return
        self.replaced.emit(link, archived, changed)


class DeadLinksDialog(QDialog):
    """Lists, per post, the links that are dead or lead to a parking page."""

    request_blogs = Signal()
    request_check = Signal(str)
    request_archive = Signal(str, object)
    request_replace = Signal(object, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check Links of Published Posts")
        self.setMinimumSize(900, 540)
        self.report: LinkReport | None = None
        self.busy = False
        self.blog_box = QComboBox()
        self.blog_box.setAccessibleName("Blog")
        self.check_button = QPushButton("&Check Links")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.check)
        self.cancel_button = QPushButton("&Stop")
        self.cancel_button.setToolTip("Stop checking; what was checked is kept for next time")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.stop)
        top = QHBoxLayout()
        label = QLabel("&Blog:")
        label.setBuddy(self.blog_box)
        top.addWidget(label)
        top.addWidget(self.blog_box, 1)
        top.addWidget(self.check_button)
        top.addWidget(self.cancel_button)
        explain = QLabel(
            "Tries every link of your published posts to other sites, one request at a time per"
            " site, and lists the links that are dead or now lead to a domain-parking page."
            " Links checked in the last 7 days are not tried again."
        )
        explain.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Dead and parked links, per post")
        self.tree.setHeaderLabels(["Post / link", "Verdict", "Why"])
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 90)
        header.resizeSection(2, 300)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.archive_button = QPushButton("Use an &Archived Copy…")
        self.archive_button.setToolTip(
            "Find the Internet Archive's copy of this page and put its address in your draft"
        )
        self.archive_button.clicked.connect(self.use_archive)
        self.open_button = QPushButton("&Open Post")
        self.open_button.clicked.connect(self.open_post)
        actions = QHBoxLayout()
        actions.addWidget(self.archive_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        self.status = QLabel("Loading your blogs…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)

        self.worker = LinksWorker()
        self.worker_thread = start_dialog_worker(self, self.worker, "broadsheet-dead-links")
        self.finished.connect(lambda _r: self.worker.cancel.set())  # a check stops with us
        self.request_blogs.connect(self.worker.load_blogs)
        self.request_check.connect(self.worker.check)
        self.request_archive.connect(self.worker.find_archive)
        self.request_replace.connect(self.worker.replace)
        self.worker.blogs_loaded.connect(self._on_blogs)
        self.worker.progress.connect(self._say)
        self.worker.checked.connect(self._on_checked)
        self.worker.failed.connect(self._on_failed)
        self.worker.archive_found.connect(self._on_archive_found)
        self.worker.replaced.connect(self._on_replaced)
        self._update_buttons()
        self.request_blogs.emit()

    def _say(self, message: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {note_colour('error', self)}" if error else "")
        self.status.setText(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.check_button.setEnabled(not busy and self.blog_box.count() > 0)
        self._update_buttons()

    def _on_blogs(self, blogs: list[Blog]) -> None:
        self.blog_box.clear()
        for blog in blogs:
            self.blog_box.addItem(f"{blog.name} ({blog.url})" if blog.url else blog.name, blog.key)
        self.check_button.setEnabled(bool(blogs))
        if blogs:
            self._say("Choose a blog and press Check Links.")
        else:
            self._say("No blog is connected yet: use Publish ▸ Connect a Blog… first.")

    def check(self) -> None:
        """Check the chosen blog's links (on the worker)."""
        key = self.blog_box.currentData()
        if not key:
            return
        self.tree.clear()
        self.report = None
        self._set_busy(True)
        self.cancel_button.setEnabled(True)
        self._say("Reading the published posts…")
        self.request_check.emit(key)

    def stop(self) -> None:
        """Stop the check between two links (from the GUI thread: only an event is set)."""
        self.worker.cancel.set()
        self.cancel_button.setEnabled(False)
        self._say("Stopping after the links being checked now…")

    def _on_checked(self, report: LinkReport) -> None:
        self.report = report
        self.cancel_button.setEnabled(False)
        for post in report.broken:
            parent = QTreeWidgetItem([post.title or post.post_id, "", ""])
            parent.setData(0, _ROLE, post)
            parent.setToolTip(0, post.url)
            self.tree.addTopLevelItem(parent)
            for verdict in post.problems:
                child = QTreeWidgetItem([verdict.url, verdict.verdict, verdict.reason])
                child.setData(0, _ROLE, DeadLink(post, verdict))
                child.setToolTip(0, verdict.url)
                child.setToolTip(2, verdict.reason)
                parent.addChild(child)
            count = parent.childCount()
            parent.setText(1, f"{count} link" + ("" if count == 1 else "s"))
            parent.setExpanded(True)
        self._set_busy(False)
        self._say(report.summary(), error=bool(report.broken))
        first = self.tree.topLevelItem(0)
        row = first.child(0) if first is not None else None
        if row is not None:
            self.tree.setCurrentItem(row)

    def _on_failed(self, message: str) -> None:
        self.cancel_button.setEnabled(False)
        self._set_busy(False)
        self._say(message, error=True)

    def selected_link(self) -> DeadLink | None:
        """The dead link of the current row (None for a post row)."""
        item = self.tree.currentItem()
        data = item.data(0, _ROLE) if item is not None else None
        replaced = item is not None and item.data(1, _ROLE)
        return data if isinstance(data, DeadLink) and not replaced else None

    def _update_buttons(self) -> None:
        self.archive_button.setEnabled(self.selected_link() is not None and not self.busy)
        self.open_button.setEnabled(self.tree.currentItem() is not None)

    def use_archive(self) -> None:
        """Ask the archive for a copy of the selected link (on the worker)."""
        link = self.selected_link()
        if link is None or self.report is None:
            return
        self._set_busy(True)
        self.request_archive.emit(self.report.blog.key, link)

    def _on_archive_found(self, link: DeadLink, archived: str, drafts: list[Path]) -> None:
        names = "\n".join(f"  {d.name}" for d in drafts)
        answer = QMessageBox.question(
            self,
            "Use the archived copy?",
            f"The Internet Archive keeps a copy of\n{link.verdict.url}\nat\n{archived}\n\n"
            f"Replace the link with it in your draft?\n{names}\n\nThe post on the blog changes"
            " when you publish the draft.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self._set_busy(False)
            self._say("Nothing was changed.")
            return
        self.request_replace.emit(link, archived, drafts)

    def _on_replaced(self, link: DeadLink, archived: str, changed: int) -> None:
        self._set_busy(False)
        if not changed:
            self._say("The draft no longer has that link; nothing was changed.")
            return
        item = self.tree.currentItem()
        if item is not None and item.data(0, _ROLE) == link:
            item.setData(1, _ROLE, archived)
            item.setText(1, "replaced")
            item.setText(2, archived)
        self._update_buttons()
        self._say(f"The draft now links to {archived}; publish it to update the post.")

    def open_post(self) -> None:
        """Open the selected post on the blog in the browser."""
        item = self.tree.currentItem()
        data = item.data(0, _ROLE) if item is not None else None
        url = data.post.url if isinstance(data, DeadLink) else getattr(data, "url", None)
        if isinstance(url, str) and url:
            QDesktopServices.openUrl(QUrl(url))
