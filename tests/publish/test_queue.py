"""Publishing while the blog cannot be reached queues the post (editor.publish.queue): the
queue survives the program, is sent in order once the blog answers, exactly once, and stops
at a conflict. Against the Blogger contract server behind the fault proxy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor import cli
from editor.publish import blogger
from editor.publish.errors import ConflictError
from editor.publish.queue import PublishQueue, Queued, publish_or_queue, send_queue
from editor.publish.service import PublishMode, PublishService
from tests.publish.blogger_server import BloggerServer
from tests.publish.fault_proxy import FaultProxy
from tests.publish.kit import write_draft

BLOG = blogger.blog_key("7001")


@pytest.fixture
def proxy(
    server: BloggerServer, signed_in: PublishService, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FaultProxy]:
    with FaultProxy(server.base_url).start() as fault:
        monkeypatch.setenv(
            "BROADSHEET_BLOGGER_API_URL", fault.url + server.api_url[len(server.base_url) :]
        )
        yield fault


def posts(server: BloggerServer, title: str) -> list[dict]:  # type: ignore[type-arg]
    with server.lock:
        return [p for p in server.blogger.posts["7001"].values() if p["title"] == title]


def test_offline_publish_waits_in_the_queue_and_goes_out_once_when_back(
    server: BloggerServer, signed_in: PublishService, proxy: FaultProxy, tmp_path: Path
) -> None:
    first = write_draft(tmp_path, "Written on the train", "Words from the train.")
    second = write_draft(tmp_path, "Written in the cafe", "Words from the cafe.")
    proxy.offline()  # no network
    waiting = publish_or_queue(signed_in, first, BLOG)
    assert isinstance(waiting, Queued) and "connection" in waiting.note.lower()
    assert isinstance(publish_or_queue(signed_in, second, BLOG, mode=PublishMode.DRAFT), Queued)
    again = publish_or_queue(signed_in, first, BLOG)  # pressed Publish again: still one entry
    assert isinstance(again, Queued) and again.id == waiting.id
    queue = PublishQueue(signed_in.paths)
    assert [Path(q.path).name for q in queue.items()] == [first.name, second.name]
    assert posts(server, "Written on the train") == []
    # A new program (the first was quit or killed): the queue is in its file.
    assert json.loads(queue.file.read_text())["queue"][0]["path"] == str(first.absolute())
    still = send_queue(signed_in, PublishQueue(signed_in.paths))
    assert still.waiting_for_network and still.sent == [] and len(queue.items()) == 2
    proxy.online()  # the network is back
    report = send_queue(signed_in, PublishQueue(signed_in.paths))
    assert [Path(q.path).name for q, _r in report.sent] == [first.name, second.name]
    assert report.problem is None and queue.items() == []
    assert len(posts(server, "Written on the train")) == 1
    assert posts(server, "Written in the cafe")[0]["status"] == "DRAFT"
    assert "blogger:7001" in first.read_text()  # the draft knows where it went


def test_a_create_whose_answer_was_lost_is_not_sent_twice_from_the_queue(
    server: BloggerServer, signed_in: PublishService, proxy: FaultProxy, tmp_path: Path
) -> None:
    path = write_draft(tmp_path, "Lost on the way", "The answer never came.")
    proxy.lose(lambda m, p, b: m == "POST" and p.split("?")[0].rstrip("/").endswith("/posts"))
    proxy.cut(times=1_000_000)  # and then the network went down
    proxy.rules.reverse()  # the create's answer is lost first, the rest is cut
    done = publish_or_queue(signed_in, path, BLOG)
    assert isinstance(done, Queued)
    proxy.clear()
    report = send_queue(signed_in, PublishQueue(signed_in.paths))
    assert report.problem is None and len(report.sent) == 1
    assert len(posts(server, "Lost on the way")) == 1


def test_the_queue_stops_at_a_conflict_and_keeps_the_rest(
    server: BloggerServer, signed_in: PublishService, proxy: FaultProxy, tmp_path: Path
) -> None:
    edited = write_draft(tmp_path, "Edited on the web meanwhile", "Mine.")
    later = write_draft(tmp_path, "Next in line", "Waits its turn.")
    first = signed_in.publish(edited, BLOG)
    with server.lock:
        server.blogger.edit_on_web("7001", first.post_id, title="Their title")
    edited.write_text(edited.read_text().replace("Mine.", "Mine, edited offline."))
    proxy.offline()
    assert isinstance(publish_or_queue(signed_in, edited, BLOG), Queued)
    assert isinstance(publish_or_queue(signed_in, later, BLOG), Queued)
    proxy.online()
    report = send_queue(signed_in, PublishQueue(signed_in.paths))
    assert isinstance(report.problem, ConflictError) and report.sent == []
    items = PublishQueue(signed_in.paths).items()
    assert [Path(q.path).name for q in items] == [edited.name, later.name]
    assert items[0].note == report.problem.message  # the sentence, kept for the list
    assert posts(server, "Next in line") == []  # not sent past the conflict


def test_a_queued_publish_can_be_cancelled(
    signed_in: PublishService, proxy: FaultProxy, tmp_path: Path
) -> None:
    path = write_draft(tmp_path, "Not after all", "Changed my mind.")
    proxy.offline()
    queued = publish_or_queue(signed_in, path, BLOG)
    assert isinstance(queued, Queued)
    queue = PublishQueue(signed_in.paths)
    assert queue.cancel(queued.id) == queued and queue.items() == []
    assert queue.cancel(queued.id) is None


def test_the_command_line_queues_lists_and_sends(
    server: BloggerServer,
    signed_in: PublishService,
    proxy: FaultProxy,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_draft(tmp_path, "From the terminal", "Queued by hand.")
    proxy.offline()
    assert cli.main(["publish", str(path), "--blog", "7001", "--queue"]) == 0
    assert "broadsheet queue send" in capsys.readouterr().err
    assert cli.main(["queue"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.split("\t")[1:4] == [str(path.absolute()), BLOG, "publish"]
    assert cli.main(["queue", "send"]) == 1
    assert "1 still waiting to be published." in capsys.readouterr().err
    proxy.online()
    assert cli.main(["queue", "send"]) == 0
    assert str(path.absolute()) in capsys.readouterr().out
    assert cli.main(["queue", "--json"]) == 0 and json.loads(capsys.readouterr().out) == []
    assert len(posts(server, "From the terminal")) == 1


@pytest.fixture
def cannot_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blogger's entry as a platform without scheduling (as Micropub is)."""
    from dataclasses import replace

    from editor.publish import providers

    entry = providers.PROVIDERS["blogger"]
    unscheduled = replace(entry, capabilities=replace(entry.capabilities, scheduling=False))
    monkeypatch.setitem(providers.PROVIDERS, "blogger", unscheduled)


@pytest.mark.parametrize(
    ("wall", "fold", "utc"),
    [
        # The night clocks go back in Berlin (25 Oct 2026): 02:30 happens twice.
        ((2026, 10, 25, 2, 30), 0, (2026, 10, 25, 0, 30)),  # the first time (CEST, +2)
        ((2026, 10, 25, 2, 30), 1, (2026, 10, 25, 1, 30)),  # the second time (CET, +1)
        # The morning after clocks went forward (29 Mar 2026): 09:00 is at +2, not +1.
        ((2026, 3, 29, 9, 0), 0, (2026, 3, 29, 7, 0)),
    ],
)
def test_a_post_scheduled_where_the_blog_cannot_schedule_goes_out_at_its_time(
    server: BloggerServer,
    signed_in: PublishService,
    proxy: FaultProxy,
    tmp_path: Path,
    cannot_schedule: None,
    wall: tuple[int, int, int, int, int],
    fold: int,
    utc: tuple[int, int, int, int, int],
) -> None:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    title = f"Due at {wall} fold {fold}"
    path = write_draft(tmp_path, title, "Out when its time comes.")
    at = datetime(*wall, tzinfo=ZoneInfo("Europe/Berlin"), fold=fold)
    queued = publish_or_queue(signed_in, path, BLOG, mode=PublishMode.SCHEDULE, at=at)
    assert isinstance(queued, Queued) and "if this computer is on then" in queued.note
    assert queued.mode == "publish" and posts(server, title) == []
    due = datetime(*utc, tzinfo=UTC)
    queue = PublishQueue(signed_in.paths)
    assert queue.next_due() == due
    early = send_queue(signed_in, queue, now=due - timedelta(minutes=1))
    assert early.sent == [] and early.problem is None and posts(server, title) == []
    report = send_queue(signed_in, queue, now=due)
    assert len(report.sent) == 1 and posts(server, title)[0]["status"] == "LIVE"
    assert queue.items() == []


def test_a_post_not_yet_due_does_not_hold_back_the_ones_behind_it(
    server: BloggerServer,
    signed_in: PublishService,
    proxy: FaultProxy,
    tmp_path: Path,
    cannot_schedule: None,
) -> None:
    from datetime import UTC, datetime, timedelta

    later = write_draft(tmp_path, "Next week", "Later.")
    now_one = write_draft(tmp_path, "Right now", "Now.")
    soon = datetime.now(UTC) + timedelta(days=7)
    publish_or_queue(signed_in, later, BLOG, mode=PublishMode.SCHEDULE, at=soon)
    proxy.offline()
    assert isinstance(publish_or_queue(signed_in, now_one, BLOG), Queued)
    proxy.online()
    report = send_queue(signed_in, PublishQueue(signed_in.paths))
    assert [Path(q.path).name for q, _r in report.sent] == [now_one.name]
    assert posts(server, "Next week") == [] and len(posts(server, "Right now")) == 1
