"""The offline queue (editor/publish/queue.py) against the real WordPress on loopback: the
network cut and restored by the fault proxy in front of it (connections refused, a create
whose answer is lost, the server failing), and each post on the site exactly once after."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.publish.base import PublishMode
from editor.publish.queue import PublishQueue, Queued, publish_or_queue, send_queue
from tests.publish.kit import write_draft
from tests.wordpress.test_kit_wordpress import WordPressKit, kit  # noqa: F401 - the fixture

pytestmark = pytest.mark.wordpress


def on_site(target: WordPressKit, title: str) -> list[dict]:  # type: ignore[type-arg]
    """The site's posts with exactly this title, whatever their status."""
    found = target.site.get("wp/v2/posts", search=title, status="any", context="edit")
    return [post for post in found if post["title"]["raw"] == title]


def test_offline_publishes_wait_and_each_goes_out_once_when_the_network_is_back(
    kit: WordPressKit,  # noqa: F811
    tmp_path: Path,
) -> None:
    first = write_draft(tmp_path, "Queued on the night train", "Words from the train.")
    second = write_draft(tmp_path, "Queued in the cafe", "Words from the cafe.")
    kit.proxy.offline()  # connections refused, as with no network
    waiting = publish_or_queue(kit.service, first, kit.blog_key)
    assert isinstance(waiting, Queued) and "connection" in waiting.note.lower()
    queued = publish_or_queue(kit.service, second, kit.blog_key, mode=PublishMode.DRAFT)
    assert isinstance(queued, Queued)
    still = send_queue(kit.service, PublishQueue(kit.service.paths))  # still offline
    assert still.waiting_for_network and still.sent == []
    assert on_site(kit, "Queued on the night train") == []
    kit.proxy.online()
    report = send_queue(kit.service, PublishQueue(kit.service.paths))  # a new program
    assert report.problem is None
    assert [Path(q.path).name for q, _result in report.sent] == [first.name, second.name]
    assert PublishQueue(kit.service.paths).items() == []
    [live] = on_site(kit, "Queued on the night train")
    [draft] = on_site(kit, "Queued in the cafe")
    assert live["status"] == "publish" and draft["status"] == "draft"
    assert live["link"] in first.read_text(encoding="utf-8")  # the draft knows where it went


def test_a_create_whose_answer_was_lost_is_not_sent_twice_from_the_queue(
    kit: WordPressKit,  # noqa: F811
    tmp_path: Path,
) -> None:
    title = "Queued, its answer lost"
    path = write_draft(tmp_path, title, "WordPress made it; the answer never came.")
    kit.proxy.cut(times=1_000_000)  # after the lost answer, the network goes down
    kit.proxy.lose(kit.is_create)
    kit.proxy.rules.reverse()  # the create's answer is lost first
    assert isinstance(publish_or_queue(kit.service, path, kit.blog_key), Queued)
    assert len(on_site(kit, title)) == 1  # WordPress did make it
    kit.proxy.clear()
    report = send_queue(kit.service, PublishQueue(kit.service.paths))
    assert report.problem is None and len(report.sent) == 1
    assert len(on_site(kit, title)) == 1  # found by its marker, not made again


def test_a_failing_server_queues_the_post_until_it_answers(
    kit: WordPressKit,  # noqa: F811
    tmp_path: Path,
) -> None:
    title = "Queued while the server failed"
    path = write_draft(tmp_path, title, "The blog's server answered 503.")
    kit.proxy.answer(kit.is_api, 503)
    queued = publish_or_queue(kit.service, path, kit.blog_key)
    assert isinstance(queued, Queued) and queued.note
    assert on_site(kit, title) == []
    kit.proxy.clear()
    report = send_queue(kit.service, PublishQueue(kit.service.paths))
    assert report.problem is None and len(report.sent) == 1
    assert [post["status"] for post in on_site(kit, title)] == ["publish"]
