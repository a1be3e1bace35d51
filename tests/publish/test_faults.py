"""Every injected fault: never a duplicate post, the draft text intact, one clear message."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from editor.core.atomic import WriteError
from editor.core.post_records import store_records
from editor.publish.errors import (
    DraftError,
    OfflineError,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.pending import PendingInserts
from editor.publish.service import PublishMode, PublishService

from .blogger_server import BloggerServer
from .conftest import Sleeps
from .test_publish_service import body_bytes, posts, record

INSERT = "blogger.posts.insert"


def assert_clear(error: PublishError, server: BloggerServer) -> None:
    """One sentence, no traceback, no secret."""
    text = str(error)
    assert text == error.message and "\n" not in text and "Traceback" not in text
    assert text.rstrip().endswith("."), text
    for secret in server.secret_values():
        assert secret not in text


def wait_for_posts(server: BloggerServer, count: int, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while len(posts(server)) < count and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("lost", {}),  # created, then the connection dropped: the answer is lost
        ("delay_after", {"seconds": 3.0}),  # created, answer after the client's timeout
        ("delay", {"seconds": 3.0}),  # timed out; the server creates the post after that
        ("status_after", {"status": 500}),  # created, then a server error
        ("status", {"status": 500}),  # a server error, nothing created
        ("status", {"status": 503, "times": 2}),
        ("status", {"status": 429, "retry_after": "2"}),  # rate limited, nothing created
    ],
)
def test_insert_faults_that_recover_in_one_publish(
    signed_in: PublishService,
    server: BloggerServer,
    draft: Path,
    sleeps: Sleeps,
    kind: str,
    options: dict,
) -> None:
    before = body_bytes(draft)
    server.fault(INSERT, kind, **options)
    result = signed_in.publish(draft)
    [post] = posts(server)
    assert result.post_id == post["id"] == record(draft)["id"]
    assert body_bytes(draft) == before
    if options.get("retry_after"):
        assert 2.0 in sleeps
    assert PendingInserts(signed_in.paths).get("blogger:7001", draft) is None
    signed_in.publish(draft)  # and the next publish is an ordinary update
    assert len(posts(server)) == 1


def test_insert_whose_connection_dropped_stops_after_waiting_and_recovers_next_time(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    signed_in.landing_window = 0.5
    saved = draft.read_bytes()
    server.fault(INSERT, "reset")  # the connection dropped before the server did anything
    with pytest.raises(OfflineError) as info:
        signed_in.publish(draft)
    assert info.value.uncertain and not info.value.timed_out
    assert info.value.message.startswith("The connection to Blogger was lost while creating")
    assert "has not appeared on Field Notes" in info.value.message
    assert "timed out" not in info.value.message
    assert_clear(info.value, server)
    assert draft.read_bytes() == saved  # nothing recorded: the id is unknown
    assert posts(server) == []
    result = signed_in.publish(draft)
    [post] = posts(server)
    assert result.post_id == post["id"] == record(draft)["id"]
    assert server.count(INSERT) == 2


def test_insert_failing_every_time_creates_nothing_and_says_so(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    saved = draft.read_bytes()
    server.fault(INSERT, "status", status=500, times=10)
    with pytest.raises(ServerError) as info:
        signed_in.publish(draft)
    assert_clear(info.value, server)
    assert posts(server) == [] and draft.read_bytes() == saved
    assert server.count(INSERT) == signed_in.max_attempts
    server.faults.clear()
    signed_in.publish(draft)
    assert len(posts(server)) == 1


def test_lost_insert_while_the_lookup_fails_is_found_next_time(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    saved = draft.read_bytes()
    server.fault(INSERT, "lost")
    server.fault("blogger.posts.list", "status", status=503, times=10)
    with pytest.raises(ServerError) as info:
        signed_in.publish(draft)
    assert_clear(info.value, server)
    assert draft.read_bytes() == saved and len(posts(server)) == 1
    server.faults.clear()
    result = signed_in.publish(draft)
    assert [p["id"] for p in posts(server)] == [result.post_id]
    assert server.count(INSERT) == 1


def test_crash_before_the_id_is_saved_does_not_duplicate(
    signed_in: PublishService,
    server: BloggerServer,
    draft: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = draft.read_bytes()

    def disk_full(path: Path, *args: object) -> None:
        raise WriteError(path, "the disk is full")

    monkeypatch.setattr("editor.publish.records.store_records", disk_full)
    with pytest.raises(DraftError) as info:
        signed_in.publish(draft)
    assert "Publishing again updates the same post" in info.value.message
    assert draft.read_bytes() == saved
    monkeypatch.setattr("editor.publish.records.store_records", store_records)
    draft.write_text(draft.read_text().replace("first paragraph", "after the crash"))
    signed_in.publish(draft)
    [post] = posts(server)
    assert "after the crash" in post["content"] and record(draft)["id"] == post["id"]


@pytest.mark.parametrize(
    ("op", "kind", "options"),
    [
        ("blogger.posts.get", "status", {"status": 429, "retry_after": "1"}),
        ("blogger.posts.get", "reset", {}),
        ("blogger.posts.update", "status", {"status": 500}),
        ("blogger.posts.update", "lost", {}),  # applied, answer lost: PUT is safe to repeat
        ("blogger.posts.update", "delay", {"seconds": 3.0}),
        ("blogger.posts.update", "delay_after", {"seconds": 3.0}),
    ],
)
def test_update_faults_are_retried_safely(
    signed_in: PublishService,
    server: BloggerServer,
    draft: Path,
    sleeps: Sleeps,
    op: str,
    kind: str,
    options: dict,
) -> None:
    first = signed_in.publish(draft)
    draft.write_text(draft.read_text().replace("first paragraph", "second version"))
    before = body_bytes(draft)
    server.fault(op, kind, **options)
    result = signed_in.publish(draft)
    [post] = posts(server)
    assert result.post_id == first.post_id
    assert "second version" in post["content"]
    assert body_bytes(draft) == before
    if options.get("retry_after"):
        assert 1.0 in sleeps


def test_status_change_failure_keeps_the_created_post_recorded(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    when = datetime.now(UTC) + timedelta(days=1)
    server.fault("blogger.posts.publish", "status", status=500, times=10)
    with pytest.raises(ServerError) as info:
        signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=when)
    assert "saved on the blog as draft" in info.value.message
    assert_clear(info.value, server)
    assert record(draft)["status"] == "DRAFT"
    server.faults.clear()
    assert signed_in.publish(draft, mode=PublishMode.SCHEDULE, at=when).status == "SCHEDULED"
    assert len(posts(server)) == 1


def test_expired_access_token_mid_publish_is_renewed(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    server.expire_access_tokens()
    signed_in.publish(draft)
    assert len(posts(server)) == 1


def test_revoked_sign_in_is_one_clear_error_and_changes_nothing(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    saved = draft.read_bytes()
    server.expire_access_tokens()
    server.revoke_refresh_tokens()
    with pytest.raises(SignedOutError) as info:
        signed_in.publish(draft)
    assert "sign in again with `broadsheet login blogger`" in info.value.message
    assert_clear(info.value, server)
    assert posts(server) == [] and draft.read_bytes() == saved


def test_offline_is_one_clear_error(
    signed_in: PublishService, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BROADSHEET_BLOGGER_API_URL", f"http://127.0.0.1:{port}/v3")
    saved = draft.read_bytes()
    with pytest.raises(OfflineError) as info:
        signed_in.publish(draft)
    assert info.value.message.startswith("Could not reach Blogger")
    assert not info.value.uncertain
    assert draft.read_bytes() == saved


def test_a_very_long_retry_after_is_not_waited_for(
    signed_in: PublishService, server: BloggerServer, draft: Path, sleeps: Sleeps
) -> None:
    server.fault(INSERT, "status", status=429, retry_after="3600")
    with pytest.raises(QuotaError) as info:
        signed_in.publish(draft)
    assert "60 minutes" in info.value.message and sleeps == []
    assert posts(server) == []


def test_pending_post_deleted_on_the_blog_is_created_again(
    signed_in: PublishService,
    server: BloggerServer,
    draft: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(path: Path, *args: object) -> None:
        raise WriteError(path, "the disk is full")

    monkeypatch.setattr("editor.publish.records.store_records", disk_full)
    with pytest.raises(DraftError):
        signed_in.publish(draft)
    monkeypatch.setattr("editor.publish.records.store_records", store_records)
    server.blogger.posts["7001"].clear()  # the writer deleted it in Blogger meanwhile
    result = signed_in.publish(draft)
    assert [p["id"] for p in posts(server)] == [result.post_id]
