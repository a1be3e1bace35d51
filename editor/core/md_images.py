"""Images alone in their paragraph become the centred blocks Blogger's own editor writes.

- image + caption (its title, or a following paragraph that is only an italic line, the
  "*Above: …*" habit): Blogger's `tr-caption-container` table, or `<figure>` + `<figcaption>`;
- image alone, no caption: Blogger's `<div class="separator">`, or a `<figure>`.

Images inside text stay inline. When the title and the italic line say the same thing there
is one caption; when they differ, the italic line is the caption and the title stays a tooltip.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from editor.core.md_lines import PLACEHOLDER

CAPTION_TABLE_ATTRS = {
    "class": "tr-caption-container",
    "align": "center",
    "cellpadding": "0",
    "cellspacing": "0",
    "style": "margin-left:auto;margin-right:auto;",
}
SEPARATOR_STYLE = "clear: both; text-align: center;"
FIGURE_STYLE = "text-align:center;margin:1em auto"


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _lone_child(element: etree.Element, tag: str) -> etree.Element | None:
    """The only child of `element` when it has that tag and there is no text around it."""
    if len(element) != 1 or not _blank(element.text) or not _blank(element[0].tail):
        return None
    child = element[0]
    return child if child.tag == tag else None


def lone_image(paragraph: etree.Element) -> tuple[etree.Element, etree.Element | None] | None:
    """(img, enclosing link or None) when a paragraph holds one image and nothing else."""
    if paragraph.tag != "p":
        return None
    image = _lone_child(paragraph, "img")
    if image is not None:
        return image, None
    link = _lone_child(paragraph, "a")
    if link is not None:
        image = _lone_child(link, "img")
        if image is not None:
            return image, link
    return None


def caption_line(paragraph: etree.Element | None) -> etree.Element | None:
    """The `<em>` of a paragraph that is only an italic line."""
    if paragraph is None or paragraph.tag != "p":
        return None
    return _lone_child(paragraph, "em")


def _comparable(text: str) -> str:
    """Text with markup placeholders, punctuation and case removed (smart quotes differ)."""
    return re.sub(r"\W+", "", PLACEHOLDER.sub("", text)).lower()


def _link_around(image: etree.Element, link: etree.Element | None, style: str) -> etree.Element:
    """The image wrapped in its own link, or in a link to the full-size image (as Blogger does)."""
    if link is None:
        link = etree.Element("a", {"href": image.get("src", "")})
    link.set("style", style)
    link.append(image)
    return link


def _fill(container: etree.Element, caption: etree.Element | str) -> None:
    if isinstance(caption, str):
        container.text = caption
        return
    container.text = caption.text
    for child in list(caption):
        container.append(child)


def _blogger_block(
    image: etree.Element, link: etree.Element | None, caption: etree.Element | str | None
) -> etree.Element:
    if caption is None:
        div = etree.Element("div", {"class": "separator", "style": SEPARATOR_STYLE})
        div.append(_link_around(image, link, "margin-left: 1em; margin-right: 1em;"))
        return div
    table = etree.Element("table", dict(CAPTION_TABLE_ATTRS))
    body = etree.SubElement(table, "tbody")
    image_cell = etree.SubElement(
        etree.SubElement(body, "tr"), "td", {"style": "text-align:center"}
    )
    image_cell.append(_link_around(image, link, "margin-left:auto;margin-right:auto;"))
    text_cell = etree.SubElement(
        etree.SubElement(body, "tr"), "td", {"class": "tr-caption", "style": "text-align:center"}
    )
    _fill(text_cell, caption)
    return table


def _figure(
    image: etree.Element, link: etree.Element | None, caption: etree.Element | str | None
) -> etree.Element:
    figure = etree.Element("figure", {"style": FIGURE_STYLE})
    if link is not None:
        link.append(image)
        figure.append(link)
    else:
        figure.append(image)
    if caption is not None:
        _fill(etree.SubElement(figure, "figcaption"), caption)
    return figure


def convert_images(
    root: etree.Element,
    caption_style: str,
    replaced: Callable[[etree.Element, etree.Element], None],
) -> None:
    """Turn top-level image paragraphs into Blogger/figure blocks; `replaced(new, old)` is told."""
    build = _figure if caption_style == "figure" else _blogger_block
    children = list(root)
    consumed: set[int] = set()
    for index, paragraph in enumerate(children):
        if index in consumed:
            continue
        found = lone_image(paragraph)
        if found is None:
            continue
        image, link = found
        following = children[index + 1] if index + 1 < len(children) else None
        italic = caption_line(following)
        title = (image.get("title") or "").strip()
        caption: etree.Element | str | None = italic if italic is not None else (title or None)
        if italic is not None and following is not None:
            consumed.add(index + 1)
            if _comparable(title) == _comparable("".join(italic.itertext())):
                image.attrib.pop("title", None)  # one caption, not a tooltip repeating it
        if link is not None:
            link.remove(image)
        paragraph.remove(link if link is not None else image)
        block = build(image, link, caption)
        position = list(root).index(paragraph)
        root.remove(paragraph)
        root.insert(position, block)
        replaced(block, paragraph)
        if italic is not None and following is not None:
            root.remove(following)
