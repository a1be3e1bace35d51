"""Incremental rendering: re-render only the blocks that changed, same HTML as `render_body`.

A body is cut into independent blocks (`md_blocks.split_blocks`); a block whose fence or raw
HTML block is still open at its end is joined with the next ones. Each block is rendered
alone, with the document-wide context Python-Markdown would have when it reaches it: the
reference links, abbreviations and footnotes defined anywhere in the document. The HTML of a
block is cached under its text and the part of that context it can use, so a block is
re-rendered when

- its text changes (or it is joined with / cut from its neighbours),
- a reference link definition changes and the block contains "[",
- an abbreviation definition changes (any block: an abbreviation can match any word),
- the footnotes' order changes and the block contains "[^",
- the slug, caption style or markers option changes.

Line markers are rendered relative to the block (`\\x02L<n>\\x03` placeholders) and filled in
when the block's position in the document is known, so inserting a line above a block does
not re-render it. The footnotes list is rendered on its own, after the blocks.

What cannot be reproduced block by block falls back to one full render (rare): a footnote
referenced twice (reference numbering then depends on the parser's traversal order), a
definition inside a footnote, the footnotes placeholder, or line markers the tracker had to
guess.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor

from editor.core.html_newlines import remove_newlines, seams
from editor.core.md_blocks import DEFINITION, normalize, split_blocks
from editor.core.md_extensions import LINE_TEMPLATE_RE, ActiveOptions, BroadsheetExtension
from editor.core.pieces import Piece, RenderedBody
from editor.core.render import RenderOptions, build_converter, render_body, strip_editor_markers

PLACE_MARKER = "///Footnotes Go Here///"


# --------------------------------------------------------------------------- the converter
class _RecordingDict(dict):  # type: ignore[type-arg]
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


class _TrackedExtractor(HTMLExtractor):
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
        if self._no_commentclose[0] is not None:
            self.gave_up = True
        return end


class _TrackedHtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML extraction, remembering whether a block was left open."""

    open_at_end = False

    def run(self, lines: list[str]) -> list[str]:
        """Extract raw HTML blocks (exactly as the original)."""
        parser = _TrackedExtractor(self.md)
        parser.feed("\n".join(lines))
        self.open_at_end = bool(
            parser.inraw
            or parser._cache
            or parser.rawdata.strip()
            or parser.cdata_elem
            or parser.gave_up
        )
        parser.close()
        return "".join(parser.cleandoc).split("\n")


@dataclass(frozen=True)
class _Analysis:
    """What the block parser finds in a block's text, without rendering it."""

    open_at_end: bool = False  # a fence or raw HTML block continues past the text
    references: tuple[tuple[str, tuple[str, str | None]], ...] = ()
    abbreviations: tuple[tuple[str, str | None], ...] = ()  # (abbr, title or None: removed)
    footnotes: tuple[tuple[str, str], ...] = ()
    footnotes_line: int | None = None  # relative line of the first top-level definition
    inexact: bool = False


_NOTHING = _Analysis()


@dataclass(frozen=True)
class _Context:
    """The document-wide definitions a block is rendered with."""

    references: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    footnotes: OrderedDict[str, str] = field(default_factory=OrderedDict)


@dataclass(frozen=True)
class _Block:
    """One rendered block: its HTML before newline removal, and whether its seams are clean."""

    raw: str
    inexact: bool = False
    references: tuple[tuple[str, int], ...] = ()  # footnote references made: (ref id, count)
    clean_left: bool = True
    clean_right: bool = True
    html: str = ""  # `raw` without newlines (and without editor markers when they are off)

    def finished(self, markers: bool) -> _Block:
        """The block with its seams checked and its final HTML."""
        left, right = seams(self.raw)
        html = remove_newlines(self.raw)
        return replace(
            self,
            clean_left=left,
            clean_right=right,
            html=html if markers else strip_editor_markers(html),
        )


class _Converter:
    """A Broadsheet Markdown instance that renders parts of a document."""

    def __init__(self) -> None:
        md, extension = build_converter()
        self.md: Markdown = md
        self.extension: BroadsheetExtension = extension
        self.footnotes = extension.footnotes
        self.html_blocks = _TrackedHtmlBlocks(md)
        md.preprocessors.register(self.html_blocks, "html_block", 20)
        self.fences = md.preprocessors["fenced_code_block"]
        self.abbreviations = _RecordingDict()
        abbr = next(e for e in md.registeredExtensions if isinstance(e, AbbrExtension))
        abbr.abbrs = self.abbreviations
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

    def analyse(self, text: str) -> _Analysis:
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
        return _Analysis(
            open_at_end=open_at_end,
            references=tuple(self.md.references.items()),
            abbreviations=tuple(log),
            footnotes=tuple(self.footnotes.footnotes.items()),
            footnotes_line=footnotes_line,
            inexact=tracker.inexact,
        )

    def _use_context(self, context: _Context) -> None:
        self.md.references.clear()
        self.md.references.update(context.references)
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

    def render(self, text: str, options: ActiveOptions, context: _Context) -> _Block:
        """Render one block in the document's context (HTML before newline removal)."""
        self._start(options)
        root = self.md.parser.parseDocument(self._preprocess(text)).getroot()
        self._use_context(context)
        raw = self._finish(root, footnote_div=False)
        references = tuple(self.footnotes.found_refs.items())
        return _Block(raw, self.extension.tracker.inexact, references).finished(options.markers)

    def render_footnotes(
        self, options: ActiveOptions, context: _Context, referenced: dict[str, int]
    ) -> _Block:
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
        return _Block(raw, False, own).finished(options.markers)


# ------------------------------------------------------------------------------ the renderer
def _may_stay_open(text: str) -> bool:
    """Whether a fence or raw HTML block could be open at the end of `text`."""
    return "<" in text or "```" in text or "~~~" in text


def _needs_analysis(text: str) -> bool:
    return _may_stay_open(text) or DEFINITION.search(text) is not None


class IncrementalRenderer:
    """Renders successive versions of one document, re-rendering only what changed.

    Not thread-safe: use one per thread (the preview's render worker owns one).
    """

    def __init__(self) -> None:
        self._converter: _Converter | None = None
        self._analyses: dict[str, _Analysis] = {}
        self._blocks: dict[tuple[object, ...], _Block] = {}
        self.rendered_blocks = 0  # blocks rendered by the last call (for tests and benchmarks)

    @property
    def converter(self) -> _Converter:
        """The Markdown instance, made on first use (on the thread that renders)."""
        if self._converter is None:
            self._converter = _Converter()
        return self._converter

    def render(self, body: str, options: RenderOptions = RenderOptions()) -> RenderedBody:
        """Render `body`; `RenderedBody.html()` equals `render_body(body, options)`."""
        self.rendered_blocks = 0
        if not body.strip():
            return RenderedBody(())
        text = normalize(body)
        if PLACE_MARKER in text:
            return self._full(body, options)
        analyses: dict[str, _Analysis] = {}
        blocks = self._blocks_of(text, analyses)
        context = self._context(blocks, analyses)
        if context is None:
            return self._full(body, options)
        return self._assemble(body, blocks, analyses, context, options)

    def _full(self, body: str, options: RenderOptions) -> RenderedBody:
        self.rendered_blocks = -1
        self._blocks.clear()
        return RenderedBody((Piece(render_body(body, options)),), full_render=True)

    def _analyse(self, text: str, used: dict[str, _Analysis]) -> _Analysis:
        if not _needs_analysis(text):
            return _NOTHING
        analysis = self._analyses.get(text)
        if analysis is None:
            analysis = self.converter.analyse(text)
        used[text] = analysis
        return analysis

    def _blocks_of(self, text: str, used: dict[str, _Analysis]) -> list[tuple[str, int]]:
        """(text, first line) of each independent block; open fences/HTML join the next."""
        chunks = split_blocks(text)
        offsets = [chunk.offset for chunk in chunks] + [len(text)]
        blocks: list[tuple[str, int]] = []
        index = 0
        while index < len(chunks):
            end = index + 1
            block = text[offsets[index] : offsets[end]]
            step = 1
            while self._analyse(block, used).open_at_end and end < len(chunks):
                end = min(len(chunks), end + step)  # doubling: cost stays linear in the size
                step *= 2
                block = text[offsets[index] : offsets[end]]
            blocks.append((block, chunks[index].line))
            index = end
        self._analyses = used
        return blocks

    def _context(
        self, blocks: list[tuple[str, int]], analyses: dict[str, _Analysis]
    ) -> _Context | None:
        """The definitions of the whole document (None: only a full render is exact)."""
        context = _Context()
        for text, _line in blocks:
            analysis = analyses.get(text, _NOTHING)
            if analysis.inexact:
                return None
            context.references.update(analysis.references)
            for abbr, title in analysis.abbreviations:
                if title is None:
                    context.abbreviations.pop(abbr, None)
                else:
                    context.abbreviations[abbr] = title
            context.footnotes.update(analysis.footnotes)
        if any(DEFINITION.search(note) for note in context.footnotes.values()):
            return None  # definitions inside footnotes are made while rendering the list
        return context

    def _assemble(
        self,
        body: str,
        blocks: list[tuple[str, int]],
        analyses: dict[str, _Analysis],
        context: _Context,
        options: RenderOptions,
    ) -> RenderedBody:
        active = ActiveOptions(
            slug=options.slug,
            caption_style=options.caption_style,
            markers=options.markers,
            line_template=options.markers,
        )
        common = (options.slug, options.caption_style, options.markers)
        references = tuple(context.references.items())
        abbreviations = tuple(context.abbreviations.items())
        footnote_order = tuple(context.footnotes)
        used: dict[tuple[object, ...], _Block] = {}
        rendered: list[tuple[_Block, int]] = []
        referenced: dict[str, int] = {}
        for text, line in blocks:
            key = (
                text,
                common,
                references if "[" in text else None,
                abbreviations,
                footnote_order if "[^" in text else None,
            )
            block = self._blocks.get(key)
            if block is None:
                block = self.converter.render(text, active, context)
                self.rendered_blocks += 1
            if block.inexact or not _add_references(referenced, block):
                return self._full(body, options)
            used[key] = block
            rendered.append((block, line + options.line_offset))
        if context.footnotes:
            notes = self._footnotes(blocks, analyses, context, options, active, referenced, used)
            if not _add_references(referenced, notes[0]):
                return self._full(body, options)
            rendered.append(notes)
        self._blocks = used
        return RenderedBody(tuple(self._pieces(rendered, options.markers)))

    def _footnotes(
        self,
        blocks: list[tuple[str, int]],
        analyses: dict[str, _Analysis],
        context: _Context,
        options: RenderOptions,
        active: ActiveOptions,
        referenced: dict[str, int],
        used: dict[tuple[object, ...], _Block],
    ) -> tuple[_Block, int]:
        line = next(
            (
                start + analyses[text].footnotes_line  # type: ignore[operator]
                for text, start in blocks
                if text in analyses and analyses[text].footnotes_line is not None
            ),
            None,
        )
        key = (
            "footnotes",
            (options.slug, options.caption_style, options.markers),
            line is None,
            tuple(sorted((ref, n) for ref, n in referenced.items() if n > 1)),
            tuple(context.references.items()),
            tuple(context.abbreviations.items()),
            tuple(context.footnotes.items()),
        )
        block = self._blocks.get(key)
        if block is None:
            if line is not None:
                active = replace(active, footnotes_line=0)
            block = self.converter.render_footnotes(active, context, referenced)
            self.rendered_blocks += 1
        used[key] = block
        return block, (line or 0) + options.line_offset

    def _pieces(self, rendered: list[tuple[_Block, int]], markers: bool) -> Iterable[Piece]:
        """Join blocks into pieces at clean seams; remove newlines piece by piece."""
        last = len(rendered) - 1
        start = 0
        while start <= last:
            end = self._run_end(rendered, start)
            base = rendered[start][1]
            run = rendered[start : end + 1]
            raw = "".join(_shifted(block.raw, line - base) for block, line in run)
            if start == 0:
                raw = raw.lstrip()
            if end == last:
                raw = raw.rstrip()
            if start == end and raw == run[0][0].raw:
                html = run[0][0].html  # the usual case: computed once, when rendered
            else:
                html = remove_newlines(raw)
                html = html if markers else strip_editor_markers(html)
            yield Piece(html, base if markers else 0)
            start = end + 1

    @staticmethod
    def _run_end(rendered: list[tuple[_Block, int]], start: int) -> int:
        """The last block of the piece starting at `start`: a clean seam must follow it."""
        last = len(rendered) - 1
        block = rendered[start][0]
        if start == last or (block.clean_right and rendered[start + 1][0].clean_left):
            return start
        # Something is open at the block's end (a <pre>, a comment): the seam is clean once the
        # joined run closes it. Doubling the run keeps the cost linear in its length.
        end, step = start, 1
        while end < last:
            end = min(last, end + step)
            step *= 2
            joined = "".join(block.raw for block, _line in rendered[start : end + 1])
            if end == last or (seams(joined)[1] and rendered[end + 1][0].clean_left):
                return end
        return last


def _add_references(referenced: dict[str, int], block: _Block) -> bool:
    """Count a block's footnote references; False when another block referred to one of them.

    Python-Markdown numbers repeated references (`fnref2:…`) in the order its inline pass
    visits elements, which is not the document's order across blocks.
    """
    for ref, count in block.references:
        if ref in referenced:
            return False
        referenced[ref] = count
    return True


def _shifted(template: str, lines: int) -> str:
    if not lines or "\x02" not in template:
        return template
    return LINE_TEMPLATE_RE.sub(lambda m: f"\x02L{int(m.group(1)) + lines}\x03", template)
