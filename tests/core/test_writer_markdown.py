"""Markdown as writers paste it from GitHub, Obsidian, VS Code or Typora renders as CommonMark/GFM.

Each expected HTML is what the CommonMark 0.31.2 / GFM 0.29 spec gives for the input; both
sides are compared after the benchmark's fair normalisation (inline styles, task-list classes,
smart quotes and code colouring are Broadsheet's own additions, see benchmarks/commonmark.py).
"""

from __future__ import annotations

import pytest

from benchmarks.commonmark import normalise
from editor.core.md_writer import tagfilter
from editor.core.render import RenderOptions, render_body, strip_editor_markers

CASES = {
    "nested list indented by 2 spaces": (
        "- fruit\n  - apple\n  - pear\n    - conference\n- bread\n",
        "<ul><li>fruit<ul><li>apple</li><li>pear<ul><li>conference</li></ul></li></ul></li>"
        "<li>bread</li></ul>",
    ),
    "3-space sub-list under 1.": (
        "1. first\n   - a\n   - b\n2. second\n",
        "<ol><li>first<ul><li>a</li><li>b</li></ul></li><li>second</li></ol>",
    ),
    "continuation paragraph indented by 2 spaces": (
        "- one\n\n  more about one\n- two\n",
        "<ul><li><p>one</p><p>more about one</p></li><li><p>two</p></li></ul>",
    ),
    "list right after a paragraph": (
        "Things:\n- milk\n- eggs\n",
        "<p>Things:</p><ul><li>milk</li><li>eggs</li></ul>",
    ),
    "numbered list right after a paragraph": (
        "Steps:\n1. open\n2. close\n",
        "<p>Steps:</p><ol><li>open</li><li>close</li></ol>",
    ),
    "a number in a sentence does not interrupt it": (
        "The year was\n1984. It rained.\n",
        "<p>The year was 1984. It rained.</p>",
    ),
    "table right after a paragraph": (
        "Prices:\n| item | cost |\n| --- | ---: |\n| tea | 2 |\n",
        '<p>Prices:</p><table><thead><tr><th>item</th><th align="right">cost</th></tr></thead>'
        '<tbody><tr><td>tea</td><td align="right">2</td></tr></tbody></table>',
    ),
    "bare URL": (
        "See https://example.org/a?b=1 now.\n",
        '<p>See <a href="https://example.org/a?b=1">https://example.org/a?b=1</a> now.</p>',
    ),
    "www. address": (
        "Visit www.commonmark.org/help for more.\n",
        '<p>Visit <a href="http://www.commonmark.org/help">www.commonmark.org/help</a>'
        " for more.</p>",
    ),
    "e-mail address": (
        "Write to foo@bar.baz.\n",
        '<p>Write to <a href="mailto:foo@bar.baz">foo@bar.baz</a>.</p>',
    ),
    "an autolink in angle brackets with any scheme": (
        "<irc://foo.bar:2233/baz>\n",
        '<p><a href="irc://foo.bar:2233/baz">irc://foo.bar:2233/baz</a></p>',
    ),
    "backslash at the end of a line": ("foo\\\nbar\n", "<p>foo<br>bar</p>"),
    "1) numbered list": ("1) one\n2) two\n", "<ol><li>one</li><li>two</li></ol>"),
    "#hashtag is not a heading": ("#hashtag\n\n# Heading\n", "<p>#hashtag</p><h1>Heading</h1>"),
    "--- right under a list item is a rule": (
        "- item\n---\n",
        "<ul><li>item</li></ul><hr>",
    ),
    "single tilde strikethrough": (
        "~one~ and ~~two~~\n",
        "<p><del>one</del> and <del>two</del></p>",
    ),
    "nested task list": (
        "- [x] foo\n  - [ ] bar\n  - [x] baz\n- [ ] bim\n",
        '<ul><li><input checked="" disabled="" type="checkbox"> foo<ul>'
        '<li><input disabled="" type="checkbox"> bar</li>'
        '<li><input checked="" disabled="" type="checkbox"> baz</li></ul></li>'
        '<li><input disabled="" type="checkbox"> bim</li></ul>',
    ),
    "code block inside a list item": (
        "- install\n\n  ```\n  pip install x\n  ```\n- run\n",
        "<ul><li><p>install</p><pre><code>pip install x\n</code></pre></li>"
        "<li><p>run</p></li></ul>",
    ),
    "empty list items": ("- a\n-\n- c\n", "<ul><li>a</li><li></li><li>c</li></ul>"),
    "escaped pipe in a table cell": (
        "| a | b |\n| --- | --- |\n| x \\| y | z |\n",
        "<table><thead><tr><th>a</th><th>b</th></tr></thead>"
        "<tbody><tr><td>x | y</td><td>z</td></tr></tbody></table>",
    ),
    "escaped pipe in code in a table cell": (
        "| a |\n| --- |\n| `x \\| y` |\n",
        "<table><thead><tr><th>a</th></tr></thead>"
        "<tbody><tr><td><code>x | y</code></td></tr></tbody></table>",
    ),
    "a quote right under a table ends it": (
        "| a | b |\n| --- | --- |\n| c | d |\n> quoted\n",
        "<table><thead><tr><th>a</th><th>b</th></tr></thead>"
        "<tbody><tr><td>c</td><td>d</td></tr></tbody></table><blockquote><p>quoted</p></blockquote>",
    ),
    "a table with a header only": (
        "| a | b |\n| --- | --- |\n",
        "<table><thead><tr><th>a</th><th>b</th></tr></thead></table>",
    ),
    "code span keeps inner spaces": (
        "`` ` `` and ` a`\n",
        "<p><code>`</code> and <code> a</code></p>",
    ),
    "any punctuation can be escaped": ("Costs \\$5 \\@home\n", "<p>Costs $5 @home</p>"),
    "a rule under a quote": ("> quoted\n---\n", "<blockquote><p>quoted</p></blockquote><hr>"),
    "an indented setext underline": ("Title\n   ----   \n", "<h2>Title</h2>"),
    "a list numbered from 003": ("003. ok\n", '<ol start="3"><li>ok</li></ol>'),
    "ten digits are no list number": ("1234567890. not ok\n", "<p>1234567890. not ok</p>"),
    "a list right under a quote is outside it": (
        "> quoted\n- item\n",
        "<blockquote><p>quoted</p></blockquote><ul><li>item</li></ul>",
    ),
    "a line after an empty quote line is outside the quote": (
        "> quoted\n>\nafter\n",
        "<blockquote><p>quoted</p></blockquote><p>after</p>",
    ),
    "spaces after a heading's closing hashes": ("### foo ###   \n", "<h3>foo</h3>"),
    "a rule typed with tabs": ("*\t*\t*\n", "<hr>"),
    "a rule right under a rule": ("***\n---\n", "<hr><hr>"),
    "heading indented by a space": (" ## Plan\n", "<h2>Plan</h2>"),
    "a blank line between two items makes the whole list loose": (
        "- a\n- b\n\n- c\n",
        "<ul><li><p>a</p></li><li><p>b</p></li><li><p>c</p></li></ul>",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_renders_as_commonmark_and_gfm_do(name: str) -> None:
    markdown, expected = CASES[name]
    assert normalise(render_body(markdown)) == normalise(expected)


def test_markdown_inside_details_separated_by_blank_lines_is_rendered() -> None:
    markdown = "<details>\n<summary>More</summary>\n\n**bold** text\n\n</details>\n"
    html = normalise(render_body(markdown))
    assert "<strong>bold</strong>" in html
    assert html.startswith("<details><summary>More</summary>")
    assert html.endswith("</details>")


def test_html_block_without_blank_lines_stays_raw() -> None:
    markdown = "<div>\n*not emphasis*\n</div>\n"
    assert normalise(render_body(markdown)) == normalise("<div>\n*not emphasis*\n</div>")


def test_code_inside_an_indented_numbered_item_keeps_no_extra_spaces() -> None:
    """Code 4 columns past the item's text; " 1.  " puts that text at column 5."""
    html = normalise(render_body(" 1.  A paragraph\n\n         indented code\n"))
    assert "<pre><code>indented code</code></pre>" in html


def test_four_space_nesting_still_nests() -> None:
    """Drafts written for Python-Markdown's 4-space rule keep rendering as before."""
    assert normalise(render_body("- a\n    - b\n- c\n")) == normalise(
        "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"
    )
    assert normalise(render_body("- c\n\n    more about c\n")) == normalise(
        "<ul><li><p>c</p><p>more about c</p></li></ul>"
    )


TAGFILTER_SOURCE = (
    "<strong> <title> <style> <em>\n\n<blockquote>\n"
    "  <xmp> is disallowed.  <XMP> is also disallowed.\n</blockquote>\n"
)


def test_preview_filters_tags_as_gfm_tagfilter_does() -> None:
    """GFM's "Disallowed Raw HTML" example, as the preview shows it."""
    preview = tagfilter(render_body(TAGFILTER_SOURCE, RenderOptions(markers=True)))
    assert normalise(strip_editor_markers(preview)) == normalise(
        "<p><strong> &lt;title> &lt;style> <em></p>\n<blockquote>\n"
        "  &lt;xmp> is disallowed.  &lt;XMP> is also disallowed.\n</blockquote>"
    )


@pytest.mark.parametrize(
    "tag", ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script"]
)
def test_publishing_keeps_the_writers_raw_html(tag: str) -> None:
    markdown = f"<{tag}>kept</{tag}>\n\ntext\n"
    published = render_body(markdown)
    assert f"<{tag}>" in published and f"</{tag}>" in published
    assert tagfilter(published).count("&lt;") == 2


def test_plaintext_is_filtered_too() -> None:
    assert tagfilter("<p>a</p><plaintext>b") == "<p>a</p>&lt;plaintext>b"
    assert tagfilter("<titles><p>") == "<titles><p>"  # another tag that starts alike
