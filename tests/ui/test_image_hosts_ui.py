"""Publish ▸ Image Hosts…: add an S3 host against a real S3 server, test it, choose it for a
blog, save; then publish a draft with local images from the window."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from editor.core.paths import app_paths
from editor.publish.hosts.config import HostConfig, HostsConfig, save_hosts
from editor.publish.service import PublishService
from editor.ui.image_hosts_dialog import ImageHostsDialog
from editor.ui.main_window import MainWindow
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    MemoryKeyring,
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.publish.hosts.conftest import (  # noqa: F401 - the real S3 server
    S3_KEY,
    S3_SECRET,
    CountingSession,
    Stack,
    counting_session,
    host_logs,
    s3_rig,
    s3_stack,
)
from tests.publish.hosts.drafts import make_draft
from tests.ui.conftest import open_and_wait


def open_dialog(qtbot, window: MainWindow) -> ImageHostsDialog:  # type: ignore[no-untyped-def]
    window.publishing.hosts_action.trigger()
    dialog = window.publishing.hosts_dialog
    assert isinstance(dialog, ImageHostsDialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(save.isEnabled, timeout=5000)  # loaded on the worker
    return dialog


def fill(qtbot, dialog: ImageHostsDialog, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert dialog.form is not None
    for name, value in values.items():
        line = dialog.form.inputs[name]
        line.clear()  # type: ignore[union-attr]
        qtbot.keyClicks(line, value)


def run_test(qtbot, dialog: ImageHostsDialog) -> str:  # type: ignore[no-untyped-def]
    assert dialog.form is not None
    qtbot.mouseClick(dialog.form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.form.test_button.isEnabled(), timeout=20000)
    return dialog.form.result.text()


def test_add_test_choose_and_save_an_s3_host_then_publish_its_images(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    s3_stack: Stack,  # noqa: F811
    counting_session: CountingSession,  # noqa: F811
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    rig = s3_rig(s3_stack, counting_session)  # makes the bucket
    bucket = rig.folder.name
    assert s3_stack.api and s3_stack.public
    dialog = open_dialog(qtbot, window)
    assert dialog.empty.isVisible(), "no host yet: the dialog says how to start"
    assert "blogger:7001" in dialog.blog_boxes, "each signed-in blog can choose a host"
    dialog.add_actions["s3"].trigger()
    form = dialog.form
    assert form is not None and form.default.isChecked(), "the first host is the default"
    form.label.clear()
    qtbot.keyClicks(form.label, "My bucket")
    public = f"{s3_stack.public.url}/{bucket}"
    fill(qtbot, dialog, {
        "endpoint": s3_stack.api.url, "region": "us-east-1", "bucket": bucket,
        "access_key_id": S3_KEY, "public_base_url": public,
    })  # fmt: skip
    qtbot.keyClicks(form.secret, "not-the-secret")
    message = run_test(qtbot, dialog)
    assert message.startswith("✗") and "secret" in message.lower(), message
    form.secret.clear()
    qtbot.keyClicks(form.secret, S3_SECRET)
    message = run_test(qtbot, dialog)
    assert message.startswith("✓ It works") and public in message, message
    assert not [p for p in rig.folder.rglob("*") if p.is_file()], "the test image was removed"

    # This blog uses the new host; then save.
    box = dialog.blog_boxes["blogger:7001"]
    box.setCurrentIndex(box.findData(form.host.key))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.publishing.hosts_dialog is None, timeout=5000)
    saved = json.loads((app_paths().config_dir / "image-hosts.json").read_text())
    [key] = saved["hosts"]
    assert saved["hosts"][key]["settings"]["bucket"] == bucket
    assert saved["blog_hosts"] == {"blogger:7001": key} and saved["default_host"] == key
    assert S3_SECRET not in json.dumps(saved)
    assert memory_keyring.items[("broadsheet", f"image-host:{key}")] == S3_SECRET
    assert window.publishing.image_host

    # Publishing from the window now uploads the draft's images to the bucket.
    window.publishing.request_accounts.emit()
    qtbot.waitUntil(lambda: bool(getattr(window.publishing.accounts, "blogs", {})), timeout=5000)
    draft = make_draft(app_paths().drafts_dir)
    body_before = draft.read_text()
    open_and_wait(qtbot, window, draft, "Some text first")
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(
        lambda: window.banner.topic == "publish" and window.publishing.busy_path is None,
        timeout=20000,
    )
    assert window.banner.text().startswith("Published"), window.banner.text()
    [post] = server.blogger.posts["7001"].values()
    assert post["content"].count(f'src="{public}/') == 3
    url = post["content"].split(f'src="{public}/', 1)[1].split('"')[0]
    assert requests.get(f"{public}/{url}", timeout=10).content.startswith(b"\x89PNG")
    assert "pictures.assets/red.png" in Path(draft).read_text() and body_before.split("---")[2] in (
        Path(draft).read_text()
    ), "the draft keeps its local paths"


def test_a_host_with_a_missing_setting_is_not_saved(
    qtbot,
    window: MainWindow,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.add_actions["webdav"].trigger()
    fill(qtbot, dialog, {"url": "https://cloud.example.com/dav", "username": "me"})
    qtbot.keyClicks(dialog.form.secret, "pw")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: bool(dialog.status.text().strip("Saving…")), timeout=5000)
    assert "public_base_url" in dialog.status.text(), dialog.status.text()
    assert dialog.isVisible(), "the dialog stays open with what was typed"
    assert not (app_paths().config_dir / "image-hosts.json").exists()
    assert memory_keyring.items == {}
    dialog.reject()


def test_removing_a_host_forgets_its_secret_and_the_blogs_fall_back(
    qtbot,
    window: MainWindow,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    config = HostsConfig()
    settings = {"command": "true"}
    config.add(HostConfig("first", "command", "First", dict(settings)))
    config.add(HostConfig("nas", "webdav", "NAS", {
        "url": "https://nas.example/dav", "username": "me",
        "public_base_url": "https://nas.example/pub",
    }))  # fmt: skip
    config.use_for_blog("blogger:7001", "nas")
    save_hosts(config)
    memory_keyring.items[("broadsheet", "image-host:nas")] = "nas-password"
    dialog = open_dialog(qtbot, window)
    names = [dialog.host_list.item(i).text() for i in range(dialog.host_list.count())]
    assert names == ["First (default)", "NAS"]
    dialog.host_list.setCurrentRow(1)
    assert dialog.form is not None and dialog.form.host.key == "nas"
    assert "keyring" in dialog.form.secret.placeholderText()
    assert dialog.form.secret.text() == "", "a stored secret is never shown"
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [dialog.host_list.item(i).text() for i in range(dialog.host_list.count())] == [
        "First (default)"
    ]
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.publishing.hosts_dialog is None, timeout=5000)
    saved = json.loads((app_paths().config_dir / "image-hosts.json").read_text())
    assert list(saved["hosts"]) == ["first"] and saved["blog_hosts"] == {}
    assert memory_keyring.items == {}
    QApplication.processEvents()
