"""The Python-Markdown pieces that make Broadsheet's HTML: blog-safe, styled inline, line-marked.

Everything a theme might lack is written as small inline styles (code colours, table borders,
task lists, footnotes), because a post is shown inside whatever theme the blog has.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from editor.core.insertions import JUMP_BREAK
from editor.core.looks import PUBLISHED_CODE_STYLE
from editor.core.md_abbr import install as install_abbreviations
from editor.core.md_images import convert_images
from editor.core.md_lines import PLACEHOLDER, SourceLineTracker
from editor.core.pieces import LINE_TEMPLATE

# Editor-only element after a jump break so the preview can draw a "read more" divider;
# strip_editor_markers removes it (data-bs-editor marks every element that is never published).
JUMP_BREAK_DIVIDER = '<div class="bs-jump-break" data-bs-editor="1" data-line="{line}"></div>'
TABLE_STYLE = "border-collapse:collapse;margin:1em 0"
CELL_STYLE = "border:1px solid #ccc;padding:0.25em 0.6em"
TASK_ITEM_STYLE = "list-style-type:none"
FOOTNOTES_STYLE = "font-size:0.9em"
CODE_STYLE = "overflow-x:auto;padding:0.5em"

_FORMATTER = HtmlFormatter(
    style=PUBLISHED_CODE_STYLE, noclasses=True, wrapcode=True, prestyles=CODE_STYLE
)
_SAFE_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class ActiveOptions:
    """The options of the conversion in progress (a Markdown instance converts one at a time)."""

    slug: str = ""
    caption_style: str = "blogger"
    markers: bool = False
    line_offset: int = 0
    # Incremental rendering: markers hold the line relative to the rendered text as a
    # placeholder (see LINE_TEMPLATE) that is filled in when the block's position is known.
    line_template: bool = False
    footnotes_line: int | None = None  # where the footnote definitions start, when known

    def marker(self, line: int) -> str:
        """The value of a `data-line` attribute for a 0-based line of the rendered text."""
        return LINE_TEMPLATE.format(line) if self.line_template else str(line + self.line_offset)


def format_fence(
    src: str, language: str, class_name: str, options: Any, md: Markdown, **kwargs: Any
) -> str:
    """A fenced code block: Pygments with inline colours, or plain `<pre><code>` (no language).

    Newlines stay "\\n" here; html_newlines turns them into `<br>` for every `<pre>` at once.
    """
    if language:
        try:
            lexer = get_lexer_by_name(language, stripnl=False)
        except ClassNotFound:
            lexer = None
        if lexer is not None:
            # Pygments' HTML does not name the language; importing the post back needs it.
            lang = f' data-lang="{html.escape(language)}"'
            return highlight(src, lexer, _FORMATTER).replace(
                '<div class="highlight"', f'<div class="highlight"{lang}', 1
            )
        css = f' class="language-{html.escape(language)}"'
    else:
        css = ""
    return f'<pre style="{CODE_STYLE}"><code{css}>{html.escape(src, quote=False)}</code></pre>'


class SlugFootnotes(FootnoteExtension):
    """Footnotes whose ids start with the post's slug: `fn:my-post-1`, `fnref:my-post-1`.

    Several posts share Blogger's home page; plain `#fn:1` would jump into another post.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.slug = ""

    def _prefixed(self, id: str) -> str:
        return f"{self.slug}-{id}" if self.slug else id

    def makeFootnoteId(self, id: str) -> str:  # noqa: N802 (Python-Markdown's name)
        return f"fn{self.get_separator()}{self._prefixed(id)}"

    def makeFootnoteRefId(self, id: str, found: bool = False) -> str:  # noqa: N802
        return self.unique_ref(f"fnref{self.get_separator()}{self._prefixed(id)}", found)

    def makeFootnotesDiv(self, root: etree.Element) -> etree.Element | None:  # noqa: N802
        """The list of the notes defined when it is made.

        A note whose text is itself a definition ("[^a]:[^b]: x", one keystroke away from
        "[^a]: x") defines a note while the list is being made, and Python-Markdown's loop
        over the notes stops with "OrderedDict mutated during iteration": the post could be
        neither previewed nor published. The loop goes over the notes as they were.
        """
        notes = self.footnotes
        self.footnotes = _KeysAsTheyWere(notes)
        try:
            return super().makeFootnotesDiv(root)
        finally:
            notes.update(self.footnotes)
            self.footnotes = notes


class _KeysAsTheyWere(OrderedDict[str, str]):
    """Footnotes whose `keys()` is a copy: notes defined while they are listed are kept, but
    not listed (the list is being made)."""

    def keys(self) -> list[str]:  # type: ignore[override]
        """The ids, as a list made now."""
        return list(super().keys())


class _IsolateFences(Preprocessor):
    """Give a top-level fenced code placeholder blank lines around it.

    SuperFences leaves "text\\n```…```\\ntext" as one chunk, which would put the code block inside
    a paragraph; a fence ends a paragraph (as in CommonMark and Python-Markdown's fenced_code).
    The same holds for a fence inside a list item (an indented placeholder).
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for index, line in enumerate(lines):
            if PLACEHOLDER.fullmatch(line.lstrip(" ")):
                if out and out[-1].strip():
                    out.append("")
                out.append(line)
                if index + 1 < len(lines) and lines[index + 1].strip():
                    out.append("")
            else:
                out.append(line)
        return out


def _add_style(element: etree.Element, style: str) -> None:
    current = (element.get("style") or "").strip().rstrip(";")
    element.set("style", f"{current};{style}" if current else style)


class _BlockStyles(Treeprocessor):
    """Inline styles for tables, task lists and footnotes; image blocks; tidy code."""

    def __init__(self, md: Markdown, ext: BroadsheetExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            _add_style(table, TABLE_STYLE)
            for cell in table.iter():
                if cell.tag in ("th", "td"):
                    _add_style(cell, CELL_STYLE)
        for item in root.iter("li"):
            if "task-list-item" in (item.get("class") or "").split():
                _add_style(item, TASK_ITEM_STYLE)
        for div in root.iter("div"):
            if div.get("class") == "footnote":
                _add_style(div, FOOTNOTES_STYLE)
        for pre in root.iter("pre"):  # indented code blocks
            _add_style(pre, CODE_STYLE)
        convert_images(root, self.ext.options.caption_style, self.ext.tracker.inherit)


class _LineMarkers(Treeprocessor):
    """`data-line` on every top-level block (preview only: options.markers)."""

    def __init__(self, md: Markdown, ext: BroadsheetExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        options = self.ext.options
        if not options.markers:
            return
        tracker = self.ext.tracker
        for element in root:
            if element.tag == "div" and element.get("class") == "footnote":
                line = options.footnotes_line
                if line is None:
                    line = tracker.footnotes_line()
            else:
                line = tracker.line_of(element)
            if line is None:
                continue
            marker = options.marker(line)
            if not self._mark_stashed(element, marker):
                element.set("data-line", marker)

    def _mark_stashed(self, element: etree.Element, line: str) -> bool:
        """Mark a raw-HTML/code block, which replaces its `<p>` wrapper after serialisation."""
        if element.tag != "p" or len(element):
            return False
        match = PLACEHOLDER.fullmatch((element.text or "").strip())
        if not match:
            return False
        index = int(match.group(1))
        stash = self.md.htmlStash.rawHtmlBlocks
        raw = stash[index]
        if not isinstance(raw, str):
            return True
        raw_html = self.md.postprocessors["raw_html"]
        if not raw_html.isblocklevel(raw):  # type: ignore[attr-defined]
            return False  # stays wrapped in the <p>, which can carry the marker
        if raw.strip() == JUMP_BREAK:
            stash[index] = raw + JUMP_BREAK_DIVIDER.format(line=line)
            return True
        tag = re.match(r"<([A-Za-z][A-Za-z0-9:-]*)(?=[ >/])", raw)
        if tag:  # same block-level test result after the insertion
            stash[index] = f'{tag.group(0)} data-line="{line}"{raw[tag.end() :]}'
        return True


class BroadsheetExtension(Extension):
    """Line tracking, fence isolation, block styles and line markers."""

    def __init__(self, footnotes: SlugFootnotes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.footnotes = footnotes
        self.options = ActiveOptions()
        self.tracker: SourceLineTracker

    def use(self, options: ActiveOptions) -> None:
        """Set the options of the next conversion."""
        self.options = options
        self.footnotes.slug = _SAFE_SLUG.sub("-", options.slug).strip("-")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # No pretty-printing: its newlines between tags are what Blogger would turn into <br>.
        md.treeprocessors.deregister("prettify")
        md.preprocessors.register(_IsolateFences(md), "bs_isolate_fences", 22)
        self.tracker = SourceLineTracker(md)
        install_abbreviations(md)  # the same definitions, read in one pass (not quadratic)
        # After inline parsing (20) and smarty (6); before unescaping (0).
        md.treeprocessors.register(_BlockStyles(md, self), "bs_block_styles", 5)
        md.treeprocessors.register(_LineMarkers(md, self), "bs_line_markers", 4)

    def reset(self) -> None:
        """Forget the previous document."""
        self.tracker.reset()
