"""The renderer: blog-safe HTML for Blogger, the same for preview and publishing."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.post import parse_post
from editor.core.render import (
    RenderOptions,
    render_body,
    render_post,
    slugify,
    strip_editor_markers,
)

VOID = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Node:
    """An element (tag "#comment" for comments) with its attributes and children."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        for child in self.elements:
            if tag is None or child.tag == tag:
                yield child
            yield from child.iter(tag)

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def handle_comment(self, data):
        self.stack[-1].children.append(Node("#comment", {"text": data}))


def parse_html(html: str) -> Node:
    """Parse an HTML fragment; fails on unbalanced tags."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed tags"
    return builder.root


CODE = """export function debounce(fn, ms = 200) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}"""


def _top(html: str) -> list[Node]:
    return parse_html(html).elements


def _body_offset(text: str, body: str) -> int:
    return text[: len(text) - len(body)].count("\n")


# --- the essay, as published -------------------------------------------------------------


@pytest.fixture(scope="module")
def published(essay) -> str:
    return render_post(essay)


def test_essay_has_no_newline_anywhere(published):
    assert published
    assert "\n" not in published
    for paragraph in re.findall(r"<p\b.*?</p>", published, re.DOTALL):
        assert "\n" not in paragraph


def test_essay_captioned_image_is_blogger_table_with_one_caption(published):
    first = _top(published)[0]
    assert first.tag == "table" and first.has_class("tr-caption-container")
    assert first.attrs["align"] == "center"
    rows = list(first.iter("tr"))
    assert len(rows) == 2
    link = next(rows[0].iter("a"))
    image = next(link.iter("img"))
    assert image.attrs["alt"] == "Crowd at a rally"
    assert link.attrs["href"] == image.attrs["src"] == "https://example.org/images/rally.jpg"
    caption = next(rows[1].iter("td"))
    assert caption.has_class("tr-caption")
    assert caption.text() == "Above: a rally in the square"
    # Title and italic line said the same thing: it appears once, not twice.
    assert published.count("Above: a rally in the square") == 1


def test_essay_plain_images_are_blogger_separators(published):
    separators = [n for n in _top(published) if n.tag == "div" and n.has_class("separator")]
    sources = [next(n.iter("img")).attrs["src"] for n in separators]
    assert sources == ["images/figure-1.png", "images/figure-4.png", "images/figure-8.png"]
    assert all(next(n.iter("img")).attrs["alt"].startswith("Figure") for n in separators)


def test_essay_code_is_highlighted_with_inline_styles_and_br(published):
    blocks = [n for n in _top(published) if n.has_class("highlight")]
    assert len(blocks) == 1
    code = next(blocks[0].iter("code"))
    spans = list(code.iter("span"))
    assert spans and all("class" not in s.attrs for s in spans)
    assert any("color:" in (s.attrs.get("style") or "") for s in spans)
    assert len(list(code.iter("br"))) == CODE.count("\n")
    html = re.search(r"<code>(.*?)</code>", published).group(1)
    text = re.sub(r"<[^>]+>", "", html.replace("<br>", "\n"))
    assert text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&") == CODE


def test_highlighted_code_names_its_language_for_importing_it_back():
    html = render_body("```python\nprint(1)\n```\n")
    assert html.startswith('<div class="highlight" data-lang="python" style=')


def test_essay_blocks_tables_and_quotes(published):
    tags = [n.tag for n in _top(published)]
    assert tags.count("blockquote") == 2
    assert tags.count("hr") == 1
    tables = [
        n for n in _top(published) if n.tag == "table" and not n.has_class("tr-caption-container")
    ]
    assert len(tables) == 2
    assert "border-collapse:collapse" in tables[0].attrs["style"]
    cells = list(tables[0].iter("td")) + list(tables[0].iter("th"))
    assert cells and all("border:1px solid" in c.attrs["style"] for c in cells)
    centred = list(tables[0].iter("th"))[1]
    assert "text-align: center" in centred.attrs["style"]  # column alignment kept


def test_essay_footer_links_follow_the_rule(published):
    top = _top(published)
    rule = [i for i, n in enumerate(top) if n.tag == "hr"][0]
    footer = top[rule + 1]
    assert [a.attrs["href"] for a in footer.iter("a")] == [
        "https://example.org/support",
        "https://example.org/channel",
    ]


def test_essay_footnote_ids_are_prefixed_unique_and_linked(published, essay):
    slug = slugify(essay.title)
    assert slug == "a-long-essay-on-organizing"
    root = parse_html(published)
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)) == 10
    assert f"fn:{slug}-1" in ids and f"fnref:{slug}-1" in ids
    assert all(i.split(":", 1)[1].startswith(slug + "-") for i in ids)
    targets = {a.attrs["href"][1:] for a in root.iter("a") if a.attrs["href"].startswith("#")}
    assert targets == set(ids)
    notes = _top(published)[-1]
    assert notes.has_class("footnote") and "font-size" in notes.attrs["style"]
    assert len(list(notes.iter("li"))) == 5
    assert all(s.elements[0].has_class("footnote-ref") for s in root.iter("sup"))


def test_two_posts_on_one_page_share_no_ids():
    body = "Text.[^1]\n\n[^1]: Note."
    first = render_body(body, RenderOptions(slug="first-post"))
    second = render_body(body, RenderOptions(slug="second-post"))
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == 4 and len(set(ids)) == 4


# --- markers -------------------------------------------------------------------------------


def test_markers_only_with_markers_and_strip_gives_publish_html(essay):
    publish = render_post(essay)
    preview = render_post(essay, markers=True)
    assert "data-line" not in publish
    assert preview.count("data-line=") >= 60
    assert strip_editor_markers(preview) == publish
    for style in ("blogger", "figure"):
        plain = render_body(essay.body, RenderOptions(slug="s", caption_style=style))
        marked = render_body(
            essay.body, RenderOptions(slug="s", caption_style=style, markers=True, line_offset=4)
        )
        assert strip_editor_markers(marked) == plain


def _expected_start(node: Node) -> str:
    """How the source line of a top-level block begins."""
    if node.tag in {"h2", "h3"}:
        return "#"
    if node.tag == "ul":
        return "- "
    if node.tag == "ol":
        return "1. "
    if node.tag == "blockquote":
        return "> "
    if node.tag == "hr":
        return "---"
    if node.has_class("highlight"):
        return "```"
    if node.has_class("footnote"):
        return "[^1]:"
    if node.has_class("separator") or node.has_class("tr-caption-container"):
        return "!["
    if node.tag == "table":
        return "|"
    assert node.tag == "p", node.tag
    return re.sub(r"\W", "", node.text())[:12]


def test_data_line_is_the_source_line_of_each_top_level_block(essay_text, essay):
    offset = _body_offset(essay_text, essay.body)
    assert offset == 4
    lines = essay_text.split("\n")
    html = render_body(essay.body, RenderOptions(markers=True, line_offset=offset))
    top = _top(html)
    assert top and all("data-line" in n.attrs for n in top)
    numbers = [int(n.attrs["data-line"]) for n in top]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for node, number in zip(top, numbers, strict=True):
        start = _expected_start(node)
        source = lines[number]
        if node.tag == "p":
            unlinked = re.sub(r"\]\([^)]*\)", "", source)  # [text](url) -> text
            assert re.sub(r"\W", "", unlinked).startswith(start), (number, source)
        else:
            assert source.startswith(start), (node.tag, number, source)


def test_data_line_for_blocks_without_blank_lines_between():
    body = "Intro line\n# Heading\ntext\n\n> quote\n```py\nx = 1\n```\nafter\n\n***\n\n[^a]: note"
    html = render_body(body + "\n\nref[^a]", RenderOptions(markers=True))
    found = [(n.tag, n.attrs.get("data-line")) for n in _top(html)]
    assert found == [
        ("p", "0"),
        ("h1", "1"),
        ("p", "2"),
        ("blockquote", "4"),
        ("div", "5"),
        ("p", "8"),
        ("hr", "10"),
        ("p", "14"),
        ("div", "12"),
    ]


# --- Markdown features ---------------------------------------------------------------------


def test_soft_line_breaks_become_spaces_and_smart_quotes_apply():
    html = render_body('He said "go"\nand -- then... left.')
    assert html == "<p>He said &ldquo;go&rdquo; and &ndash; then&hellip; left.</p>"


def test_jump_break_stays_a_literal_comment():
    body = 'Intro -- with "quotes".\n\n<!--more-->\n\nRest -- of it.\nAlso\n<!--more-->\nmid'
    html = render_body(body)
    assert html.count("<!--more-->") == 2
    assert "&#8211;more" not in html and "&ndash;more" not in html
    assert [n.tag for n in _top(html)] == ["p", "#comment", "p", "#comment", "p"]
    preview = render_body(body, RenderOptions(markers=True))
    divider = [n for n in _top(preview) if n.has_class("bs-jump-break")]
    assert [d.attrs["data-line"] for d in divider] == ["2", "6"]
    assert strip_editor_markers(preview) == html


def test_languageless_fence_is_plain_pre_code():
    html = render_body("```\n<b>a</b>\n  b\n```")
    (pre,) = _top(html)
    assert pre.tag == "pre"
    (code,) = pre.elements
    assert code.tag == "code" and not list(code.iter("span"))
    assert html.endswith("<code>&lt;b&gt;a&lt;/b&gt;<br>  b</code></pre>")


def test_fence_directly_after_a_paragraph_is_not_inside_it():
    html = render_body("Text\n```python\nx = 1\n```\nMore")
    assert [n.tag for n in _top(html)] == ["p", "div", "p"]


def test_indented_and_listed_code_have_br_not_newlines():
    html = render_body("    a\n    b\n\n1. step\n\n    ```sh\n    ls\n    pwd\n    ```")
    assert "\n" not in html
    assert html.startswith('<pre style="overflow-x:auto;padding:0.5em"><code>a<br>b</code></pre>')
    assert html.count("<br>") == 2


def test_task_lists_and_strikethrough():
    html = render_body("- [ ] todo\n- [x] ~~done~~\n- plain")
    (ul,) = _top(html)
    items = ul.elements
    boxes = [next(li.iter("input"), None) for li in items]
    assert [b is not None for b in boxes] == [True, True, False]
    assert all("disabled" in b.attrs for b in boxes[:2])
    assert "checked" in boxes[1].attrs and "checked" not in boxes[0].attrs
    assert all("list-style-type:none" in li.attrs["style"] for li in items[:2])
    assert "style" not in items[2].attrs
    assert next(items[1].iter("del")).text() == "done"


def test_raw_html_iframe_passes_through():
    iframe = '<iframe src="https://www.youtube.com/embed/x" width="560" allowfullscreen></iframe>'
    html = render_body(f"Watch:\n\n{iframe}\n\nDone.")
    assert iframe in html
    multiline = render_body('<div class="video">\n<iframe src="v"\n  width="1"></iframe>\n</div>')
    assert multiline == '<div class="video"><iframe src="v"   width="1"></iframe></div>'


def test_title_only_image_gets_a_caption_and_empty_alt_is_kept():
    html = render_body('![](a.png "A title")')
    (table,) = _top(html)
    assert table.has_class("tr-caption-container")
    assert next(table.iter("img")).attrs["alt"] == ""
    assert 'alt=""' in html
    assert next(t for t in table.iter("td") if t.has_class("tr-caption")).text() == "A title"


def test_figure_caption_style_keeps_markup_of_the_caption_line():
    html = render_body(
        "![Dog](d.jpg)\n\n*A [dog](https://e.org)*", RenderOptions(caption_style="figure")
    )
    (figure,) = _top(html)
    assert figure.tag == "figure" and "text-align:center" in figure.attrs["style"]
    assert [n.tag for n in figure.elements] == ["img", "figcaption"]
    caption = figure.elements[1]
    assert caption.text() == "A dog" and next(caption.iter("a")).attrs["href"] == "https://e.org"


def test_italic_line_without_an_image_before_it_stays_a_paragraph():
    html = render_body("Text ![i](i.png) inline.\n\n*Just italic*")
    assert [n.tag for n in _top(html)] == ["p", "p"]
    assert next(_top(html)[0].iter("img")).attrs["src"] == "i.png"


def test_linked_image_keeps_its_link():
    html = render_body("[![Alt](small.jpg)](big.jpg)")
    (div,) = _top(html)
    assert div.has_class("separator")
    assert next(div.iter("a")).attrs["href"] == "big.jpg"


def test_empty_body_renders_empty():
    assert render_body("") == "" and render_body("\n\n  \n") == ""


# --- slugify and threads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Café — déjà vu!", "cafe-deja-vu"),
        ("!!!", "post"),
        ("", "post"),
        ("Ünïcödé only 日本語", "unicode-only"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


@given(st.text(max_size=200))
def test_slugify_is_short_ascii_and_never_empty(title):
    slug = slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 40


def test_render_from_several_threads_gives_the_same_html(essay):
    expected = {i: render_body(essay.body, RenderOptions(slug=f"p{i}")) for i in range(4)}
    results: dict[tuple[int, int], str] = {}

    def work(i: int) -> None:
        for round_ in range(3):
            results[(i, round_)] = render_body(essay.body, RenderOptions(slug=f"p{i}"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 12
    assert all(html == expected[i] for (i, _), html in results.items())


# --- the invariant on any body ---------------------------------------------------------------

FRAGMENTS = [
    "Plain text with 'quotes' -- and... dots",
    "# Heading",
    "## Sub *heading*",
    "- item",
    "- [ ] task",
    "1. first",
    "    indented code",
    "> quote",
    "```",
    "```python",
    "x = 1",
    "~~~",
    "---",
    "***",
    "| a | b |",
    "|---|---|",
    "![alt](img.png)",
    '![alt](img.png "Title")',
    "*Italic caption*",
    "<!--more-->",
    "<div>",
    "</div>",
    '<iframe src="v"></iframe>',
    "text[^1]",
    "[^1]: a note",
    "[ref]: https://example.org",
    "Term",
    ":   definition",
    "*[HTML]: HyperText",
    "",
    "  ",
    "~~strike~~ **bold** `code`",
    "<span>inline</span>",
    "line with trailing spaces  ",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=25),
    st.sampled_from(["blogger", "figure"]),
    st.integers(min_value=0, max_value=5),
)
def test_preview_minus_markers_is_the_published_html(fragments, caption_style, offset):
    body = "\n".join(fragments)
    publish = render_body(body, RenderOptions(slug="p", caption_style=caption_style))
    preview = render_body(
        body, RenderOptions(slug="p", caption_style=caption_style, markers=True, line_offset=offset)
    )
    assert strip_editor_markers(preview) == publish
    assert "\n" not in publish or "<script" in body
    lines = body.split("\n")
    for number in re.findall(r'data-line="(\d+)"', preview):
        assert offset <= int(number) < offset + max(len(lines), 1)


def test_render_post_uses_title_slug():
    post = parse_post("---\ntitle: Hello World\n---\nA[^x]\n\n[^x]: n\n")
    assert 'id="fn:hello-world-x"' in render_post(post)


def test_a_note_whose_text_is_a_definition_renders() -> None:
    """Typing "[^b]:" right after "[^a]:" made Python-Markdown stop with "OrderedDict
    mutated during iteration" while listing the notes: no preview, no publishing."""
    from editor.core.incremental import IncrementalRenderer

    body = "Text[^a] and more[^c].\n\n[^a]:[^b]: x\n more of it\n[^c]: Another note.\n"
    for markers in (True, False):
        options = RenderOptions(slug="post", markers=markers)
        html = render_body(body, options)
        assert 'id="fn:post-a"' in html and "Another note." in html
        assert IncrementalRenderer().render(body, options).html() == html
