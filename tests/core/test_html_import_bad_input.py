"""Importing HTML that is broken, empty, huge or absurdly nested: never an exception, never a
lost word; the whole post kept as raw HTML (publishable as it is) when it cannot be converted."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest

from editor.core import html_markdown
from editor.core.html_import import html_to_markdown, lost_words, raw_html_body
from editor.core.html_words import word_list
from editor.core.post import Post
from editor.core.render import render_for_publishing

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "blogger-html"


def published(markdown: str) -> str:
    """What publishing the draft sends (raises if the renderer refuses it)."""
    return render_for_publishing(Post(meta={"title": "Imported"}, body=markdown))


@pytest.mark.parametrize(
    "html",
    [
        "<p>Para one <b>bold <i>both<p>Para two <a href='x'>link<div>Div text",  # unclosed
        "<p>One</p></div></div><p>Two &lt; three < four > five</p></span></b>",  # stray ends
        "a < b and 3<4 and x <= y, <-- arrow, 1 <2",  # "<" in text
        "<p>a</p><!-- never closed <p>b</p>",
        "<div>a</div><script>document.write('</div>')</script><p>b *c*</p>",
        "<p>a <![CDATA[ hidden ]]> b <?php echo 1 ?> c</p>",
        "<table><tr><td>cell<tr><td>row two</table><li>stray item</li>",
    ],
)
def test_broken_html_converts_without_losing_a_word(html: str) -> None:
    conversion = html_to_markdown(html)
    assert lost_words(html, conversion.markdown) == []
    assert word_list(published(conversion.markdown)) == word_list(html)


@pytest.mark.parametrize("text", ["https://example.org/a-post.html", "notes.txt"])
def test_a_post_that_is_only_an_address_converts_without_a_warning(text: str) -> None:
    """bs4 warns when markup looks like a file name or address; a post may be just that."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        conversion = html_to_markdown(text)
    assert conversion.markdown == text + "\n" and not conversion.fallback


@pytest.mark.parametrize("html", ["", "   \n  ", "<p></p><div><br /></div>", "<!-- only -->"])
def test_empty_content_is_an_empty_draft(html: str) -> None:
    conversion = html_to_markdown(html)
    assert conversion.markdown.strip() in ("", "<!-- only -->")
    assert not conversion.fallback
    assert conversion.missing_words == []


def test_a_post_without_content_is_an_empty_draft() -> None:
    """Blogger leaves `content` out of an empty post: a caller may pass None along."""
    assert html_to_markdown(None) == html_to_markdown("")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("html", "converted"),
    [
        ("<div>" * 2000 + "Deep words here" + "</div>" * 2000, True),  # wrapper divs: flattened
        ("<span>" * 2000 + "Deep words" + "</span>" * 2000, True),  # cruft spans: unwrapped
        ("<blockquote>" * 2000 + "Deep quote" + "</blockquote>" * 2000, False),
        ("<b><i>" * 1000 + "Deep bold" + "</i></b>" * 1000, True),  # bold in bold: once
        ("<u>" * 2000 + "Deep underline" + "</u>" * 2000, False),
        ("<ul><li>" * 45 + "Deep item" + "</li></ul>" * 45, False),  # the renderer's limit is 50
    ],
)
def test_deep_nesting_never_raises_and_keeps_every_word(html: str, converted: bool) -> None:
    started = time.perf_counter()
    conversion = html_to_markdown(html)
    assert time.perf_counter() - started < 10
    assert conversion.fallback is not converted
    if not converted:
        assert conversion.kept_html[0].startswith("the whole post: its ")
        assert "nested" in conversion.kept_html[0]
        assert conversion.missing_words == []
    assert lost_words(html, conversion.markdown) == []
    assert word_list(published(conversion.markdown)) == word_list(html)


def test_a_five_megabyte_post_converts_in_reasonable_time() -> None:
    """Every example's shapes, repeated to 5 MB (measured: about 8 s on this machine)."""
    body = "".join(
        (EXAMPLES / name).read_text(encoding="utf-8").replace("<!--more-->", "")
        for name in sorted(p.name for p in EXAMPLES.glob("*.html"))
    )
    html = body * (5_000_000 // len(body) + 1)
    assert len(html.encode()) > 5_000_000
    started = time.perf_counter()
    conversion = html_to_markdown(html)
    elapsed = time.perf_counter() - started
    assert not conversion.fallback
    assert conversion.missing_words == []
    assert elapsed < 60, f"{elapsed:.1f} s"


def test_the_fallback_triggers_when_the_conversion_would_lose_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A converter rule that drops the text of bold: the check catches it, the post stays HTML."""
    monkeypatch.setattr(html_markdown.BlogMarkdownConverter, "convert_b", lambda *a, **k: "")
    html = (EXAMPLES / "08-four-lines.html").read_text(encoding="utf-8")
    conversion = html_to_markdown(html)
    assert conversion.fallback
    assert sorted(conversion.missing_words) == ["That", "is", "story", "the"]
    assert conversion.kept_html == [
        "the whole post: converting it to Markdown would have lost words"
    ]
    assert conversion.markdown == raw_html_body(html)
    assert lost_words(html, conversion.markdown) == []
    assert word_list(published(conversion.markdown)) == word_list(html)


def test_a_converter_failure_is_a_fallback_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise ValueError("a bug")

    monkeypatch.setattr(html_markdown.BlogMarkdownConverter, "convert_p", broken)
    conversion = html_to_markdown("<p>Still here.</p>")
    assert conversion.fallback
    assert conversion.kept_html == ["the whole post: the converter could not read its HTML"]
    assert word_list(published(conversion.markdown)) == ["Still", "here"]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.html")))
def test_the_raw_html_fallback_of_every_example_publishes_the_same_post(name: str) -> None:
    html = (EXAMPLES / name).read_text(encoding="utf-8")
    body = raw_html_body(html)
    page = published(body)
    assert word_list(page) == word_list(html)
    assert page.count("<!--more-->") == html.count("<!--more-->")


def test_the_raw_html_fallback_survives_markdown_lookalikes_and_stray_tags() -> None:
    html = "# not a heading<br />*not em* _x_ [a](b) </div> `c`<!--more--><p>after</p>"
    page = published(raw_html_body(html))
    assert "<h1>" not in page and "<em>" not in page and "<code>" not in page
    assert "# not a heading<br>*not em* _x_ [a](b)" in page.replace("<br/>", "<br>")
    assert page.count("<!--more-->") == 1
    assert word_list(page) == word_list(html)
