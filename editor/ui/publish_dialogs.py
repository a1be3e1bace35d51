"""Dialogs of publishing: connect a blog, schedule a post, resolve a conflict."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.publish.errors import ConflictError
from editor.ui.checklist_view import ChecklistView
from editor.ui.compare_dialog import diff_html
from editor.ui.sign_in_form import SignInPage
from editor.ui.theme import note_colour

BLOGGER_STEPS = """
<p><b>Connect your Blogger blog.</b> Google asks every desktop program to use an OAuth client
of your own; creating one takes about five minutes and is free.</p>
<ol>
<li>Open <a href="https://console.cloud.google.com/">console.cloud.google.com</a> and create a
project (any name, e.g. “Broadsheet”).</li>
<li><i>APIs &amp; Services ▸ Library</i>: enable the <b>Blogger API v3</b>.</li>
<li><i>OAuth consent screen</i>: choose <b>External</b>, fill in the app name and your e-mail,
and add yourself as a <b>test user</b>.</li>
<li><i>Credentials ▸ Create credentials ▸ OAuth client ID</i>: application type
<b>Desktop app</b>. Copy the <b>client ID</b> and <b>client secret</b> below.</li>
<li>Press <b>Sign in with Google</b>: your browser opens; allow Broadsheet to manage your
blog. The secret and the sign-in are kept in your system keyring, never in a file.</li>
</ol>
<p style="color:{muted}">While the Google project is in “Testing”, Google ends the sign-in after
7 days; Broadsheet then asks you to sign in again. Publishing the consent screen avoids it.</p>
"""


class ConnectDialog(QDialog):
    """Walks the writer through connecting a Blogger blog, or a blog of any platform that
    signs in with a form (WordPress and the others in the registry)."""

    sign_in_requested = Signal(str, str, bool)  # client id, client secret, open browser
    form_requested = Signal(str, object)  # platform name, {field name: value}
    default_chosen = Signal(str)  # blog key

    def __init__(self, parent: QWidget | None, client_id: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect a Blog")
        self.setMinimumWidth(640)
        steps = QLabel(BLOGGER_STEPS.format(muted=note_colour("muted", self)))
        steps.setWordWrap(True)
        steps.setOpenExternalLinks(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        self.client_id = QLineEdit(client_id)
        self.client_id.setPlaceholderText("1234567890-abc….apps.googleusercontent.com")
        self.client_secret = QLineEdit()
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setPlaceholderText("kept in the keyring" if client_id else "GOCSPX-…")
        self.sign_in_button = QPushButton("Sign in with Google")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._sign_in)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setReadOnly(True)
        self.url.hide()
        self.copy_url = QPushButton("Copy Link")
        self.copy_url.hide()
        self.copy_url.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url.text()))
        self.blogs = QComboBox()
        self.blogs.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.done_button = self.buttons.addButton(
            "Use This Blog", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self._choose)
        form = QFormLayout()
        form.addRow("Client ID:", self.client_id)
        form.addRow("Client secret:", self.client_secret)
        blogger = QWidget()
        blogger_layout = QVBoxLayout(blogger)
        blogger_layout.addWidget(steps)
        blogger_layout.addLayout(form)
        blogger_layout.addWidget(self.sign_in_button)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Kind of blog")
        self.tabs.addTab(blogger, "Blogger")
        from editor.publish.providers import sign_in_forms  # the clients: only when asked

        self.pages: dict[str, SignInPage] = {}
        for name, (display_name, form) in sign_in_forms().items():
            page = SignInPage(name, display_name, form)
            page.requested.connect(self._request_form)
            page.incomplete.connect(lambda text: self.show_status(text, error=True))
            self.pages[name] = page
            self.tabs.addTab(page, display_name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        layout.addWidget(self.url)
        layout.addWidget(self.copy_url)
        layout.addWidget(self.blogs)
        layout.addWidget(self.buttons)
        self.adjustSize()  # as tall as its steps, no empty band above the buttons

    def _request_form(self, name: str, values: object) -> None:
        self.show_status("Checking the address and the sign-in…")
        self.form_requested.emit(name, values)

    def _sign_in(self) -> None:
        client_id = self.client_id.text().strip()
        secret = self.client_secret.text().strip()
        if not client_id:
            self.show_status("Paste the client ID of your Google OAuth client first.", error=True)
            return
        self.sign_in_button.setEnabled(False)
        self.show_status("Opening your browser… finish signing in there.")
        self.sign_in_requested.emit(client_id, secret, True)

    def show_url(self, url: str) -> None:
        """The Google address, for when the browser did not open by itself."""
        self.url.setText(url)
        self.url.show()
        self.copy_url.show()

    def show_status(self, text: str, error: bool = False) -> None:
        """One line under the button."""
        if error:  # the plain line keeps the theme's own text colour
            colour = note_colour("error", self)
            self.status.setText(f"<span style='color:{colour}'>{html.escape(text)}</span>")
        else:
            self.status.setText(html.escape(text))

    def sign_in_failed(self, message: str) -> None:
        """Let the writer try again."""
        self.sign_in_button.setEnabled(True)
        for page in self.pages.values():
            page.finished(signed_in=False)
        self.show_status(message, error=True)

    def signed_in(self, result: object) -> None:
        """List the account's blogs to choose the default one."""
        self.sign_in_button.setEnabled(True)
        for page in self.pages.values():
            page.finished(signed_in=True)  # secrets are in the keyring now, not in the form
        blogs = list(getattr(result, "blogs", []))
        self.blogs.clear()
        for blog in blogs:
            self.blogs.addItem(f"{blog.name} — {blog.url}", blog.key)
        self.blogs.setVisible(bool(blogs))
        self.done_button.setEnabled(bool(blogs))
        account = getattr(getattr(result, "account", None), "label", "your account")
        if blogs:
            self.show_status(f"Signed in as {account}. Choose the blog to publish to.")
        else:
            self.show_status(f"Signed in as {account}, but this account has no blogs yet.")
        self.url.hide()
        self.copy_url.hide()

    def _choose(self) -> None:
        key = self.blogs.currentData()
        if key:
            self.default_chosen.emit(str(key))
        self.accept()


class ChecklistDialog(QDialog):
    """What to look at before publishing: errors block, warnings can be published anyway."""

    def __init__(self, parent: QWidget | None, items: list, blog_name: str) -> None:  # type: ignore[type-arg]
        super().__init__(parent)
        self.setWindowTitle("Before you publish")
        self.view = ChecklistView()
        self.view.set_items(items)
        blocked = self.view.has_errors()
        intro = QLabel(
            f"Fix these before publishing to {html.escape(blog_name)}:"
            if blocked
            else f"A few things to check before publishing to {html.escape(blog_name)}:"
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = None
        if not blocked:
            self.publish_button = buttons.addButton(
                "Publish Anyway", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.publish_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(560, 320)


class ScheduleDialog(QDialog):
    """Pick the date and time a post goes live."""

    def __init__(
        self, parent: QWidget | None, when: dt.datetime | None = None, zone: str = ""
    ) -> None:
        """`when`: the time the post is scheduled for now (moving a schedule); `zone`: the
        writer's zone as shown ("Europe/Berlin (UTC+01:00)")."""
        super().__init__(parent)
        self.setWindowTitle("Schedule Post" if when is None else "Move Schedule")
        start = QDateTime.currentDateTime().addSecs(3600)
        if when is not None:
            local = when.astimezone()
            start = QDateTime(local.date(), local.time().replace(second=0, microsecond=0))
        self.when = QDateTimeEdit(start)
        self.when.setAccessibleName("Date and time to publish at")
        self.when.setCalendarPopup(True)
        self.when.setMinimumDateTime(QDateTime.currentDateTime())
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Schedule" if when is None else "Move"
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Publish the post on the blog at ({zone or 'your local time'}):"))
        layout.addWidget(self.when)
        layout.addWidget(buttons)

    def moment(self) -> dt.datetime:
        """The chosen time, timezone-aware."""
        return self.when.dateTime().toPython().astimezone()


class ConflictDialog(QDialog):
    """The post changed on the blog since the last publish: show how, let the writer choose."""

    def __init__(self, parent: QWidget | None, conflict: ConflictError) -> None:
        super().__init__(parent)
        self.setWindowTitle("The post was changed on the blog")
        self.resize(900, 640)
        self.choice = "cancel"
        theirs, ours = conflict.theirs, conflict.ours
        fields = ", ".join(conflict.changed_fields()) or "its status"
        if conflict.found_by_address:
            self.setWindowTitle("The post on the blog differs from this draft")
            intro = QLabel(
                "This draft's record of its last publish is missing, so the post was found by"
                f" its address ({html.escape(theirs.url)}). It differs from the draft in:"
                f" <b>{html.escape(fields)}</b>. Keep yours to replace it, or keep the blog's."
            )
        else:
            intro = QLabel(
                f"Someone changed this post on the blog (updated {html.escape(theirs.updated)}) "
                f"since you last published it. Changed there: <b>{html.escape(fields)}</b>."
            )
        intro.setWordWrap(True)
        view = QTextBrowser()
        parts = []
        if theirs.title != ours.title:
            parts.append(
                f"<p><b>Title</b> on the blog: {html.escape(theirs.title)}<br>"
                f"<b>Title</b> here: {html.escape(ours.title)}</p>"
            )
        if set(theirs.labels) != set(ours.labels):
            parts.append(
                f"<p><b>Labels</b> on the blog: {html.escape(', '.join(theirs.labels))}<br>"
                f"<b>Labels</b> here: {html.escape(', '.join(ours.labels))}</p>"
            )
        parts.append(
            diff_html(
                _lines(theirs.content),
                _lines(ours.content),
                "On the blog",
                "Your draft",
                view.palette(),
            )
        )
        view.setHtml("".join(parts))
        self.view = view
        buttons = QDialogButtonBox()
        overwrite = buttons.addButton(
            "Overwrite the Blog", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        theirs_button = buttons.addButton(
            "Keep Theirs as a New Draft", QDialogButtonBox.ButtonRole.ActionRole
        )
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        overwrite.clicked.connect(lambda: self._done("overwrite"))
        theirs_button.clicked.connect(lambda: self._done("theirs"))
        cancel.clicked.connect(lambda: self._done("cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(view)
        layout.addWidget(buttons)

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept() if choice != "cancel" else self.reject()


def _lines(content: str) -> str:
    """Blogger HTML has no newlines (by design): break it at block ends for a readable diff."""
    for tag in ("</p>", "</h1>", "</h2>", "</h3>", "</li>", "</table>", "</blockquote>", "<hr>"):
        content = content.replace(tag, tag + "\n")
    return content
