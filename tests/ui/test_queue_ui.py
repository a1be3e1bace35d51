"""The publish queue in the window, against the Blogger contract server behind the fault proxy:
Publish while offline queues the post ("Waiting to publish: 1"), the network watch sends it
once the blog answers (exactly one post), Cancel Publish, a conflict stopping the queue, and
the offer to announce a post that went live."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.core.drafts import DraftStore
from editor.core.post import parse_post
from editor.publish import blogger
from editor.publish.announce.accounts import sign_in_mastodon
from editor.publish.queue import PublishQueue
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
from tests.publish.fault_proxy import FaultProxy
from tests.publish.mastodon_server import MastodonServer
from tests.ui.test_publish_ui import posts, ready, wait_published

BLOG = blogger.blog_key("7001")


@pytest.fixture
def proxy(
    server: BloggerServer,  # noqa: F811
    signed_in: PublishService,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[FaultProxy]:
    """The Blogger API reached through a proxy that can play "no network"."""
    with FaultProxy(server.base_url).start() as fault:
        monkeypatch.setenv(
            "BROADSHEET_BLOGGER_API_URL", fault.url + server.api_url[len(server.base_url) :]
        )
        yield fault


def quick(window: MainWindow) -> None:
    """Short waits instead of 30 s … 10 min, and no real sleeps between retries."""
    window.publishing.worker._service = PublishService(sleep=lambda _s: None)
    watch = window.publishing.queue.watch
    watch.first_ms = watch.backoff_ms = 150
    watch.longest_ms = 600


def waiting(window: MainWindow) -> int:
    queue = window.publishing.queue
    return queue.indicator.count if queue.indicator.isVisible() else 0


def queue_ids() -> list[str]:
    return [q.id for q in PublishQueue().items()]


def test_offline_publish_waits_and_goes_out_once_when_the_network_is_back(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
) -> None:
    queue = window.publishing.queue
    qtbot.waitUntil(lambda: queue.listed_once, timeout=5000)
    assert not queue.indicator.isVisible() and not queue.watch.timer.isActive(), "no polling"
    path = ready(qtbot, window, store)
    quick(window)
    proxy.offline()
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=15000)
    assert queue.indicator.text() == "Waiting to publish: 1"
    assert queue.indicator.accessibleName() == "Waiting to publish: 1"
    assert window.banner.text() == (
        "You're offline: the post will be published when the connection is back."
    )
    assert window.banner.kind == "info" and window.publishing.busy_path is None
    assert posts(server) == []
    [entry] = PublishQueue().items()
    assert entry.path == str(path) and entry.blog == BLOG
    # Still offline: the watch tries again later and later, never in a loop.
    qtbot.waitUntil(lambda: queue.watch.backoff_ms == 600, timeout=10000)
    qtbot.waitUntil(lambda: not queue.sending and queue.watch.timer.isActive(), timeout=5000)
    assert waiting(window) == 1 and posts(server) == []
    proxy.online()
    qtbot.waitUntil(lambda: waiting(window) == 0, timeout=15000)
    assert window.banner.text().startswith("Published from the queue: “Hello from the window”")
    [post] = posts(server)
    assert server.count("blogger.posts.insert") == 1 and post["status"] == "LIVE"
    assert PublishQueue().items() == []
    qtbot.waitUntil(lambda: not queue.sending, timeout=5000)
    assert not queue.watch.timer.isActive(), "nothing waits: no timer"
    assert queue.watch.backoff_ms == 150, "something went out: the back-off starts again"
    # The open draft got the post's record in the editor, not behind its back on disk.
    shown = parse_post(window.editor.toPlainText()).published_addresses()
    assert shown == {BLOG: post["url"]}
    assert window.banner.topic != "external"
    window.publishing.publish_action.trigger()  # publishing again updates that one post
    wait_published(qtbot, window)
    assert server.count("blogger.posts.insert") == 1 and len(posts(server)) == 1


def test_cancel_publish_from_the_queue_dialog(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy.offline()
    first = store.new_draft("Written on the train", body="Words from the train.\n")
    second = store.new_draft("Written in the cafe", body="Words from the cafe.\n")
    PublishQueue().add(first, BLOG, note="Blogger could not be reached.")
    PublishQueue().add(second, BLOG, note="Blogger could not be reached.")
    queue = window.publishing.queue
    queue.refresh()
    qtbot.waitUntil(lambda: waiting(window) == 2, timeout=5000)
    assert queue.indicator.text() == "Waiting to publish: 2"
    assert queue.action.text() == "&Waiting to Publish…"
    assert queue.action in window.menus["publish"].actions(), "a keyboard path"
    queue.action.trigger()
    dialog = queue.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 2, timeout=5000)
    titles = [dialog.tree.topLevelItem(i).text(0) for i in range(2)]
    assert titles == ["Written on the train", "Written in the cafe"]
    assert dialog.tree.topLevelItem(0).text(1) == "Field Notes"
    assert dialog.tree.topLevelItem(1).text(3) == "Blogger could not be reached."
    for widget in (dialog.tree, dialog.send_button, dialog.cancel_button):
        assert widget.accessibleName()
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(1))
    asked: list[str] = []

    def answer(yes: bool):  # type: ignore[no-untyped-def]
        def confirm(_parent, row) -> bool:  # type: ignore[no-untyped-def]
            asked.append(row.title)
            return yes

        return confirm

    monkeypatch.setattr("editor.ui.queue_dialog.confirm_cancel", answer(False))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert asked == ["Written in the cafe"] and len(queue_ids()) == 2, "No keeps it waiting"
    monkeypatch.setattr("editor.ui.queue_dialog.confirm_cancel", answer(True))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=5000)
    assert [Path(q.path).name for q in PublishQueue().items()] == [first.name]
    assert dialog.tree.topLevelItemCount() == 1
    assert posts(server) == []
    dialog.reject()


def test_a_conflict_stops_the_queue_and_asks_the_writer(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ready(qtbot, window, store)
    quick(window)
    window.publishing.publish_action.trigger()
    wait_published(qtbot, window)
    [post] = posts(server)
    post["content"] = post["content"].replace("A first paragraph", "Edited in Blogger")
    post["updated"] = "2031-01-01T00:00:00Z"
    later = store.new_draft("Written later", body="Queued behind the conflict.\n")
    proxy.offline()
    window.publishing.publish_action.trigger()  # an update, while offline: queued
    queue = window.publishing.queue
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=15000)
    PublishQueue().add(later, BLOG)  # and another one behind it (e.g. from the command line)
    proxy.online()
    qtbot.waitUntil(lambda: window.banner.button("Resolve…") is not None, timeout=15000)
    assert "changed elsewhere" in window.banner.text() and "Hello from the window" in (
        window.banner.text()
    )
    assert queue.watch.paused and not queue.watch.timer.isActive(), "stopped, asks the writer"
    assert len(queue_ids()) == 2 and len(posts(server)) == 1, "nothing after it went out"
    assert "Edited in Blogger" in posts(server)[0]["content"], "nothing overwritten"
    monkeypatch.setattr(
        "editor.ui.publish_dialogs.ConflictDialog.exec",
        lambda dialog: setattr(dialog, "choice", "overwrite") or 1,
    )
    qtbot.mouseClick(window.banner.button("Resolve…"), Qt.MouseButton.LeftButton)
    # Overwritten as the writer chose, and the rest of the queue goes on.
    qtbot.waitUntil(lambda: waiting(window) == 0 and len(posts(server)) == 2, timeout=15000)
    qtbot.waitUntil(lambda: "Edited in Blogger" not in posts(server)[0]["content"], timeout=15000)
    assert server.count("blogger.posts.insert") == 2


def test_announce_is_offered_after_a_live_publish_and_not_for_a_draft(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    signed_in: PublishService,  # noqa: F811
) -> None:
    ready(qtbot, window, store)
    # No announcement account: no offer (no nagging).
    window.publishing.draft_action.trigger()
    qtbot.waitUntil(
        lambda: window.publishing.busy_path is None and bool(posts(server)), timeout=15000
    )
    qtbot.waitUntil(lambda: window.banner.text().startswith("Saved as a draft"), timeout=5000)
    assert window.banner.button("Announce…") is None
    with MastodonServer() as mastodon:
        sign_in_mastodon(mastodon.url, mastodon.token)
        window.publishing.draft_action.trigger()  # a draft on the blog is not announced
        qtbot.waitUntil(lambda: window.publishing.busy_path is None, timeout=15000)
        qtbot.waitUntil(lambda: window.banner.text().startswith("Saved as a draft"), timeout=5000)
        assert window.banner.button("Announce…") is None
        assert not window.publishing.announce_action.isEnabled()
        window.publishing.publish_action.trigger()
        wait_published(qtbot, window)
        assert window.publishing.announce_action.isEnabled()
        qtbot.mouseClick(window.banner.button("Announce…"), Qt.MouseButton.LeftButton)
        dialog = window.publishing.announce_dialog
        assert dialog is not None
        url = posts(server)[0]["url"]
        text = dialog.text.toPlainText()
        assert text == f"Hello from the window\n\nA first paragraph of the essay.\n\n{url}"
        qtbot.waitUntil(lambda: dialog.boxes["mastodon"].isChecked(), timeout=10000)
        dialog.boxes["bluesky"].setChecked(False)  # not signed in: it stays off anyway
        dialog.send()
        qtbot.waitUntil(lambda: not dialog.sending, timeout=15000)
        assert dialog.status.text().startswith("Mastodon: sent (")
        assert [s["text"] for s in mastodon.statuses] == [text]
        dialog.reject()


def test_a_failing_server_queues_the_post_too(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
) -> None:
    ready(qtbot, window, store)
    quick(window)
    window.publishing.queue.watch.first_ms = window.publishing.queue.watch.backoff_ms = 60_000
    proxy.answer(lambda method, _p, _b: method == "POST", 503, times=1_000_000)
    window.publishing.publish_action.trigger()
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=15000)
    message = window.banner.text()
    assert message.startswith("The blog's server is failing (Blogger had a server problem (HTTP")
    assert message.endswith("the post will be published when it works again.")
    assert posts(server) == [] and window.publishing.busy_path is None


def test_a_post_held_until_its_time_goes_out_then_and_not_before(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
) -> None:
    quick(window)
    queue = window.publishing.queue
    qtbot.waitUntil(lambda: queue.listed_once, timeout=5000)
    path = store.new_draft("Held until the evening", body="Out at its time.\n")
    due = datetime.now(UTC) + timedelta(hours=2)
    PublishQueue().add(path, BLOG, due=due, note="Micropub cannot schedule posts.")
    queue.refresh()
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=5000)
    # Nothing waits for the network: no back-off tries, one timer for its time.
    assert queue.state.ready == 0 and queue.watch.timer.isActive()
    assert queue.watch.timer.interval() > 2 * 3600_000 - 5000
    queue.show_dialog()
    assert queue.dialog is not None
    qtbot.waitUntil(lambda: queue.dialog.tree.topLevelItemCount() == 1, timeout=5000)
    assert queue.dialog.tree.topLevelItem(0).text(2).endswith("(held until then)")
    queue.dialog.reject()
    PublishQueue().add(path, BLOG, due=datetime.now(UTC) + timedelta(milliseconds=500))
    queue.refresh()
    qtbot.waitUntil(lambda: waiting(window) == 0, timeout=10000)
    [post] = posts(server)
    assert post["title"] == "Held until the evening" and not queue.watch.timer.isActive()


def test_posts_queued_from_the_command_line_show_up_at_once(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
) -> None:
    proxy.offline()
    path = ready(qtbot, window, store)
    quick(window)
    queue = window.publishing.queue
    qtbot.waitUntil(lambda: queue.listed_once, timeout=5000)
    panel = window.post_panel
    assert panel.status_label.text() == "Local draft (not on a blog yet)"
    assert not queue.watch.timer.isActive()
    listed: list[object] = []
    queue.worker.listed.connect(listed.append)
    # `broadsheet publish --queue` in another process writes the file: no refresh is asked.
    PublishQueue().add(path, BLOG, note="Blogger could not be reached.")
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=2000)
    assert queue.watch.timer.isActive(), "the network watch tries it"
    qtbot.waitUntil(
        lambda: panel.status_label.text() == "Waiting to publish — goes out when the blog answers",
        timeout=2000,
    )
    # The file was replaced: its watch follows the new one.
    other = store.new_draft("Written on the train", body="Words from the train.\n")
    PublishQueue().add(other, BLOG, note="Blogger could not be reached.")
    qtbot.waitUntil(lambda: waiting(window) == 2, timeout=2000)
    PublishQueue().cancel(PublishQueue().items()[0].id)
    qtbot.waitUntil(lambda: waiting(window) == 1, timeout=2000)
    qtbot.waitUntil(
        lambda: panel.status_label.text() == "Local draft (not on a blog yet)", timeout=2000
    )
    queue.watch.pause()  # no tries now: only the watch of the file could read the queue
    qtbot.wait(500)
    seen = len(listed)  # another file in the folder changing is no reason to read the queue
    (PublishQueue().file.parent / "session-test.json").write_text("{}")
    qtbot.wait(500)
    assert len(listed) == seen
    assert posts(server) == []


def test_posts_sent_together_are_all_named(
    qtbot,
    window: MainWindow,
    store: DraftStore,
    server: BloggerServer,  # noqa: F811
    proxy: FaultProxy,
) -> None:
    quick(window)
    queue = window.publishing.queue
    proxy.offline()
    qtbot.waitUntil(lambda: queue.listed_once, timeout=5000)
    first = store.new_draft("Written on the train", body="Words from the train.\n")
    second = store.new_draft("Written in the cafe", body="Words from the cafe.\n")
    PublishQueue().add(first, BLOG, note="Blogger could not be reached.")
    PublishQueue().add(second, BLOG, note="Blogger could not be reached.")
    qtbot.waitUntil(lambda: waiting(window) == 2, timeout=5000)
    proxy.online()
    queue.send_now()
    qtbot.waitUntil(lambda: waiting(window) == 0 and not queue.sending, timeout=15000)
    assert window.banner.text() == (
        "2 posts published from the queue: “Written on the train”, “Written in the cafe”."
    )
    assert len(posts(server)) == 2
