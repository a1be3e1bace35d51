"""The work the render worker does per keystroke follows the edit, not the draft's length.

Each tracker must give exactly what a walk over the whole text gives, after any sequence of
edits; and a keystroke in a paragraph must cost the same in a short draft and a long one
(counted in characters and whole-draft walks, not timed: timing belongs in the benchmark).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.make_essay import make
from editor.core.outline import OutlineTracker, extract_outline
from editor.core.text_edit import LineBreaks, common_affixes, edit_between
from editor.core.word_count import WordCounter, chunked_count

# Lines chosen for what makes, moves and ends headings, fences, front matter and word chunks.
LINES = [
    "---",
    "...",
    "title: A post",
    "# Heading",
    "## Heading two ##",
    "Setext title",
    "=====",
    "-----",
    "- item",
    "```",
    "~~~",
    "```python",
    "    indented # not a heading",
    "",
    " \t ",
    'Plain words, some *emphasis* and a [link](https://example.org/a "A title").',
    "Visit https://example.org/x or <b>bold</b> now.",
    "[",
    "](u",
    '"t")',
    "don't stop—it's 2 o’clock",
    "\xa0",  # white space that is not a blank line for `chunked_count`
    "[^n]: A note with a [link](https://example.org) in it.",
]


def _edit(rnd: random.Random, text: str) -> str:
    """One random edit: type, delete, or paste a line, anywhere."""
    at = rnd.randrange(len(text) + 1)
    choice = rnd.random()
    if choice < 0.4:
        return text[:at] + rnd.choice("ab #=-`~\n \t") + text[at:]
    if choice < 0.7:
        return text[:at] + text[at + rnd.randint(1, 8) :]
    return text[:at] + rnd.choice(LINES) + rnd.choice(["\n", "\n\n", ""]) + text[at:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(LINES), min_size=0, max_size=25),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_outline_after_any_edits_equals_a_fresh_walk(lines: list[str], seed: int) -> None:
    rnd = random.Random(seed)
    text = "\n".join(lines)
    tracker = OutlineTracker()
    for _ in range(12):
        assert tracker.outline(text) == extract_outline(text)
        text = _edit(rnd, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(LINES), min_size=0, max_size=25),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_word_count_after_any_edits_equals_a_fresh_count(lines: list[str], seed: int) -> None:
    rnd = random.Random(seed)
    text = "\n".join(lines)
    counter = WordCounter()
    for _ in range(12):
        assert counter.count(text) == chunked_count(text)
        text = _edit(rnd, text)


@given(old=st.text("ab\n", max_size=12), new=st.text("ab\n", max_size=12))
def test_the_edit_between_two_texts_is_all_that_differs(old: str, new: str) -> None:
    start, old_end, new_end = edit_between(old, new)
    assert start <= old_end and start <= new_end
    assert old[:start] == new[:start] and old[old_end:] == new[new_end:]
    prefix, suffix = common_affixes(old, new)
    assert prefix + suffix <= min(len(old), len(new))


def _keystroke_in_a_paragraph(text: str) -> tuple[str, str]:
    """The text before and after typing one letter in a paragraph half-way through it."""
    at = text.index("\n\n", len(text) // 2) + 2
    while not text[at].isalpha():  # a paragraph, not a list, table or quote
        at = text.index("\n\n", at) + 2
    at = text.index(" ", at)
    return text, text[:at] + "e" + text[at:]


@pytest.mark.parametrize("words", [2000, 40000])
def test_a_keystroke_in_a_paragraph_does_not_walk_the_whole_outline(words: int) -> None:
    before, after = _keystroke_in_a_paragraph(make(words, 520))
    tracker = OutlineTracker()
    tracker.outline(before)
    tracker.outline(after)
    line_break = after.replace("e ", "e\n", 1)
    assert tracker.outline(line_break) == extract_outline(line_break)  # headings below move
    assert tracker.full_walks == 1  # the first version only


def test_typing_in_a_heading_does_not_walk_the_whole_outline() -> None:
    """A keystroke in a heading's title changes that heading: the outline follows it
    without walking the draft (5 ms at 100,000 words, on every keystroke)."""
    text = make(40000, 520)
    at = text.index("\n## ", len(text) // 2) + 4
    tracker = OutlineTracker()
    tracker.outline(text)
    for typed in ["e", "*x*", " #", "#"]:
        text = text[:at] + typed + text[at:]
        assert tracker.outline(text) == extract_outline(text)
    hashes = text.index("##", at - 4)
    text = text[:hashes] + text[hashes + 1 :]  # "## " becomes "# ": a level up
    assert tracker.outline(text) == extract_outline(text)
    assert tracker.full_walks == 1  # the first version only


def test_a_keystroke_counts_the_same_few_characters_at_any_length() -> None:
    counted = []
    for words in (2000, 40000):
        before, after = _keystroke_in_a_paragraph(make(words, 520))
        counter = WordCounter()
        counter.count(before)
        assert counter.count(after) == chunked_count(after)
        counted.append(counter.counted)
    assert counted[0] < 2000 and counted[1] < 2000  # one paragraph, not the draft


def test_a_keystroke_in_one_of_many_footnotes_counts_that_note() -> None:
    """A long essay's notes are one run of lines with no blank line between them (18 KB at
    100,000 words): a keystroke in one counts that line, not the run."""
    notes = "".join(
        f"[^{n}]: Note {n}, after [a source](https://e.org/{n}) too.\n" for n in range(300)
    )
    before = "A paragraph.\n\n" + notes.replace("Note 150,", "Note 150 ,") + "\nThe end.\n"
    after = before.replace("Note 150 ,", "Note 150 e,")
    counter = WordCounter()
    counter.count(before)
    assert counter.count(after) == chunked_count(after)
    assert counter.counted < 200  # that line: the link in each note is closed on its line


@pytest.mark.parametrize(
    ("snippet", "typed"),
    [
        ("def tally(votes):", "e"),  # fenced code
        ("export function debounce(fn, ms = 200) {", " t"),
        ("Some <b>bold</b> words", "a"),  # inline HTML
        ("After it", "s"),  # a paragraph under a link definition: the definition stays
    ],
)
def test_typing_in_a_block_with_code_or_html_renders_that_block_alone(
    monkeypatch: pytest.MonkeyPatch, snippet: str, typed: str
) -> None:
    """Fences, HTML and definitions used to send every keystroke through the general path,
    which cuts and looks up every block of the document."""
    from editor.core import incremental
    from editor.core.incremental import IncrementalRenderer
    from editor.core.post import parse_post
    from editor.core.render import RenderOptions, render_body

    body = parse_post(make(8000, 520)).body
    middle = body.index("\n\n", len(body) // 2) + 2
    added = "Some <b>bold</b> words [here][site].\n\n[site]: https://example.org\nAfter it.\n\n"
    body = body[:middle] + added + body[middle:]
    split = []
    monkeypatch.setattr(incremental, "split_blocks", lambda t: split.append(t) or _split(t))
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="post", markers=True)
    renderer.render(body, options)
    at = body.index(snippet) + len(snippet)
    edited = body[:at] + typed + body[at:]
    assert renderer.render(edited, options).html() == render_body(edited, options)
    assert renderer.rendered_blocks == 1
    assert len(split) == 1  # the first rendering only: no cut of the whole document again


def _split(text: str) -> list:  # type: ignore[type-arg]
    from editor.core.md_blocks import split_blocks

    return split_blocks(text)


def test_the_same_text_again_costs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged text asked again went through the general path: every block cut and
    looked up (~50 ms at 100k words)."""
    from editor.core import incremental
    from editor.core.incremental import IncrementalRenderer
    from editor.core.post import parse_post
    from editor.core.render import RenderOptions, render_body

    body = parse_post(make(3000, 520)).body
    split = []
    monkeypatch.setattr(incremental, "split_blocks", lambda t: split.append(t) or _split(t))
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="post", markers=True)
    first = renderer.render(body, options)
    again = renderer.render(body, options)
    assert again.html() == first.html() == render_body(body, options)
    assert (renderer.rendered_blocks, len(split)) == (0, 1)
    other = RenderOptions(slug="other", markers=True)
    assert renderer.render(body, other).html() == render_body(body, other)  # not the same


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(LINES), min_size=0, max_size=25),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_line_breaks_after_any_edits_equal_a_fresh_count(lines: list[str], seed: int) -> None:
    rnd = random.Random(seed)
    text = "\n".join(lines)
    breaks = LineBreaks()
    for _ in range(12):
        assert breaks.count(text) == text.count("\n")
        text = _edit(rnd, text)


@given(
    size=st.integers(0, 70000),
    cut=st.floats(0, 1),
    removed=st.integers(0, 3),
    added=st.text("ab\n", max_size=3),
)
def test_the_edit_in_a_long_text_is_found_exactly(
    size: int, cut: float, removed: int, added: str
) -> None:
    """Stretches compared double in length: the edit is found wherever it falls."""
    old = ("abcdefghij\n" * (size // 11 + 1))[:size]
    at = int(cut * size)
    new = old[:at] + added + old[at + removed :]
    prefix, suffix = common_affixes(old, new)
    assert old[:prefix] == new[:prefix] and old[len(old) - suffix :] == new[len(new) - suffix :]
    assert prefix + suffix <= min(len(old), len(new))
    longer = prefix + 1 + suffix <= min(len(old), len(new))
    assert not (longer and old[prefix] == new[prefix])  # the prefix is the longest


@pytest.mark.parametrize("typed", ["\r", "\r\n", "\x02", "\x03", "a\rb"])
def test_characters_that_are_normalised_are_not_missed_between_keystrokes(typed: str) -> None:
    """A body with nothing to normalise is its own normal form while the keystrokes add
    nothing to normalise either; a carriage return or STX typed must still be normalised."""
    from editor.core.incremental import IncrementalRenderer
    from editor.core.post import parse_post
    from editor.core.render import RenderOptions, render_body

    body = parse_post(make(3000, 520)).body
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="post", markers=True)
    at = body.index(" ", len(body) // 2)
    for version in (
        body,
        body[:at] + "x" + body[at:],
        body[:at] + "x" + typed + body[at:],
        body[:at] + "xy" + typed + body[at:],  # typing next to it, once it is there
        body[:at] + "xy" + body[at:],
        body[:at] + "xyz" + body[at:],
    ):
        assert renderer.render(version, options).html() == render_body(version, options)


def test_a_keystroke_in_a_footnote_renders_that_note_and_cuts_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A note's text used to send the keystroke through the general path (every block cut
    and looked up) and render the whole footnotes list again: 60-330 ms at 100k words."""
    from editor.core import incremental
    from editor.core.incremental import IncrementalRenderer
    from editor.core.post import parse_post
    from editor.core.render import RenderOptions, render_body

    body = parse_post(make(8000, 520)).body
    split = []
    monkeypatch.setattr(incremental, "split_blocks", lambda t: split.append(t) or _split(t))
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="post", markers=True)
    renderer.render(body, options)
    at = body.index("[^3]: ") + len("[^3]: ") + 4
    edited = body[:at] + "e" + body[at:]
    assert renderer.render(edited, options).html() == render_body(edited, options)
    assert (renderer.rendered_notes, len(split)) == (1, 1)


def test_a_render_compares_the_two_versions_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The word count, line count, outline and renderer all follow the same edit: the old and
    new draft (and body) are compared once each, not once per follower."""
    from editor.core import text_edit
    from editor.ui.workers import RenderRequest, RenderWorker

    worker = RenderWorker()
    text = make(3000, 520)
    worker._render(RenderRequest(text, 1, "essay.md"))
    walks: list[int] = []
    common = text_edit._common
    monkeypatch.setattr(
        text_edit,
        "_common",
        lambda *args: walks.append(1) or common(*args),  # type: ignore[func-returns-value]
    )
    at = text.index("\n\n", len(text) // 2) + 2
    edited = text[:at] + "More " + text[at:]
    result = worker._render(RenderRequest(edited, 2, "essay.md"))
    assert len(walks) <= 2  # the drafts' prefix and suffix: the bodies' follow from them
    fresh = RenderWorker()._render(RenderRequest(edited, 3, "essay.md"))
    assert (result.words, result.lines, result.outline) == (fresh.words, fresh.lines, fresh.outline)
    assert "".join(p.html() for p in result.pieces) == "".join(p.html() for p in fresh.pieces)


def test_a_keystroke_away_from_include_lines_does_not_search_the_draft_for_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Snippets are expanded while the body has "{%" in it; a keystroke elsewhere in a draft
    without one does not look for include lines, and typing one expands it at once."""
    from editor.core import snippet_render
    from editor.ui.workers import RenderRequest, RenderWorker

    worker = RenderWorker()
    worker.snippets.folder.mkdir(parents=True, exist_ok=True)
    worker.snippets.path("sig").write_text("*Signed, the Editor*\n", encoding="utf-8")
    calls: list[int] = []
    expand = snippet_render.expand_snippets
    monkeypatch.setattr(
        snippet_render,
        "expand_snippets",
        lambda *args: calls.append(1) or expand(*args),  # type: ignore[func-returns-value]
    )
    text = make(3000, 520)
    worker._render(RenderRequest(text, 1, "essay.md"))
    assert calls == [1]  # a first text: searched whole
    at = text.index("\n\n", len(text) // 2) + 2
    edited = text[:at] + "More " + text[at:]
    worker._render(RenderRequest(edited, 2, "essay.md"))
    assert calls == [1]
    at = edited.index("\n\n", at + 10) + 2  # the start of another paragraph
    for step, typed in enumerate("{%"):  # an include line, typed a key at a time
        edited = edited[: at + step] + typed + edited[at + step :]
        worker._render(RenderRequest(edited, 3 + step, "essay.md"))
    assert len(calls) == 2  # "{%" is in the body now: searched on every render
    edited = edited[: at + 2] + " include sig %}\n\n" + edited[at + 2 :]
    result = worker._render(RenderRequest(edited, 5, "essay.md"))
    assert len(calls) == 3
    html = "".join(p.html() for p in result.pieces)
    assert "<em>Signed, the Editor</em>" in html
    fresh = RenderWorker()._render(RenderRequest(edited, 6, "essay.md"))
    assert html == "".join(p.html() for p in fresh.pieces)
