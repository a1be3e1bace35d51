"""A blog post's stored HTML → the Markdown body of a Broadsheet draft, never losing a word.

The HTML is tidied (html_tidy) and converted (html_markdown: markdownify with our rules), then
checked: every word a reader sees in the post must be in what the draft renders to
(html_words). If one is missing, or the HTML cannot be converted at all (nested too deeply,
unreadable), the draft holds the whole post as raw HTML instead, which the renderer publishes
unchanged: still editable, still publishable, and the reason is reported.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from bs4 import Comment, NavigableString, Tag

from editor.core.html_markdown import BlogMarkdownConverter
from editor.core.html_tidy import max_depth, parse_html, tidy
from editor.core.html_words import compare_words, draft_words, lost_words, visible_words
from editor.core.insertions import JUMP_BREAK

log = logging.getLogger(__name__)

__all__ = [
    "Conversion",
    "draft_words",
    "html_to_markdown",
    "lost_words",
    "raw_html_body",
    "visible_words",
]

# Elements nested deeper than this are not converted: markdownify recurses about three Python
# frames per level, and Python stops at 1,000. Real posts nest a dozen or two levels.
MAX_DEPTH = 150
# Lists and quotes nested deeper than this make the renderer refuse the post
# (render_problems.MAX_NESTING is 50); kept as HTML, they publish as they are.
MAX_MARKDOWN_NESTING = 40
_NESTING_TAGS = frozenset({"ul", "ol", "blockquote", "dl"})
_INSERT_MARKER = re.compile(r"broadsheet:[0-9a-f]{32}")


@dataclass(frozen=True)
class Conversion:
    """A post's body as a draft's Markdown, and what could not be written as Markdown."""

    markdown: str  # the draft body (ends with "\n"; no front matter)
    kept_html: list[str] = field(default_factory=list)  # why parts stayed HTML, once each
    fallback: bool = False  # the whole post was kept as raw HTML
    missing_words: list[str] = field(default_factory=list)  # what Markdown lost (why it fell back)
    added_words: list[str] = field(default_factory=list)  # what Markdown showed instead (idem)


class _NotConvertible(Exception):
    """The HTML is read, but converting it is not attempted (the reason is the message)."""


def html_to_markdown(html: str | None, *, line_breaks: bool = False) -> Conversion:
    """Convert a post's HTML; the whole post stays raw HTML when a word would be lost.

    `line_breaks`: newlines in the text are line breaks (a blank line a paragraph), as in
    WordPress's raw classic-editor content; Blogger's API gives `<br />` already.
    Never raises: whatever the input, the result keeps every word.
    """
    if not isinstance(html, str):  # a post without content comes without the field
        html = "" if html is None else str(html)
    try:
        markdown, kept = _convert(html, line_breaks)
        missing, added = compare_words(html, markdown)
    except _NotConvertible as exc:
        return _fallback(html, str(exc), [])
    except RecursionError:
        return _fallback(html, "its HTML is nested too deeply to convert", [])
    except Exception:  # a bug in the converter must not cost the writer the post
        log.exception("Converting a post's HTML to Markdown failed; keeping it as HTML")
        return _fallback(html, "the converter could not read its HTML", [])
    if missing:
        return _fallback(html, "converting it to Markdown would have lost words", missing, added)
    if added:  # Markdown that misreads the text shows what was not there (a link's address)
        return _fallback(html, "converting it to Markdown would have changed its text", [], added)
    return Conversion(markdown, kept)


def _convert(html: str, line_breaks: bool) -> tuple[str, list[str]]:
    soup = parse_html(html)
    originals = tidy(soup, line_breaks=line_breaks)
    depth = max_depth(soup)
    if depth > MAX_DEPTH:
        raise _NotConvertible(f"its HTML is nested {depth:,} levels deep")
    nesting = _markdown_nesting(soup)
    if nesting > MAX_MARKDOWN_NESTING:
        raise _NotConvertible(f"its lists or quotes are nested {nesting:,} levels deep")
    converter = BlogMarkdownConverter(originals)
    markdown = converter.convert_soup(soup).strip("\n")
    return (markdown + "\n" if markdown else ""), converter.kept


def _markdown_nesting(root: Tag) -> int:
    """How deeply lists and quotes nest in each other (they become Markdown containers)."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if node.name in _NESTING_TAGS:
            depth += 1
            deepest = max(deepest, depth)
        stack.extend((child, depth) for child in node.children if isinstance(child, Tag))
    return deepest


def _fallback(
    html: str, reason: str, missing: list[str], added: list[str] | None = None
) -> Conversion:
    return Conversion(
        raw_html_body(html), [f"the whole post: {reason}"], True, missing, added or []
    )


def raw_html_body(html: str) -> str:
    """The post as a draft body of raw HTML that the renderer publishes unchanged.

    Each part is wrapped in a `<div>` (Python-Markdown passes a block of HTML through only
    when it starts with a block tag), with the tags balanced first so a stray `</div>` cannot
    end the block early; top-level jump breaks stay between the parts, where Blogger looks.
    """
    if not html.strip():
        return ""
    try:
        soup = parse_html(html)
    except Exception:  # the parser refuses the markup: keep the text exactly as it came
        log.exception("The post's HTML could not be parsed; keeping it as it is")
        return f"<div>\n{html.strip()}\n</div>\n"
    pieces: list[str] = []  # the HTML of each part, and the jump breaks between them
    current: list[str] = []
    for node in list(soup.contents):
        if isinstance(node, Comment) and node.strip() == "more":
            pieces += [_wrapped(current), JUMP_BREAK]
            current = []
        elif isinstance(node, Comment):
            if not _INSERT_MARKER.fullmatch(node.strip()):  # Broadsheet's own, never kept
                current.append(f"<!--{node}-->")
        elif isinstance(node, Tag):
            current.append(node.decode(formatter="minimal"))
        else:
            assert isinstance(node, NavigableString)  # a parsed tree holds tags and strings
            current.append(node.output_ready(formatter="minimal"))
    pieces.append(_wrapped(current))
    return "\n\n".join(piece for piece in pieces if piece) + "\n"


def _wrapped(html: list[str]) -> str:
    text = "".join(html).strip("\n")
    return f"<div>\n{text}\n</div>" if text.strip() else ""
