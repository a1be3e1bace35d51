"""Tidy a blog post's HTML tree before it becomes Markdown: drop cruft, keep what carries meaning.

What Blogger's and WordPress's editors (and text pasted from word processors) leave behind:
font and size spans, justified divs, Office tags (`<o:p>`), editor comments, wrapper divs. Such
cruft is removed here; styles that a reader notices (a colour, underlining, right-to-left text,
centring) are kept, reduced to just those properties; bold and italic written as styles become
`<b>` and `<i>`, which have a Markdown form. Every pass only moves or unwraps elements: no text
is ever removed (comments and processing instructions are not text).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

from bs4 import (
    BeautifulSoup,
    CData,
    Comment,
    Declaration,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)
from bs4.element import AttributeValueList

from editor.core.html_newlines import BLOCK_TAGS
from editor.core.html_styles import format_style, meaningful_properties, style_properties

# A tag's own attributes (lists for class and the like). bs4's new_tag() is declared to take
# only string values, but it takes these as they are: it copies an element's attributes.
_Attributes = dict[str, str | AttributeValueList]

# Inline elements whose formatting can be moved inside a block they (wrongly) contain.
INLINE_FORMATTING = frozenset(
    {
        *("b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "span", "font", "small"),
        *("big", "sup", "sub", "mark", "tt", "cite", "abbr", "kbd", "var", "samp", "dfn", "nobr"),
        *("bdi", "bdo", "q", "code"),
    }
)
# Blocks whose only job is grouping: converting them needs nothing but paragraph breaks.
GROUPING = frozenset({"div", "section", "article", "main", "header", "footer", "aside", "nav"})
# Classes that make a div more than a grouping (handled by the converter).
MEANINGFUL_DIV_CLASSES = frozenset({"separator", "highlight", "footnote", "codehilite"})
_COMMENTS_DROPPED = re.compile(r"\s*(?:/?wp:|broadsheet:[0-9a-f]{32}\s*$|\[if\s|<!\[endif\])")

_BOLD = frozenset({"bold", "bolder", "600", "700", "800", "900"})
_NOT_BOLD = frozenset({"normal", "lighter", "100", "200", "300", "400", "500"})
_BLOCK_NAMES = sorted(BLOCK_TAGS)  # bs4's find() takes a list of names


def parse_html(html: str) -> BeautifulSoup:
    """The tree of an HTML fragment (Python's own parser: no C library, tolerant of errors)."""
    if "<" in html:
        return BeautifulSoup(html, "html.parser")
    # bs4 warns that text without tags looks like a file name or an address; a post can be
    # just that. (Filters are process-wide: only this rare case touches them, briefly.)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "html.parser")


def classes(tag: Tag) -> list[str]:
    """The classes of an element."""
    value: str | list[str] = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def is_blank(node: PageElement) -> bool:
    """Whitespace, a comment that is not a jump break, or an element with nothing inside."""
    if isinstance(node, Comment):
        return not is_jump_break(node)
    if isinstance(node, NavigableString):
        return not node.strip()
    return False


def is_jump_break(node: PageElement) -> bool:
    """Blogger's and WordPress's "read more" comment (`<!--more-->`, `<!--more Read on-->`)."""
    return isinstance(node, Comment) and re.match(r"more\b", node.strip()) is not None


def elements(node: Tag) -> Iterator[Tag]:
    """Every element under `node`, in document order (no recursion: posts can nest deeply)."""
    for child in node.descendants:
        if isinstance(child, Tag):
            yield child


def max_depth(root: Tag) -> int:
    """How deeply elements nest under `root` (counted without recursion)."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return deepest


class Originals:
    """Each element's name and attributes as they were before tidying.

    A part kept as HTML is written with its elements' own names and attributes (styles whole,
    as the writer had them), not the reduced ones the rules read; the cruft spans tidying
    unwrapped stay unwrapped. Holding the elements keeps their ids from being reused.
    """

    def __init__(self, soup: BeautifulSoup) -> None:
        self._before = {
            id(tag): (
                tag,
                tag.name,
                {
                    k: AttributeValueList(v) if isinstance(v, list) else v
                    for k, v in tag.attrs.items()
                },
            )
            for tag in elements(soup)
        }

    def decode(self, node: Tag, formatter: object) -> str:
        """`node`'s HTML with the original names and attributes of it and everything in it."""
        swapped = []
        for tag in [node, *elements(node)]:
            before = self._before.get(id(tag))
            if before is not None and before[0] is tag:
                swapped.append((tag, tag.name, tag.attrs))
                tag.name, tag.attrs = before[1], dict(before[2])
        try:
            return node.decode(formatter=formatter)  # type: ignore[arg-type]
        finally:
            for tag, name, attrs in swapped:
                tag.name, tag.attrs = name, attrs


def tidy(soup: BeautifulSoup, *, line_breaks: bool = False) -> Originals:
    """Apply every tidying pass to `soup`, in place; what the elements were is returned."""
    originals = Originals(soup)
    _drop_invisible(soup)
    if line_breaks:
        _newlines_to_breaks(soup)
    _unwrap_office_tags(soup)
    _unnest_links(soup)
    _styles_to_elements(soup)
    _unwrap_cruft(soup)
    _flatten_wrapper_divs(soup)
    _push_inline_into_blocks(soup)
    _split_at_paragraph_breaks(soup)
    _move_edge_breaks(soup)
    _unwrap_nested_emphasis(soup)
    _merge_adjacent_emphasis(soup)
    _nest_stray_lists(soup)
    _join_strings(soup)
    return originals


def _drop_invisible(soup: BeautifulSoup) -> None:
    """Editor comments (WordPress blocks, Broadsheet's markers, Office's conditionals),
    declarations and processing instructions: none of them is text a reader sees."""
    for node in list(soup.descendants):
        if isinstance(node, Comment):
            if _COMMENTS_DROPPED.match(node):
                node.extract()
        elif isinstance(node, Declaration | Doctype | CData | ProcessingInstruction):
            node.extract()


def _newlines_to_breaks(soup: BeautifulSoup) -> None:
    """Newlines in the text as line breaks: one is a `<br>`, a blank line two (a paragraph)."""
    for text in list(soup.find_all(string=True)):
        if type(text) is not NavigableString or "\n" not in text:
            continue
        if text.find_parent(["pre", "script", "style", "textarea", "code"]) is not None:
            continue
        if not text.strip():
            before, after = text.previous_sibling, text.next_sibling
            beside_block = any(
                node is None or (isinstance(node, Tag) and node.name in BLOCK_TAGS)
                for node in (before, after)
            )
            if beside_block or "\n\n" not in text.replace(" ", ""):
                continue
        parts = re.split(r"(\n[ \t]*\n\s*|\n)", str(text))
        anchor: PageElement = text
        for index, part in enumerate(parts):
            if not part:
                continue
            if index % 2 == 0:
                new_nodes: list[PageElement] = [NavigableString(part)]
            else:
                breaks = 2 if part.count("\n") > 1 else 1
                new_nodes = [soup.new_tag("br") for _ in range(breaks)]
            for node in new_nodes:
                anchor.insert_after(node)
                anchor = node
        text.extract()


def _unwrap_office_tags(soup: BeautifulSoup) -> None:
    """`<o:p>`, `<st1:place>` and other namespaced tags from word processors: keep the text."""
    for tag in list(elements(soup)):
        if ":" in (tag.name or ""):
            tag.unwrap()


def _unnest_links(soup: BeautifulSoup) -> None:
    """A link inside a link ends the outer one, as browsers do: `<a x>1 <a y>2</a> 3</a>` is
    `<a x>1 </a><a y>2</a> 3`."""
    for tag in list(elements(soup)):
        outer = tag.find_parent("a") if tag.name == "a" else None
        if outer is None:
            continue
        # Everything from the inner link on, up to the outer link, moves out after it.
        node: Tag = tag
        while node.parent is not outer:
            node = node.parent  # type: ignore[assignment]
        anchor: PageElement = outer
        for moving in [node, *list(node.next_siblings)]:
            anchor.insert_after(moving.extract())
            anchor = moving


def _styles_to_elements(soup: BeautifulSoup) -> None:
    """Reduce styles to what a reader notices; bold/italic/struck styles become elements."""
    for tag in list(elements(soup)):
        if tag.name == "font":
            _font_to_span(tag)
        if tag.get("dir") is not None and str(tag.get("dir")).lower() != "rtl":
            del tag["dir"]
        align = str(tag.get("align") or "").lower()
        if align and not (align in ("center", "right") or tag.name in ("table", "img")):
            del tag["align"]
        if tag.get("style") is None or tag.name == "img":
            continue  # an image's style (float, centring, size) is read when it is converted
        block = tag.name in BLOCK_TAGS
        pairs = style_properties(tag.get("style"))
        _style_emphasis(soup, tag, pairs)
        kept = meaningful_properties(pairs, block)
        if tag.name == "blockquote":
            # Margins and borders are what makes a quote look like one (Blogger's indent
            # button writes `border: none; margin: 0 0 0 40px`): a Markdown quote says it.
            kept = [(n, v) for n, v in kept if not n.startswith(("margin", "padding", "border"))]
        if tag.name in ("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
            # Borders and spacing are a table's look; the renderer draws its own.
            kept = [(n, v) for n, v in kept if not n.startswith(("margin", "padding", "border"))]
        if block and kept and tag.name not in ("table", "tr", "ul", "ol", "dl"):
            # Text colour on a paragraph looks the same on a span inside it, which Markdown
            # can carry; background, alignment or a border belong to the block itself.
            inner = [(n, v) for n, v in kept if n in ("color", "font-variant", "text-transform")]
            if inner:
                kept = [pair for pair in kept if pair not in inner]
                _wrap_contents(soup, tag, "span", {"style": format_style(inner)})
        elif not block and tag.name != "span" and kept:
            # `<b style="color: red">` → `<b><span style="color: red">`: the bold has a
            # Markdown form, the colour stays on a span (a link keeps only its float).
            inner = [pair for pair in kept if pair[0] != "float"]
            if inner:
                kept = [pair for pair in kept if pair not in inner]
                _wrap_contents(soup, tag, "span", {"style": format_style(inner)})
        if kept:
            tag["style"] = format_style(kept)
        else:
            del tag["style"]


def _font_to_span(tag: Tag) -> None:
    """`<font color>` keeps its colour as a styled span; face and size are cruft."""
    colour = tag.get("color")
    tag.name = "span"
    for name in ("color", "face", "size"):
        if tag.get(name) is not None:
            del tag[name]
    if colour:
        style = tag.get("style")
        tag["style"] = f"color: {colour};" + (f" {style}" if style else "")


def _style_emphasis(soup: BeautifulSoup, tag: Tag, pairs: list[tuple[str, str]]) -> None:
    """font-weight/font-style/line-through as `<b>`/`<i>`/`<s>`; "normal" cancels `<b>`/`<i>`."""
    values = dict(pairs)
    weight = values.get("font-weight", "").lower().removesuffix("!important").strip()
    italic = values.get("font-style", "").lower().removesuffix("!important").strip()
    decoration = " ".join(
        v for n, v in pairs if n in ("text-decoration", "text-decoration-line")
    ).lower()
    if tag.name in ("b", "strong") and weight in _NOT_BOLD:
        tag.name = "span"  # Google Docs wraps whole posts in <b style="font-weight:normal">
    elif weight in _BOLD and tag.name not in ("b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"):
        _wrap_contents(soup, tag, "b")
    if tag.name in ("i", "em") and italic == "normal":
        tag.name = "span"
    elif tag.name not in ("i", "em") and italic in ("italic", "oblique"):
        _wrap_contents(soup, tag, "i")
    if "line-through" in decoration and tag.name not in ("s", "strike", "del"):
        _wrap_contents(soup, tag, "s")


def _wrap_contents(
    soup: BeautifulSoup, tag: Tag, name: str, attrs: _Attributes | None = None
) -> None:
    """Put all of `tag`'s children inside a new `<name>` element."""
    if not tag.contents or tag.name in ("img", "br", "hr", "table", "tr", "ul", "ol"):
        return
    inner = soup.new_tag(name, attrs=attrs or {})  # type: ignore[arg-type]  # (see _Attributes)
    for child in list(tag.contents):
        inner.append(child.extract())
    tag.append(inner)


def _meaningful_span(tag: Tag) -> bool:
    return any(tag.get(name) is not None for name in ("style", "dir", "title"))


def _unwrap_cruft(soup: BeautifulSoup) -> None:
    """Spans that carry nothing, anchors without a link: unwrapped, their text kept."""
    for tag in list(elements(soup)):
        if (
            (tag.name == "span" and not _meaningful_span(tag))
            or (tag.name == "a" and not any(tag.get(n) for n in ("href", "name", "id")))
            or tag.name in ("time", "label")
        ):
            tag.unwrap()
        elif tag.name == "wbr":  # a place a long word may wrap: nothing to keep in Markdown
            tag.decompose()


def grouping_div(tag: Tag) -> bool:
    """A div (or section …) with no meaning of its own: no style, alignment or special class."""
    return (
        tag.name in GROUPING
        and not any(tag.get(name) is not None for name in ("style", "align", "dir"))
        and not MEANINGFUL_DIV_CLASSES.intersection(classes(tag))
    )


def _flatten_wrapper_divs(soup: BeautifulSoup) -> None:
    """A grouping div whose whole content is one other div is the same as that div."""
    for tag in list(elements(soup)):
        if not grouping_div(tag):
            continue
        children = [c for c in tag.contents if not is_blank(c)]
        if len(children) == 1 and isinstance(children[0], Tag) and children[0].name in GROUPING:
            tag.unwrap()


def _has_block(tag: Tag) -> bool:
    return tag.find(_BLOCK_NAMES) is not None


def _push_inline_into_blocks(soup: BeautifulSoup) -> None:
    """`<span style="color"><p>a</p><p>b</p></span>` → each paragraph gets its own span.

    Markdown formatting cannot cross paragraphs; browsers show the two forms alike.
    Links are not split (that would make one link several): the converter keeps them as HTML.
    """
    # Which elements have a block inside, found in one pass from the end of the document
    # (asking each element would read its whole subtree: slow when thousands are nested).
    holding: set[int] = set()
    for tag in reversed(list(elements(soup))):
        if (tag.name in BLOCK_TAGS or id(tag) in holding) and tag.parent is not None:
            holding.add(id(tag.parent))
    # Innermost first (the end of document order): a wrapper is split after what it contains.
    work = [t for t in elements(soup) if t.name in INLINE_FORMATTING and id(t) in holding]
    while work:
        tag = work.pop()
        if tag.parent is None:
            continue
        run: list[PageElement] = []

        def flush(tag: Tag = tag, run: list[PageElement] = run) -> None:
            _move_out_as_clone(soup, tag, run)

        for child in list(tag.contents):
            if isinstance(child, Tag) and (child.name in BLOCK_TAGS or _has_block(child)):
                flush()
                tag.insert_before(child.extract())
                if child.name not in ("table", "ul", "ol", "dl", "hr", "iframe", "pre"):
                    _wrap_contents(soup, child, tag.name, dict(tag.attrs))
                    inner = child.contents[-1] if child.contents else None
                    if isinstance(inner, Tag) and inner.name == tag.name and _has_block(inner):
                        work.append(inner)
            else:
                run.append(child)
        flush()
        tag.decompose()


def _split_at_paragraph_breaks(soup: BeautifulSoup) -> None:
    """`<b>one<br /><br />two</b>` → `<b>one</b><br /><br /><b>two</b>`: two breaks make a new
    paragraph, and Markdown formatting cannot cross paragraphs."""
    for tag in reversed(list(elements(soup))):  # innermost first: the pieces move outwards
        if tag.name not in INLINE_FORMATTING or tag.parent is None:
            continue
        children = list(tag.contents)
        runs = [i for i, c in enumerate(children) if break_run_starts(children, i)]
        if not runs:
            continue
        piece: list[PageElement] = []
        for index, child in enumerate(children):
            if break_run_starts(children, index) or (
                isinstance(child, Tag) and child.name == "br" and _after_break(children, index)
            ):
                _move_out_as_clone(soup, tag, piece)
                tag.insert_before(child.extract())
            else:
                piece.append(child)
        _move_out_as_clone(soup, tag, piece)
        tag.decompose()


def _after_break(children: list[PageElement], index: int) -> bool:
    """Whether the nearest non-blank child before `index` is a `<br>`."""
    for child in reversed(children[:index]):
        if not (isinstance(child, str) and not child.strip()):
            return isinstance(child, Tag) and child.name == "br"
    return False


def break_run_starts(children: list[PageElement], index: int) -> bool:
    """Whether a run of two or more `<br>` starts at `index`."""
    child = children[index]
    if not (isinstance(child, Tag) and child.name == "br"):
        return False
    for following in children[index + 1 :]:
        if not (isinstance(following, str) and not following.strip()):
            return isinstance(following, Tag) and following.name == "br"
    return False


def _move_out_as_clone(soup: BeautifulSoup, tag: Tag, piece: list[PageElement]) -> None:
    """Put `piece` (children of `tag`) before `tag`, inside a copy of `tag` if it shows text."""
    if any(not is_blank(node) for node in piece):
        clone = soup.new_tag(tag.name, attrs=dict(tag.attrs))  # type: ignore[arg-type]  # _Attributes
        tag.insert_before(clone)
        for node in piece:
            clone.append(node.extract())
    else:
        for node in piece:
            tag.insert_before(node.extract())
    piece.clear()


def _move_edge_breaks(soup: BeautifulSoup) -> None:
    """`<b>The vote<br /></b>` → `<b>The vote</b><br />`: the break is not part of the bold."""
    for tag in reversed(list(elements(soup))):  # innermost first: a break moves all the way out
        if tag.name not in INLINE_FORMATTING and tag.name != "a":
            continue
        while True:
            inner = [c for c in tag.contents if not (isinstance(c, str) and not c.strip())]
            if inner and isinstance(inner[-1], Tag) and inner[-1].name == "br":
                tag.insert_after(inner[-1].extract())
            elif inner and isinstance(inner[0], Tag) and inner[0].name == "br":
                tag.insert_before(inner[0].extract())
            else:
                break


_SAME_EMPHASIS = (("b", "strong"), ("i", "em"), ("s", "strike", "del"), ("code",))


def _unwrap_nested_emphasis(soup: BeautifulSoup) -> None:
    """Italics inside italics (bold inside bold …) look the same as once, and Markdown's
    `*a *b* c*` would not nest: the inner one is unwrapped."""
    for tag in list(elements(soup)):
        for names in _SAME_EMPHASIS:
            if tag.name in names and tag.find_parent(list(names)) is not None:
                tag.unwrap()
                break


def _merge_adjacent_emphasis(soup: BeautifulSoup) -> None:
    """`<b>a</b><b>b</b>` → `<b>ab</b>`: Markdown has no form for two touching bolds (or
    two touching code spans: their backticks would run together)."""
    for tag in list(elements(soup)):
        if tag.parent is None or tag.name not in ("b", "strong", "i", "em", "s", "strike", "code"):
            continue
        same = next(names for names in _SAME_EMPHASIS if tag.name in names)
        following = tag.next_sibling
        while (
            isinstance(following, Tag) and following.name in same and following.attrs == tag.attrs
        ):
            for child in list(following.contents):
                tag.append(child.extract())
            following.decompose()
            following = tag.next_sibling


def _nest_stray_lists(soup: BeautifulSoup) -> None:
    """`<ul><li>a</li><ul>…</ul></ul>` (Blogger's indent button) → the inner list in the item."""
    for tag in list(elements(soup)):
        parent = tag.parent
        if tag.name not in ("ul", "ol") or parent is None or parent.name not in ("ul", "ol"):
            continue
        previous = tag.find_previous_sibling()
        if previous is not None and previous.name == "li":
            previous.append(tag.extract())


def _join_strings(soup: BeautifulSoup) -> None:
    """Join neighbouring strings that unwrapping left apart ("end." + "&nbsp;"): the rules
    read text a string at a time. (bs4's own `smooth` recurses, and posts can nest deeply.)"""
    for tag in [soup, *elements(soup)]:
        previous: PageElement | None = None
        for child in list(tag.contents):
            if type(child) is NavigableString and type(previous) is NavigableString:
                joined = NavigableString(previous + child)
                previous.replace_with(joined)
                child.extract()
                previous = joined
            else:
                previous = child
