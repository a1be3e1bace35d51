"""From HTML text to Markdown text: escaping, link addresses, and where a node stands.

Text is escaped only where Python-Markdown would read it as syntax, so a writer editing the
imported draft sees ordinary punctuation; whether a node starts a line or a paragraph is read
from its neighbours (whitespace, plain comments and empty elements do not count).
"""

from __future__ import annotations

import re
import string

from bs4 import PageElement, Tag
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

from editor.core.html_newlines import BLOCK_TAGS
from editor.core.html_tidy import is_blank, is_jump_break

# Blocks that break the flow of text: the spaces next to them do not show.
FLOW_BLOCKS = BLOCK_TAGS - {"iframe", "video", "audio", "canvas", "object", "svg", "math", "map"}
MEDIA = ["img", "iframe", "embed", "object", "video", "audio", "svg", "canvas", "input"]
_SHORTCODE = re.compile(r"\[/?[A-Za-z][\w-]*\s[^\[\]\n]*?[\"'][^\[\]\n]*?\\?\]")
_ESCAPED = string.punctuation  # what the renderer reads "\\" before (all ASCII punctuation)


class _InertFormatter(HTMLFormatter):
    """HTML whose text Markdown cannot act on: its special characters written as entities."""

    _TEXT = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]~\n"})

    def __init__(self) -> None:
        super().__init__(entity_substitution=self._inert, void_element_close_prefix="")

    @classmethod
    def _inert(cls, text: str) -> str:
        return EntitySubstitution.substitute_xml(text).translate(cls._TEXT)

    def attribute_value(self, value: str) -> str:
        return EntitySubstitution.substitute_xml(value).replace("\n", "&#10;")


# Serialises HTML that Python-Markdown passes through inside a paragraph unchanged.
INERT = _InertFormatter()


def destination(url: str) -> str:
    """A link or image address as Markdown writes it (in <…> when it has spaces or parens)."""
    url = url.strip().replace("\n", "")
    if re.search(r"\s|[<>]", url) or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def title_part(title: object) -> str:
    if not title:
        return ""
    text = re.sub(r"\s+", " ", str(title)).replace("\\", "\\\\").replace('"', '\\"')
    return f' "{text}"'


def is_break(node: PageElement | None) -> bool:
    return isinstance(node, Tag) and node.name == "br"


def is_block(node: PageElement | None) -> bool:
    """A block that breaks the text flow (not an iframe or video, which sit in a line)."""
    return isinstance(node, Tag) and node.name in FLOW_BLOCKS


def shows_nothing(node: PageElement) -> bool:
    """Whitespace, a plain comment, or an element without text, media or a jump break."""
    if is_blank(node):
        return True
    if isinstance(node, Tag) and node.name not in ("br", *MEDIA) and not node.find(MEDIA):
        return not node.get_text().strip() and not any(map(is_jump_break, node.descendants))
    return False


def neighbour(node: PageElement, step: int) -> PageElement | None:
    """The nearest sibling before (step -1) or after (+1) that shows something."""
    sibling = node.previous_sibling if step < 0 else node.next_sibling
    while sibling is not None and shows_nothing(sibling):
        sibling = sibling.previous_sibling if step < 0 else sibling.next_sibling
    return sibling


def paragraph_edge(node: PageElement, step: int) -> bool:
    """Whether nothing of the same paragraph lies on that side of `node`."""
    sibling = neighbour(node, step)
    if sibling is None or is_block(sibling) or is_jump_break(sibling):
        return True
    return is_break(sibling) and is_break(neighbour(sibling, step))


def line_edge(node: PageElement, step: int) -> bool:
    """Whether nothing of the same line lies on that side of `node`."""
    sibling = neighbour(node, step)
    return sibling is None or is_block(sibling) or is_break(sibling) or is_jump_break(sibling)


def escape_text(text: str, *, in_table: bool, in_link: bool, followed: bool) -> str:
    """Escape what Markdown would read as syntax inside a line, and nothing more.

    In a link's text every bracket is escaped: Python-Markdown finds the end of the text by
    counting brackets, and an escaped "[" with a bare "]" would end it early.
    """
    # A backslash before punctuation, or at the end (trailing spaces may be cut off later,
    # and what follows may be a link's "]" or a "*").
    text = re.sub(r"\\(?=[" + re.escape(_ESCAPED) + r"]|\s*$)", r"\\\\", text)
    text = text.replace("*", r"\*").replace("`", r"\`").replace("{", r"\{")
    text = re.sub(r"(?<![^\W_])_|_(?![^\W_])", r"\\_", text)  # not inside snake_case words
    text = re.sub(r"(?<=\S)~|~(?=\S)", r"\\~", text)  # one tilde strikes through too (GFM)
    if in_link:
        text = text.replace("[", r"\[").replace("]", r"\]")
    else:
        text = text.replace("[^", r"\[^")
        text = re.sub(r"\](?=\s?[\[(]|:)", r"\\]", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    if followed and text.endswith(("]", "<", "!")) and not text.endswith(("\\]", "\\!")):
        # What follows may be a link: "!" would make it an image, "]" or "<" end or open.
        text = text[:-1] + {"]": "\\]", "<": "&lt;", "!": "\\!"}[text[-1]]
    if in_table:
        text = text.replace("|", r"\|")
    # WordPress shortcodes ([caption id="…"], [gallery ids="…"]) need their straight quotes:
    # escaped, the renderer's smart quotes leave them alone.
    return _SHORTCODE.sub(lambda m: re.sub(r"(?<!\\)([\"'])", r"\\\1", m.group(0)), text)


_LINE_START = re.compile(
    r"(?P<hash>#)|(?P<quote>>)|(?P<bullet>[-+])(?=\s|$)|\d+(?P<dot>[.)])(?=\s|$)"
    r"|(?P<colon>:)(?=\s|$)|(?P<rule>[-=])(?=[-=\s]*$)|(?P<task>\[)(?=[ xX]\])"
)


def escape_line_start(text: str) -> str:
    """Escape what would start a heading, quote, list, definition or rule at a line's start."""
    stripped = text.lstrip(" ")
    indent = text[: len(text) - len(stripped)]
    match = _LINE_START.match(stripped)
    if not match:
        return text
    kind = match.lastgroup
    at = match.start(kind) if kind else 0
    char = stripped[at]
    replacement = {":": "&#58;", "=": "&#61;"}.get(char, "\\" + char)
    return indent + stripped[:at] + replacement + stripped[at + 1 :]


def attribute_list(tag: Tag, names: tuple[str, ...]) -> str:
    """`{: name="value" }` for those of `names` that `tag` has (attr_list's syntax), or ""."""
    pairs = []
    for name in names:
        value = tag.get(name)
        if isinstance(value, list):
            value = " ".join(value)
        if value and re.fullmatch(r"[^\"{}\n]*", str(value)):
            pairs.append(f'{name}="{value}"')
    return "{: " + " ".join(pairs) + " }" if pairs else ""
