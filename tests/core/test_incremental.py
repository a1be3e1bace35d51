"""Incremental rendering gives exactly `render_body`'s HTML, after any sequence of edits."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.incremental import IncrementalRenderer
from editor.core.pieces import Piece, splice
from editor.core.post import parse_post
from editor.core.render import RenderOptions, render_body, slugify

# Pieces of real posts, chosen for the ways Markdown blocks reach into their neighbours.
FRAGMENTS = [
    "Plain paragraph with *emphasis*, a [link][ref] and a [second] link.",
    '[ref]: https://example.org/a "A title"',
    "[second]: <https://example.org/b>",
    "# A heading",
    "Setext heading\n==============",
    "Another setext\n---",
    "- item one\n- item two\n\n    indented continuation\n\n- item three",
    "1. first\n2. second\n\n3. third after a blank",
    "> a quote line\n> more of it\n\n> a second quote paragraph",
    '```python\ndef f(x):\n\n    return "<b>" + x\n```',
    "~~~\nplain fenced code\n\n~~~",
    "    indented code\n\n\n    more indented code",
    "| Year | Event |\n|:-----|------:|\n| 1954 | *Accord* |\n| 1975 | `end` |",
    "Text with a note[^1] and another[^n2].",
    "[^1]: The first note.\n    Continued, indented.\n\n    A second paragraph of it.",
    "[^n2]: The second note with *emphasis*.",
    "*[HTML]: Hyper Text Markup Language",
    "HTML is an abbreviation; so is HTML5, not.",
    "<!--more-->",
    "![Crowd](rally.jpg)\n\n*Above: a rally in the square*",
    '![Figure](figure.png "The figure")\n\n*The figure*',
    "[![Linked](thumb.png)](full.png)",
    "<div class='box'>\nraw *html* block\n\n</div>",
    "<span>inline</span> html and <em>more</em>.",
    "Term\n: Its definition\n\nSecond term\n: Second definition",
    "- [ ] a task\n- [x] a done task",
    "~~struck~~ and \"quotes\" -- dashes... and 'single'.",
    "***",
    "<pre>\npre text\n\nafter blank\n</pre>",
    "a line with a hard break  \nnext line",
    "\ttabbed line",
    "Para\n***\n- list right after a rule",
    "<!-- a comment\n\nspanning a blank line -->",
    # As writers paste it (CommonMark/GFM): lists nested by 2 or 3 spaces, lists and tables
    # right under a paragraph, autolinks, hard breaks, open HTML blocks around Markdown.
    "- fruit\n  - apple\n    - [ ] ripe\n  - pear\n-\n- bread",
    "1. first\n   - sub\n\n   more of first\n2) second",
    "Things:\n- milk\n- eggs\n---",
    "Prices:\n| item | cost |\n| --- | ---: |\n| tea \\| milk | 2 |",
    "Visit www.example.org, https://example.org/a?b=1 or me@example.org.",
    "a hard break\\\nthen ~one tilde~ and #hashtag",
    "<details>\n<summary>More</summary>\n\n**bold** inside\n\n</details>",
    "- install\n\n  ```\n  pip install x\n  ```\n- run",
    "<title>kept raw</title> <style>p{}</style>",
    "| a | b |\n| --- | --- |\n> quote under a table\n# heading under it",
    "Costs \\$5 and `` ` ``\n> quoted\n---\n003. ok\n Title\n   ----",
    "> quoted\n- item under a quote\n\n> quoted\n>\nafter an empty quote line",
    "*\t*\t*\n ## indented heading\n- a\n- b\n\n- c\n| `x \\| y` |\n| --- |",
    # Definition lists, deep nesting and runs of brackets (render_problems refuses some; the
    # thousands of brackets it refuses are in test_render_worst, too slow for 400 examples).
    "Term\n: Definition\nSecond term\n: Second definition",
    "A term over a blank line\n\n: its definition",
    "".join(f"Entry {n}\n: Meaning {n}\n" for n in range(60)),
    ">" * 230 + " a quote 230 deep",
    "".join(">" * n + " level\n" for n in range(1, 60)),
    "- " * 60 + "a list 60 deep",
    "[" * 300 + " open brackets",
    "[a](" * 100 + " open addresses",
    "![" * 200,
    "*[AB]: A B\n*[CD]: C D\n*[EF]: E F",
    "AB, CD and EF.",
    "Tab\x00with a NUL",
]

# What a writer types: Markdown's significant characters and short constructs.
TYPED = st.one_of(
    st.sampled_from(list("ab *_`~#>-+:|[]^()!<>/\n\t =.1\"'\\&;{}")),
    st.sampled_from(
        [
            "```",
            "~~~",
            "<!--",
            "-->",
            "[^1]",
            "[^n2]",
            "]:",
            "\n\n",
            "    ",
            "*[",
            "<div>",
            "</div>",
            "<pre>",
            "<script>",
            "\n---\n",
            "[ref]",
            "\n: ",
            "![a](x.png)",
            "\n\n*Above: caption*",
            "\r",
            "\xa0",
            "<!--more-->",
            "{: .cls}",
            "&amp;",
            "[a](",
            "![",
            "\n: ",
            ">>>>",
            "- - - ",
        ]
    ),
)


@dataclass(frozen=True)
class Edit:
    """One edit at a relative position (so it stays valid as the text changes)."""

    kind: str
    where: float
    text: str = ""
    size: int = 1

    def apply(self, document: str) -> str:
        if self.kind == "type":
            at = int(self.where * (len(document) + 1))
            return document[:at] + self.text + document[at:]
        if self.kind == "delete":
            at = int(self.where * len(document))
            return document[:at] + document[at + self.size :]
        lines = document.split("\n")
        at = int(self.where * len(lines))
        if self.kind == "insert_line":
            return "\n".join([*lines[:at], self.text, *lines[at:]])
        if self.kind == "delete_lines":
            return "\n".join(lines[:at] + lines[at + self.size :])
        return "\n".join([*lines[: at + 1], *lines[at : at + self.size], *lines[at + 1 :]])


positions = st.floats(min_value=0, max_value=1, exclude_max=True)
EDITS = st.one_of(
    st.builds(Edit, st.just("type"), positions, st.lists(TYPED, max_size=4).map("".join)),
    st.builds(Edit, st.just("delete"), positions, size=st.integers(1, 12)),
    st.builds(Edit, st.just("insert_line"), positions, st.sampled_from(FRAGMENTS)),
    st.builds(Edit, st.just("delete_lines"), positions, size=st.integers(1, 3)),
    st.builds(Edit, st.just("duplicate_lines"), positions, size=st.integers(1, 3)),
)
FRONT_MATTER = st.sampled_from(
    ["", "---\ntitle: A Post\nlabels: [a, b]\n---\n", "---\ntitle: Short\n---\n\n\n"]
)
DOCUMENTS = st.builds(
    lambda front, parts, joins: (
        front + "".join(part + join for part, join in zip(parts, joins, strict=False))
    ),
    FRONT_MATTER,
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12),
    st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=12, max_size=12),
)


class Checker:
    """Renders each version incrementally (one renderer per mode, as the preview does)."""

    def __init__(self) -> None:
        self.renderers = {True: IncrementalRenderer(), False: IncrementalRenderer()}
        self.full_renders = 0
        self.last: dict[bool, tuple[Piece, ...]] = {}

    def check(self, document: str) -> None:
        post = parse_post(document, "post.md")
        offset = document.count("\n") - post.body.count("\n")
        for markers in (True, False):
            options = RenderOptions(slug=slugify(post.title), markers=markers, line_offset=offset)
            rendered = self.renderers[markers].render(post.body, options)
            assert rendered.html() == render_body(post.body, options), (markers, document)
            self.full_renders += rendered.full_render
            change = rendered.change
            if change is not None:  # the preview then patches only that piece
                assert change.basis is self.last[markers]
                pieces = rendered.pieces
                assert len(pieces) == len(change.basis)
                assert all(p == change.basis[i] for i, p in enumerate(pieces) if i != change.at)
            self.last[markers] = rendered.pieces


@settings(
    # 200 documents with up to 10 edits each: about a minute on one core, so it stays clear of
    # the 300-second test timeout when the suite's processes share the machine.
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(start=DOCUMENTS, edits=st.lists(EDITS, min_size=1, max_size=10))
def test_incremental_render_equals_full_render_after_every_edit(
    start: str, edits: list[Edit]
) -> None:
    checker = Checker()
    document = start
    checker.check(document)
    for edit in edits:
        document = edit.apply(document)
        checker.check(document)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=1, max_size=6))
def test_edits_anywhere_in_the_long_essay(essay_text: str, edits: list[Edit]) -> None:
    checker = Checker()
    document = essay_text
    for edit in edits:
        document = edit.apply(document)
        checker.check(document)


# --- what is re-rendered --------------------------------------------------------------------


def _render(renderer: IncrementalRenderer, body: str, **kwargs: object) -> str:
    options = RenderOptions(slug="post", markers=True, **kwargs)  # type: ignore[arg-type]
    html = renderer.render(body, options).html()
    assert html == render_body(body, options)
    return html


@pytest.fixture
def essay_body(essay_text: str) -> str:
    return parse_post(essay_text).body


def test_typing_in_a_paragraph_renders_only_that_paragraph(essay_body: str) -> None:
    renderer = IncrementalRenderer()
    _render(renderer, essay_body)
    assert renderer.rendered_blocks > 50
    at = essay_body.index("If this essay helped you")
    _render(renderer, essay_body[:at] + "Typed. " + essay_body[at:])
    assert renderer.rendered_blocks == 1


def test_editing_one_of_two_identical_blocks_keeps_the_other_cached() -> None:
    """The same table twice shares one cached rendering: typing in one of them must not drop
    it for the other, which every later general render would then render again (40 blocks,
    150 ms, in the generated 100,000-word essay, whose tables and code repeat)."""
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    body = "Intro.\n\n" + table + "Middle.\n\n" + table + "End.\n"
    renderer = IncrementalRenderer()
    _render(renderer, body)
    at = body.index("| 1 |") + 3
    body = body[:at] + "0" + body[at:]  # the first table only
    _render(renderer, body)
    assert renderer.rendered_blocks == 1
    body = body.replace("Intro.\n\n", "Intro.\n\nA new paragraph.\n\n")  # a general render
    _render(renderer, body)
    assert renderer.rendered_blocks == 1  # the new paragraph; the second table was cached


def test_a_new_line_above_shifts_markers_without_rendering_again(essay_body: str) -> None:
    renderer = IncrementalRenderer()
    body = essay_body.lstrip("\n")
    before = renderer.render(body, RenderOptions(markers=True))
    after = renderer.render("A new first paragraph.\n\n" + body, RenderOptions(markers=True))
    assert renderer.rendered_blocks == 1
    assert [p.template for p in before.pieces] == [p.template for p in after.pieces[1:]]
    assert all(b.base + 2 == a.base for b, a in zip(before.pieces, after.pieces[1:], strict=True))
    assert after.html() == render_body(
        "A new first paragraph.\n\n" + body, RenderOptions(markers=True)
    )


def test_editing_a_footnote_renders_its_block_and_the_footnotes_only(essay_body: str) -> None:
    renderer = IncrementalRenderer()
    _render(renderer, essay_body)
    at = essay_body.index("[^2]:") + len("[^2]:")
    _render(renderer, essay_body[:at] + " Edited" + essay_body[at:])
    assert renderer.rendered_blocks == 2


def test_a_new_reference_definition_renders_the_blocks_with_brackets_again() -> None:
    renderer = IncrementalRenderer()
    body = "A [link][r] here.\n\nNo brackets here.\n\nMore words.\n"
    _render(renderer, body)
    html = _render(renderer, body + "\n[r]: https://example.org\n")
    assert '<a href="https://example.org">link</a>' in html
    # The block that uses it and the one the definition joined; "No brackets here." is kept.
    assert renderer.rendered_blocks == 2


def test_an_unclosed_fence_takes_the_rest_of_the_document_then_lets_go() -> None:
    renderer = IncrementalRenderer()
    body = "Intro.\n\n```\n\nAfter.\n\n*More*\n\nEnd.\n"
    html = _render(renderer, body)
    assert "<pre" not in html
    closed = _render(renderer, body.replace("After.", "After.\n```"))
    assert "<pre" in closed


def test_a_paragraph_made_a_term_by_a_definition_below_it_joins_the_list_above() -> None:
    """A paragraph over a blank line and ": definition" is a term of the list above it."""
    body = "Term\n: A definition\n\nA paragraph.\n\n: Its definition\n"
    html = _render(IncrementalRenderer(), body)
    assert html.count("<dl") == 1 and "<dt>A paragraph.</dt>" in html


def test_typing_a_definition_under_a_paragraph_joins_it_to_the_list_above() -> None:
    renderer = IncrementalRenderer()
    body = "Term\n: A definition\n\nA paragraph.\n\n- an item\n\nThe end.\n"
    _render(renderer, body)
    html = _render(renderer, body.replace("- an item", ": an item"))
    assert html.count("<dl") == 1 and "<dt>A paragraph.</dt>" in html


@pytest.mark.parametrize(
    "between",
    [
        "[^1]: A note.\n    Continued, indented.\nA line that joins the note\n\n",
        "[ref]: https://example.org\n\n",
        "[ref]: https://example.org\n\n*[HTML]: HyperText\n\n",
        # found by the property test: a note's indented second paragraph, then a lazy line
        "[^1]: A note.\n    Continued.\n\n    Its second paragraph.\nA lazy line\n\n",
    ],
)
def test_a_term_over_definitions_that_vanish_joins_the_list_above(between: str) -> None:
    """Footnote, link and abbreviation definitions leave no element: the paragraph above them
    is the term of a definition below them, in the list above it (one <dl>, as published)."""
    body = f"Term\n: A definition\n\nA paragraph.\n\n{between}: Its definition\n"
    renderer = IncrementalRenderer()
    for markers in (True, False):
        options = RenderOptions(markers=markers)
        html = renderer.render(body, options).html()
        assert html == render_body(body, options)
    assert html.count("<dl") == 1 and "<dt>A paragraph.</dt>" in html
    # and after an edit elsewhere, which keeps the blocks that did not change
    edited = body.replace("A definition", "A definition, edited")
    assert renderer.render(edited, options).html() == render_body(edited, options)


def test_footnote_referenced_twice_falls_back_to_one_full_render() -> None:
    renderer = IncrementalRenderer()
    body = "One[^a].\n\nTwo[^a].\n\n[^a]: Note.\n"
    rendered = renderer.render(body, RenderOptions(markers=True))
    assert rendered.full_render
    assert rendered.html() == render_body(body, RenderOptions(markers=True))


def test_the_essay_needs_no_full_render(essay_body: str) -> None:
    rendered = IncrementalRenderer().render(essay_body, RenderOptions(markers=True))
    assert not rendered.full_render
    assert len(rendered.pieces) > 40


def test_pieces_carry_relative_markers_filled_in_by_base() -> None:
    piece = Piece('<p data-line="\x02L2\x03">x</p>', 10)
    assert piece.html() == '<p data-line="12">x</p>'


def test_splice_replaces_the_changed_middle_and_shifts_what_moved() -> None:
    old = [Piece("a", 0), Piece("b", 2), Piece("c", 4), Piece("d", 6)]
    new = [Piece("a", 0), Piece("B", 2), Piece("B2", 4), Piece("c", 5), Piece("d", 7)]
    result = splice(old, new)
    assert (result.start, result.removed, result.added) == (1, 1, (Piece("B", 2), Piece("B2", 4)))
    assert result.shifts == ((3, 5, 1),)


@given(
    old=st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 9)), max_size=8),
    new=st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 9)), max_size=8),
)
def test_splice_applied_to_old_gives_new(
    old: list[tuple[str, int]], new: list[tuple[str, int]]
) -> None:
    before, after = [Piece(*p) for p in old], [Piece(*p) for p in new]
    result = splice(before, after)
    patched = before[: result.start] + list(result.added) + before[result.start + result.removed :]
    assert [p.template for p in patched] == [p.template for p in after]
    for first, end, lines in result.shifts:
        for index in range(first, end):
            patched[index] = Piece(patched[index].template, patched[index].base + lines)
    assert patched == after


def test_word_counter_matches_count_words_after_edits(essay_body: str) -> None:
    from editor.core.post import count_words
    from editor.core.word_count import WordCounter

    counter = WordCounter()
    assert counter.count(essay_body) == count_words(essay_body)
    edited = essay_body.replace("Organization", "Organization of many more", 1)
    assert counter.count(edited) == count_words(edited)
    assert counter.count("") == 0


def test_a_line_break_typed_in_a_paragraph_moves_every_marker_below(essay_body: str) -> None:
    renderer = IncrementalRenderer()
    _render(renderer, essay_body)
    at = essay_body.index("If this essay helped you") - 200
    at = essay_body.index(" ", at)
    edited = essay_body[:at] + "\n" + essay_body[at + 1 :]
    _render(renderer, edited)  # equal to a full render, markers of all later blocks moved
    assert renderer.rendered_blocks == 1
    _render(renderer, edited[:at] + "\nmore\n" + edited[at + 1 :])


def test_code_inside_a_footnote_renders_as_in_the_full_render() -> None:
    """The footnotes list, rendered on its own, has no stash for the note's code block."""
    body = "Text[^1]\n\n[^1]: The note.\n\n    ```\n    pip install x\n    ```\n"
    renderer = IncrementalRenderer()
    for markers in (False, True):
        options = RenderOptions(slug="post", markers=markers)
        renderer.render("x\n\n" + body, options)
        assert renderer.render(body, options).html() == render_body(body, options)
        assert "wzxhzdk" not in render_body(body, options)


def test_a_fence_inside_raw_html_leaves_the_lines_below_where_they_are() -> None:
    """A fenced code block inside a raw <pre> (found by the property test): the full render put
    the next block's source line four lines too high, and the preview (rendering the blocks
    apart) disagreed with it."""
    body = (
        "<pre>\npre text\n\n```python\ndef f(x):\n\n    return x\n```\nafter blank\n</pre>\n\n"
        "<pre>\nsecond\n</pre>\n"
    )
    options = RenderOptions(slug="post", markers=True)
    full = render_body(body, options)
    assert '<pre data-line="11">second' in full
    assert IncrementalRenderer().render(body, options).html() == full
