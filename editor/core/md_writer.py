"""Markdown as writers type it (CommonMark/GFM habits) on top of Python-Markdown's rules.

Writers paste from GitHub, Obsidian, VS Code and Typora, which follow CommonMark/GFM. Where no
maintained extension does it, this one bridges the gap:

- lists nest by the item's content column, as in CommonMark (2 spaces under `-`, 3 under
  `1.`), not by Python-Markdown's fixed 4: list lines are re-indented to its convention before
  parsing (`_ListIndents`, in place: the number of lines never changes, so line markers stay;
  after fenced code is stashed, so code is never read as list lines);
- a list, a table or a rule interrupts a paragraph or list item with no blank line before it
  (`_Interruptions` inserts the blank line, after raw HTML is stashed so it never lands there);
- `1)` starts a numbered list;
- a backslash at the end of a line is a hard line break; `~one tilde~` is struck through.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    AUTOLINK_RE,
    BACKTICK_RE,
    AutolinkInlineProcessor,
    BacktickInlineProcessor,
    InlineProcessor,
    SimpleTagInlineProcessor,
)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString, code_escape

_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?=[ \t]|$)([ \t]*)(.*)$")
_RULE = re.compile(r"^ {0,3}-(?:[ \t]*-){2,}[ \t]*$")
_ANY_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ATX = re.compile(r"^ {0,3}(#{1,6}(?:[ \t]|$))")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_LONG_NUMBER = re.compile(r"^( {0,3}\d{10,})([.)])(?=[ \t]|$)")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


@dataclass
class _Item:
    """An open list item: its content column in the source and in the rewritten text."""

    source: int
    target: int


def _columns(line: str) -> tuple[int, str]:
    """The indentation of a line (tabs to 4 columns) and the line after it."""
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4)), stripped


def reindent_lists(lines: list[str]) -> list[str]:
    """Lines with list items and their content re-indented from CommonMark's content columns to
    Python-Markdown's 4-space nesting; other lines unchanged."""
    out: list[str] = []
    stack: list[_Item] = []
    blank_before = True
    for line in lines:
        indent, rest = _columns(line)
        if not rest:
            out.append(line)
            blank_before = True
            continue
        if rest.startswith(">"):
            if not stack or indent < stack[-1].source:
                stack.clear()  # block quotes keep Python-Markdown's own rules
            out.append(line)
            blank_before = False
            continue
        rule = _ANY_RULE.match(line)
        if rule and indent < 4 and not stack and not rule.group(0).strip().startswith("---"):
            # Python-Markdown wants at most 2 spaces between a rule's marks and no tabs.
            out.append("___" if rule.group(1) == "_" else "***")
            blank_before = False
            continue
        item = _ITEM.match(" " * indent + rest)
        limit = stack[-1].source + 4 if stack else 4  # indented this far: code, not an item
        if (
            item
            and indent < limit
            and not (blank_before is False and not stack and _RULE.match(line))
        ):
            if _RULE.match(line) and item.group(2) == "-" and not item.group(4).strip("- \t"):
                stack.clear()  # "- - -" is a rule
                out.append(line)
                blank_before = False
                continue
            while stack and indent < stack[-1].source:
                stack.pop()
            # Python-Markdown reads an item's content 4 columns in from its nesting level.
            target = stack[-1].target if stack else 0
            marker, spaces, content = item.group(2), item.group(3), item.group(4)
            width = len(spaces.expandtabs(4))
            source = indent + len(marker) + (width if 1 <= width <= 4 and content else 1)
            stack.append(_Item(source, target + 4))
            if marker == "-" and not content:
                marker = "*"  # "- " alone under an item would read as a setext underline
            elif marker[0].isdigit():
                marker = str(int(marker[:-1])) + marker[-1]  # "003." starts at 3
            out.append(" " * target + marker + " " + content)
        elif stack and (indent >= stack[-1].source or blank_before):
            while stack and indent < stack[-1].source:
                stack.pop()
            out.append(_moved(line, indent, rest, stack))
        else:
            if blank_before:
                stack.clear()
            if not stack and _ATX.match(line):  # indented by 1-3 spaces, or spaces after it
                line = line.lstrip(" ").rstrip(" \t")
            elif not stack and not blank_before and _SETEXT.match(line):
                line = line.strip(" \t")  # so may a setext underline
            elif not stack and _LONG_NUMBER.match(line):
                line = _LONG_NUMBER.sub(r"\1\\\2", line)  # 10 digits: no list (CommonMark)
            out.append(line)
        blank_before = False
    return out


def _moved(line: str, indent: int, rest: str, stack: list[_Item]) -> str:
    """A line inside the innermost open item, at that item's rewritten content column."""
    if not stack or indent < stack[-1].source:
        return line
    return " " * (stack[-1].target + indent - stack[-1].source) + rest


class _ListIndents(Preprocessor):
    """CommonMark list nesting (see `reindent_lists`)."""

    def run(self, lines: list[str]) -> list[str]:
        return reindent_lists(lines)


def _starts_paragraph(line: str) -> bool:
    """Whether a chunk's first line starts a paragraph (nothing Markdown reads specially)."""
    indent, rest = _columns(line)
    return (
        indent < 4
        and not _ITEM.match(rest)
        and rest[:1] not in ("<", ">", "|", "#", "\x02")
        and ":" not in rest[:1]
    )


def interrupt(lines: list[str]) -> list[str]:
    """Blank lines where a list, table or rule interrupts the paragraph or list above it, and
    where a quote, heading or list ends a table."""
    out: list[str] = []
    first = ""  # the first line of the current chunk
    table = False  # the chunk is a table
    for index, line in enumerate(lines):
        previous = out[-1] if out else ""
        if not line.strip():
            first = ""
            out.append(line)
            continue
        if not first:
            first = line
            table = "|" in line and _is_delimiter_row(lines[index + 1 : index + 2])
            out.append(line)
            continue
        following = lines[index + 1 : index + 2]
        if (table and _ends_table(line)) or (
            previous.strip() and _breaks_in(line, following, first, previous)
        ):
            out.append("")
            first = line
            table = "|" in line and _is_delimiter_row(following)
        out.append(line)
    return out


def _is_delimiter_row(lines: list[str]) -> bool:
    return bool(lines) and "|" in lines[0] and _DELIMITER_ROW.match(lines[0]) is not None


def _ends_table(line: str) -> bool:
    """Whether a line under a table starts another block (GFM: a quote, heading, list)."""
    indent, rest = _columns(line)
    return indent < 4 and (rest.startswith((">", "#")) or bool(_ITEM.match(rest)))


def _breaks_in(line: str, following: list[str], first: str, previous: str) -> bool:
    """Whether `line` starts a block that ends the chunk above it (see `interrupt`)."""
    indent, rest = _columns(line)
    if indent >= 4:
        return False
    quoted = previous.lstrip(" ").startswith(">")
    if (_ITEM.match(first) or quoted or _ANY_RULE.match(previous)) and _RULE.match(line):
        return True  # "---" under a list item, quote or rule is a rule, not a setext underline
    item = _ITEM.match(rest)
    if quoted and not rest.startswith(">"):
        if item and item.group(4).strip():
            return True  # a list under a quote line is no lazy continuation of the quote
        if not previous.strip(" >\t"):
            return True  # after an empty quote line (">"), a line is outside the quote
    if item and _columns(first)[0] >= 4:
        return True  # an item after an indented continuation: Python-Markdown would join them
    if not _starts_paragraph(first):
        return False
    if item and item.group(4).strip() and not _RULE.match(line):
        marker = item.group(2)
        return marker in "-*+" or marker[:-1] == "1"  # only "1." may interrupt a paragraph
    if "|" in line and following and _DELIMITER_ROW.match(following[0]):
        return "|" in following[0] or "|" in line
    return False


class _Interruptions(Preprocessor):
    """Lists, tables and rules that interrupt a paragraph (see `interrupt`)."""

    def run(self, lines: list[str]) -> list[str]:
        return interrupt(lines)


# CommonMark's HTML blocks of type 6: a block-level tag; the block ends at a blank line.
_BLOCK_TAG = re.compile(
    r"^ {0,3}</?(address|article|aside|blockquote|body|caption|center|dd|details|dialog|dir|div"
    r"|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|main|menu|nav|ol"
    r"|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?=[ \t/>]|$)",
    re.IGNORECASE,
)


class _OpenHtmlBlocks(Preprocessor):
    """A block-level HTML tag whose element is still open at the next blank line ends there,
    so the Markdown between `<details>` and `</details>` (blank lines around it) is rendered.

    Python-Markdown would take everything up to the closing tag as raw HTML. A closed element
    (no blank line inside) stays Python-Markdown's raw block, as in CommonMark.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        start = 0
        while start < len(lines):
            end = start
            while end < len(lines) and lines[end].strip():
                end += 1
            chunk = lines[start:end]
            tag = _BLOCK_TAG.match(chunk[0]) if chunk else None
            if tag and _left_open(chunk, tag.group(1)):
                out.append(self.md.htmlStash.store("\n".join(chunk)))
            else:
                out += chunk
            if end < len(lines):
                out.append(lines[end])
            start = end + 1
        return out


def _left_open(chunk: list[str], name: str) -> bool:
    """Whether the chunk opens more `name` elements than it closes (or starts by closing one)."""
    text = "\n".join(chunk)
    if text.lstrip().startswith("</"):
        return True
    opened = len(re.findall(rf"<{name}(?=[\s/>])", text, re.IGNORECASE))
    closed = len(re.findall(rf"</{name}\s*>", text, re.IGNORECASE))
    return opened > closed


class _LooseLists(Treeprocessor):
    """A list is loose or tight as a whole, as in CommonMark: when one of its items has
    paragraphs (a blank line between items), every item gets them. Python-Markdown decides
    item by item, so "- a\\n- b\\n\\n- c" had a bare first item beside two paragraphs."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            if parent.tag not in ("ul", "ol"):
                continue
            items = [child for child in parent if child.tag == "li"]
            if not any(_has_paragraphs(item) for item in items):
                continue
            for item in items:
                if item.text and item.text.strip():
                    paragraph = etree.Element("p")
                    paragraph.text, item.text = item.text, None
                    item.insert(0, paragraph)


class _TablePipes(Treeprocessor):
    """`\\|` in a table cell is a pipe, inside code too (GFM): the backslash only kept the
    pipe from splitting the cell. A table without rows has no body (GFM)."""

    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            for body in table.findall("tbody"):
                if not len(body):
                    table.remove(body)
        for cell in root.iter():
            if cell.tag in ("td", "th"):
                for code in cell.iter("code"):
                    if code.text and "\\|" in code.text:
                        code.text = type(code.text)(code.text.replace("\\|", "|"))


def _has_paragraphs(item: etree.Element) -> bool:
    return len(item) > 0 and item[0].tag == "p" and not (item.text or "").strip()


class _CodeSpans(BacktickInlineProcessor):
    """Code spans keep their spaces as CommonMark does: one space is stripped from each end,
    only when both ends have one and the span is not all spaces; line ends become spaces."""

    # The stubs give InlineProcessor.handleMatch another signature than Pattern's, its base,
    # so every override is flagged; the signature is Python-Markdown's own.
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        if m.group(1):
            return super().handleMatch(m, data)
        begin = m.start(0)
        # The stubs say None may come back; Python-Markdown returns (start, end or None).
        start, end = self.find_code_spans(begin, data)  # type: ignore[misc]
        if end is None:
            return None, begin, start
        content = data[start:end].replace("\n", " ")
        if len(content) > 1 and content[0] == content[-1] == " " and content.strip(" "):
            content = content[1:-1]
        element = etree.Element(self.tag)
        element.text = AtomicString(code_escape(content))
        return element, begin, end + (start - begin)


class _HardBreak(InlineProcessor):
    """A backslash at the end of a line: a hard line break, as a trailing double space."""

    def handleMatch(  # type: ignore[override]  # (see _CodeSpans)  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        return etree.Element("br"), m.start(0), m.end(0)


class WriterExtension(Extension):
    """CommonMark/GFM habits writers bring (see the module doc)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # After fences became placeholders (25), so code is never taken for list lines; in
        # place (lines keep their count), so line markers still find their source lines.
        md.preprocessors.register(_ListIndents(md), "bs_list_indents", 24.5)
        # After fences (25), before Python-Markdown's raw HTML blocks (20).
        md.preprocessors.register(_OpenHtmlBlocks(md), "bs_open_html_blocks", 20.5)
        # After raw HTML blocks are stashed (20): blank lines never land inside them.
        md.preprocessors.register(_Interruptions(md), "bs_interruptions", 19)
        # Before inline parsing (20): an item's text is still one string.
        md.treeprocessors.register(_LooseLists(md), "bs_loose_lists", 25)
        # After inline parsing (20), when code spans hold their text.
        md.treeprocessors.register(_TablePipes(md), "bs_table_pipes", 19)
        # A header without rows gets no made-up empty row (GFM).
        tables = md.parser.blockprocessors["table"]
        tables._build_empty_row = lambda *_args: None  # type: ignore[attr-defined]
        olist = md.parser.blockprocessors["olist"]
        tab = olist.tab_length
        last = tab - 1
        olist.RE = re.compile(rf"^[ ]{{0,{last}}}\d+[.)][ ]+(.*)")  # type: ignore[attr-defined]
        olist.CHILD_RE = re.compile(rf"^[ ]{{0,{last}}}((\d+[.)]))[ ]+(.*)")  # type: ignore[attr-defined]
        olist.INDENT_RE = re.compile(  # type: ignore[attr-defined]
            rf"^[ ]{{{tab},{tab * 2 - 1}}}((\d+[.)])|[*+-])[ ]+.*"
        )
        md.inlinePatterns.register(_CodeSpans(BACKTICK_RE), "backtick", 190)
        # <scheme:…> takes any scheme (CommonMark), as before magiclink replaced it with one
        # for web addresses only; magiclink still links bare addresses (GFM).
        md.inlinePatterns.register(AutolinkInlineProcessor(AUTOLINK_RE, md), "autolink", 120)
        # Any ASCII punctuation can be escaped with a backslash (CommonMark), not only
        # Python-Markdown's few: "\\$" is a dollar sign.
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
        # After inline HTML (90): a backslash-newline inside a tag is no break. Escapes (180)
        # leave a backslash before a newline alone.
        md.inlinePatterns.register(_HardBreak(r"\\\n", md), "bs_hard_break", 74)
        md.inlinePatterns.register(
            SimpleTagInlineProcessor(r"(?<![~\w])(~)(?!~|\s)(.+?)(?<![~\s])~(?![~\w])", "del"),
            "bs_single_tilde",
            64,
        )


# GFM's tagfilter: tags that change how the rest of the page is read or that run things.
_FILTERED_TAG = re.compile(
    r"<(?=/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)[\s/>])",
    re.IGNORECASE,
)


def tagfilter(html: str) -> str:
    """HTML with GFM's filtered tags shown as text (`<title>` -> `&lt;title>`), for the preview.

    Publishing keeps the writer's raw HTML (his choice for his blog); the preview applies this
    to the rendered HTML, so a stray `<style>` or `<textarea>` cannot take over the editor's
    page. It only touches a tag's opening `<`, so filtering each preview piece gives the same
    HTML as filtering the whole body: preview == tagfilter(publish), markers aside.
    """
    return _FILTERED_TAG.sub("&lt;", html)
