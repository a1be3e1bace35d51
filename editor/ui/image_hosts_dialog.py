"""Publish ▸ Image Hosts…: where the images of Blogger posts go.

The writer adds hosts (S3, WebDAV, SFTP, a command, a WordPress media library), fills in their
settings and their one secret, tests each with "Test Connection" (a tiny image uploaded, fetched
from its public address and deleted) and picks a host per blog. Secrets go to the keyring, the
rest to image-hosts.json. The keyring and the network block, so a worker on its own thread does
both; the dialog only shows and collects.
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.publish.errors import PublishError
from editor.publish.hosts.config import HostConfig, HostsConfig
from editor.publish.providers import blogs_where
from editor.ui.background import Runner
from editor.ui.theme import note_colour
from editor.ui.workers import start_dialog_thread

if TYPE_CHECKING:
    from editor.publish.accounts import Blog

log = logging.getLogger(__name__)

_WORDS = {"url": "URL", "id": "ID", "sftp": "SFTP", "ssh": "SSH"}


def field_label(name: str) -> str:
    """ "public_base_url" -> "Public base URL"."""
    words = [_WORDS.get(w, w) for w in name.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


# What the dialog's jobs answer (they run on its thread, in order, and never touch a widget):
Hosts = tuple[HostsConfig, set[str], list["Blog"]]  # the hosts, keys with a secret, blogs
Tested = tuple[str, bool, str]  # host key, worked, one sentence


def load_hosts_and_blogs() -> Hosts:
    """Read image-hosts.json, which hosts have a secret, and the Blogger blogs. Raises
    PublishError."""
    from editor.publish.accounts import load_accounts
    from editor.publish.hosts.config import load_hosts
    from editor.publish.hosts.manage import secrets_known

    config = load_hosts()
    blogs = blogs_where(load_accounts().blogs.values(), lambda can: not can.media_library)
    return config, secrets_known(config), blogs


def try_host(config: HostConfig, secret: str) -> Tested:
    """Upload, fetch and delete a tiny image with these settings."""
    from editor.publish.hosts.manage import test_host

    try:
        url, _deleted = test_host(config, secret or None)
    except PublishError as exc:
        return config.key, False, exc.message
    return (
        config.key,
        True,
        f"It works: a test image was uploaded, fetched from {url} and removed.",
    )


def check_and_save(config: HostsConfig, secrets: dict[str, str], removed: list[str]) -> HostsConfig:
    """Check every host's settings, then save them and the secrets. Raises PublishError."""
    from editor.publish.hosts.manage import check_host, save_changes

    for host in config.hosts.values():
        check_host(host, secrets.get(host.key))
    save_changes(config, secrets, removed)
    return config


class HostForm(QWidget):
    """The settings of one host: its name, its fields, its secret, default or not."""

    def __init__(self, host: HostConfig, has_secret: bool, is_default: bool) -> None:
        super().__init__()
        from editor.publish.hosts.registry import SECRET_NAMES, TYPE_NAMES, fields, flags

        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = QFormLayout()
        outer.addLayout(layout)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label = QLineEdit(host.label)
        self.label.setPlaceholderText(host.key)
        layout.addRow("Name:", self.label)
        kind = QLabel(TYPE_NAMES.get(host.type, host.type))
        layout.addRow("Kind:", kind)
        self.inputs: dict[str, QLineEdit | QCheckBox] = {}
        yes_no = flags(host.type)
        for name, help_text in fields(host.type).items():
            if name in yes_no:
                box = QCheckBox(help_text)
                box.setChecked(bool(host.settings.get(name, yes_no[name])))
                box.setObjectName(name)
                layout.addRow(field_label(name) + ":", box)
                self.inputs[name] = box
                continue
            line = QLineEdit(str(host.settings.get(name, "")))
            line.setPlaceholderText(help_text)
            line.setToolTip(help_text)
            line.setObjectName(name)
            layout.addRow(field_label(name) + ":", line)
            self.inputs[name] = line
        self.secret_name = SECRET_NAMES.get(host.type)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setObjectName("secret")
        if self.secret_name:
            self.secret.setPlaceholderText(
                "kept in your keyring; type to replace it"
                if has_secret
                else f"{self.secret_name}: kept in your keyring, never in a file"
            )
            self.secret.setToolTip(self.secret.placeholderText())
            layout.addRow(field_label(self.secret_name.split(",")[0]) + ":", self.secret)
        self.default = QCheckBox("Use this host for blogs that have not chosen one")
        self.default.setChecked(is_default)
        layout.addRow("", self.default)
        self.test_button = QPushButton("Test Connection")
        self.test_button.setToolTip(
            "Upload a tiny image, fetch it from its public address, remove it"
        )
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addWidget(self.result)
        outer.addStretch(1)

    def values(self) -> HostConfig:
        """The host as the form shows it now (settings cleaned, no secret)."""
        from editor.publish.hosts.manage import clean_settings

        raw = {
            name: w.isChecked() if isinstance(w, QCheckBox) else w.text()
            for name, w in self.inputs.items()
        }
        label = self.label.text().strip()
        return HostConfig(self.host.key, self.host.type, label, clean_settings(self.host.type, raw))

    def show_result(self, worked: bool, message: str) -> None:
        """Show what the test found."""
        colour = note_colour("ok" if worked else "error", self)
        self.result.setStyleSheet(f"color: {colour}")
        self.result.setText(("✓ " if worked else "✗ ") + message)


class ImageHostsDialog(QDialog):
    """Image hosts: a list on the left, the chosen host's settings on the right, blogs below."""

    changed = Signal(object)  # HostsConfig, after a save

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from editor.publish.hosts.registry import TYPE_NAMES

        self.setWindowTitle("Image Hosts")
        self.setMinimumSize(860, 660)
        self.config = HostsConfig()
        self.with_secret: set[str] = set()
        self.secrets: dict[str, str] = {}
        self.removed: list[str] = []
        self.blogs: list[Blog] = []
        self.form: HostForm | None = None
        self.blog_boxes: dict[str, QComboBox] = {}

        intro = QLabel(
            "Blogger cannot store images, so Broadsheet uploads the images of a post to a host"
            " of yours when you publish. Your drafts keep their local images."
        )
        intro.setWordWrap(True)
        self.host_list = QListWidget()
        self.host_list.setAccessibleName("Image hosts")
        self.host_list.setMaximumWidth(240)
        self.host_list.currentItemChanged.connect(self._on_current)
        self.add_button = QPushButton("Add Host")
        add_menu = QMenu(self.add_button)
        self.add_actions = {}
        for host_type, name in TYPE_NAMES.items():
            action = add_menu.addAction(name)
            action.triggered.connect(lambda _=False, t=host_type: self.add_host(t))
            self.add_actions[host_type] = action
        self.add_button.setMenu(add_menu)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_host)
        left = QVBoxLayout()
        left.addWidget(self.host_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        self.form_box = QGroupBox("Settings")
        self.form_layout = QVBoxLayout(self.form_box)
        self.empty = QLabel("Add a host with “Add Host”: for example an S3 bucket or R2.")
        self.empty.setWordWrap(True)
        self.form_layout.addWidget(self.empty)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(self.form_box, 1)
        self.blogs_box = QGroupBox("Which host each blog uses")
        self.blogs_layout = QFormLayout(self.blogs_box)
        self.status = QLabel("Loading…")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top, 1)
        layout.addWidget(self.blogs_box)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        # the keyring and the network block: the jobs run on the dialog's own thread, in order
        self.thread = start_dialog_thread(self, "broadsheet-image-hosts")
        self.runner = Runner(self, thread=self.thread)
        self.runner.run(
            load_hosts_and_blogs,
            done=lambda hosts: self._on_loaded(*hosts),
            failed=self._on_publish_failed,
        )

    # ------------------------------------------------------------------ the list
    def _on_loaded(self, config: HostsConfig, with_secret: set[str], blogs: list[Blog]) -> None:
        self.config, self.with_secret, self.blogs = config, set(with_secret), blogs
        self.status.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self._fill_list(next(iter(config.hosts), None))

    def _fill_list(self, current: str | None) -> None:
        self.host_list.blockSignals(True)
        self.host_list.clear()
        for key in self.config.hosts:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.host_list.addItem(item)
            if key == current:
                self.host_list.setCurrentItem(item)
        self._name_items()
        self.host_list.blockSignals(False)
        self._show_form(current)
        self._fill_blogs()
        self.remove_button.setEnabled(bool(self.config.hosts))

    def _fill_blogs(self) -> None:
        """One host choice per blog, as `config.blog_hosts` holds them (see _keep_form)."""
        while self.blogs_layout.rowCount():
            self.blogs_layout.removeRow(0)
        self.blog_boxes = {}
        if not self.blogs:
            self.blogs_layout.addRow(QLabel("No Blogger blog is connected yet."))
            return
        for blog in self.blogs:
            box = QComboBox()
            default = self.config.hosts.get(self.config.default_host or "")
            box.addItem(f"The default host ({default.display_name() if default else 'none'})", None)
            for key, host in self.config.hosts.items():
                box.addItem(host.display_name(), key)
            chosen = self.config.blog_hosts.get(blog.key)
            box.setCurrentIndex(max(0, box.findData(chosen)) if chosen else 0)
            self.blog_boxes[blog.key] = box
            self.blogs_layout.addRow(f"{blog.name}:", box)

    def _on_current(self, item: QListWidgetItem | None, _previous: object) -> None:
        self._keep_form()
        self._name_items()
        self._show_form(item.data(Qt.ItemDataRole.UserRole) if item else None)
        self._fill_blogs()

    def _name_items(self) -> None:
        """Show each host's current name, and which one is the default, in the list."""
        for row in range(self.host_list.count()):
            item = self.host_list.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            host = self.config.hosts.get(key)
            if host is not None:
                default = " (default)" if key == self.config.default_host else ""
                item.setText(host.display_name() + default)

    def _show_form(self, key: str | None) -> None:
        if self.form is not None:
            self.form.setParent(None)
            self.form.deleteLater()
            self.form = None
        host = self.config.hosts.get(key or "")
        self.empty.setVisible(host is None)
        if host is None:
            return
        self.form = HostForm(
            host,
            key in self.with_secret or bool(self.secrets.get(host.key)),
            key == self.config.default_host,
        )
        self.form.secret.setText(self.secrets.get(host.key, ""))
        self.form.test_button.clicked.connect(self.test_current)
        self.form_layout.addWidget(self.form)

    def _keep_form(self) -> None:
        """Take what the writer typed and chose into the config being edited."""
        for blog_key, box in self.blog_boxes.items():
            self.config.use_for_blog(blog_key, box.currentData())
        if self.form is None:
            return
        host = self.form.values()
        self.config.hosts[host.key] = host
        if self.form.secret.text():
            self.secrets[host.key] = self.form.secret.text()
        if self.form.default.isChecked():
            self.config.default_host = host.key
        elif self.config.default_host == host.key and len(self.config.hosts) > 1:
            others = [k for k in self.config.hosts if k != host.key]
            self.config.default_host = others[0]

    # ------------------------------------------------------------------ actions
    def add_host(self, host_type: str) -> None:
        """Add a host of `host_type` and show its (empty) settings."""
        from editor.publish.hosts.manage import new_host_key
        from editor.publish.hosts.registry import TYPE_NAMES

        self._keep_form()
        label = TYPE_NAMES[host_type].split(" (")[0]
        key = new_host_key(self.config, label, host_type)
        self.config.add(HostConfig(key, host_type, label, {}))
        self._fill_list(key)
        if self.form is not None:
            self.form.label.setFocus()
            self.form.label.selectAll()

    def remove_host(self) -> None:
        """Remove the selected host (its secret is forgotten when the dialog saves)."""
        item = self.host_list.currentItem()
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        self._keep_form()  # the blog choices made so far
        self._show_form(None)
        self.config.remove(key)
        self.secrets.pop(key, None)
        self.removed.append(key)
        self._fill_list(next(iter(self.config.hosts), None))

    def test_current(self) -> None:
        """Test the host as its form shows it now (saved or not)."""
        if self.form is None:
            return
        self._keep_form()
        host = self.form.values()
        self.form.test_button.setEnabled(False)
        self.form.result.setStyleSheet("")
        self.form.result.setText("Testing: uploading a tiny image…")
        secret = self.secrets.get(host.key, "")
        self.runner.run(
            lambda: try_host(host, secret), done=lambda tested: self._on_tested(*tested)
        )

    def _on_tested(self, key: str, worked: bool, message: str) -> None:
        if self.form is not None and self.form.host.key == key:
            self.form.test_button.setEnabled(True)
            self.form.show_result(worked, message)

    def save(self) -> None:
        """Check and save everything; the dialog closes when it worked."""
        self._keep_form()
        self.status.setText("Saving…")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        config, secrets, removed = (
            copy.deepcopy(self.config),
            dict(self.secrets),
            list(self.removed),
        )
        self.runner.run(
            lambda: check_and_save(config, secrets, removed),
            done=self._on_saved,
            failed=self._on_publish_failed,
        )

    def _on_saved(self, config: HostsConfig) -> None:
        self.changed.emit(config)
        self.accept()

    def _on_publish_failed(self, exc: Exception) -> None:
        if not isinstance(exc, PublishError):
            log.error("Image hosts: a job failed", exc_info=exc)  # a bug
            return
        self._on_failed(exc.message)

    def _on_failed(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {note_colour('error', self)}")
        self.status.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
