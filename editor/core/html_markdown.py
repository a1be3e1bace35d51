"""markdownify with our rules: the Markdown that Broadsheet's renderer turns back into the post.

The output is written for Python-Markdown as configured in `render.py`: ATX headings, `*`/`**`
emphasis, `-` bullets with four-space nesting, fenced code with its language, `~~strike~~`,
two trailing spaces for a line break, `[^1]` footnotes, an image alone in its paragraph (plus
an italic caption line) for Blogger's image blocks. Text is escaped only where Markdown would
read it as syntax. What has no faithful Markdown form is written as HTML the renderer passes
through unchanged: a block at the left margin between blank lines, or, inside a paragraph or a
list, inline with every character Markdown could act on written as an entity.
"""

from __future__ import annotations

import html
import re

from bs4 import Comment, NavigableString, PageElement, Tag
from markdown import Markdown

# markdownify's stub file declares only its public API; chomp and abstract_inline_conversion
# are helpers in the module that its own converter uses.
from markdownify import (  # type: ignore[attr-defined]
    ATX,
    STRIP,
    MarkdownConverter,
    abstract_inline_conversion,
    chomp,
)

from editor.core.html_newlines import BLOCK_TAGS
from editor.core.html_shapes import (
    cells_of,
    code_language,
    code_text,
    content_nodes,
    embed_reason,
    fence,
    footnote_numbers,
    heading_reason,
    image_centred,
    image_side,
    image_size_attributes,
    image_styled,
    inner_reason,
    list_reason,
    lone_image,
    plain_code,
    raw_reason,
    rows_of,
    style_reason,
    task_checkbox,
    task_marker,
    wrapper_reason,
)
from editor.core.html_styles import style_properties
from editor.core.html_tables import markdown_table
from editor.core.html_text import (
    INERT,
    attribute_list,
    destination,
    escape_line_start,
    escape_text,
    is_block,
    is_break,
    line_edge,
    neighbour,
    paragraph_edge,
    shows_nothing,
    title_part,
)
from editor.core.html_tidy import (
    GROUPING,
    Originals,
    break_run_starts,
    classes,
    is_jump_break,
)

# Ancestors that leave a block at Markdown's top level (where raw HTML blocks are allowed).
TOP_LEVEL = GROUPING | {"[document]", "figure"}
# Python-Markdown passes a raw HTML block through only when it starts with one of these.
MARKDOWN_BLOCKS = frozenset(Markdown().block_level_elements)
_EDGE_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", re.S)


class BlogMarkdownConverter(MarkdownConverter):
    """Blogger/WordPress post HTML (tidied by html_tidy) → Broadsheet Markdown."""

    def __init__(self, originals: Originals | None = None) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            autolinks=False,
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
            strip_document=STRIP,
        )
        self.kept: list[str] = []  # why parts were kept as HTML, in order, once each
        self._originals = originals
        self._footnotes: dict[str, int] = {}
        self._item_numbers: dict[int, dict[int, int]] = {}

    def keep(self, reason: str) -> None:
        """Record that a part was kept as HTML, and why."""
        if reason not in self.kept:
            self.kept.append(reason)

    def convert_soup(self, soup):  # type: ignore[no-untyped-def]
        self._footnotes = footnote_numbers(soup)
        return super().convert_soup(soup)

    # -- the walk -------------------------------------------------------------------------

    def process_element(self, node, parent_tags=None):  # type: ignore[no-untyped-def]
        if isinstance(node, Comment):
            return self._comment(node, parent_tags or set())
        if isinstance(node, NavigableString):
            return self.process_text(node, parent_tags=parent_tags)
        return self.process_tag(node, parent_tags=parent_tags)

    def process_tag(self, node, parent_tags=None):  # type: ignore[no-untyped-def]
        parent_tags = parent_tags if parent_tags is not None else set()
        special = self._special(node, parent_tags)
        if special is not None:
            return special
        text = self.children_markdown(node, parent_tags)
        # Both are markdownify's, left out of its stub file (see the import of chomp).
        convert = self.get_conv_fn_cached(node.name)  # type: ignore[attr-defined]
        if convert is None and node.name in BLOCK_TAGS:
            convert = self.convert_div  # type: ignore[attr-defined]  # address, figure, …: a block
        return convert(node, text, parent_tags=parent_tags) if convert else text

    def children_markdown(self, node: Tag, parent_tags: set[str]) -> str:
        """The Markdown of `node`'s children (markdownify's walk, comments included)."""
        inside_block = node.name in BLOCK_TAGS or node.name == "[document]"

        def ignored(child: PageElement) -> bool:
            """Whitespace between blocks, or at a block's edge, is not text."""
            if (
                not isinstance(child, NavigableString)
                or isinstance(child, Comment)
                or child.strip()
            ):
                return False
            if inside_block and (child.previous_sibling is None or child.next_sibling is None):
                return True
            return any(
                is_block(n) or is_break(n) for n in (child.previous_sibling, child.next_sibling)
            )

        tags = set(parent_tags)
        tags.add(node.name)
        if re.fullmatch(r"h\d", node.name or "") or node.name in ("td", "th"):
            tags.add("_inline")
        if node.name in ("pre", "code", "kbd", "samp"):
            tags.add("_noformat")
        parts: list[str] = []
        newlines = ""  # between the last part and the next: blocks are apart by at most two
        for child in node.children:
            if ignored(child):
                continue
            string = self.process_element(child, tags)
            lead, content, trail = _EDGE_NEWLINES.match(string).groups()  # type: ignore[union-attr]
            if lead:
                newlines = "\n" * min(2, max(len(newlines), len(lead)))
            if content:
                parts.append(newlines + content)
                newlines = trail
        return "".join(parts) + newlines

    def process_text(self, el, parent_tags=None):  # type: ignore[no-untyped-def]
        parent_tags = parent_tags or set()
        text = re.sub(r"[ \t\r\n\f\v]+", " ", str(el))
        text = re.sub(r"(?<=[.!?:;,])\xa0", " ", text)  # "end.&nbsp; Next": a plain space
        text = re.sub(r"\xa0*(?: \xa0*)+", " ", text)
        parent = el.parent
        inside_block = parent is not None and (
            parent.name in BLOCK_TAGS or parent.name == "[document]"
        )
        previous, following = el.previous_sibling, el.next_sibling
        if is_block(previous) or is_break(previous) or (inside_block and previous is None):
            text = text.lstrip(" ")
        if is_block(following) or is_break(following) or (inside_block and following is None):
            text = text.rstrip(" \xa0")
        if "_noformat" in parent_tags:
            return text
        text = escape_text(
            text,
            in_table="td" in parent_tags or "th" in parent_tags,
            in_link="a" in parent_tags,
            followed=following is not None,
        )
        if text.strip(" ") and self._starts_line(el):
            text = escape_line_start(text)
        return text

    @staticmethod
    def _starts_line(node: PageElement) -> bool:
        """Whether the Markdown of `node` begins a line (so `#`, `1.`, `-` there are syntax)."""
        previous = neighbour(node, -1)
        if isinstance(previous, Tag) and previous.name in MARKDOWN_BLOCKS:
            return True  # also an iframe, which may be kept as a block of its own
        if previous is not None:
            return is_break(previous) or is_block(previous) or is_jump_break(previous)
        parent = node.parent
        # An inline parent writes its own mark first (`**`, `*`, `[`, `<u>` …).
        return parent is None or parent.name == "[document]" or parent.name in BLOCK_TAGS

    @staticmethod
    def _top(parent_tags: set[str]) -> bool:
        """Whether an element sits at Markdown's top level (no list, quote or paragraph around)."""
        return parent_tags <= TOP_LEVEL

    # -- what has a special form ----------------------------------------------------------

    def _special(self, node: Tag, parent_tags: set[str]) -> str | None:
        name = node.name
        if name == "[document]":
            return None
        reason = raw_reason(node)
        if reason:
            if name == "input" and task_checkbox(node):
                return ""
            return self.raw(node, reason, parent_tags)
        if "_noformat" in parent_tags:
            return None
        if name in ("div", "p", "figure") and not embed_reason(node):
            image = self._image_block(node, parent_tags)
            if image is not None:
                return image
        if name == "div" and "highlight" in classes(node):
            nodes = content_nodes(node)
            if len(nodes) == 1 and isinstance(nodes[0], Tag) and nodes[0].name == "pre":
                return self._code(nodes[0], parent_tags, code_language(node))
        if name == "pre":
            return self._code(node, parent_tags, "")
        if name == "div" and "footnote" in classes(node):
            notes = self._footnote_definitions(node, parent_tags)
            if notes is not None:
                return notes
        if name == "sup":
            reference = self._footnote_reference(node)
            if reference is not None:
                return reference
        if name == "table":
            return self._table(node, parent_tags)
        if name == "a" and not node.get("href"):  # a place that links jump to: no Markdown
            return self.raw(node, "a place other links jump to (an anchor)", parent_tags)
        if name in ("a", "img"):
            image = self._image_in_text(node, parent_tags)
            if image is not None:
                return image
        if name == "a" and (
            node.find(list(BLOCK_TAGS)) is not None
            or any(break_run_starts(node.contents, i) for i in range(len(node.contents)))
        ):
            return self.raw(node, "a link around several paragraphs", parent_tags)
        if name == "code" and any(isinstance(n, Tag) and n.name != "br" for n in node.descendants):
            return self.wrapper(node, "code with links or formatting", parent_tags)
        reason = embed_reason(node) or heading_reason(node)
        if reason:
            return self.raw(node, reason, parent_tags)
        if name in ("ul", "ol", "dl"):
            reason = list_reason(node)
            if reason:
                return self.raw(node, reason, parent_tags)
        if name in BLOCK_TAGS and name not in ("li", "dt", "dd", "tr", "td", "th"):
            reason = style_reason(node)
            if reason and shows_nothing(node):
                return ""  # an empty centred div is a spacer: the paragraphs space themselves
            if reason:
                return self.raw(node, inner_reason(node) or reason, parent_tags)
        reason = wrapper_reason(node)
        if reason:
            return self.wrapper(node, reason, parent_tags)
        return None

    def raw(self, node: Tag, reason: str, parent_tags: set[str]) -> str:
        """`node` kept as HTML: a block of its own at the top level, inline elsewhere."""
        self.keep(reason)
        block = self._top(parent_tags) and node.name in MARKDOWN_BLOCKS
        formatter = "minimal" if block else INERT
        if self._originals is not None:
            html = self._originals.decode(node, formatter)
        else:
            html = node.decode(formatter=formatter)
        return "\n\n" + html.strip("\n") + "\n\n" if block else html

    def wrapper(self, node: Tag, reason: str, parent_tags: set[str]) -> str:
        """An inline element kept as HTML around the Markdown of its text."""
        prefix, suffix, inner = chomp(self.children_markdown(node, parent_tags))
        if not inner:
            return prefix + suffix
        self.keep(reason)
        attributes = "".join(
            f' {key}="{html.escape(" ".join(v) if isinstance(v, list) else str(v))}"'
            for key, v in node.attrs.items()
        )
        return f"{prefix}<{node.name}{attributes}>{inner}</{node.name}>{suffix}"

    def _comment(self, node: Comment, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return ""
        if node.strip() == "more":
            text = "<!--more-->"
        else:
            text = f"<!--{node}-->"
            if not is_jump_break(node):
                self.keep("a hidden note (an HTML comment)")
        if self._top(parent_tags) and paragraph_edge(node, -1) and paragraph_edge(node, 1):
            return f"\n\n{text}\n\n"
        return text

    # -- images -----------------------------------------------------------------------------

    def markdown_image(self, image: Tag, link: Tag | None) -> str:
        """`[![alt](shown "title"){: size }](full size)`."""
        alt = re.sub(r"([\\\[\]])", r"\\\1", re.sub(r"\s+", " ", str(image.get("alt") or "")))
        src = destination(str(image.get("src") or ""))
        markdown = f"![{alt}]({src}{title_part(image.get('title'))})"
        markdown += image_size_attributes(image)
        if link is not None:
            href = destination(str(link.get("href") or ""))
            extra = attribute_list(link, ("target", "rel"))
            markdown = f"[{markdown}]({href}{title_part(link.get('title'))}){extra}"
        return markdown

    def image_paragraphs(self, image: Tag, link: Tag | None, caption: str | None) -> str:
        """The image alone in its paragraph, then its caption as an italic line (if any)."""
        markdown = "\n\n" + self.markdown_image(image, link) + "\n\n"
        if caption:
            markdown += f"*{caption}*\n\n"
        return markdown

    def caption_markdown(self, cell: Tag, parent_tags: set[str]) -> str | None:
        """A caption's Markdown for an italic line; None when it cannot be one."""
        if cell.find(["i", "em", "p", "div", "ul", "ol", "table", "pre", "blockquote"]):
            return None
        _prefix, _suffix, text = chomp(self.children_markdown(cell, parent_tags | {"_inline"}))
        return text.strip()

    def _image_block(self, node: Tag, parent_tags: set[str]) -> str | None:
        """Blogger's separator div, a centred paragraph, a figure: one image (and caption)."""
        if not self._top(parent_tags):
            return None
        found = lone_image(node, allow_caption=node.name == "figure")
        if found is None:
            return None
        image, link = found
        if image_side(image, link) or image_styled(image, link):
            return None
        if {"alignleft", "alignright"} & set(classes(node)):
            return None
        align = dict(style_properties(node.get("style"))).get("text-align", "")
        centred = (
            "separator" in classes(node)
            or node.name == "figure"
            or "center" in align.lower()
            or str(node.get("align") or "").lower() == "center"
            or image_centred(image, link)
        )
        if not centred:
            return None
        caption = None
        figcaption = node.find("figcaption", recursive=False) if node.name == "figure" else None
        if figcaption is not None:
            caption = self.caption_markdown(figcaption, parent_tags)
            if caption is None:
                return None
        elif image.get("title"):
            return None  # the renderer would show the title as a caption
        return self.image_paragraphs(image, link, caption)

    def _image_in_text(self, node: Tag, parent_tags: set[str]) -> str | None:
        """An image (or linked image) among text: Markdown, unless its placement would change."""
        if node.name == "a":
            found = lone_image(node) if node.get("href") else None
            if found is None or found[1] is not None:
                return None
            image, link = found[0], node
        else:
            image, link = node, None
            if node.parent is not None and node.parent.name == "a" and lone_image(node.parent):
                return None  # converted with its link
        side = image_side(image, link)
        if side:
            return self.raw(node, f"an image placed at the {side}", parent_tags)
        if image_styled(image, link):
            return self.raw(node, "an image with a border or other style", parent_tags)
        if self.image_line(node, parent_tags):
            # Old Blogger: `display: block; margin: auto` on an image on a line of its own.
            return self.image_paragraphs(image, link, None)
        if image_centred(image, link):
            return self.raw(node, "a centred image", parent_tags)
        in_top_paragraph = parent_tags <= TOP_LEVEL | {"p"} and (
            node.parent is None or node.parent.name in TOP_LEVEL | {"p"}
        )
        if in_top_paragraph and paragraph_edge(node, -1) and paragraph_edge(node, 1):
            # Alone in a paragraph, the renderer would centre it: keep it where it was.
            return self.raw(node, "an image that is not centred", parent_tags)
        return self.markdown_image(image, link)

    def image_line(self, node: PageElement | None, parent_tags: set[str]) -> bool:
        """Whether `node` is a centred (linked) image on a line of its own at the top level,
        which becomes an image paragraph."""
        if not isinstance(node, Tag) or node.name not in ("a", "img") or not self._top(parent_tags):
            return False
        found = lone_image(node) if node.name == "a" else (node, None)
        if found is None or (node.name == "a" and found[1] is not None):
            return False
        image, link = found[0], node if node.name == "a" else None
        return (
            image_centred(image, link)
            and not image.get("title")
            and not image_side(image, link)
            and not image_styled(image, link)
            and line_edge(node, -1)
            and line_edge(node, 1)
        )

    # -- code, tables, footnotes ------------------------------------------------------------

    def _code(self, pre: Tag, parent_tags: set[str], language: str) -> str:
        code = pre.find("code")
        language = language or code_language(code, pre)
        if "_inline" in parent_tags or not plain_code(pre, highlighted=bool(language)):
            return self.raw(pre, "preformatted text with formatting", parent_tags)
        return "\n\n" + fence(code_text(pre), language) + "\n\n"

    def _table(self, table: Tag, parent_tags: set[str]) -> str:
        if "tr-caption-container" in classes(table):
            captioned = self._caption_table(table, parent_tags)
            if captioned is not None:
                return captioned
            side = dict(style_properties(table.get("style"))).get("float", "")
            side = side or str(table.get("align") or "")
            if side.lower().startswith(("left", "right")):
                place = "left" if side.lower().startswith("left") else "right"
                return self.raw(
                    table, f"an image with a caption placed at the {place}", parent_tags
                )
            return self.raw(table, "an image with a caption laid out by hand", parent_tags)
        if "_inline" in parent_tags:
            return self.raw(table, "a table inside a table", parent_tags)
        if not self._top(parent_tags):  # a Markdown table in a list or quote is fragile
            return self.raw(table, "a table inside a list or quote", parent_tags)
        markdown, reason = markdown_table(self, table, parent_tags)
        if markdown is not None:
            return markdown
        return self.raw(table, inner_reason(table) or reason, parent_tags)

    def _caption_table(self, table: Tag, parent_tags: set[str]) -> str | None:
        """Blogger's `tr-caption-container`: image in the first row, caption in the second."""
        if not self._top(parent_tags) or style_reason(table):
            return None
        if str(table.get("align") or "center").lower() != "center":
            return None
        rows = rows_of(table)
        if len(rows) != 2:
            return None
        first, second = cells_of(rows[0]), cells_of(rows[1])
        if len(first) != 1 or len(second) != 1 or "tr-caption" not in classes(second[0]):
            return None
        found = lone_image(first[0])
        if found is None or image_side(*found) or image_styled(*found):
            return None
        caption = self.caption_markdown(second[0], parent_tags)
        if caption is None:
            return None
        return self.image_paragraphs(found[0], found[1], caption)

    def _footnote_reference(self, sup: Tag) -> str | None:
        """Our renderer's `<sup id="fnref:…"><a href="#fn:…">1</a></sup>` → `[^1]`."""
        link = sup.find("a")
        if not str(sup.get("id") or "").startswith("fnref") or link is None:
            return None
        number = self._footnotes.get(str(link.get("href") or "").removeprefix("#"))
        return f"[^{number}]" if number is not None else None

    def _footnote_definitions(self, div: Tag, parent_tags: set[str]) -> str | None:
        """Our renderer's `<div class="footnote">` list → `[^1]: …` definitions."""
        items = div.find("ol")
        if items is None or not self._top(parent_tags):
            return None
        notes = []
        for item in items.find_all("li", recursive=False):
            number = self._footnotes.get(str(item.get("id") or ""))
            if number is None:
                return None
            for backlink in item.find_all("a", class_="footnote-backref"):
                backlink.decompose()
            body = self.children_markdown(item, parent_tags | {"li"}).strip()
            lines = body.split("\n")
            rest = ["    " + line if line.strip() else "" for line in lines[1:]]
            notes.append("\n".join([f"[^{number}]: {lines[0]}", *rest]))
        return "\n\n" + "\n\n".join(notes) + "\n\n"

    # -- markdownify's element rules, adjusted ----------------------------------------------

    def convert_br(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        if "_inline" in parent_tags:
            return "<br />"
        before, after = neighbour(el, -1), neighbour(el, 1)
        if is_break(after):  # two breaks or more: a new paragraph
            return "" if is_break(before) else "\n\n"
        if is_break(before) or before is None or after is None:
            return ""
        if is_block(before) or is_block(after):
            return ""
        if self.image_line(before, parent_tags) or self.image_line(after, parent_tags):
            return ""
        return "  \n"  # Python-Markdown's hard line break (it has no backslash form)

    def convert_a(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return prefix + suffix
        href = destination(str(el.get("href") or ""))
        extra = attribute_list(el, ("target", "rel"))  # "open in a new window" is kept
        return f"{prefix}[{text}]({href}{title_part(el.get('title'))}){extra}{suffix}"

    def convert_img(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return self.markdown_image(el, None)

    def convert_hN(self, n, el, text, parent_tags):  # type: ignore[no-untyped-def]  # noqa: N802
        if "_inline" in parent_tags:
            return text
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            return ""
        if text.endswith("#"):  # a closing "#" would be read as the heading's end marks
            text = text[:-1] + "\\#"
        anchor = str(el.get("id") or "")  # what links to this heading (#section) point at
        if re.fullmatch(r"[A-Za-z][\w-]*", anchor):
            text += f" {{: #{anchor} }}"
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_li(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            bullet = f"{(int(start) if start.isdigit() else 1) + self._item_index(parent, el)}."
        else:
            bullet = "-"
        lines = text.split("\n")
        # Python-Markdown nests by four spaces, whatever the width of the bullet.
        rest = ["    " + line if line.strip() else "" for line in lines[1:]]
        first = f"{bullet} {task_marker(el)}{lines[0]}"
        # An item of several paragraphs ends with a blank line, or the next item's number
        # would continue its last paragraph.
        return "\n".join([first, *rest]) + ("\n\n" if "\n\n" in text else "\n")

    def _item_index(self, parent: Tag, item: Tag) -> int:
        numbers = self._item_numbers.get(id(parent))
        if numbers is None:
            items = parent.find_all("li", recursive=False)
            numbers = self._item_numbers[id(parent)] = {id(li): i for i, li in enumerate(items)}
        return numbers.get(id(item), 0)

    convert_strike = abstract_inline_conversion(lambda self: "~~")
    convert_cite = abstract_inline_conversion(lambda self: "*")  # shown in italics
