"""Publishing in the window: one click, with progress, clear outcomes and conflict handling.

The text at the click is kept as a "before publishing" snapshot and sent to the
PublishService on the publish thread. While it runs, the writer keeps typing and autosave keeps
saving as at any other time: the service never writes the open draft. When the post is on the
blog, its record is merged into the editor's text (whatever was typed meanwhile stays) and saved
by the window's own file thread; only then is the insert's journal entry dropped, so a crash in
between can never lead to a second post.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QProgressBar, QToolButton, QWidget

from editor.core.blog_labels import BlogLabels
from editor.core.post import parse_post, serialize_post
from editor.publish.base import PublishMode
from editor.publish.errors import ConflictError, PublishError, ServerError
from editor.ui.blog_sync import BlogSyncController
from editor.ui.publish_dialogs import (
    ChecklistDialog,
    ConflictDialog,
    ConnectDialog,
    ScheduleDialog,
)
from editor.ui.publish_queue import QueueController
from editor.ui.publish_worker import PublishJob, PublishOutcome, PublishWorker
from editor.ui.schedule_moves import ScheduleMoves
from editor.ui.workers import start_worker, stop_thread

if TYPE_CHECKING:
    from editor.ui.window_facets import PublishingHost


class PublishController(QObject):
    """Actions, menu, toolbar and flow of publishing for one main window."""

    request_publish = Signal(object)
    request_accounts = Signal()
    request_sign_in = Signal(str, str, bool)
    request_form_sign_in = Signal(str, object)  # platform name, typed values
    request_default = Signal(str)
    request_take_theirs = Signal(object, object, str)
    request_record_kept = Signal(str, object)  # blog key, draft path
    request_apply_record = Signal(object, str, object)  # path, blog key, record (closed draft)

    def __init__(self, window: PublishingHost, parent: QWidget) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.accounts: object | None = None
        self.image_host = False  # local images are uploaded to it before publishing
        self.busy_path: Path | None = None
        self.connect_dialog: ConnectDialog | None = None
        self.hosts_dialog: QDialog | None = None
        self.images_dialog: QDialog | None = None
        self.links_dialog: QDialog | None = None
        self.last_url = ""
        self.announce_outcome: PublishOutcome | None = None  # live, with an account to tell
        self.announce_dialog: QDialog | None = None
        # (path, blog key, generation): the merged record is on disk once that edit is saved
        self._record_saving: tuple[Path, str, int] | None = None
        self.worker = PublishWorker()
        self.thread = start_worker(self.worker, "broadsheet-publish")
        self.request_publish.connect(self.worker.publish)
        self.request_accounts.connect(self.worker.load_accounts)
        self.request_sign_in.connect(self.worker.sign_in_blogger)
        self.request_form_sign_in.connect(self.worker.sign_in_with_form)
        self.request_default.connect(self.worker.set_default_blog)
        self.request_take_theirs.connect(self.worker.take_theirs)
        self.request_record_kept.connect(self.worker.record_kept)
        self.request_apply_record.connect(window.files.apply_record)
        window.files.record_applied.connect(
            lambda path, blog_key: self.request_record_kept.emit(blog_key, path)
        )
        self.worker.progress.connect(self.on_progress)
        self.worker.published.connect(self._on_published)
        self.worker.failed.connect(self._on_failed)
        self.worker.post_gone.connect(self._on_post_gone)
        self.worker.conflict.connect(self._on_conflict)
        self.worker.queued.connect(self._on_queued)
        self.worker.accounts_loaded.connect(self._on_accounts)
        self.worker.image_host_known.connect(lambda known: setattr(self, "image_host", known))
        self.worker.took_theirs.connect(self._on_took_theirs)
        window.files.saved.connect(self._on_draft_saved)
        self._build()
        self.request_accounts.emit()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        window, parent = self.window, self.parent_widget
        self.publish_action = QAction("&Publish", parent)
        self.publish_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.publish_action.setToolTip("Publish this draft to your blog (Ctrl+Shift+P)")
        self.publish_action.triggered.connect(lambda: self.publish(PublishMode.PUBLISH))
        self.draft_action = QAction("Save as &Draft on the Blog", parent)
        self.draft_action.triggered.connect(lambda: self.publish(PublishMode.DRAFT))
        self.schedule_action = QAction("&Schedule…", parent)
        self.schedule_action.triggered.connect(self.schedule)
        self.open_action = QAction("&Open in Browser", parent)
        self.open_action.triggered.connect(self.open_in_browser)
        self.connect_action = QAction("&Connect a Blog…", parent)
        self.connect_action.triggered.connect(self.show_connect_dialog)
        self.hosts_action = QAction("&Image Hosts…", parent)
        self.hosts_action.setToolTip("Where the images of Blogger posts are uploaded")
        self.hosts_action.triggered.connect(self.show_hosts_dialog)
        self.sync = BlogSyncController(window, parent)  # import and sync: editor/ui/blog_sync.py
        self.images_action = QAction("Chec&k Images of Published Posts…", parent)
        self.images_action.setToolTip("Find images in your posts that no longer load, repair them")
        self.images_action.triggered.connect(self.show_images_dialog)
        self.links_action = QAction("Check &Links of Published Posts…", parent)
        self.links_action.setToolTip("Find links in your posts that are dead or parked")
        self.links_action.triggered.connect(self.show_links_dialog)
        # posts waiting for the blog: editor/ui/publish_queue.py
        self.queue = QueueController(self, self.worker, parent.statusBar(), window.banner, parent)
        self.announce_action = QAction("&Announce This Post…", parent)
        self.announce_action.setToolTip("Tell your Mastodon and Bluesky followers about it")
        self.announce_action.triggered.connect(self.announce)
        self.blogs_menu = QMenu("Publish &To", parent)
        self.blog_group = QActionGroup(self.blogs_menu)
        menu = window.menus["publish"]  # in the menu bar since the first paint
        for action in (self.publish_action, self.draft_action, self.schedule_action):
            menu.addAction(action)
        self.schedule_moves = ScheduleMoves(self, menu)  # Move Schedule…, Cancel Schedule
        menu.addAction(self.queue.action)
        menu.addAction(self.announce_action)
        menu.addSeparator()
        menu.addMenu(self.blogs_menu)
        menu.addAction(self.connect_action)
        menu.addAction(self.hosts_action)
        menu.addAction(self.images_action)
        menu.addAction(self.links_action)
        menu.addSeparator()
        self.sync.add_to(menu)
        menu.addSeparator()
        menu.addAction(self.open_action)
        menu.aboutToShow.connect(self._update_actions)
        self.menu = menu
        self.sync.start_quiet_sync()
        for action in (self.publish_action, self.draft_action, self.schedule_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # There since the first paint, its buttons greyed out (editor/ui/first_paint.py).
        toolbar = window.publish_toolbar
        toolbar.clear()
        button = QToolButton()
        button.setDefaultAction(self.publish_action)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        options = QMenu(button)
        options.addAction(self.draft_action)
        options.addAction(self.schedule_action)
        options.addMenu(self.blogs_menu)
        options.addAction(self.connect_action)
        button.setMenu(options)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addWidget(button)
        toolbar.addAction(self.open_action)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        self.progress_label = QLabel("")
        window.statusBar().addWidget(self.progress_label)
        window.statusBar().addWidget(self.progress)
        self.toolbar = toolbar
        self.open_action.setEnabled(False)

    def shutdown(self) -> None:
        """Close the dialogs (their workers retire), join the publish thread (a request in
        flight ends at its timeout)."""
        for dialog in (
            self.hosts_dialog,
            self.images_dialog,
            self.sync.import_dialog,
            self.sync.conflict_dialog,
        ):
            if isinstance(dialog, QDialog):
                dialog.reject()
        self.sync.close()
        self.queue.shutdown()
        self.worker.stop_waiting()  # a wait for a late post ends now, not minutes later
        stop_thread(self.thread)

    # ------------------------------------------------------------------ accounts
    def _on_accounts(self, accounts: object) -> None:
        self.accounts = accounts
        self.blogs_menu.clear()
        blogs = dict(getattr(accounts, "blogs", {}))
        default = getattr(accounts, "default_blog", None)
        for key, blog in blogs.items():
            action = QAction(f"{blog.name}  ({blog.url})", self.blogs_menu)
            action.setCheckable(True)
            action.setChecked(key == default)
            action.setData(key)
            action.triggered.connect(lambda _c=False, k=key: self.request_default.emit(k))
            self.blog_group.addAction(action)
            self.blogs_menu.addAction(action)
        if not blogs:
            self.blogs_menu.addAction("No blog connected yet").setEnabled(False)
        self._update_actions()

    def show_connect_dialog(self) -> None:
        """The "Connect a blog" walk-through."""
        service_client = getattr(self.accounts, "google_client_id", "") or ""
        dialog = ConnectDialog(self.parent_widget, service_client)
        dialog.sign_in_requested.connect(self.request_sign_in)
        dialog.form_requested.connect(self.request_form_sign_in)
        dialog.default_chosen.connect(self.request_default)
        self.worker.sign_in_url.connect(dialog.show_url)
        self.worker.signed_in.connect(dialog.signed_in)
        self.worker.sign_in_failed.connect(dialog.sign_in_failed)
        self.worker.progress.connect(dialog.show_status)
        self.connect_dialog = dialog
        dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: ConnectDialog) -> None:
        for signal, slot in (
            (self.worker.sign_in_url, dialog.show_url),
            (self.worker.signed_in, dialog.signed_in),
            (self.worker.sign_in_failed, dialog.sign_in_failed),
            (self.worker.progress, dialog.show_status),
        ):
            signal.disconnect(slot)
        self.connect_dialog = None

    def show_hosts_dialog(self) -> None:
        """Publish ▸ Image Hosts…: set up where images go, test, choose one per blog."""
        from editor.ui.image_hosts_dialog import ImageHostsDialog

        dialog = ImageHostsDialog(self.parent_widget)
        dialog.changed.connect(lambda config: setattr(self, "image_host", bool(config.hosts)))
        self._open_dialog("hosts_dialog", dialog)

    def show_images_dialog(self) -> None:
        """Publish ▸ Check Images of Published Posts…: the dead-image check and repair."""
        from editor.ui.dead_images_dialog import DeadImagesDialog

        self._open_dialog("images_dialog", DeadImagesDialog(self.parent_widget))

    def show_links_dialog(self) -> None:
        """Publish ▸ Check Links of Published Posts…: dead and parked links, archived copies."""
        from editor.ui.dead_links_dialog import DeadLinksDialog

        self._open_dialog("links_dialog", DeadLinksDialog(self.parent_widget))

    def _open_dialog(self, name: str, dialog: QDialog) -> None:
        """Show a window-modal dialog kept as self.<name> until it closes (then deleted)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, name, dialog)
        dialog.finished.connect(lambda _r: setattr(self, name, None))
        dialog.open()

    # --------------------------------------------------------------- publishing
    def target_blog(self, text: str) -> str | None:
        """Where this draft goes: the blog its `blog:` line names, else the blog it was
        published to, else the default blog."""
        blogs = dict(getattr(self.accounts, "blogs", {}))
        default = getattr(self.accounts, "default_blog", None)
        post = parse_post(text)
        chosen = post.meta.get("blog")
        if isinstance(chosen, str) and chosen.strip() in blogs:
            return chosen.strip()
        known = [k for k in post.known_records() if k in blogs]
        if default in known:
            return default
        return known[0] if known else default

    def publish(
        self,
        mode: PublishMode,
        at: dt.datetime | None = None,
        overwrite: bool = False,
        as_new: bool = False,
    ) -> None:
        """One click: check, save, snapshot, then publish on the publish thread."""
        window = self.window
        doc = window.doc
        if doc is None or self.busy_path is not None:
            return
        text = window.editor.toPlainText()
        post = parse_post(text, doc.path.name)
        problem = self.blocking_problem(post, doc)
        if problem:
            window.banner.show_message(problem, "error", topic="publish")
            return
        blog = self.target_blog(text)
        if blog is None:
            self.show_connect_dialog()
            return
        if not (overwrite or as_new) and not self._checklist_passed(post, doc.path, blog):
            return
        self.busy_path = doc.path
        window.request_snapshot.emit(doc.path, text, "publish")
        window.save()  # as at any moment; the publish does not wait for it
        self.show_busy("Publishing…")
        job = PublishJob(doc.path, blog, mode, at, overwrite, text=text, as_new=as_new)
        self.request_publish.emit(job)

    def blocking_problem(self, post, doc) -> str | None:  # type: ignore[no-untyped-def]
        if doc.read_only:
            return "This draft is open in another window; publish it from there."
        if doc.conflict is not None:
            return "Another program changed this draft: choose which version to keep first."
        if post.front_matter_error:
            return f"Fix the front matter before publishing ({post.front_matter_error})."
        return None

    def _checklist_passed(self, post, path: Path, blog: str) -> bool:  # type: ignore[no-untyped-def]
        """Show the pre-publish checklist when it finds anything; True to go ahead."""
        from editor.core.checklist import check_post, has_errors  # Markdown: at the click
        from editor.publish.providers import capabilities_of

        blogs = getattr(self.accounts, "blogs", {})
        media_library = blog in blogs and capabilities_of(blogs[blog]).media_library
        can_host = media_library or self.image_host
        # one small file, read at the click (like the image checks): an import or sync that
        # just finished is seen
        known = BlogLabels(self.window.paths).load(blog)
        from editor.core.snippets import SnippetFolder

        snippets = SnippetFolder(self.window.paths.snippets_dir)
        items = check_post(
            post, path, can_host_local_images=can_host, known_labels=known, snippets=snippets
        )
        if not items:
            return True  # nothing to say: one click publishes
        blogs = dict(getattr(self.accounts, "blogs", {}))
        name = blogs[blog].name if blog in blogs else blog
        dialog = ChecklistDialog(self.parent_widget, items, name)
        self.checklist_dialog = dialog
        return bool(dialog.exec()) and not has_errors(items)

    def _on_draft_saved(self, path: Path, _digest: str, generation: int) -> None:
        if self._record_saving is None:
            return
        waiting_path, blog_key, needed = self._record_saving
        if path == waiting_path and generation >= needed:
            self._record_saving = None
            self.request_record_kept.emit(blog_key, path)

    def show_busy(self, text: str) -> None:
        for action in (self.publish_action, self.draft_action, self.schedule_action):
            action.setEnabled(False)
        self.progress.show()
        self.progress_label.setText(text)

    def finish_busy(self) -> None:
        self.busy_path = None
        self.progress.hide()
        self.progress_label.setText("")
        self._update_actions()

    def on_progress(self, text: str) -> None:
        if self.busy_path is not None:
            self.progress_label.setText(text)

    def _on_published(self, outcome: PublishOutcome) -> None:
        window = self.window
        self.finish_busy()
        result = outcome.result
        self.last_url = getattr(result, "url", "") or ""
        self._merge_record(outcome)
        verb = {
            "LIVE": "Published",
            "DRAFT": "Saved as a draft on the blog",
            "SCHEDULED": "Scheduled",
        }
        status = str(getattr(result, "status", "")).upper()
        said = verb.get(status, "Published")
        warnings = " ".join(getattr(result, "warnings", []) or [])
        message = f"{said}: {self.last_url or 'the post is on the blog'}."
        if warnings:
            message += f" {warnings}"
        actions = [("Open in Browser", self.open_in_browser)] if self.last_url else []
        self.announce_outcome = outcome if outcome.can_announce else None
        if self.announce_outcome is not None:  # only with an account: no nagging
            actions.append(("Announce…", self.announce))
        window.banner.show_message(message, "warning" if warnings else "info", "publish", actions)
        self._update_actions()
        self.queue.network_seems_back()

    def keep_record(self, outcome: PublishOutcome) -> None:
        """A post sent from the queue: its record goes into the draft, as for a click."""
        self._merge_record(outcome)

    def open_draft(self, path: Path) -> None:
        self.window.open_path(path)

    def _on_queued(self, job: PublishJob, queued, why: PublishError | None) -> None:  # type: ignore[no-untyped-def]
        """The blog could not be reached: the post waits in the queue, said in one sentence."""
        self.finish_busy()
        if why is None:  # held until its time (a schedule the blog cannot keep)
            message = f"Waiting to publish: {queued.note}"
        elif isinstance(why, ServerError):
            message = (
                f"The blog's server is failing ({why.message.rstrip('.')}): the post will be"
                " published when it works again."
            )
        else:
            message = "You're offline: the post will be published when the connection is back."
        self.window.banner.show_message(
            message,
            "info",
            "publish",
            [("Waiting to Publish…", self.queue.show_dialog)],
        )
        self.queue.refresh()

    def answer_conflict(
        self,
        path: Path,
        blog: str,
        mode: PublishMode,
        at: dt.datetime | None,
        conflict: ConflictError,
    ) -> None:
        """A post from the queue met a conflict: the same dialog and answers as a click."""
        dialog = ConflictDialog(self.parent_widget, conflict)
        self.conflict_dialog = dialog
        dialog.exec()
        doc = self.window.doc
        if dialog.choice == "overwrite" and doc is not None and doc.path == path:
            self.publish(mode, at, overwrite=True)  # the editor's text, as for a click
        elif dialog.choice == "overwrite" and self.busy_path is None:
            self.busy_path = path
            self.show_busy("Publishing…")
            self.request_publish.emit(PublishJob(path, blog, mode, at, overwrite=True))
        elif dialog.choice == "theirs":
            self.request_take_theirs.emit(path, conflict, blog)
        else:
            self.window.banner.show_message(
                f"Not published: {path.name} was taken out of the queue; nothing on the blog"
                " was overwritten.",
                "warning",
                "publish",
            )

    def announce(self) -> None:
        """Announce This Post…: the announcement dialog, filled in from the live post."""
        from editor.ui.announce_dialog import AnnounceDialog

        outcome = self.announce_outcome
        if outcome is None:
            return
        post = parse_post(outcome.job.text or "", outcome.job.path.name)
        url = outcome.result.url or ""
        dialog = AnnounceDialog(post.title, post.body, url, self.parent_widget)
        dialog.setAccessibleName("Announce post")
        self._open_dialog("announce_dialog", dialog)

    def _merge_record(self, outcome: PublishOutcome) -> None:
        """Keep the post's record in the draft: in the editor's text if it is open (with
        whatever was typed meanwhile), else in the file, on the file thread."""
        window = self.window
        doc = window.doc
        result, path = outcome.result, outcome.job.path
        if doc is None or doc.path != path:
            self.request_apply_record.emit(path, result.blog_key, dict(result.record))
            return
        post = parse_post(window.editor.toPlainText())
        if post.front_matter_error:
            # Being edited right now: the record waits in the journal; publishing again finds
            # the post through it and updates it, never making a second one.
            return
        post.record_publish(result.blog_key, dict(result.record))
        generation = window.replace_text_after_publish(serialize_post(post))
        if window.dirty:
            self._record_saving = (path, result.blog_key, generation)
        else:
            self.request_record_kept.emit(result.blog_key, path)  # the file holds it already

    def _on_failed(self, job: PublishJob | None, message: str, post_gone: bool = False) -> None:
        if job is not None:
            self.finish_busy()
            actions = [("Try Again", lambda: self.publish(job.mode, job.at, job.overwrite))]
            if post_gone:  # trying again cannot help: offer what can
                actions = [
                    ("Publish as a New Post", lambda: self.publish(job.mode, job.at, as_new=True))
                ]
            self.window.banner.show_message(
                f"Not published: {message}", "error", "publish", actions
            )
        else:
            self.window.banner.show_message(message, "error", "publish")

    def _on_post_gone(self, job: PublishJob, message: str) -> None:
        """The post this draft was published as was deleted on the blog."""
        self._on_failed(job, message, post_gone=True)

    def _on_conflict(self, job: PublishJob, conflict: ConflictError) -> None:
        self.finish_busy()
        dialog = ConflictDialog(self.parent_widget, conflict)
        self.conflict_dialog = dialog
        dialog.exec()
        if dialog.choice == "overwrite":
            self.publish(job.mode, job.at, overwrite=True)
        elif dialog.choice == "theirs" and job.blog:
            self.request_take_theirs.emit(job.path, conflict, job.blog)
        else:
            self.window.banner.show_message(
                "Not published: the post on the blog was changed elsewhere; nothing was"
                " overwritten.",
                "warning",
                "publish",
            )

    def _on_took_theirs(self, path: Path) -> None:
        self.window.refresh_drafts()
        self.window.banner.show_message(
            f"The blog's version was saved as the draft “{path.name}”. Nothing was published.",
            "info",
            "publish",
            [("Open It", lambda: self.window.open_path(path))],
        )

    def schedule(self) -> None:
        """Ask when, then publish at that time."""
        dialog = ScheduleDialog(self.parent_widget)
        if dialog.exec():
            self.publish(PublishMode.SCHEDULE, at=dialog.moment())

    def open_in_browser(self) -> None:
        """Open the published post."""
        url = self.last_url or self._recorded_url()
        if url:
            QDesktopServices.openUrl(QUrl(url))

    def _recorded_url(self) -> str:
        doc = self.window.doc
        if doc is None:
            return ""
        text = self.window.editor.toPlainText()
        blog = self.target_blog(text)
        record = parse_post(text).publish_record(blog) if blog else None
        return str(record.get("url", "")) if record else ""

    def document_changed(self) -> None:
        """Another draft (or none) is open now."""
        self.last_url = ""
        self.announce_outcome = None
        self._update_actions()

    def _update_actions(self) -> None:
        has_doc = self.window.doc is not None
        idle = self.busy_path is None
        for action in (self.publish_action, self.draft_action, self.schedule_action):
            action.setEnabled(has_doc and idle)
        self.open_action.setEnabled(bool(self.last_url or self._recorded_url()))
        self.announce_action.setEnabled(self.announce_outcome is not None)
