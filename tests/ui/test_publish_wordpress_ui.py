"""Connect a real WordPress from the window's dialog, then publish with one click."""

from __future__ import annotations

import pytest

from editor.core.drafts import DraftStore
from editor.core.post import parse_post
from editor.core.post_records import read_post
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait
from tests.wordpress.conftest import (  # noqa: F401 - fixtures of the real WordPress
    WordPressSite,
    memory_keyring,
    wordpress_site,
)

pytestmark = pytest.mark.wordpress


def test_connect_wordpress_in_the_dialog_and_publish(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    wordpress_site: WordPressSite,  # noqa: F811
) -> None:
    path = store.new_draft("From the window to WordPress", body="Hello, WordPress readers.\n")
    path.write_text(path.read_text().replace("labels: []", "labels: [news]"))
    open_and_wait(qtbot, window, path, "Hello, WordPress readers.")
    window.publishing.request_accounts.emit()
    qtbot.waitUntil(lambda: window.publishing.accounts is not None, timeout=5000)
    window.publishing.show_connect_dialog()
    dialog = window.publishing.connect_dialog
    assert dialog is not None
    dialog.tabs.setCurrentIndex(1)
    page = dialog.pages["wordpress"]
    assert dialog.tabs.widget(1) is page
    page.fields["password"].setText("wrong wrong wrong wrong")
    page.fields["site"].setText(wordpress_site.url)
    page.fields["user"].setText(wordpress_site.user)
    page.button.click()
    qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=30000)
    assert "password" in dialog.status.text().lower() and "Traceback" not in dialog.status.text()
    page.fields["password"].setText(wordpress_site.app_password)
    page.button.click()
    qtbot.waitUntil(lambda: dialog.done_button.isEnabled(), timeout=30000)
    assert page.fields["password"].text() == "", "the password is not kept in the dialog"
    dialog.done_button.click()
    qtbot.waitUntil(
        lambda: str(getattr(window.publishing.accounts, "default_blog", "")).startswith(
            "wordpress:"
        ),
        timeout=5000,
    )
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(
        lambda: window.banner.topic == "publish" and window.publishing.busy_path is None,
        timeout=30000,
    )
    assert window.banner.text().startswith("Published"), window.banner.text()
    blog = window.publishing.accounts.default_blog  # type: ignore[union-attr]
    record = read_post(window.doc.path).publish_record(blog)
    assert record is not None
    post = wordpress_site.get(f"wp/v2/posts/{record['id']}", context="edit")
    shown = parse_post(window.editor.toPlainText()).published_addresses()
    assert shown == {blog: post["link"]}, "the editor says where the post is, nothing more"
    assert post["status"] == "publish" and "Hello, WordPress readers." in post["content"]["raw"]
