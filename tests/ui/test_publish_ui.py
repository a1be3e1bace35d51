"""Publishing from the window against the Blogger contract server: one click, update, conflict."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.post_records import read_post
from editor.publish.pending import PendingInserts
from editor.publish.service import PublishService
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
from tests.ui.conftest import open_and_wait

BODY = "A first paragraph of the essay.\n\n> A quotation.\n"


def posts(server: BloggerServer) -> list[dict]:  # noqa: F811
    return list(server.blogger.posts["7001"].values())


def ready(qtbot, window: MainWindow, store: DraftStore) -> Path:  # type: ignore[no-untyped-def]
    """A draft open in a window that knows the signed-in blog."""
    path = store.new_draft("Hello from the window", body=BODY)
    text = path.read_text().replace("labels: []", "labels: [essays, news]")
    path.write_text(text)
    window.publishing.request_accounts.emit()
    qtbot.waitUntil(lambda: bool(getattr(window.publishing.accounts, "blogs", {})), timeout=5000)
    open_and_wait(qtbot, window, path, "A first paragraph")
    return path


def wait_published(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: window.banner.topic == "publish" and window.publishing.busy_path is None,
        timeout=15000,
    )
    assert window.banner.text().startswith("Published"), window.banner.text()


def test_one_click_publishes_then_updates_the_same_post(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    qtbot.keyClick(
        window.editor,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    wait_published(qtbot, window)
    [post] = posts(server)
    assert post["title"] == "Hello from the window" and post["labels"] == ["essays", "news"]
    assert "A first paragraph of the essay." in post["content"]
    assert "data-line" not in post["content"]
    shown = parse_post(window.editor.toPlainText())
    assert shown.published_addresses() == {"blogger:7001": post["url"]}, "where it is, readable"
    assert "publish:" not in window.editor.toPlainText(), "no bookkeeping in the writer's text"
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=10_000)
    assert read_post(path).publish_record("blogger:7001")["id"] == post["id"]
    assert window.banner.button("Open in Browser") is not None
    assert window.publishing.open_action.isEnabled()
    assert window.banner.topic != "external", "our own publish is not someone else's change"

    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "A revised ending.")
    window.publishing.publish_action.trigger()
    wait_published(qtbot, window)
    [again] = posts(server)
    assert again["id"] == post["id"] and "A revised ending." in again["content"]
    assert server.count("blogger.posts.insert") == 1
    assert again["labels"] == ["essays", "news"]


def test_typing_while_publishing_is_kept_and_saved(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    server.fault("blogger.posts.insert", "delay", seconds=1.0)
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: window.publishing.progress.isVisible(), timeout=10_000)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Typed during the upload.")
    wait_published(qtbot, window)
    text = window.editor.toPlainText()
    assert "Typed during the upload." in text
    assert parse_post(text).published_addresses()["blogger:7001"] == posts(server)[0]["url"]
    # the typing reached the disk during the publish; the record follows once it is merged
    qtbot.waitUntil(
        lambda: read_post(path).publish_record("blogger:7001") is not None,
        timeout=4000,
    )
    on_disk = read_post(path)
    assert "Typed during the upload." in on_disk.body
    assert on_disk.publish_record("blogger:7001")["id"] == posts(server)[0]["id"]


def test_conflict_shows_the_difference_and_can_overwrite(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ready(qtbot, window, store)
    window.publishing.publish_action.trigger()
    wait_published(qtbot, window)
    [post] = posts(server)
    post["content"] = post["content"].replace("A first paragraph", "Edited in Blogger")
    post["updated"] = "2031-01-01T00:00:00Z"
    seen: list[str] = []

    def choose_overwrite(dialog) -> int:  # type: ignore[no-untyped-def]
        seen.append(dialog.view.toPlainText())
        dialog.choice = "overwrite"
        return 1

    monkeypatch.setattr("editor.ui.publish_dialogs.ConflictDialog.exec", choose_overwrite)
    window.publishing.publish_action.trigger()
    wait_published(qtbot, window)
    assert "Edited in Blogger" in seen[0] and "A first paragraph" in seen[0]
    [after] = posts(server)
    assert "A first paragraph" in after["content"] and "Edited in Blogger" not in after["content"]
    assert server.count("blogger.posts.insert") == 1


def test_failure_is_one_clear_sentence_and_changes_nothing(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    before = path.read_bytes()
    server.revoke_refresh_tokens()
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: window.banner.topic == "publish", timeout=15000)
    message = window.banner.text()
    assert message.startswith("Not published:") and "sign in again" in message.lower()
    assert "Traceback" not in message and "\n" not in message
    assert window.banner.button("Try Again") is not None
    assert posts(server) == [] and path.read_bytes() == before


def test_a_post_deleted_on_the_blog_is_published_as_a_new_post_from_the_banner(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    window.publishing.publish_action.trigger()
    wait_published(qtbot, window)
    [post] = posts(server)
    del server.blogger.posts["7001"][post["id"]]  # the writer deleted it in Blogger
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.banner.button("Publish as a New Post") is not None
            and window.publishing.busy_path is None
        ),
        timeout=15000,
    )
    message = window.banner.text()
    assert message.startswith("Not published: The post was deleted from Field Notes"), message
    assert "publish:" not in message and "front matter" not in message and "\n" not in message
    assert window.banner.button("Try Again") is None, "trying again cannot help"
    assert posts(server) == []
    qtbot.mouseClick(window.banner.button("Publish as a New Post"), Qt.MouseButton.LeftButton)
    wait_published(qtbot, window)
    [new] = posts(server)
    assert new["id"] != post["id"] and server.count("blogger.posts.insert") == 2
    assert parse_post(window.editor.toPlainText()).published_addresses() == {
        "blogger:7001": new["url"]
    }
    qtbot.waitUntil(
        lambda: read_post(path).publish_record("blogger:7001")["id"] == new["id"],
        timeout=10_000,
    )


def test_closing_the_window_ends_a_wait_for_a_late_post(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    # Stop listening after 0.5 s; the wait for the post keeps the real five-minute window.
    window.publishing.worker._service = PublishService(timeout=(2.0, 0.5))
    server.fault("blogger.posts.insert", "delay", seconds=30.0)
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(
        lambda: "no second copy" in window.publishing.progress_label.text(), timeout=10000
    )
    started = time.monotonic()
    window.publishing.shutdown()  # what closing the window does first
    assert time.monotonic() - started < 10, "closing waited for the late post"
    entry = PendingInserts(app_paths()).get("blogger:7001", path)
    assert entry and entry.get("sent"), "the next publish waits for it instead"


def test_without_a_blog_the_connect_dialog_opens(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Lonely", body="Words.\n")
    open_and_wait(qtbot, window, path, "Words.")
    window.publishing.request_accounts.emit()
    qtbot.waitUntil(lambda: window.publishing.accounts is not None, timeout=5000)
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: window.publishing.connect_dialog is not None, timeout=10_000)
    dialog = window.publishing.connect_dialog
    labels = " ".join(label.text() for label in dialog.findChildren(type(dialog.status)))
    assert "Desktop app" in labels and "Application Passwords" in labels
    dialog.reject()


def test_checklist_warns_about_local_images_and_blocks_an_empty_post(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = ready(qtbot, window, store)
    (path.parent / "pictures").mkdir()
    (path.parent / "pictures" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "![A photo](pictures/photo.png)")
    shown: list[tuple[str, bool]] = []
    answer = {"exec": 0}

    def fake_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        texts = [dialog.view.item(i).text() for i in range(dialog.view.count())]
        shown.append((" | ".join(texts), dialog.publish_button is not None))
        return answer["exec"]

    monkeypatch.setattr("editor.ui.publish_dialogs.ChecklistDialog.exec", fake_exec)
    window.publishing.publish_action.trigger()
    assert "pictures/photo.png" in shown[-1][0] and shown[-1][1], "a warning: publish anyway"
    assert window.publishing.busy_path is None and posts(server) == [], "cancelled: nothing sent"
    answer["exec"] = 1
    window.publishing.publish_action.trigger()
    wait_published(qtbot, window)
    assert len(posts(server)) == 1

    empty = store.new_draft("Nothing yet", body="")
    open_and_wait(qtbot, window, empty)
    window.publishing.publish_action.trigger()
    assert "empty" in shown[-1][0].lower() and shown[-1][1] is False, "an error: no way past it"
    assert len(posts(server)) == 1
