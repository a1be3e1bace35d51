"""Markdown body -> the HTML body of the post. One function for the preview and for publishing.

The preview renders with `markers=True`, which only adds editor-only things (source-line
`data-line` attributes, a jump-break divider) that `strip_editor_markers` removes exactly, so
what the preview shows is what is published.

A part that cannot be rendered (see `render_problems`) never makes rendering raise: it is shown
as one sentence, the rest of the post renders as usual, and `render_for_publishing` refuses.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import markdown
from pymdownx.superfences import SuperFencesCodeExtension

from editor.core.html_newlines import remove_newlines
from editor.core.md_blocks import Chunk, normalize, split_blocks
from editor.core.md_extensions import (
    ActiveOptions,
    BroadsheetExtension,
    SlugFootnotes,
    format_fence,
)
from editor.core.md_inline import use_linear_inline
from editor.core.md_writer import WriterExtension
from editor.core.post import Post
from editor.core.render_problems import (
    RENDER_FAILURES,
    RenderError,
    RenderProblem,
    failure_problem,
    problem_spans,
    without_spans,
)


@dataclass(frozen=True)
class RenderOptions:
    """How to render one body."""

    slug: str = ""  # per-post prefix for footnote/heading ids, so posts on one page never collide
    caption_style: str = "blogger"  # "blogger" (tr-caption-container table) or "figure"
    markers: bool = False  # editor-only data-line attributes for scroll sync (never published)
    line_offset: int = 0  # added to marker line numbers (front matter lines above the body)


_START_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*\s[^<>]*>")
_MARKER = re.compile(r' data-line="\d+"')
_EDITOR_ELEMENT = re.compile(r'<(div|span) class="[\w -]*" data-bs-editor="1"></\1>')

# A Markdown instance is not thread-safe (it keeps the document being converted), and the
# preview renders on a worker thread while publishing may render on the GUI thread.
_local = threading.local()


def build_converter(linear_inline: bool = True) -> tuple[markdown.Markdown, BroadsheetExtension]:
    """A new Markdown instance configured as Broadsheet renders (one per thread: not shareable).

    `linear_inline=False` keeps Python-Markdown's own inline pass (for comparing the two).
    """
    footnotes = SlugFootnotes(BACKLINK_TEXT="&#8617;&#xFE0E;")  # FE0E: not an emoji
    extension = BroadsheetExtension(footnotes)
    md = markdown.Markdown(
        extensions=[
            "abbr",
            "attr_list",
            "def_list",
            "tables",
            "sane_lists",
            "smarty",
            footnotes,
            SuperFencesCodeExtension(
                custom_fences=[{"name": "*", "class": "highlight", "format": format_fence}]
            ),
            "pymdownx.tilde",
            "pymdownx.tasklist",
            # GFM autolinks: bare URLs, www. addresses and e-mail addresses become links.
            "pymdownx.magiclink",
            # "#hashtag" at the start of a line is text: a heading needs "# ".
            "pymdownx.saneheaders",
            WriterExtension(),
            extension,
        ],
        extension_configs={
            "pymdownx.tilde": {"subscript": False},
            "pymdownx.magiclink": {"hide_protocol": False, "normalize_issue_symbols": False},
        },
        output_format="html",
    )
    if linear_inline:
        use_linear_inline(md)
    return md, extension


def _converter() -> tuple[markdown.Markdown, BroadsheetExtension]:
    cached = getattr(_local, "converter", None)
    if cached is None:
        cached = _local.converter = build_converter()
    return cached


@dataclass(frozen=True)
class Rendering:
    """A body's HTML, and the parts of it shown as a sentence because they could not render."""

    html: str
    problems: tuple[RenderProblem, ...] = ()  # lines relative to the body


def render_checked(body: str, options: RenderOptions = RenderOptions()) -> Rendering:
    """Render a body; a part that cannot be rendered becomes one sentence and is reported.

    Blocks are measured before rendering (`problem_spans`); a failure that slips past the
    measure is traced to its blocks by rendering them one by one (rare, and only then).
    """
    text = normalize(body)
    chunks = _chunked(text, split_blocks(text))
    spans = [span for chunk, part in chunks for span in _spans(chunk, part)]
    try:
        return _render_around(text, spans, options)
    except RENDER_FAILURES as exc:
        _discard_converter()
        whole = failure_problem(exc, text)
    spans = _failing_chunks(chunks, options)
    if spans:
        try:
            return _render_around(text, spans, options)
        except RENDER_FAILURES:  # together they still fail: no part alone is to blame
            _discard_converter()
    try:
        return _render_around(text, [(0, len(text), whole)], options)
    except RENDER_FAILURES:  # the converter cannot even render the sentence
        _discard_converter()
        return Rendering(whole.html(), (whole,))


def render_body(body: str, options: RenderOptions = RenderOptions()) -> str:
    """Render a Markdown body (no front matter) to the post's HTML body (no newlines)."""
    return render_checked(body, options).html


def render_post(post: Post, *, markers: bool = False, caption_style: str = "blogger") -> str:
    """Render a post's body with its slug; the HTML that is published when markers=False."""
    options = RenderOptions(slug=slugify(post.title), caption_style=caption_style, markers=markers)
    return render_body(post.body, options)


def render_for_publishing(post: Post, *, caption_style: str = "blogger") -> str:
    """The HTML to publish; RenderError names the first line that could not be rendered."""
    options = RenderOptions(slug=slugify(post.title), caption_style=caption_style)
    rendering = render_checked(post.body, options)
    if rendering.problems:
        raise RenderError(rendering.problems[0], post.body_line_offset)
    return rendering.html


def _convert(text: str, options: RenderOptions) -> str:
    md, extension = _converter()
    md.reset()
    extension.use(
        ActiveOptions(
            slug=options.slug,
            caption_style=options.caption_style,
            markers=options.markers,
            line_offset=options.line_offset,
        )
    )
    html = remove_newlines(md.convert(text))
    # Published HTML never carries editor markers, not even ones typed as raw HTML: otherwise
    # stripping the preview's markers would also remove those and differ from this.
    return html if options.markers else strip_editor_markers(html)


def _discard_converter() -> None:
    """Forget this thread's converter: a failure can leave its parser's state half-changed."""
    _local.__dict__.pop("converter", None)


Span = tuple[int, int, RenderProblem]  # [start, end) of the text shown as the problem's sentence


def _chunked(text: str, chunks: list[Chunk]) -> list[tuple[Chunk, str]]:
    """Each chunk with its text."""
    ends = [chunk.offset for chunk in chunks[1:]] + [len(text)]
    return [(chunk, text[chunk.offset : end]) for chunk, end in zip(chunks, ends, strict=True)]


def _spans(chunk: Chunk, part: str) -> list[Span]:
    """The measured problems of one chunk, placed in the whole text."""
    at = chunk.offset
    return [(at + s, at + e, problem.moved(chunk.line)) for s, e, problem in problem_spans(part)]


def _failing_chunks(chunks: list[tuple[Chunk, str]], options: RenderOptions) -> list[Span]:
    """Each chunk's measured problems, and each chunk that still fails alone as a whole;
    nothing when no chunk fails alone."""
    spans: list[Span] = []
    failed = False
    for chunk, part in chunks:
        measured = _spans(chunk, part)
        local = [(start - chunk.offset, end - chunk.offset, p) for start, end, p in measured]
        try:
            _convert(without_spans(part, local), options)
        except RENDER_FAILURES as exc:
            _discard_converter()
            failed = True
            problem = failure_problem(exc, part).moved(chunk.line)
            spans.append((chunk.offset, chunk.offset + len(part), problem))
        else:
            spans += measured
    return spans if failed else []


def _render_around(text: str, spans: list[Span], options: RenderOptions) -> Rendering:
    """Render `text` with each span replaced by its problem's sentence (as raw HTML).

    The sentence keeps the span's line count, so the line markers below it stay right.
    """
    html = _convert(without_spans(text, spans), options)
    return Rendering(html, tuple(problem for _start, _end, problem in spans))


def strip_editor_markers(html: str) -> str:
    """Remove editor-only elements and attributes, giving exactly the published HTML."""
    unmarked = _START_TAG.sub(lambda tag: _MARKER.sub("", tag.group(0)), html)
    return _EDITOR_ELEMENT.sub("", unmarked)


def slugify(title: str) -> str:
    """A short ASCII id prefix from a title ("Café déjà vu!" -> "cafe-deja-vu")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:40].rstrip("-") or "post"
