"""Publish ▸ Check Images of Published Posts…: a dead image is found in a published post and
repaired from the writer's copy (found on disk, or a file he points at) through the S3 host."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTreeWidgetItem

from editor.core.drafts import assets_dir_for
from editor.core.paths import app_paths
from editor.publish.base import PostContent
from editor.publish.hosts.config import HostConfig, HostsConfig, save_hosts, store_host_secret
from editor.publish.records import record_of, write_record
from editor.publish.service import PublishService
from editor.ui.dead_images_dialog import DeadImage, DeadImagesDialog
from editor.ui.main_window import MainWindow
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.publish.hosts.compose import BLOG_ID, blogger_client, publish_with_images
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
from tests.publish.hosts.drafts import make_draft, png


def configure_s3(stack: Stack, bucket: str) -> str:
    """image-hosts.json with one S3 host (secret in the keyring); returns its public base."""
    assert stack.api and stack.public
    public = f"{stack.public.url}/{bucket}"
    hosts = HostsConfig()
    hosts.add(HostConfig("s3", "s3", "My bucket", {
        "endpoint": stack.api.url, "region": "us-east-1", "bucket": bucket,
        "access_key_id": S3_KEY, "public_base_url": public,
    }))  # fmt: skip
    save_hosts(hosts)
    store_host_secret("s3", S3_SECRET)
    return public


def check_blog(qtbot, window: MainWindow) -> DeadImagesDialog:  # type: ignore[no-untyped-def]
    """Open the dialog from the menu and check the test blog."""
    window.publishing.images_action.trigger()
    dialog = window.publishing.images_dialog
    assert isinstance(dialog, DeadImagesDialog)
    qtbot.waitUntil(dialog.check_button.isEnabled, timeout=5000)
    dialog.blog_box.setCurrentIndex(dialog.blog_box.findData(f"blogger:{BLOG_ID}"))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.scan_result is not None, timeout=20000)
    return dialog


def item_for(dialog: DeadImagesDialog, url: str) -> QTreeWidgetItem:
    """The row of the dead image at `url`."""
    [item] = dialog.tree.findItems(url, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    return item


def rows(dialog: DeadImagesDialog) -> list[tuple[str, str, str]]:
    tree = dialog.tree
    return [
        tuple(tree.topLevelItem(i).child(n).text(c) for c in range(3))  # type: ignore[misc]
        for i in range(tree.topLevelItemCount())
        for n in range(tree.topLevelItem(i).childCount())
    ]


def test_the_check_lists_dead_images_per_post_and_repairs_them(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    s3_stack: Stack,  # noqa: F811
    counting_session: CountingSession,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rig = s3_rig(s3_stack, counting_session)
    public = configure_s3(s3_stack, rig.folder.name)
    client = blogger_client(server, requests.Session())
    # A draft published long ago; the host it used then is gone, its addresses answer 404.
    draft = make_draft(app_paths().drafts_dir)
    published = publish_with_images(draft, rig.host, client)
    dead = f"{s3_stack.public.url}/old-host/red.png"
    dead_blue = f"{s3_stack.public.url}/old-host/blue.png"
    red, blue = dict.fromkeys(
        part.split('"')[0] for part in published.content.split(f'src="{public}/')[1:]
    )
    stored = server.blogger.posts[BLOG_ID][published.id]
    stored["content"] = (
        stored["content"].replace(f"{public}/{red}", dead).replace(f"{public}/{blue}", dead_blue)
    )
    write_record(draft, f"blogger:{BLOG_ID}", record_of(client.get_post(BLOG_ID, published.id)))
    # A post whose picture only the writer's Pictures folder still has.
    lost = f"{s3_stack.public.url}/drive/holiday.jpg"
    other = client.insert_post(
        BLOG_ID, PostContent("Holiday", f'<p><img src="{lost}"></p>', []), draft=False,
        marker=uuid.uuid4().hex,
    ).id  # fmt: skip
    picked = tmp_path / "holiday-scan.png"
    picked.write_bytes(png("holiday"))

    dialog = check_blog(qtbot, window)
    assert dialog.status.text() == "3 of 3 images in 2 of 2 posts with images do not load."
    copy = str((assets_dir_for(draft) / "red.png").resolve())
    assert sorted(rows(dialog)) == sorted([
        (dead, "HTTP 404", "red.png"), (dead_blue, "HTTP 404", "blue.png"),
        (lost, "HTTP 404", "none found"),
    ])  # fmt: skip
    titles = [dialog.tree.topLevelItem(i).text(0) for i in range(2)]
    assert sorted(titles) == ["Holiday", "Pictures"]

    # Repair the first from the copy the draft remembers.
    item = item_for(dialog, dead)
    dialog.tree.setCurrentItem(item)
    assert item.toolTip(2) == copy and dialog.repair_button.isEnabled()
    qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: item.text(1) == "repaired", timeout=20000)
    new_url = item.text(2)
    content = server.blogger.posts[BLOG_ID][published.id]["content"]
    assert dead not in content and new_url in content
    assert requests.get(new_url, timeout=10).content == Path(copy).read_bytes()
    assert not dialog.repair_button.isEnabled(), "a repaired image is done"
    # The same post's second dead image: our own repair changed the post, which is no conflict.
    item = item_for(dialog, dead_blue)
    dialog.tree.setCurrentItem(item)
    qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: item.text(1) == "repaired", timeout=20000)
    content = server.blogger.posts[BLOG_ID][published.id]["content"]
    assert dead_blue not in content and item.text(2) in content and new_url in content

    # The second has no copy on disk: Repair is off, the writer points at a file.
    item = item_for(dialog, lost)
    dialog.tree.setCurrentItem(item)
    assert not dialog.repair_button.isEnabled() and dialog.choose_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picked), ""))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: item.text(1) == "repaired", timeout=20000)
    content = server.blogger.posts[BLOG_ID][other]["content"]
    assert lost not in content and item.text(2) in content
    assert requests.get(item.text(2), timeout=10).content == picked.read_bytes()

    # Checked again, every image loads.
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.scan_result is not None, timeout=20000)
    assert dialog.status.text() == "All 3 images in 2 posts load." and rows(dialog) == []
    dialog.reject()


def test_an_edit_on_the_blog_since_the_check_stops_the_repair(
    qtbot,
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    s3_stack: Stack,  # noqa: F811
    counting_session: CountingSession,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rig = s3_rig(s3_stack, counting_session)
    configure_s3(s3_stack, rig.folder.name)
    client = blogger_client(server, requests.Session())
    lost = f"{s3_stack.public.url}/drive/gone.png"
    post_id = client.insert_post(
        BLOG_ID, PostContent("Gone", f'<p><img src="{lost}"></p>', []), draft=False,
        marker=uuid.uuid4().hex,
    ).id  # fmt: skip
    picked = tmp_path / "gone.png"
    picked.write_bytes(png("gone"))
    dialog = check_blog(qtbot, window)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    assert isinstance(dialog.selected_image(), DeadImage)
    server.blogger.edit_on_web(BLOG_ID, post_id, title="Gone (edited on the web)")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picked), ""))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "changed on the blog" in dialog.status.text(), timeout=20000)
    assert lost in server.blogger.posts[BLOG_ID][post_id]["content"]
    assert server.count("blogger.posts.update") == 0
    assert dialog.tree.topLevelItem(0).child(0).text(1) == "HTTP 404"
    dialog.reject()
