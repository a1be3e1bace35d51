"""A create the blog finishes after Broadsheet stopped listening: never a second post.

The contract server's `delay` fault answers late and creates the post only when it answers,
as Blogger did in issue 13 (the insert answered after 70 s, the client gave up at 60 s).
Timeouts here are short: the read timeout is 0.5 s and the blog answers after 1 s.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import requests

from editor.publish.base import PostContent
from editor.publish.errors import OfflineError, PublishError
from editor.publish.pending import PendingInserts
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .conftest import TEST_LANDING_WINDOW, Sleeps
from .test_faults import wait_for_posts
from .test_publish_service import posts, record

INSERT = "blogger.posts.insert"
SHORT = (2.0, 0.5)  # (connect, read) seconds


def test_publishing_again_at_once_after_a_timeout_makes_no_second_post(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.timeout = SHORT
    server.fault(INSERT, "delay", seconds=1.0)
    with contextlib.suppress(OfflineError):  # whatever the first publish said…
        signed_in.publish(draft)
    signed_in.publish(draft)  # …the writer clicks Try Again at once
    wait_for_posts(server, 2, seconds=1.5)  # the first request has long been processed
    [post] = posts(server)
    assert record(draft)["id"] == post["id"]
    assert server.count(INSERT) == 1


def test_the_first_publish_waits_for_the_late_post_and_says_why(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.timeout = SHORT
    server.fault(INSERT, "delay", seconds=1.0)
    said: list[str] = []
    result = signed_in.publish(draft, progress=said.append)
    [post] = posts(server)
    assert result.created and result.post_id == post["id"] == record(draft)["id"]
    waiting = [s for s in said if "no second copy" in s]
    assert waiting, said
    assert waiting[0].startswith("Blogger did not answer in time (timed out); waiting for the post")
    assert not any("connection" in s.lower() for s in said)
    assert PendingInserts(signed_in.paths).get("blogger:7001", draft) is None


def test_a_publish_after_a_restart_waits_for_a_first_attempt_that_may_still_land(
    signed_in: PublishService, server: BloggerServer, draft: Path, sleeps: Sleeps
) -> None:
    signed_in.timeout = SHORT
    server.fault(INSERT, "delay", seconds=1.5)

    def close_the_window(text: str) -> None:
        if "no second copy" in text:
            signed_in.stop_waiting()  # what closing the window does

    with pytest.raises(OfflineError) as info:
        signed_in.publish(draft, progress=close_the_window)
    assert info.value.uncertain and "stopped waiting" in info.value.message
    entry = PendingInserts(signed_in.paths).get("blogger:7001", draft)
    assert entry and entry.get("sent")
    assert posts(server) == []  # the blog is still working on it

    session = requests.Session()
    restarted = PublishService(
        session=session, timeout=SHORT, sleep=sleeps, landing_window=TEST_LANDING_WINDOW
    )
    said: list[str] = []
    result = restarted.publish(draft, progress=said.append)
    session.close()
    [post] = posts(server)
    assert result.post_id == post["id"] == record(draft)["id"]
    assert server.count(INSERT) == 1
    assert any(s.startswith("Field Notes has not finished the first attempt yet") for s in said)


def test_a_create_that_stays_away_says_timed_out_and_a_later_publish_finds_it(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.timeout = SHORT
    signed_in.landing_window = 1.0  # shorter than the blog takes: it gives up first
    server.fault(INSERT, "delay", seconds=2.0)
    with pytest.raises(OfflineError) as info:
        signed_in.publish(draft)
    message = info.value.message
    assert message.startswith("Blogger did not answer in time (timed out) while creating the post")
    assert "has not appeared on Field Notes" in message and "publishing again" in message
    assert "connection" not in message.lower()
    assert info.value.timed_out and info.value.uncertain
    wait_for_posts(server, 1)  # it lands after all
    result = signed_in.publish(draft)
    [post] = posts(server)
    assert result.post_id == post["id"] and server.count(INSERT) == 1


def test_a_refused_create_is_not_waited_for(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    server.fault(INSERT, "status", status=403)
    with pytest.raises(PublishError):
        signed_in.publish(draft)
    entry = PendingInserts(signed_in.paths).get("blogger:7001", draft)
    assert entry and "sent" not in entry  # certainly nothing created: no wait next time
    said: list[str] = []
    signed_in.publish(draft, progress=said.append)
    assert len(posts(server)) == 1
    assert not any("no second copy" in s for s in said)


def test_a_post_found_by_its_marker_is_remembered_before_it_is_updated(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    """Found by the hidden marker, then updated: the update replaces the content and with it
    the marker, so unless the post's id is kept at once, the next attempt (after a crash or a
    lost answer) can no longer find it and makes a second post (seen in the torture run)."""
    blog = signed_in.accounts().find_blog("blogger:7001")
    pending = PendingInserts(signed_in.paths)
    marker = pending.begin(blog.key, draft)  # a first run sent the create, then was killed
    pending.sending(blog.key, draft)
    content = PostContent("Hello", "<p>First attempt.</p>", [])
    signed_in.client_for(blog).insert_post(blog.remote_id, content, draft=False, marker=marker)
    server.fault("blogger.posts.update", "lost", times=10)  # applied, answer never arrives
    with pytest.raises(PublishError):
        signed_in.publish(draft)
    server.faults.clear()
    signed_in.publish(draft)  # the next attempt
    [post] = posts(server)
    assert record(draft)["id"] == post["id"]
    assert server.count(INSERT) == 1
