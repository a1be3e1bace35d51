"""A Broadsheet Markdown instance that renders parts of a document (see `incremental`).

It renders one block alone, but with the definitions of the whole document, and reports
what the block needs from its neighbours: whether a fence or raw HTML block is still open at
its end (the extractor and SuperFences are instrumented for that), which definitions it makes,
which footnotes it refers to, and whether its line markers had to be guessed.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.footnotes import FN_BACKLINK_TEXT, NBSP_PLACEHOLDER
from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor

from editor.core.html_newlines import remove_newlines, seams
from editor.core.md_extensions import ActiveOptions, BroadsheetExtension, SlugFootnotes
from editor.core.md_lines import PLACEHOLDER
from editor.core.render import build_converter, strip_editor_markers


class RecordingDict(dict):  # unparameterised: the pop() below stands for all of dict.pop's forms
    """The abbreviations: remembers the definitions and removals made while `log` is set."""

    log: list[tuple[str, str | None]] | None = None

    def __setitem__(self, key: str, value: str) -> None:
        if self.log is not None:
            self.log.append((key, value))
        super().__setitem__(key, value)

    def pop(self, key: str, *default: object) -> object:
        """Remove an abbreviation (an empty title in the document removes one)."""
        if self.log is not None:
            self.log.append((key, None))
        return super().pop(key, *default)


class TrackedExtractor(HTMLExtractor):
    """Notes when a tag or comment was taken as text because its end was not found.

    The extractor searches the rest of the document for that end, so text further down
    (another block) could complete it.
    """

    gave_up = False

    def parse_starttag(self, i: int) -> int:
        if self.rawdata[i : i + 3] != "</>" and self.check_for_whole_start_tag(i) < 0:
            self.gave_up = True
        return super().parse_starttag(i)

    def parse_endtag(self, i: int) -> int:
        if self.rawdata[i + 2 : i + 3].isalpha() and self.rawdata.find(">", i + 1) < 0:
            self.gave_up = True
        return super().parse_endtag(i)

    def parse_comment(self, i: int, report: bool = True) -> int:
        end = super().parse_comment(i, report)
        # Python-Markdown's own state (private, so not in the stubs).
        if self._no_commentclose[0] is not None:  # type: ignore[attr-defined]
            self.gave_up = True
        return end


class TrackedHtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML extraction, remembering whether a block was left open."""

    open_at_end = False

    def run(self, lines: list[str]) -> list[str]:
        """Extract raw HTML blocks (exactly as the original)."""
        parser = TrackedExtractor(self.md)
        parser.feed("\n".join(lines))
        self.open_at_end = bool(
            parser.inraw
            or parser._cache  # type: ignore[attr-defined]  # private: not in the stubs
            or parser.rawdata.strip()
            or parser.cdata_elem
            or parser.gave_up
        )
        parser.close()
        return "".join(parser.cleandoc).split("\n")


@dataclass(frozen=True)
class Analysis:
    """What the block parser finds in a block's text, without rendering it."""

    open_at_end: bool = False  # a fence or raw HTML block continues past the text
    references: tuple[tuple[str, tuple[str, str | None]], ...] = ()
    abbreviations: tuple[tuple[str, str | None], ...] = ()  # (abbr, title or None: removed)
    footnotes: tuple[tuple[str, str], ...] = ()
    footnotes_line: int | None = None  # relative line of the first top-level definition
    inexact: bool = False


NOTHING = Analysis()


@dataclass(frozen=True)
class Context:
    """The document-wide definitions a block is rendered with."""

    references: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    footnotes: OrderedDict[str, str] = field(default_factory=OrderedDict)


@dataclass(frozen=True)
class Block:
    """One rendered block: its HTML before newline removal, and whether its seams are clean."""

    raw: str
    inexact: bool = False
    references: tuple[tuple[str, int], ...] = ()  # footnote references made: (ref id, count)
    clean_left: bool = True
    clean_right: bool = True
    html: str = ""  # `raw` without newlines (and without editor markers when they are off)

    def finished(self, markers: bool) -> Block:
        """The block with its seams checked and its final HTML."""
        left, right = seams(self.raw)
        html = remove_newlines(self.raw)
        return replace(
            self,
            clean_left=left,
            clean_right=right,
            html=html if markers else strip_editor_markers(html),
        )


class Converter:
    """A Broadsheet Markdown instance that renders parts of a document."""

    def __init__(self) -> None:
        md, extension = build_converter()
        self.md: Markdown = md
        self.extension: BroadsheetExtension = extension
        self.footnotes = extension.footnotes
        self.html_blocks = TrackedHtmlBlocks(md)
        md.preprocessors.register(self.html_blocks, "html_block", 20)
        self.fences = md.preprocessors["fenced_code_block"]
        self.abbreviations = RecordingDict()
        abbr = next(e for e in md.registeredExtensions if isinstance(e, AbbrExtension))
        abbr.abbrs = self.abbreviations  # type: ignore[attr-defined]  # not in the stubs
        md.treeprocessors["abbr"].abbrs = self.abbreviations  # type: ignore[attr-defined]
        md.parser.blockprocessors["abbr"].abbrs = self.abbreviations  # type: ignore[attr-defined]
        self.footnote_div = md.treeprocessors["footnote"]

    def _start(self, options: ActiveOptions) -> None:
        self.md.reset()
        self.extension.use(options)

    def _preprocess(self, text: str) -> list[str]:
        lines = text.split("\n")
        for preprocessor in self.md.preprocessors:
            lines = preprocessor.run(lines)
        return lines

    def analyse(self, text: str) -> Analysis:
        """Whether a fence/HTML block stays open, and the definitions the text makes."""
        self._start(ActiveOptions(markers=True, line_template=True))
        lines = self._preprocess(text)
        open_at_end = (
            self.html_blocks.open_at_end or getattr(self.fences, "fence", None) is not None
        )
        log: list[tuple[str, str | None]] = []
        self.abbreviations.log = log
        try:
            self.md.parser.parseDocument(lines)
        finally:
            self.abbreviations.log = None
        tracker = self.extension.tracker
        footnotes_line = tracker.footnotes_line()
        footnotes = tuple(self.footnotes.footnotes.items())
        # A footnote holding code or raw HTML refers to this conversion's stash, which the
        # footnotes list rendered on its own would not have: only a full render is exact.
        stashed = any(PLACEHOLDER.search(note) for _id, note in footnotes)
        return Analysis(
            open_at_end=open_at_end,
            references=tuple(self.md.references.items()),
            abbreviations=tuple(log),
            footnotes=footnotes,
            footnotes_line=footnotes_line,
            inexact=tracker.inexact or stashed,
        )

    def _use_context(self, context: Context) -> None:
        self.md.references.clear()
        # The stubs say a title is always a string; Python-Markdown keeps None for none.
        self.md.references.update(context.references)  # type: ignore[arg-type]
        dict.clear(self.abbreviations)
        dict.update(self.abbreviations, context.abbreviations)
        self.footnotes.footnotes.clear()
        self.footnotes.footnotes.update(context.footnotes)

    def _finish(self, root: etree.Element, footnote_div: bool) -> str:
        md = self.md
        for treeprocessor in md.treeprocessors:
            if treeprocessor is self.footnote_div and not footnote_div:
                continue  # rendered once for the whole document (`render_footnotes`)
            new_root = treeprocessor.run(root)
            if new_root is not None:
                root = new_root
        if not len(root):
            return ""
        output = md.serializer(root)
        start = output.index(f"<{md.doc_tag}>") + len(md.doc_tag) + 2
        output = output[start : output.rindex(f"</{md.doc_tag}>")]
        for postprocessor in md.postprocessors:
            output = postprocessor.run(output)
        return output

    def render(self, text: str, options: ActiveOptions, context: Context) -> Block:
        """Render one block in the document's context (HTML before newline removal)."""
        self._start(options)
        root = self.md.parser.parseDocument(self._preprocess(text)).getroot()
        assert root is not None  # the parser always makes the document's root element
        self._use_context(context)
        raw = self._finish(root, footnote_div=False)
        references = tuple(self.footnotes.found_refs.items())
        return Block(raw, self.extension.tracker.inexact, references).finished(options.markers)

    def render_footnotes(
        self, options: ActiveOptions, context: Context, referenced: dict[str, int]
    ) -> Block:
        """The footnotes list alone (what Python-Markdown appends after the last block).

        `referenced`: how often the blocks referred to each footnote (for extra back links).
        """
        self._start(options)
        root = etree.Element(self.md.doc_tag)
        self.md.parser.root = root
        self._use_context(context)
        self.footnotes.found_refs.update(referenced)
        raw = self._finish(root, footnote_div=True)
        own = tuple(
            (ref, count - referenced.get(ref, 0))
            for ref, count in self.footnotes.found_refs.items()
            if count > referenced.get(ref, 0)
        )
        return Block(raw, False, own).finished(options.markers)

    def render_footnote_items(
        self,
        options: ActiveOptions,
        context: Context,
        referenced: dict[str, int],
        wanted: Collection[int],
    ) -> tuple[str, str, dict[int, str]]:
        """The footnotes list in parts: its opening and closing HTML, and the list items of
        the `wanted` notes (by number, from 1) as they are in `render_footnotes`' list.

        Serialising an element and the postprocessors (string replacements) are local to each
        element, so the list is its opening, every item in order, then its closing: a note
        edited is rendered alone. Not for notes that refer to notes (`[^`): the numbering of
        repeated references depends on the order the whole list is visited.
        """
        self._start(options)
        root = etree.Element(self.md.doc_tag)
        self.md.parser.root = root
        self._use_context(context)
        self.footnotes.found_refs.update(referenced)
        made: list[etree.Element] = []
        footnotes = self.footnotes
        footnotes.makeFootnotesDiv = lambda _root: _notes_div(footnotes, wanted, made)  # type: ignore[method-assign, assignment]
        try:
            for treeprocessor in self.md.treeprocessors:
                new_root = treeprocessor.run(root)
                if new_root is not None:
                    root = new_root
        finally:
            del footnotes.makeFootnotesDiv
        div = made[0]
        ol = div.find("ol")
        assert ol is not None  # made by _notes_div
        items = {int(li.get(_NUMBER) or 0): li for li in ol}
        for li in items.values():
            del li.attrib[_NUMBER]
        parts = {number: self._serialize(li) for number, li in items.items()}
        for li in list(ol):
            ol.remove(li)
        shell = self._serialize(root)
        shell = shell[shell.index(f"<{self.md.doc_tag}>") + len(self.md.doc_tag) + 2 :]
        shell = shell[: shell.rindex(f"</{self.md.doc_tag}>")]
        cut = shell.rindex("</ol>")
        return shell[:cut], shell[cut:], parts

    def _serialize(self, element: etree.Element) -> str:
        output = self.md.serializer(element)
        for postprocessor in self.md.postprocessors:
            output = postprocessor.run(output)
        return output


_NUMBER = "data-bs-note"  # a list item's note number while the items are rendered alone


def _notes_div(
    footnotes: SlugFootnotes, wanted: Collection[int], made: list[etree.Element]
) -> etree.Element:
    """Python-Markdown's `makeFootnotesDiv`, making only the `wanted` notes' list items.

    Each item is made exactly as there (its number is its place among all the notes); the
    incremental renderer's tests compare the joined parts with the whole list.
    """
    div = etree.Element("div")
    div.set("class", "footnote")
    etree.SubElement(div, "hr")
    ol = etree.SubElement(div, "ol")
    surrogate_parent = etree.Element("div")
    parser = footnotes.parser
    for index, id in enumerate(list(footnotes.footnotes.keys()), start=1):
        if index not in wanted:
            continue
        li = etree.SubElement(ol, "li")
        li.set("id", footnotes.makeFootnoteId(id))
        li.set(_NUMBER, str(index))
        parser.parseChunk(surrogate_parent, footnotes.footnotes[id])
        for el in list(surrogate_parent):
            li.append(el)
            surrogate_parent.remove(el)
        backlink = etree.Element("a")
        backlink.set("href", "#" + footnotes.makeFootnoteRefId(id))
        backlink.set("class", "footnote-backref")
        backlink.set("title", footnotes.getConfig("BACKLINK_TITLE").format(index))
        backlink.text = FN_BACKLINK_TEXT
        if len(li):
            node = li[-1]
            if node.tag == "p":
                node.text = node.text + NBSP_PLACEHOLDER  # type: ignore[operator]
                node.append(backlink)
            else:
                p = etree.SubElement(li, "p")
                p.append(backlink)
    made.append(div)
    return div
