"""Update all N posts, against a blog platform's `KitTarget` (tests/publish/kit.py): a snippet
edited, every published post using it re-published; one post edited on the blog meanwhile is
stopped by the conflict check; cancel, crash and resume never send a post twice.

A platform runs these by importing them next to its `kit` fixture (test_snippets_blogger.py,
tests/wordpress/test_snippets_wordpress.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.publish.service import PublishResult
from editor.publish.snippet_update import (
    CONFLICT,
    UPDATED,
    SnippetUpdate,
    UpdateProgress,
    posts_using,
)
from tests.publish.kit import KitTarget, one_sentence, unique

__all__ = [
    "test_snippet_update_all_updates_every_post_but_one_edited_on_the_blog",
    "test_snippet_update_cancel_crash_and_resume_send_each_post_once",
]


class Clock:
    """A clock the rate limiter reads and a sleep that moves it: tests never wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


def publish_users(kit: KitTarget, footer: str, count: int = 3) -> list[tuple[Path, PublishResult]]:
    """`count` drafts in the drafts folder including the footer, each published."""
    paths = kit.service.paths
    paths.snippets_dir.mkdir(parents=True, exist_ok=True)
    (paths.snippets_dir / "footer.md").write_text(footer, encoding="utf-8")
    paths.drafts_dir.mkdir(parents=True, exist_ok=True)
    published = []
    for n in range(count):
        title = unique(f"Snippet user {n}")
        path = paths.drafts_dir / f"user-{n}.md"
        path.write_text(
            f"---\ntitle: {title}\n---\n\nPost number {n}.\n\n{{% include footer %}}\n",
            encoding="utf-8",
        )
        published.append((path, kit.service.publish(path, kit.blog_key)))
    # A draft that is not published and one without the include: never updated.
    (paths.drafts_dir / "unpublished.md").write_text("---\ntitle: U\n---\n{% include footer %}\n")
    return published


def edit_footer(kit: KitTarget, text: str) -> None:
    (kit.service.paths.snippets_dir / "footer.md").write_text(text, encoding="utf-8")


def test_snippet_update_all_updates_every_post_but_one_edited_on_the_blog(
    kit: KitTarget,
) -> None:
    published = publish_users(kit, "Footer *one*.\n")
    for _path, result in published:
        assert "Footer <em>one</em>." in kit.post(result.post_id).html
    assert len(posts_using(kit.service, "footer")) == 3
    edit_footer(kit, "Footer *two*, edited.\n")
    edited = published[1][1].post_id
    kit.edit_on_the_blog(edited, "Edited on the blog")
    steps: list[UpdateProgress] = []
    clock = Clock()
    report = SnippetUpdate(kit.service, "footer", clock=clock, sleep=clock.sleep).run(steps.append)

    assert report.finished and not report.ok
    assert [o.outcome for o in report.outcomes] == [UPDATED, CONFLICT, UPDATED]
    conflict = report.of(CONFLICT)[0]
    one_sentence(conflict.message, kit)
    assert conflict.post.path == published[1][0]
    for index in (0, 2):
        html = kit.post(published[index][1].post_id).html
        assert "Footer <em>two</em>, edited." in html and "one" not in html
    theirs = kit.post(edited)
    assert theirs.title == "Edited on the blog" and "Footer <em>one</em>." in theirs.html
    assert [(s.done, s.total) for s in steps if s.outcome] == [(1, 3), (2, 3), (3, 3)]
    assert [s.current.title for s in steps if s.current] == [
        p.read_text().split("title: ")[1].split("\n")[0] for p, _ in published
    ]
    assert report.summary() == "2 of 3 posts updated, 1 changed on the blog and left as they are."
    assert not SnippetUpdate(kit.service, "footer").journal.path.exists()
    assert kit.count() >= 3 and len({p.id for p in kit.posts()}) == kit.count()


def test_snippet_update_cancel_crash_and_resume_send_each_post_once(
    kit: KitTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = publish_users(kit, "Old footer.\n", count=4)
    before = kit.count()
    edit_footer(kit, "New footer.\n")
    sent: list[Path] = []
    real_publish = kit.service.publish

    def counting(path: Path, *args: object, **kwargs: object) -> PublishResult:
        sent.append(Path(path))
        return real_publish(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kit.service, "publish", counting)
    clock = Clock()

    # Cancelled after the first post: it stops between posts and says what was not sent.
    update = SnippetUpdate(kit.service, "footer", clock=clock, sleep=clock.sleep)
    first = update.run(cancelled=lambda: len(sent) >= 1)
    assert first.cancelled and [o.outcome for o in first.outcomes] == [UPDATED]
    assert "Cancelled: 3 not sent" in first.summary()
    assert update.journal.path.exists()

    # A crash while sending the third post: the journal keeps the second as done.
    def crashing(path: Path, *args: object, **kwargs: object) -> PublishResult:
        if len(sent) == 2:
            sent.append(Path(path))
            raise RuntimeError("the program stopped here")
        return counting(path, *args, **kwargs)

    monkeypatch.setattr(kit.service, "publish", crashing)
    with pytest.raises(RuntimeError):
        SnippetUpdate(kit.service, "footer", clock=clock, sleep=clock.sleep).run()
    monkeypatch.setattr(kit.service, "publish", counting)

    again = SnippetUpdate(kit.service, "footer", clock=clock, sleep=clock.sleep)
    assert again.interrupted() is not None and len(again.posts()) == 4
    last = again.run()
    assert last.resumed == 2 and last.ok, last.summary()
    assert sent == [p for p, _ in published[:3]] + [published[2][0], published[3][0]]
    for _path, result in published:
        assert "New footer." in kit.post(result.post_id).html
    assert kit.count() == before  # updated in place, never a second copy
    assert not again.journal.path.exists()
