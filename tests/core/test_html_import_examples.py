"""Importing the real Blogger storage shapes (tests/fixtures/blogger-html, copied from
../shared/blogger-html): no word lost, and re-publishing unchanged shows the same post."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from editor.core.html_import import html_to_markdown, lost_words
from editor.core.post import Post
from editor.core.render import render_for_publishing
from tests.core.html_facts import facts

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "blogger-html"
POSTS = {post["file"]: post for post in json.loads((EXAMPLES / "posts.json").read_text("utf-8"))}
FILES = sorted(POSTS)
# Parts of these posts have no Markdown form; each is kept as HTML and says why.
EXPECTED_KEPT = {
    "03-pictures-from-the-depot.html": ["an image placed at the left"],
    "07-hearing-video.html": ["an embedded video (iframe)"],
    "08-four-lines.html": ["underlined text"],
    "10-banner-on-the-facade.html": ["right-to-left text"],
}


def _html(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_the_fixture_copies_match_the_shared_examples() -> None:
    """The copies read by CI are the examples (checked where the shared folder exists)."""
    shared = Path(__file__).resolve().parents[4] / "shared" / "blogger-html"
    assert len(FILES) == 12
    for name in FILES:
        assert POSTS[name]["content"] == _html(name)
        if shared.is_dir():
            assert (shared / name).read_text(encoding="utf-8") == _html(name)


@pytest.mark.parametrize("name", FILES)
def test_every_example_converts_without_losing_a_word(name: str) -> None:
    html = _html(name)
    conversion = html_to_markdown(html)
    assert not conversion.fallback, conversion.missing_words
    assert conversion.missing_words == []
    assert lost_words(html, conversion.markdown) == []
    assert conversion.kept_html == EXPECTED_KEPT.get(name, [])
    assert conversion.markdown.endswith("\n") and not conversion.markdown.endswith("\n\n")


@pytest.mark.parametrize("name", FILES)
def test_republishing_an_unedited_import_shows_the_same_post(name: str) -> None:
    """Same words in the same order, same images, links, captions and jump breaks."""
    original = _html(name)
    markdown = html_to_markdown(original).markdown
    rendered = render_for_publishing(Post(meta={"title": POSTS[name]["title"]}, body=markdown))
    before, after = facts(original), facts(rendered)
    assert after.words == before.words
    assert after.images == before.images
    assert after.links == before.links
    assert after.captions == before.captions
    assert after.words_before_breaks == before.words_before_breaks


def test_the_examples_show_every_shape_they_are_meant_to() -> None:
    """Guards the round-trip test against passing on trivial input."""
    found = {name: facts(_html(name)) for name in FILES}
    assert len(found["03-pictures-from-the-depot.html"].images) == 3
    assert len(found["04-nurses-picket.html"].captions) == 2
    assert len(found["11-a-year-of-organising.html"].captions) == 1
    assert len(found["02-budget-line.html"].words_before_breaks) == 1
    assert len(found["11-a-year-of-organising.html"].words_before_breaks) == 1
    assert len(found["09-who-pays.html"].links) == 4


def test_the_examples_convert_quickly() -> None:
    """All twelve in well under a second each (import of a 2,500-post blog depends on it)."""
    started = time.perf_counter()
    for name in FILES:
        html_to_markdown(_html(name))
    assert time.perf_counter() - started < 12
