"""Recognise the shapes blog editors write, to give each its Markdown form or keep it as HTML.

Images (Blogger's separator div and caption table, WordPress's figure), code blocks (our own
Pygments output, `<pre><code class="language-…">`, SyntaxHighlighter's `brush:`), tables that
Markdown can hold, and the reasons, in a writer's words, for keeping a part as HTML.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from editor.core.html_styles import meaningful_properties, style_properties
from editor.core.html_tidy import classes, is_blank

# Elements with no Markdown form, kept as HTML, with what the import report says about them.
RAW_TAGS = {
    "iframe": "an embedded page (iframe)",
    "embed": "an embedded object (embed)",
    "object": "an embedded object (object)",
    "applet": "an embedded object (applet)",
    "video": "a video (video)",
    "audio": "a sound clip (audio)",
    "script": "a script",
    "noscript": "text for readers without scripts (noscript)",
    "style": "a style sheet (style)",
    "form": "a form",
    "fieldset": "a form",
    "input": "a form field",
    "button": "a button",
    "select": "a form field",
    "textarea": "a text box",
    "canvas": "a drawing (canvas)",
    "svg": "a drawing (svg)",
    "math": "a formula (MathML)",
    "details": "a fold-out section (details)",
    "marquee": "scrolling text (marquee)",
    "blink": "blinking text",
    "center": "centred text",
    "map": "an image map",
    "picture": "an image with several sizes (picture)",
    "dialog": "a dialog",
    "template": "a template",
    "frameset": "frames",
    "ruby": "annotated text (ruby)",
}
# Inline elements kept as HTML around their (converted) text.
WRAPPER_TAGS = {
    "u": "underlined text",
    "ins": "underlined text",
    "sup": "superscript text",
    "sub": "subscript text",
    "small": "smaller text",
    "big": "bigger text",
    "mark": "highlighted text",
    "abbr": "an abbreviation with its explanation",
    "acronym": "an abbreviation with its explanation",
    "kbd": "keyboard keys (kbd)",
    "var": "a variable (var)",
    "samp": "sample output (samp)",
    "dfn": "a defined term (dfn)",
    "tt": "typewriter text (tt)",
    "bdi": "text with its own direction",
    "bdo": "text with its own direction",
    "nobr": "text kept on one line",
}
_PROPERTY_REASONS = {
    "color": "coloured text",
    "background": "text on a coloured background",
    "background-color": "text on a coloured background",
    "text-decoration": "underlined text",
    "text-decoration-line": "underlined text",
    "vertical-align": "superscript or subscript text",
    "display": "hidden text",
    "visibility": "hidden text",
    "font-variant": "small capitals",
    "text-transform": "capitalised text",
    "direction": "right-to-left text",
    "float": "a part placed at the side",
    "margin": "indented text",
    "margin-left": "indented text",
    "padding": "indented text",
    "padding-left": "indented text",
}
_VIDEO_HOSTS = re.compile(r"youtube|youtu\.be|vimeo|dailymotion|blogger\.com/video", re.I)
_BLOGGER_SIZE = re.compile(
    r"/(?:s(\d+)|w(\d+)-h(\d+))(?:-[a-z0-9-]+)?/[^/]*$|=(?:s(\d+)|w(\d+)-h(\d+))"
)
_WORDPRESS_SIZE = re.compile(r"-(\d+)x(\d+)\.\w+(?:\?.*)?$")
_LANGUAGE = re.compile(r"(?:^|\s)(?:language-|lang-|brush:\s*|highlight-source-)([\w#+.-]+)")
_SAFE_LANGUAGE = re.compile(r"[^\w#+.-]")
_BLOCKS_IN_LINES = ["ul", "ol", "dl", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5"]
_HIGHLIGHTER_TAGS = ("br", "code", "span", "b", "strong", "i", "em", "s", "u")


def raw_reason(tag: Tag) -> str | None:
    """Why an element is kept as HTML whatever its surroundings, None when it is not."""
    name = tag.name or ""
    if name == "iframe":
        video = _VIDEO_HOSTS.search(str(tag.get("src") or "")) or "BLOG_video_class" in classes(tag)
        return "an embedded video (iframe)" if video else RAW_TAGS[name]
    if name in RAW_TAGS:
        return RAW_TAGS[name]
    if "-" in name:
        return f"an embedded element ({name})"
    return None


def style_reason(tag: Tag) -> str | None:
    """What a reader would miss if this element's own style or direction were dropped."""
    if str(tag.get("dir") or "").lower() == "rtl":
        return "right-to-left text"
    reason = _class_reason(classes(tag))
    if reason:
        return reason
    align = str(tag.get("align") or "").lower()
    if align in ("center", "right") and tag.name not in ("img", "table"):
        return "centred text" if align == "center" else "text aligned right"
    for name, value in meaningful_properties(style_properties(tag.get("style")), block=True):
        if name == "text-align":
            return "centred text" if "center" in value.lower() else "text aligned right"
        if name.startswith("border"):
            return "a framed box"
        if name == "float":
            return f"a part placed at the {'left' if 'left' in value.lower() else 'right'}"
        return _PROPERTY_REASONS.get(name, "formatted text")
    return None


def _class_reason(names: list[str]) -> str | None:
    """The looks WordPress's block editor gives by class instead of style."""
    for name in names:
        if name in ("has-text-align-center", "aligncenter"):
            return "centred text"
        if name in ("has-text-align-right", "alignright"):
            return "text aligned right"
        if name == "has-background" or name.endswith("-background-color"):
            return "text on a coloured background"
        if name == "has-text-color" or (name.startswith("has-") and name.endswith("-color")):
            return "coloured text"
        if name.startswith("has-") and name.endswith("-font-size"):
            return "text in another size"
        if name == "has-drop-cap":
            return "a drop cap"
        if "wp-block-button" in name:
            return "a button"
    return None


def heading_reason(tag: Tag) -> str | None:
    """A heading holding a list, table, quote or code block: Markdown headings are one line."""
    if re.fullmatch(r"h[1-6]", tag.name or "") and tag.find(_BLOCKS_IN_LINES) is not None:
        return "a heading with a list or table inside"
    return None


def embed_reason(tag: Tag) -> str | None:
    """A quote or figure that a service turns into an embedded post or video."""
    names = " ".join(classes(tag))
    if tag.name == "blockquote" and re.search(
        r"tweet|instagram|tiktok|embed|facebook|reddit", names
    ):
        return f"an embedded post ({names})"
    if tag.name == "figure" and "embed" in names:
        return "an embedded video or post"
    if tag.name == "figure" and len(tag.find_all("img")) > 1:
        return "a gallery of images"
    return None


def wrapper_reason(tag: Tag) -> str | None:
    """Why an inline element is kept as HTML around its text (None: it is not)."""
    if tag.name in WRAPPER_TAGS:
        return WRAPPER_TAGS[tag.name]
    if tag.name != "span":
        return None
    if str(tag.get("dir") or "").lower() == "rtl":
        return "right-to-left text"
    for name, _value in meaningful_properties(style_properties(tag.get("style")), block=False):
        return _PROPERTY_REASONS.get(name, "formatted text")
    if tag.get("title"):
        return "text with a note shown on hover"
    return None


def content_nodes(tag: Tag) -> list:
    """The children that show something (not whitespace, not plain comments, not `<br>`)."""
    return [
        child
        for child in tag.contents
        if not is_blank(child) and not (isinstance(child, Tag) and child.name == "br")
    ]


def lone_image(tag: Tag, *, allow_caption: bool = False) -> tuple[Tag, Tag | None] | None:
    """(img, enclosing link or None) when `tag` shows one image and nothing else."""
    nodes = content_nodes(tag)
    if allow_caption:
        nodes = [n for n in nodes if not (isinstance(n, Tag) and n.name == "figcaption")]
    if len(nodes) != 1 or not isinstance(nodes[0], Tag):
        return None
    node = nodes[0]
    if node.name == "img":
        return node, None
    if node.name == "a" and node.get("href"):
        inner = content_nodes(node)
        if len(inner) == 1 and isinstance(inner[0], Tag) and inner[0].name == "img":
            return inner[0], node
    return None


def image_side(image: Tag, link: Tag | None) -> str | None:
    """ "left"/"right" when the image (or its link) floats to a side."""
    for element in (image, link):
        if element is None:
            continue
        for name, value in style_properties(element.get("style")):
            if name == "float" and value.lower().startswith(("left", "right")):
                return "left" if value.lower().startswith("left") else "right"
        align = str(element.get("align") or "").lower()
        if align in ("left", "right"):
            return align
        for css in classes(element):
            if css in ("alignleft", "alignright"):
                return css.removeprefix("align")
    return None


def image_centred(image: Tag, link: Tag | None) -> bool:
    """Whether the image's own style centres it (old Blogger: display:block; margin auto)."""
    if "aligncenter" in classes(image) or str(image.get("align") or "").lower() == "center":
        return True
    for element in (image, link):
        if element is None:
            continue
        props = dict(style_properties(element.get("style")))
        margin = " ".join(v for n, v in props.items() if n.startswith("margin"))
        if props.get("display", "").startswith("block") and "auto" in margin:
            return True
    return False


def image_styled(image: Tag, link: Tag | None) -> bool:
    """Whether the image or its link has a style a reader notices (a border, a colour …)."""
    for element in (image, link):
        if element is not None:
            props = meaningful_properties(style_properties(element.get("style")), block=True)
            if any(name not in ("text-align",) for name, _ in props):
                return True
    return False


def _pixels(tag: Tag, name: str) -> int | None:
    value = tag.get(name)
    if value is None:
        value = dict(style_properties(tag.get("style"))).get(name)
    match = re.fullmatch(r"\s*(\d+)\s*(?:px)?\s*", str(value or ""))
    return int(match.group(1)) if match else None


def image_size_attributes(image: Tag) -> str:
    """`{: width="…" height="…" }` when the size differs from what the image's address serves.

    Blogger's addresses say the size they serve (`/s320/`, `/w640-h426/`), WordPress's too
    (`-640x426.jpg`); a width/height saying the same adds nothing a reader sees.
    """
    width, height = _pixels(image, "width"), _pixels(image, "height")
    if width is None and height is None:
        return ""
    src = str(image.get("src") or "")
    served = _served_size(src)
    if served is not None:
        side, served_width, served_height = served
        if side is not None and max(width or 0, height or 0) == side:
            return ""
        if (width, height) == (served_width, served_height):
            return ""
    parts = [f'{name}="{value}"' for name, value in (("width", width), ("height", height)) if value]
    return "{: " + " ".join(parts) + " }"


def _served_size(src: str) -> tuple[int | None, int | None, int | None] | None:
    """(longest side, width, height) that an image address asks its host for."""
    match = _BLOGGER_SIZE.search(src)
    if match:
        side = match.group(1) or match.group(4)
        width = match.group(2) or match.group(5)
        height = match.group(3) or match.group(6)
        return (
            int(side) if side else None,
            int(width) if width else None,
            int(height) if height else None,
        )
    match = _WORDPRESS_SIZE.search(src)
    if match:
        return None, int(match.group(1)), int(match.group(2))
    return None


def code_language(*tags: Tag | None) -> str:
    """The language a code block names (data-lang, language-x, lang-x, brush: x), or ""."""
    for tag in tags:
        if tag is None:
            continue
        if tag.get("data-lang"):
            return _SAFE_LANGUAGE.sub("", str(tag.get("data-lang")))
        match = _LANGUAGE.search(" ".join(classes(tag)))
        if match:
            return _SAFE_LANGUAGE.sub("", match.group(1))
    return ""


def code_text(pre: Tag) -> str:
    """The text of a `<pre>`, with `<br>` as newlines (Blogger and our renderer write them)."""
    parts: list[str] = []
    for node in pre.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
        elif type(node) is NavigableString:
            parts.append(str(node))
    text = "".join(parts)
    return text.removeprefix("\n").rstrip("\n")  # HTML ignores a newline right after <pre>


def plain_code(pre: Tag, *, highlighted: bool) -> bool:
    """Whether a `<pre>` holds only text, or the colours of a highlighter that named its
    language (which our renderer colours again); anything else is kept as HTML."""
    allowed = _HIGHLIGHTER_TAGS if highlighted else ("br", "code")
    return all(node.name in allowed for node in pre.descendants if isinstance(node, Tag))


def fence(code: str, language: str) -> str:
    """A fenced code block longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{language}\n{code}\n{marks}"


def cells_of(row: Tag) -> list[Tag]:
    """The cells of a table row."""
    return [cell for cell in row.find_all(["td", "th"], recursive=False)]


def rows_of(table: Tag) -> list[Tag]:
    """The rows of a table (directly or inside thead/tbody/tfoot), in order."""
    rows = []
    for child in table.find_all(recursive=False):
        if child.name == "tr":
            rows.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows.extend(child.find_all("tr", recursive=False))
    return rows


def task_checkbox(node: Tag) -> bool:
    """The checkbox our renderer writes at the start of a task list item."""
    parent = node.parent
    return (
        str(node.get("type") or "").lower() == "checkbox"
        and parent is not None
        and parent.name == "li"
        and "task-list-item" in classes(parent)
    )


def task_marker(item: Tag) -> str:
    """`[x] ` / `[ ] ` for a task list item, "" for any other."""
    if "task-list-item" not in classes(item):
        return ""
    box = item.find("input", recursive=False)
    if box is None or not task_checkbox(box):
        return ""
    return "[x] " if box.has_attr("checked") else "[ ] "


def list_reason(node: Tag) -> str | None:
    """Why a list cannot be a Markdown list: lettered or reversed numbers, styled items, an
    item that begins with a list (Markdown has no empty item before a nested list)."""
    if node.name == "ol" and (str(node.get("type") or "1") != "1" or node.has_attr("reversed")):
        return "a list numbered with letters or backwards"
    for item in node.find_all(["li", "dt", "dd"], recursive=False):
        reason = style_reason(item)
        if reason:
            return reason
        first = content_nodes(item)[:1]
        if first and isinstance(first[0], Tag) and first[0].name in ("ul", "ol", "dl"):
            return "a list item that begins with a list"
    if node.parent is not None and node.parent.name in ("ul", "ol"):
        return "an indented list"
    return None


def inner_reason(node: Tag) -> str | None:
    """A better reason for keeping `node` as HTML: what it holds (a video, a floated image)."""
    for inner in node.find_all(True):
        reason = raw_reason(inner)
        if reason:
            return reason
    found = lone_image(node)
    if found is not None:
        side = image_side(*found)
        if side:
            return f"an image placed at the {side}"
    return None


def footnote_numbers(soup: Tag) -> dict[str, int]:
    """The number of each of our renderer's footnotes, by the id of its list item."""
    numbers: dict[str, int] = {}
    for div in soup.find_all("div", class_="footnote"):
        items = div.find("ol")
        for item in items.find_all("li", recursive=False) if items else []:
            if item.get("id"):
                numbers[str(item["id"])] = len(numbers) + 1
    return numbers
