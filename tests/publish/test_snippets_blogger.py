"""Update all N posts against the Blogger contract server (tests/publish/snippet_kit.py), and
the Blogger quota kept by the batch."""

from __future__ import annotations

from editor.publish.base import PublishMode, RateLimit
from editor.publish.snippet_update import SnippetUpdate, posts_using, usage_counts
from tests.publish.snippet_kit import *  # noqa: F403 - the snippet tests run against this `kit`
from tests.publish.snippet_kit import Clock, publish_users
from tests.publish.test_kit_blogger import BloggerKit, kit  # noqa: F401 - the fixture


def test_the_batch_keeps_bloggers_quota(kit: BloggerKit) -> None:  # noqa: F811
    published = publish_users(kit, "Quota footer.\n", count=2)
    (kit.service.paths.snippets_dir / "footer.md").write_text("Quota footer, new.\n")
    clock = Clock()
    update = SnippetUpdate(kit.service, "footer", clock=clock, sleep=clock.sleep)
    limiter = update._limiter(kit.blog_key)
    assert limiter.limits == (RateLimit(100, 100.0), RateLimit(10_000, 86_400.0))
    # 98 requests went in the last second (another batch, say): the next post must wait.
    limiter._sent.extend([clock.now - 1.0] * 98)
    report = update.run()
    assert report.ok
    assert 98.0 < clock.slept < 101.0  # until those 98 leave the 100-second window
    for _path, result in published:
        assert "Quota footer, new." in kit.post(result.post_id).html


def test_only_posts_readers_see_are_updated(kit: BloggerKit) -> None:  # noqa: F811
    published = publish_users(kit, "Seen footer.\n", count=1)
    drafts = kit.service.paths.drafts_dir
    on_blog = drafts / "draft-on-blog.md"
    on_blog.write_text("---\ntitle: Not yet\n---\n\n{% include footer %}\n", encoding="utf-8")
    kit.service.publish(on_blog, kit.blog_key, mode=PublishMode.DRAFT)
    without = drafts / "no-footer.md"
    without.write_text("---\ntitle: Plain\n---\n\nNo include here.\n", encoding="utf-8")
    kit.service.publish(without, kit.blog_key)
    assert [p.path for p in posts_using(kit.service, "footer")] == [published[0][0]]
    assert usage_counts(kit.service) == {"footer": 1}
