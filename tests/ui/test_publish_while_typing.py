"""Issue 13, defect 1: typing during a slow publish is saved as at any other time; the post
carries the text as it was at the click; the post id is recorded without clobbering newer text."""

from __future__ import annotations

import time

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
from tests.ui.test_publish_ui import posts, ready, wait_published

SLOW = 6.0  # seconds the blog takes to answer the insert


def test_autosave_keeps_running_while_a_publish_is_in_flight(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    server.fault("blogger.posts.insert", "delay_after", seconds=SLOW)  # creates, answers late
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: server.count("blogger.posts.insert") == 1, timeout=5000)
    started = time.monotonic()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Typed while the blog is slow.")
    # The words are on disk within the autosave interval, long before the blog answers.
    qtbot.waitUntil(lambda: "Typed while the blog is slow." in path.read_text(), timeout=10_000)
    assert window.publishing.busy_path == path, "still publishing"
    assert time.monotonic() - started < SLOW
    qtbot.keyClicks(window.editor, " And more.")
    wait_published(qtbot, window)
    [post] = posts(server)
    assert "A first paragraph of the essay." in post["content"]
    assert "Typed while" not in post["content"], "the post is the text at the click"
    # the record is merged into the newer text, in the editor and on disk
    text = window.editor.toPlainText()
    assert text.rstrip().endswith("Typed while the blog is slow. And more.")
    assert parse_post(text).published_addresses()["blogger:7001"] == post["url"]
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=4000)
    on_disk = read_post(path)
    assert on_disk.publish_record("blogger:7001")["id"] == post["id"]
    assert on_disk.body.rstrip().endswith("Typed while the blog is slow. And more.")
    # the insert's journal entry goes only once the record is on disk
    pending = PendingInserts(app_paths())
    qtbot.waitUntil(lambda: pending.get("blogger:7001", path) is None, timeout=4000)


def test_a_draft_closed_during_the_publish_gets_its_record(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    path = ready(qtbot, window, store)
    other = store.new_draft("Another essay", body="Other words.\n")
    server.fault("blogger.posts.insert", "delay_after", seconds=1.5)
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: server.count("blogger.posts.insert") == 1, timeout=5000)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Last words.")
    window.open_path(other)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == other, timeout=5000)
    wait_published(qtbot, window)
    [post] = posts(server)
    qtbot.waitUntil(lambda: "published:" in path.read_text(), timeout=4000)
    on_disk = read_post(path)
    assert on_disk.publish_record("blogger:7001")["id"] == post["id"]
    assert on_disk.published_addresses()["blogger:7001"] == post["url"]
    assert on_disk.body.rstrip().endswith("Last words.")
    assert "Other words." in window.editor.toPlainText(), "the open draft is untouched"
    pending = PendingInserts(app_paths())
    qtbot.waitUntil(lambda: pending.get("blogger:7001", path) is None, timeout=4000)


def test_until_the_record_is_saved_a_retry_updates_the_post_it_made(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
) -> None:
    """Before the window has put the address in the text, a retry updates the post it made:
    the record is beside the draft from the moment the post exists."""
    path = ready(qtbot, window, store)
    text = window.editor.toPlainText()
    result = signed_in.publish(path, "blogger:7001", text=text, write_back=False)
    assert "published:" not in path.read_text(), "the writer's text waits for the window"
    again = signed_in.publish(path, "blogger:7001", text=text, write_back=False)
    assert again.post_id == result.post_id
    assert server.count("blogger.posts.insert") == 1 and len(posts(server)) == 1
