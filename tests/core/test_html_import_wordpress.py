"""What WordPress stores (block-editor comments and classes, classic raw content) and what
older Blogger editors wrote, imported faithfully."""

from __future__ import annotations

from editor.core.html_import import html_to_markdown
from editor.core.post import Post
from editor.core.render import render_for_publishing
from tests.core.html_facts import facts

BLOCK_EDITOR = """<!-- wp:paragraph -->
<p>First <strong>paragraph</strong>.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">Section</h2>
<!-- /wp:heading -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>Quoted.</p>
<!-- /wp:paragraph --><cite>Someone</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:image {"id":5,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="https://w.example/up/a-1024x683.jpg" alt="" \
class="wp-image-5"/><figcaption class="wp-element-caption">A caption</figcaption></figure>
<!-- /wp:image -->

<!-- wp:paragraph {"align":"center"} -->
<p class="has-text-align-center">Centred</p>
<!-- /wp:paragraph -->

<!-- wp:more -->
<!--more-->
<!-- /wp:more -->

<!-- wp:list -->
<ul class="wp-block-list"><!-- wp:list-item -->
<li>One</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:code -->
<pre class="wp-block-code"><code>x = 1
y = 2</code></pre>
<!-- /wp:code -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc","type":"video"} -->
<figure class="wp-block-embed is-type-video wp-block-embed-youtube"><div \
class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=abc
</div></figure>
<!-- /wp:embed -->"""


def test_block_editor_content_imports_with_its_comments_dropped() -> None:
    conversion = html_to_markdown(BLOCK_EDITOR)
    assert conversion.kept_html == ["centred text", "an embedded video or post"]
    markdown = conversion.markdown
    assert markdown.startswith(
        "First **paragraph**.\n\n## Section\n\n> Quoted.\n>\n> *Someone*\n\n"
        "![](https://w.example/up/a-1024x683.jpg)\n\n*A caption*\n\n"
        '<p class="has-text-align-center">Centred</p>\n\n<!--more-->\n\n- One\n\n'
        "```\nx = 1\ny = 2\n```\n\n"
        '<figure class="wp-block-embed'
    )
    assert "wp:" not in markdown
    page = render_for_publishing(Post(meta={"title": "WordPress"}, body=markdown))
    assert "https://www.youtube.com/watch?v=abc" in page
    assert facts(page).words == facts(BLOCK_EDITOR).words


def test_classic_raw_content_with_line_breaks() -> None:
    """WordPress's raw classic content: a blank line is a paragraph, a newline a break."""
    html = "One.\n\nTwo, with a line\nbreak.\n<ul>\n<li>item</li>\n</ul>\n\nLast."
    assert html_to_markdown(html, line_breaks=True).markdown == (
        "One.\n\nTwo, with a line  \nbreak.\n\n- item\n\nLast.\n"
    )
    assert html_to_markdown(html).markdown == ("One. Two, with a line break.\n\n- item\n\nLast.\n")


def test_a_gallery_is_kept_as_html() -> None:
    html = (
        '<figure class="wp-block-gallery"><figure class="wp-block-image"><img src="a.jpg"/>'
        '</figure><figure class="wp-block-image"><img src="b.jpg"/></figure></figure>'
    )
    assert html_to_markdown(html).kept_html == ["a gallery of images"]


def test_old_blogger_centred_image_on_its_own_line_becomes_an_image_paragraph() -> None:
    html = (
        'Text<br /><br /><a href="https://1.bp.blogspot.com/x/s1600/a.jpg" onblur="try {parent.'
        'deselectBloggerImageGracefully();} catch(e) {}"><img style="display:block; margin:0px '
        'auto 10px; text-align:center;cursor:pointer; cursor:hand;width: 400px; height: 300px;" '
        'src="https://1.bp.blogspot.com/x/s400/a.jpg" border="0" alt="" id="BLOGGER_PHOTO_ID_5"'
        " /></a><br />Under it.<br /><br />More."
    )
    assert html_to_markdown(html).markdown == (
        "Text\n\n[![](https://1.bp.blogspot.com/x/s400/a.jpg)]"
        "(https://1.bp.blogspot.com/x/s1600/a.jpg)\n\nUnder it.\n\nMore.\n"
    )


def test_a_caption_table_floated_to_the_side_is_kept_as_html() -> None:
    html = (
        '<table cellpadding="0" cellspacing="0" class="tr-caption-container" style="float: left;'
        ' margin-right: 1em; text-align: left;"><tbody><tr><td style="text-align: center;"><a '
        'href="https://bp.example/s1600/a.jpg"><img src="https://bp.example/s320/a.jpg" /></a>'
        '</td></tr><tr><td class="tr-caption" style="text-align: center;">Left</td></tr></tbody>'
        "</table><p>Text beside it.</p>"
    )
    conversion = html_to_markdown(html)
    assert conversion.kept_html == ["an image with a caption placed at the left"]
    kept = html.removesuffix("<p>Text beside it.</p>").replace(" />", "/>")  # as bs4 writes it
    assert conversion.markdown == f"{kept}\n\nText beside it.\n"


def test_shortcodes_keep_their_straight_quotes_through_smart_quotes() -> None:
    raw = (
        'It\'s "quoted".\n\n[caption id="attachment_5" align="aligncenter" width="6"]'
        '<img src="http://x/a.png" alt="A" /> The caption[/caption]\n\n[gallery ids=\'1,2\']'
    )
    html = render_for_publishing(
        Post(meta={"title": "t"}, body=html_to_markdown(raw, line_breaks=True).markdown)
    )
    assert '[caption id="attachment_5" align="aligncenter" width="6"]' in html
    assert "[gallery ids='1,2']" in html
    assert "It&rsquo;s &ldquo;quoted&rdquo;." in html  # prose keeps its smart quotes
