"""The contract kit's tests of moving and cancelling a scheduled post (editor.publish.schedule),
for every platform: on a blog that schedules, the post's time on the server moves (or it
becomes a draft there); on one that cannot, Broadsheet's queue holds the post and its entry
moves (or goes). A test module joins with `from tests.publish.kit_schedule import *` next to
the kit's own import; it uses the same `kit` fixture.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from editor.core.post_fields import read_fields
from editor.core.post_records import load_records
from editor.publish.base import DRAFT, LIVE, SCHEDULED, PublishMode
from editor.publish.errors import ChangedThereError, ConfigError
from editor.publish.queue import PublishQueue, Queued, publish_or_queue, send_queue
from tests.publish.kit import KitTarget, one_sentence, unique, write_draft

__all__ = [
    "test_kit_a_schedule_moves_across_the_daylight_saving_change",
    "test_kit_a_schedule_is_cancelled",
    "test_kit_a_time_in_the_past_is_refused",
    "test_kit_a_post_changed_on_the_blog_keeps_its_schedule",
]

BERLIN = ZoneInfo("Europe/Berlin")


def next_fall_back(zone: ZoneInfo) -> date:
    """The next day (at least two days ahead) on which the zone's clocks go back."""
    day = datetime.now(zone).date() + timedelta(days=2)
    while True:
        before = datetime.combine(day - timedelta(days=1), time(12), zone).utcoffset()
        after = datetime.combine(day, time(12), zone).utcoffset()
        assert before is not None and after is not None
        if after < before:
            return day
        day += timedelta(days=1)


def schedule(kit: KitTarget, path: Path, at: datetime) -> str | None:
    """Schedule the draft as the writer does; the post's id, or None when the queue holds it."""
    done = publish_or_queue(kit.service, path, kit.blog_key, mode=PublishMode.SCHEDULE, at=at)
    if isinstance(done, Queued):
        assert not kit.capabilities.scheduling, "a blog that schedules was given to the queue"
        return None
    assert done.status == SCHEDULED
    return done.post_id


def goes_live_at(kit: KitTarget, path: Path, post_id: str | None) -> datetime | None:
    """When the post goes live as the server keeps it (or the queue, where it holds it)."""
    if post_id is None:
        waiting = PublishQueue(kit.service.paths).waiting_for_time(path)
        entry = waiting.get(kit.blog_key)
        return datetime.fromisoformat(entry.due) if entry and entry.due else None
    return kit.post(post_id).published


def test_kit_a_schedule_moves_across_the_daylight_saving_change(
    kit: KitTarget, tmp_path: Path
) -> None:
    title = unique("Kit moved")
    path = write_draft(tmp_path, title, "Out a day later.")
    day = next_fall_back(BERLIN)
    first = datetime.combine(day - timedelta(days=1), time(10), BERLIN)  # summer time, +2
    moved = datetime.combine(day, time(10), BERLIN)  # winter time, +1
    post_id = schedule(kit, path, first)
    assert goes_live_at(kit, path, post_id) == first.astimezone(UTC)
    assert first.astimezone(UTC).hour == 8
    count = kit.count()

    change = kit.service.reschedule(path, moved)

    sent = goes_live_at(kit, path, post_id)
    assert sent == moved.astimezone(UTC) and sent.astimezone(UTC).hour == 9
    assert change.at == moved and change.zone == "Europe/Berlin"
    assert "Europe/Berlin, UTC+01:00" in change.message
    one_sentence(change.message, kit)
    assert kit.count() == count, "moving made no new post"
    fields = read_fields(path.read_text(encoding="utf-8"))
    assert fields.scheduled == moved and fields.scheduled.utcoffset() == timedelta(hours=1)
    if post_id is None:
        # Broadsheet publishes it at the new time, not at the old one.
        queue = PublishQueue(kit.service.paths)
        assert send_queue(kit.service, queue, now=first.astimezone(UTC)).sent == []
        assert kit.titled(title) == []
        assert len(send_queue(kit.service, queue, now=moved.astimezone(UTC)).sent) == 1
        assert [p.status for p in kit.titled(title)] == [LIVE]
        return
    post = kit.post(post_id)
    assert post.status == SCHEDULED and post.title == title
    record = load_records(path)[kit.blog_key]
    assert record["status"] == SCHEDULED and record["zone"] == "Europe/Berlin"
    assert datetime.fromisoformat(record["scheduled"]) == moved
    # Moved again: the record says where it stands, so the move repeats cleanly.
    later = moved + timedelta(days=1)
    kit.service.reschedule(path, later)
    assert goes_live_at(kit, path, post_id) == later.astimezone(UTC)


def test_kit_a_schedule_is_cancelled(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit cancelled")
    path = write_draft(tmp_path, title, "Not yet after all.")
    at = (datetime.now(UTC) + timedelta(days=7)).replace(second=0, microsecond=0)
    post_id = schedule(kit, path, at)
    count = kit.count()

    change = kit.service.unschedule(path)

    one_sentence(change.message, kit)
    assert change.at is None and change.message.startswith("Cancelled")
    assert read_fields(path.read_text(encoding="utf-8")).scheduled is None
    if post_id is None:
        assert change.queued and PublishQueue(kit.service.paths).waiting_for_time(path) == {}
        assert kit.titled(title) == [] and kit.count() == count
    else:
        assert kit.post(post_id).status == DRAFT and kit.count() == count
        record = load_records(path)[kit.blog_key]
        assert record["status"] == DRAFT and "scheduled" not in record
        assert read_fields(path.read_text(encoding="utf-8")).status == "draft"
    # Nothing is scheduled any more: a second cancel says so.
    with pytest.raises(ConfigError) as nothing:
        kit.service.unschedule(path)
    one_sentence(nothing.value.message, kit)


def test_kit_a_time_in_the_past_is_refused(kit: KitTarget, tmp_path: Path) -> None:
    path = write_draft(tmp_path, unique("Kit past"), "Time only goes one way.")
    at = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)
    post_id = schedule(kit, path, at)
    kept = path.read_text(encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        kit.service.reschedule(path, datetime.now(UTC) - timedelta(hours=1))
    one_sentence(refused.value.message, kit)
    assert "in the past" in refused.value.message
    assert goes_live_at(kit, path, post_id) == at
    assert path.read_text(encoding="utf-8") == kept


def test_kit_a_post_changed_on_the_blog_keeps_its_schedule(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit changed there")
    path = write_draft(tmp_path, title, "Edited elsewhere meanwhile.")
    at = (datetime.now(UTC) + timedelta(days=5)).replace(second=0, microsecond=0)
    later = at + timedelta(days=1)
    if not kit.capabilities.scheduling:
        # Nothing of it is scheduled on the blog: a live post has no schedule to move.
        post_id = kit.service.publish(path, kit.blog_key).post_id
        with pytest.raises(ConfigError) as refused:
            kit.service.reschedule(path, later)
        one_sentence(refused.value.message, kit)
        assert kit.post(post_id).status == LIVE
        return
    post_id = schedule(kit, path, at)
    assert post_id is not None
    kit.edit_on_the_blog(post_id, "Retitled on the blog")
    kept = path.read_text(encoding="utf-8")
    with pytest.raises(ChangedThereError) as refused:
        kit.service.reschedule(path, later)
    one_sentence(refused.value.message, kit)
    with pytest.raises(ChangedThereError):
        kit.service.unschedule(path)
    post = kit.post(post_id)
    assert post.status == SCHEDULED and post.published == at
    assert post.title == "Retitled on the blog"
    assert path.read_text(encoding="utf-8") == kept
