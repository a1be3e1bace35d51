"""HTML → Markdown rules for what Blogger and WordPress store, and for our own rendered HTML."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.html_import import html_to_markdown, lost_words
from editor.core.html_words import visible_text, word_list
from editor.core.post import Post
from editor.core.render import RenderOptions, render_body, render_for_publishing
from tests.core.html_facts import facts


def md(html: str) -> str:
    """The Markdown of `html`, checked to be a clean conversion that loses no word."""
    conversion = html_to_markdown(html)
    assert not conversion.fallback, conversion.missing_words
    return conversion.markdown


def rendered(markdown: str) -> str:
    return render_for_publishing(Post(meta={"title": "Test post"}, body=markdown))


# -- paragraphs and line breaks ----------------------------------------------------------------


def test_convert_line_breaks_posts_become_paragraphs_and_hard_breaks() -> None:
    html = (
        "First para.<br /><br /><b>The vote</b><br />It passed.<br /><br />"
        "Alder Street Tenants<br />Room 4<br />Thursdays at 7"
    )
    assert md(html) == (
        "First para.\n\n**The vote**  \nIt passed.\n\n"
        "Alder Street Tenants  \nRoom 4  \nThursdays at 7\n"
    )
    page = rendered(md(html))
    assert "<p><strong>The vote</strong><br />It passed.</p>" in page.replace("<br>", "<br />")
    assert page.count("<p>") == 3


def test_three_breaks_are_one_paragraph_break_and_edge_breaks_vanish() -> None:
    assert md("<p><br />a<br /><br /><br />b<br /></p>") == "a\n\nb\n"


def test_compose_mode_divs_are_paragraphs_and_blank_divs_separate_them() -> None:
    html = "<div>One.</div><div><br /></div><div>Two <i>here</i>.</div><div><br /></div>"
    assert md(html) == "One.\n\nTwo *here*.\n"


def test_a_break_at_the_edge_of_bold_stays_outside_it() -> None:
    assert md("<b>Heading-ish<br /></b>Text") == "**Heading-ish**  \nText\n"


# -- images -------------------------------------------------------------------------------------

SEPARATOR = (
    '<div class="separator" style="clear: both; text-align: center;"><a href="https://bp.example/'
    'AVv/s1600/steps.jpg" style="margin-left: 1em; margin-right: 1em;"><img border="0" '
    'data-original-height="852" data-original-width="1280" height="426" src="https://bp.example/'
    'AVv/w640-h426/steps.jpg" width="640" /></a></div>'
)


def test_a_separator_image_becomes_a_linked_image_alone_in_its_paragraph() -> None:
    markdown = md(f"<p>Before.</p>{SEPARATOR}<p>After.</p>")
    assert markdown == (
        "Before.\n\n[![](https://bp.example/AVv/w640-h426/steps.jpg)]"
        "(https://bp.example/AVv/s1600/steps.jpg)\n\nAfter.\n"
    )
    page = rendered(markdown)
    assert '<div class="separator" style="clear: both; text-align: center;">' in page
    assert facts(page).images == ["https://bp.example/AVv/w640-h426/steps.jpg"]
    assert facts(page).links == ["https://bp.example/AVv/s1600/steps.jpg"]


def test_an_image_size_the_address_does_not_say_is_kept_with_attr_list() -> None:
    html = SEPARATOR.replace('height="426"', 'height="300"').replace('width="640"', 'width="450"')
    markdown = md(html)
    assert '{: width="450" height="300" }' in markdown
    assert 'width="450"' in rendered(markdown) and 'height="300"' in rendered(markdown)


def test_a_caption_table_becomes_the_image_and_an_italic_caption_line() -> None:
    html = (
        '<table align="center" cellpadding="0" cellspacing="0" class="tr-caption-container" '
        'style="margin-left: auto; margin-right: auto;"><tbody><tr><td style="text-align: center;">'
        '<a href="https://bp.example/s1600/ward.jpg" style="margin-left: auto; '
        'margin-right: auto;"><img border="0" height="300" '
        'src="https://bp.example/w400-h300/ward.jpg" width="400" /></a>'
        '</td></tr><tr><td class="tr-caption" style="text-align: center;">The ward the board says '
        'is &ldquo;under review&rdquo; (photo: <a href="https://r.example">a reader</a>)</td></tr>'
        "</tbody></table>"
    )
    markdown = md(html)
    assert markdown == (
        "[![](https://bp.example/w400-h300/ward.jpg)](https://bp.example/s1600/ward.jpg)\n\n"
        "*The ward the board says is “under review” (photo: [a reader](https://r.example))*\n"
    )
    page = rendered(markdown)
    assert 'class="tr-caption-container"' in page
    assert facts(page).captions == facts(html).captions


def test_a_floated_image_is_kept_as_html_where_it_was() -> None:
    html = (
        '<p>Text.</p><div class="separator" style="clear: both; text-align: center;"><a href="'
        'https://bp.example/s1600/a.jpg" style="clear: left; float: left; margin-bottom: 1em;">'
        '<img src="https://bp.example/s320/a.jpg" /></a></div><p>More.</p>'
    )
    conversion = html_to_markdown(html)
    assert conversion.kept_html == ["an image placed at the left"]
    assert "float: left; margin-bottom: 1em;" in conversion.markdown  # the original style
    assert "float: left" in rendered(conversion.markdown)


def test_an_image_alone_in_a_plain_paragraph_is_not_centred_by_the_renderer() -> None:
    conversion = html_to_markdown('<p><img src="https://x.example/a.png" /></p><p>Text.</p>')
    assert conversion.kept_html == ["an image that is not centred"]
    assert '<p><img src="https://x.example/a.png"' in rendered(conversion.markdown)


def test_an_image_inside_text_stays_an_inline_markdown_image() -> None:
    assert md('<p>Look <img alt="a [b]" src="x.png" /> here.</p>') == (
        "Look ![a \\[b\\]](x.png) here.\n"
    )


def test_a_wordpress_figure_becomes_an_image_and_caption() -> None:
    html = (
        '<figure class="wp-block-image size-large"><img src="https://w.example/a-1024x768.jpg" '
        'alt="A march" width="1024" height="768" /><figcaption class="wp-element-caption">'
        "The march</figcaption></figure>"
    )
    assert md(html) == "![A march](https://w.example/a-1024x768.jpg)\n\n*The march*\n"


# -- jump break and comments --------------------------------------------------------------------


@pytest.mark.parametrize(
    "jump",
    ["<!--more-->", "<!-- wp:more --><!--more--><!-- /wp:more -->", "<!-- more -->"],
)
def test_the_jump_break_is_its_own_paragraph(jump: str) -> None:
    markdown = md(f"<p>Teaser.</p>{jump}<p>Rest.</p>")
    assert markdown == "Teaser.\n\n<!--more-->\n\nRest.\n"
    assert rendered(markdown) == "<p>Teaser.</p><!--more--><p>Rest.</p>"


def test_a_jump_break_inside_a_paragraph_stays_there() -> None:
    markdown = md("<p>Teaser <!--more-->rest.</p>")
    assert markdown == "Teaser <!--more-->rest.\n"
    assert rendered(markdown) == "<p>Teaser <!--more-->rest.</p>"


def test_editor_comments_are_dropped_and_a_writers_note_is_kept() -> None:
    html = (
        "<!-- wp:paragraph --><p>One.</p><!-- /wp:paragraph --><!--broadsheet:"
        + "0123456789abcdef0123456789abcdef"
        + "--><!-- check the figures --><p>Two.</p>"
    )
    conversion = html_to_markdown(html)
    assert conversion.markdown == "One.\n\n<!-- check the figures -->\n\nTwo.\n"
    assert conversion.kept_html == ["a hidden note (an HTML comment)"]


# -- our own rendered HTML comes back as the Markdown it came from --------------------------------

OWN_MARKDOWN = """\
## A heading

A note[^1], *emphasis*, **strong**, `code`, ~~struck~~ and [a link](https://x.example/a_b "Tip").

```python
def double(x):
    return x * 2  # `ticks`
```

```
plain text
  indented
```

| Line | 2024 |
| --- | :---: |
| Buses | 1.7 |

- [x] done
- [ ] not yet
    - nested *item*
    - second

3. three
4. four

> A quote.
>
> Its second paragraph.

<!--more-->

[![Steps](https://bp.example/w640-h426/steps.jpg)](https://bp.example/s1600/steps.jpg)

*The steps, at noon*

Text with \\* a star, snake_case and 1. in the middle.

[^1]: The note.

    Its second paragraph.
"""


def test_our_own_rendered_html_comes_back_as_the_markdown_it_came_from() -> None:
    first = render_body(OWN_MARKDOWN, RenderOptions(slug="a-post"))
    conversion = html_to_markdown(first)
    assert conversion.kept_html == []
    assert conversion.markdown == OWN_MARKDOWN
    assert render_body(conversion.markdown, RenderOptions(slug="a-post")) == first


def test_pygments_code_comes_back_fenced_with_its_language() -> None:
    page = render_body("```python\nprint('hi')\n```\n")
    assert md(page) == "```python\nprint('hi')\n```\n"


def test_code_with_backtick_fences_inside_gets_a_longer_fence() -> None:
    assert md("<pre><code>a\n```\nb</code></pre>") == "````\na\n```\nb\n````\n"


def test_blogger_code_with_br_lines_and_a_brush_class() -> None:
    assert md('<pre class="brush: js">var a;<br />var b;</pre>') == "```js\nvar a;\nvar b;\n```\n"


def test_preformatted_text_with_links_is_kept_as_html() -> None:
    conversion = html_to_markdown('<pre>see <a href="https://x.example">this</a></pre>')
    assert conversion.kept_html == ["preformatted text with formatting"]


# -- cruft --------------------------------------------------------------------------------------


def test_word_processor_cruft_is_dropped() -> None:
    html = (
        '<div style="text-align: justify;"><span style="font-family: &quot;georgia&quot; , serif; '
        'font-size: large;">One sentence.&nbsp; Two.</span></div><div style="text-align: justify;">'
        '<span style="font-family: georgia;"><br /></span></div><p class="MsoNormal" style="line-'
        'height: normal; margin-bottom: .0001pt;"><span style="font-family: &quot;Times New Roman'
        '&quot;; font-size: 12.0pt;">Three.<o:p></o:p></span></p><p><span style="background-color: '
        'white; color: #222222; font-family: Arial;">Four.</span>&nbsp;</p><div></div>'
    )
    conversion = html_to_markdown(html)
    assert conversion.markdown == "One sentence. Two.\n\nThree.\n\nFour.\n"
    assert conversion.kept_html == []


def test_google_docs_bold_wrapper_with_normal_weight_is_not_bold() -> None:
    html = (
        '<b id="docs-internal-guid-1" style="font-weight: normal;"><p><span style="font-weight: '
        '700;">Bold</span> and plain.</p><p>Second.</p></b>'
    )
    assert md(html) == "**Bold** and plain.\n\nSecond.\n"


def test_a_styled_italic_span_becomes_markdown_emphasis() -> None:
    assert md('<p><span style="font-style: italic;">Said</span> so.</p>') == "*Said* so.\n"


# -- kept as HTML -------------------------------------------------------------------------------


def test_a_video_iframe_in_a_separator_div_is_kept_with_its_div() -> None:
    html = (
        '<p>Watch:</p><div class="separator" style="clear: both; text-align: center;"><iframe '
        'allowfullscreen="" class="BLOG_video_class" height="266" src="https://www.youtube.com/'
        'embed/Xq3" width="320" youtube-src-id="Xq3"></iframe></div><p>After.</p>'
    )
    conversion = html_to_markdown(html)
    assert conversion.kept_html == ["an embedded video (iframe)"]
    kept = html[len("<p>Watch:</p>") : -len("<p>After.</p>")]
    assert conversion.markdown == f"Watch:\n\n{kept}\n\nAfter.\n"
    assert kept in rendered(conversion.markdown)


def test_a_simple_table_with_a_bold_first_row_becomes_a_markdown_table() -> None:
    html = (
        '<table border="1" cellpadding="4" style="border-collapse: collapse;"><tbody><tr><td><b>'
        "Line</b></td><td><b>2024</b></td></tr><tr><td>Bus | tram</td><td>1.7</td></tr></tbody>"
        "</table>"
    )
    assert md(html) == "| Line | 2024 |\n| --- | --- |\n| Bus \\| tram | 1.7 |\n"
    assert "<th" in rendered(md(html))


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("<table><tr><th>a</th><th>b</th></tr><tr><td colspan='2'>c</td></tr></table>", "merged"),
        (
            "<table><tr><th>a</th></tr><tr><td><table><tr><td>x</td></tr></table></td></tr></table>",
            "a table inside a table",
        ),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a table without a header row"),
        ("<table><tr><th>a</th></tr><tr><td><img src='x.png'></td></tr></table>", "images"),
    ],
)
def test_tables_markdown_cannot_hold_are_kept_as_html(table: str, reason: str) -> None:
    conversion = html_to_markdown(table)
    assert len(conversion.kept_html) == 1 and reason in conversion.kept_html[0]
    assert conversion.markdown.startswith("<table>")


def test_a_right_to_left_paragraph_is_kept_as_html() -> None:
    html = '<p>Read:</p><p dir="rtl" style="text-align: right;">السكن حق</p><p>(Housing.)</p>'
    conversion = html_to_markdown(html)
    assert conversion.kept_html == ["right-to-left text"]
    assert '\n\n<p dir="rtl" style="text-align: right;">السكن حق</p>\n\n' in conversion.markdown
    assert '<p dir="rtl" style="text-align: right;">السكن حق</p>' in rendered(conversion.markdown)


def test_strike_s_and_del_become_tildes() -> None:
    assert md("<p><strike>a</strike> <s>b</s> <del>c</del></p>") == "~~a~~ ~~b~~ ~~c~~\n"


def test_underline_colour_and_superscript_stay_inline_html() -> None:
    html = (
        '<p>It <u>more than <b>quadrupled</b></u>, <font color="#cc0000" face="arial">red</font>'
        ", 1<sup>st</sup>.</p>"
    )
    conversion = html_to_markdown(html)
    assert conversion.markdown == (
        'It <u>more than **quadrupled**</u>, <span style="color: #cc0000;">red</span>, '
        "1<sup>st</sup>.\n"
    )
    assert conversion.kept_html == ["underlined text", "coloured text", "superscript text"]
    assert "<u>more than <strong>quadrupled</strong></u>" in rendered(conversion.markdown)


def test_centred_text_is_kept_as_html_but_an_empty_centred_div_is_dropped() -> None:
    conversion = html_to_markdown(
        '<div style="text-align: center;">Centred.</div>'
        '<div style="text-align: center;"><br /></div>'
    )
    assert conversion.markdown == '<div style="text-align: center;">Centred.</div>\n'
    assert conversion.kept_html == ["centred text"]


def test_html_kept_inside_a_list_item_is_inert_to_markdown() -> None:
    html = (
        '<ul><li>Item <span style="color: red">a*b*c_d_</span> and <iframe src="v"></iframe>'
        "</li></ul>"
    )
    conversion = html_to_markdown(html)
    assert not conversion.fallback
    assert "a\\*b\\*c_d\\_" in conversion.markdown
    page = rendered(conversion.markdown)
    assert '<span style="color: red;">a*b*c_d_</span>' in page and "<em>" not in page


# -- quotes, lists, links -------------------------------------------------------------------------


def test_blockquotes_including_the_indent_button_become_markdown_quotes() -> None:
    html = (
        "<blockquote><p>Said.</p><p><i>— someone</i></p></blockquote>"
        '<blockquote style="border: none; margin: 0px 0px 0px 40px; padding: 0px;">'
        "<div>Indented.</div></blockquote>"
    )
    assert md(html) == "> Said.\n>\n> *— someone*\n\n> Indented.\n"


def test_nested_lists_indent_by_four_spaces_and_render_nested() -> None:
    html = "<ol start='3'><li>a<ul><li>b</li><li>c<ul><li>d</li></ul></li></ul></li><li>e</li></ol>"
    markdown = md(html)
    assert markdown == "3. a\n    - b\n    - c\n        - d\n4. e\n"
    assert rendered(markdown) == (
        '<ol start="3"><li>a<ul><li>b</li><li>c<ul><li>d</li></ul></li></ul></li><li>e</li></ol>'
    )


def test_links_keep_titles_and_odd_addresses() -> None:
    html = (
        '<p><a href="https://x.example/a b" title="Say &quot;hi&quot;">one</a> '
        '<a href="https://x.example/wiki/A_(b">two</a></p>'
    )
    markdown = md(html)
    assert markdown == (
        '[one](<https://x.example/a b> "Say \\"hi\\"") [two](<https://x.example/wiki/A_(b>)\n'
    )
    assert facts(rendered(markdown)).links == [
        "https://x.example/a b",
        "https://x.example/wiki/A_(b",
    ]


def test_a_link_opening_a_new_window_keeps_it_and_in_page_anchors_stay() -> None:
    html = (
        '<h2 id="plan">The plan</h2><p><a href="https://x.example" target="_blank" rel="noopener">'
        'out</a>, <a href="#plan">up</a>, <a name="end"></a>end.</p>'
    )
    conversion = html_to_markdown(html)
    assert conversion.markdown == (
        "## The plan {: #plan }\n\n"
        '[out](https://x.example){: target="_blank" rel="noopener" }, [up](#plan), '
        '<a name="end"></a>end.\n'
    )
    assert rendered(conversion.markdown) == (
        '<h2 id="plan">The plan</h2><p><a href="https://x.example" rel="noopener" '
        'target="_blank">out</a>, <a href="#plan">up</a>, <a name="end"></a>end.</p>'
    )


# -- escaping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>1. Not a list</p>", "1\\. Not a list\n"),
        ("<p># Not a heading</p>", "\\# Not a heading\n"),
        ("<p>- not a bullet</p>", "\\- not a bullet\n"),
        ("<p>&gt; not a quote</p>", "\\> not a quote\n"),
        ("<p>a<br />2. b<br />===</p>", "a  \n2\\. b  \n&#61;==\n"),
        ("<p>5 * 3 = 15, snake_case, _x_</p>", "5 \\* 3 = 15, snake_case, \\_x\\_\n"),
        ("<p>[not a link](x) and [^1]</p>", "[not a link\\](x) and \\[^1]\n"),
        ("<p>&lt;b&gt;not bold&lt;/b&gt; &amp;amp;</p>", "&lt;b>not bold&lt;/b> &amp;amp;\n"),
        ("<p>~~not struck~~ and ~ 50</p>", "\\~\\~not struck\\~\\~ and ~ 50\n"),
        ("<p>{: .class} `tick`</p>", "\\{: .class} \\`tick\\`\n"),
        (
            "<p>Ordinary: punctuation, (here) -- isn't! 3.5 #tag</p>",
            "Ordinary: punctuation, (here) -- isn't! 3.5 #tag\n",
        ),
    ],
)
def test_text_that_looks_like_markdown_is_escaped_and_nothing_more(
    html: str, markdown: str
) -> None:
    assert md(html) == markdown


# Markdown's special characters, and what they make: numbers, words, breaks.
_PIECES = [*"#-+*_`[]()!<>&;~{}:=|\\^", "word", "1.", "__", "&amp;", "~~", "x_y", "2024"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, " ", " ", "<br>", "<br><br>"]), min_size=1, max_size=25))
def test_escaped_text_renders_back_to_the_same_characters(pieces: list[str]) -> None:
    """Whatever the text, the reader sees its words and its Markdown-special characters."""
    html = "<p>" + "".join(p if p.startswith("<br") else _escape(p) for p in pieces) + "</p>"
    conversion = html_to_markdown(html)
    assert not conversion.fallback, (html, conversion.markdown)
    page = rendered(conversion.markdown)
    assert word_list(page) == word_list(html)
    assert _specials(visible_text(page)) == _specials(visible_text(html)), conversion.markdown


def test_a_colon_alone_on_a_line_stays_a_colon() -> None:
    """Found by the test above: a line holding only ":" gains the two spaces of a line break
    after it was escaped, and ":  " starts a definition, so the colon was lost."""
    conversion = html_to_markdown("<p>#<br>:<br>#</p>")
    assert _specials(visible_text(rendered(conversion.markdown))) == ["#", ":", "#"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _specials(text: str) -> list[str]:
    # Smarty may turn quotes and dashes typographic; these characters it leaves alone.
    return re.findall(r"[#*_`\[\]()!<>&;~{}:=|\\^+]", text)


def test_lost_words_names_what_is_missing_in_reading_order() -> None:
    assert lost_words("<p>one two three two</p>", "one two\n") == ["three", "two"]
