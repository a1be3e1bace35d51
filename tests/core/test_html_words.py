"""The words of a post's HTML and of a Markdown draft: what "no word lost" counts."""

from __future__ import annotations

from collections import Counter

from editor.core.html_words import compare_words, draft_words, lost_words, visible_words


def test_visible_words_decode_entities_keep_case_and_skip_what_is_not_text() -> None:
    html = (
        "<p>Caf&eacute; &amp; <b>Bar</b>'s 2,500 signatures &ldquo;here&rdquo;</p>"
        "<!-- a hidden note --><script>var secret = 1;</script><style>p { color: red }</style>"
        '<img alt="not text" src="x.png">'
    )
    assert visible_words(html) == Counter(["Café", "Bar", "s", "2", "500", "signatures", "here"])


def test_blocks_and_breaks_separate_words_inline_tags_do_not() -> None:
    assert visible_words("<p>one</p><p>two</p>three<br>four <b>fi</b>ve") == Counter(
        ["one", "two", "three", "four", "five"]
    )


def test_decomposed_accents_are_one_word() -> None:
    assert visible_words("Re\u0301sidence") == Counter(["Résidence"])


def test_draft_words_are_what_the_draft_renders_to() -> None:
    markdown = "A [link](http://example.org/hidden) and ![alt](x.png) with <u>raw</u> HTML.\n"
    assert draft_words(markdown) == Counter(["A", "link", "and", "with", "raw", "HTML"])


def test_a_draft_that_swallows_text_loses_those_words() -> None:
    """Text that Markdown reads as a link definition or a tag is not on the page."""
    html = "<p>[note]: http://example.org</p><p>a &lt;b and c&gt; d</p>"
    assert lost_words(html, "[note]: http://example.org\n\na <b and c> d\n") == [
        "note",
        "http",
        "example",
        "org",
        "b",
        "and",
        "c",
    ]


def test_compare_words_names_lost_and_added_words() -> None:
    assert compare_words("<p>one two three</p>", "one [two](three)\n") == (["three"], [])
    assert compare_words("<p>one</p>", "one [x](http://y\n") == ([], ["http", "x", "y"])
