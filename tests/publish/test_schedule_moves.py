"""Moving and cancelling a scheduled post (editor.publish.schedule) against the Blogger contract
server: what Blogger is sent (revert, then publish at the new date), the writer's zone, and
`broadsheet schedule move|cancel`. Every platform's side is in the kit (kit_schedule.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from editor import cli
from editor.core.local_zone import system_zone_id
from editor.core.post_fields import read_fields
from editor.core.post_records import load_records
from editor.publish import blogger
from editor.publish.base import SCHEDULED
from editor.publish.errors import ConfigError, LeftAsDraftError, PostGoneError
from editor.publish.schedule import describe, writer_time
from editor.publish.service import PublishMode, PublishService
from tests.publish.blogger_server import BloggerServer
from tests.publish.kit import write_draft

BLOG = blogger.blog_key("7001")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def in_berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The writer's computer is in Berlin (TZ names the zone)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    system_zone_id.cache_clear()
    yield
    monkeypatch.undo()
    system_zone_id.cache_clear()


def the_post(server: BloggerServer, post_id: str) -> dict:  # type: ignore[type-arg]
    with server.lock:
        return dict(server.blogger.posts["7001"][post_id])


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def future(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(second=0, microsecond=0)


def test_a_wall_clock_time_takes_the_writers_zone_with_its_daylight_saving(
    in_berlin: None,
) -> None:
    summer, zone = writer_time(datetime(2031, 10, 25, 10, 0))  # the day before clocks go back
    winter, _zone = writer_time(datetime(2031, 10, 26, 10, 0))
    assert zone == "Europe/Berlin"
    assert summer.astimezone(UTC).hour == 8 and winter.astimezone(UTC).hour == 9
    # A bare offset the writer's zone has then is shown in that zone; another one is kept.
    offset, named = writer_time(datetime.fromisoformat("2031-10-26T10:00+01:00"))
    assert named == "Europe/Berlin" and offset == winter
    elsewhere, unnamed = writer_time(datetime.fromisoformat("2031-10-26T10:00-05:00"))
    assert unnamed == "" and elsewhere.utcoffset() == timedelta(hours=-5)
    assert describe(winter, zone) == "26 October 2031 at 10:00 (Europe/Berlin, UTC+01:00)"


def test_blogger_moves_a_scheduled_post_by_reverting_then_publishing_at_the_new_date(
    server: BloggerServer, signed_in: PublishService, tmp_path: Path
) -> None:
    path = write_draft(tmp_path, "Moved on Blogger", "Next month instead.")
    first = future(10)
    result = signed_in.publish(path, BLOG, mode=PublishMode.SCHEDULE, at=first)
    assert load_records(path)[BLOG]["scheduled"] == writer_time(first)[0].isoformat()
    reverts, publishes = server.count("blogger.posts.revert"), server.count("blogger.posts.publish")
    moved = future(30)

    signed_in.reschedule(path, moved)

    assert server.count("blogger.posts.revert") == reverts + 1
    assert server.count("blogger.posts.publish") == publishes + 1
    post = the_post(server, result.post_id)
    assert post["status"] == "SCHEDULED" and utc(post["published"]) == moved
    assert server.count("blogger.posts.insert") == 1


def test_a_move_that_stops_after_the_revert_leaves_a_record_that_says_draft(
    server: BloggerServer, signed_in: PublishService, tmp_path: Path
) -> None:
    path = write_draft(tmp_path, "Half moved on Blogger", "Reverted, then the network failed.")
    result = signed_in.publish(path, BLOG, mode=PublishMode.SCHEDULE, at=future(10))
    server.fault("blogger.posts.publish", "status", status=500, times=50)

    with pytest.raises(LeftAsDraftError) as half:
        signed_in.reschedule(path, future(20))

    assert half.value.message.startswith("The post was turned back into a draft on the blog")
    assert the_post(server, result.post_id)["status"] == "DRAFT"
    record = load_records(path)[BLOG]
    assert record["status"] == "DRAFT" and "scheduled" not in record
    fields = read_fields(path.read_text(encoding="utf-8"))
    assert fields.status == "draft" and fields.scheduled is None
    assert half.value.record["status"] == "DRAFT" and half.value.blog_key == BLOG
    # Not refused as "cancelled there": the draft says what it is, and publishing it again
    # schedules that same post anew.
    with pytest.raises(ConfigError) as nothing:
        signed_in.reschedule(path, future(20))
    assert nothing.value.message == f"{path.name} is not scheduled on any of your blogs."
    server.faults.clear()
    again = future(21)
    signed_in.publish(path, BLOG, mode=PublishMode.SCHEDULE, at=again)
    post = the_post(server, result.post_id)
    assert post["status"] == "SCHEDULED" and utc(post["published"]) == again
    assert server.count("blogger.posts.insert") == 1
    signed_in.unschedule(path)
    assert the_post(server, result.post_id)["status"] == "DRAFT"


def test_a_post_deleted_on_the_blog_has_no_schedule_to_move(
    server: BloggerServer, signed_in: PublishService, tmp_path: Path
) -> None:
    path = write_draft(tmp_path, "Gone from Blogger", "Deleted there.")
    result = signed_in.publish(path, BLOG, mode=PublishMode.SCHEDULE, at=future(5))
    with server.lock:
        del server.blogger.posts["7001"][result.post_id]
    kept = path.read_text(encoding="utf-8")
    with pytest.raises(PostGoneError) as gone:
        signed_in.unschedule(path)
    assert "deleted" in gone.value.message and "\n" not in gone.value.message
    assert path.read_text(encoding="utf-8") == kept
    assert load_records(path)[BLOG]["status"] == SCHEDULED


def test_a_draft_never_scheduled_is_said_so(
    server: BloggerServer, signed_in: PublishService, tmp_path: Path
) -> None:
    path = write_draft(tmp_path, "Live already", "Out now.")
    signed_in.publish(path, BLOG)
    with pytest.raises(ConfigError) as nothing:
        signed_in.reschedule(path, future(3))
    assert nothing.value.message == f"{path.name} is not scheduled on any of your blogs."


def test_the_command_line_moves_and_cancels_a_schedule(
    server: BloggerServer,
    signed_in: PublishService,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    in_berlin: None,
) -> None:
    path = write_draft(tmp_path, "From the terminal", "Scheduled, then not.")
    result = signed_in.publish(path, BLOG, mode=PublishMode.SCHEDULE, at=future(4))
    capsys.readouterr()
    day = (datetime.now(BERLIN) + timedelta(days=20)).date()
    wall = f"{day.isoformat()}T10:00"  # no offset: the writer's own time

    assert cli.main(["schedule", "move", str(path), wall, "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    expected = datetime.fromisoformat(wall).replace(tzinfo=BERLIN)
    assert said["zone"] == "Europe/Berlin" and said["status"] == "scheduled"
    assert datetime.fromisoformat(said["at"]) == expected and said["queued"] is False
    assert utc(the_post(server, result.post_id)["published"]) == expected
    assert read_fields(path.read_text(encoding="utf-8")).scheduled == expected

    assert cli.main(["schedule", "move", str(path), "next tuesday"]) == 1
    assert "not an ISO-8601 date and time" in capsys.readouterr().err
    assert cli.main(["schedule", "move", str(path), "2020-01-01T09:00+01:00"]) == 1
    assert "is in the past; choose a later time." in capsys.readouterr().err

    assert cli.main(["schedule", "cancel", str(path)]) == 0
    assert capsys.readouterr().out.startswith("Cancelled: the post stays on")
    assert the_post(server, result.post_id)["status"] == "DRAFT"
    assert read_fields(path.read_text(encoding="utf-8")).status == "draft"
    assert cli.main(["schedule", "cancel", str(path), "--json"]) == 1
    assert "is not scheduled" in capsys.readouterr().err
