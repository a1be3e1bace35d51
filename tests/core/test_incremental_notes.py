"""The footnotes list is cached note by note; an edit in a note or a reference costs that note.

Every test compares with the full render (the preview shows what is published) after each
edit, so a cached list item that went stale fails here.
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.incremental import IncrementalRenderer
from editor.core.md_extensions import ActiveOptions
from editor.core.md_partial import Context, Converter
from editor.core.render import RenderOptions, render_body

NOTES = 12
BODY = "".join(f"Paragraph {n} with a note[^{n}] in it.\n\n" for n in range(1, NOTES + 1)) + (
    "A closing paragraph.\n\n"
    + "".join(f"[^{n}]: The text of note {n}, *with* emphasis.\n" for n in range(1, NOTES + 1))
)


def _render(renderer: IncrementalRenderer, body: str, markers: bool = True) -> str:
    options = RenderOptions(slug="post", markers=markers)
    rendered = renderer.render(body, options)
    assert rendered.html() == render_body(body, options)
    return rendered.html()


def test_editing_a_note_renders_that_note_only() -> None:
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    assert renderer.rendered_notes == NOTES
    edited = BODY.replace("text of note 5,", "text of note 5 (edited),")
    html = _render(renderer, edited)
    assert "note 5 (edited)," in html
    # the block holding the definitions, and one item of the list
    assert (renderer.rendered_blocks, renderer.rendered_notes) == (2, 1)
    # and back: the item cached for the old text must not come back stale
    html = _render(renderer, BODY)
    assert "(edited)" not in html
    assert renderer.rendered_notes == 1


@pytest.mark.parametrize("markers", [True, False])
def test_every_keystroke_in_a_note_gives_the_published_list(markers: bool) -> None:
    renderer = IncrementalRenderer()
    body = BODY
    _render(renderer, body, markers)
    at = body.index("[^7]: ") + len("[^7]: ")
    for typed in "A *word* and `code` ":
        body = body[:at] + typed + body[at:]
        at += 1
        _render(renderer, body, markers)
        assert renderer.rendered_notes <= 1


def test_removing_and_adding_a_reference_keeps_the_list_right() -> None:
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    broken = BODY.replace("note[^3]", "note[ ^3]")
    html = _render(renderer, broken)
    assert 'href="#fn:post-3"' not in html
    assert renderer.rendered_blocks == 1  # only the paragraph: the list does not change
    html = _render(renderer, BODY)
    assert 'href="#fn:post-3"' in html


def test_a_second_reference_to_a_note_renders_as_published() -> None:
    """Repeated references add back links to the note's item (and need the whole document)."""
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    twice = BODY.replace("Paragraph 4 with a note[^4]", "Paragraph 4 with a note[^2]")
    _render(renderer, twice)
    _render(renderer, twice.replace("text of note 2,", "text of note 2 again,"))
    _render(renderer, BODY)


def test_renumbered_notes_get_their_new_numbers() -> None:
    """An item's number is in its back link's title: a new note above renumbers the rest."""
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    added = BODY.replace("[^1]: ", "[^new]: A new first note.\n[^1]: ")
    html = _render(renderer, added)
    assert "Jump back to footnote 13 in the text" in html
    # an edit in a renumbered note, then the note removed again
    html = _render(renderer, added.replace("note 9,", "note nine,"))
    assert "note nine," in html
    html = _render(renderer, BODY)
    assert "Jump back to footnote 13 in the text" not in html


def test_a_renamed_note_and_its_reference() -> None:
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    _render(renderer, BODY.replace("[^6]:", "[^6x]:"))
    _render(renderer, BODY.replace("[^6]:", "[^6x]:").replace("note[^6]", "note[^6x]"))
    _render(renderer, BODY)


def test_a_note_follows_the_definitions_it_uses() -> None:
    """A note with a reference link or an abbreviation changes when their definition does."""
    body = BODY.replace("text of note 2,", "text of [the site][s] and HTML,") + (
        "\n[s]: https://example.org/one\n\n*[HTML]: Hyper Text\n"
    )
    renderer = IncrementalRenderer()
    _render(renderer, body)
    html = _render(renderer, body.replace("example.org/one", "example.org/two"))
    assert "https://example.org/two" in html
    html = _render(renderer, body.replace("Hyper Text", "HyperText Markup"))
    assert 'title="HyperText Markup"' in html


def test_a_note_referring_to_a_note_renders_the_list_as_one() -> None:
    renderer = IncrementalRenderer()
    body = BODY.replace("text of note 8,", "text of note 8, see[^9],")
    _render(renderer, body)
    _render(renderer, body.replace("note 8, see", "note eight, see"))
    _render(renderer, BODY)


def test_items_rendered_alone_join_into_the_whole_list() -> None:
    notes = OrderedDict(
        [
            ("1", 'A *note* with "quotes" and <b>html</b>.'),
            ("2", "Two\n\n    A second paragraph.\n\n    - a list\n    - in it"),
            ("x", "A [link][r], HTML and a hard  \nbreak."),
            ("4", "Code: `x < y` & more"),
        ]
    )
    context = Context(
        references={"r": ("https://example.org", None)},
        abbreviations={"HTML": "Hyper Text"},
        footnotes=notes,
    )
    converter = Converter()
    for line in (0, None):
        for markers in (True, False):
            options = ActiveOptions(
                slug="s", markers=markers, line_template=markers, footnotes_line=line
            )
            referenced = {"fnref:s-2": 2}
            whole = converter.render_footnotes(options, context, dict(referenced)).raw
            head, tail, items = converter.render_footnote_items(
                options, context, dict(referenced), range(1, len(notes) + 1)
            )
            assert head + "".join(items[n] for n in sorted(items)) + tail == whole
            _head, _tail, one = converter.render_footnote_items(
                options, context, dict(referenced), [3]
            )
            assert one == {3: items[3]}


NOTE_TYPED = st.one_of(
    st.sampled_from(list("ab *_`[]^:\n ")),
    st.sampled_from(["[^3]", "[^new]: x\n", "\n\n", "    ", "[s]", "HTML", "\n[^2]: y"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), NOTE_TYPED),
        min_size=1,
        max_size=8,
    )
)
def test_typing_anywhere_among_the_notes_equals_the_full_render(
    edits: list[tuple[float, str]],
) -> None:
    renderer = IncrementalRenderer()
    body = BODY + "\n[s]: https://example.org\n\n*[HTML]: Hyper Text\n"
    _render(renderer, body)
    notes_start = body.index("A closing paragraph.")
    for where, typed in edits:
        at = notes_start + int(where * (len(body) - notes_start))
        body = body[:at] + typed + body[at:]
        _render(renderer, body)


def test_typing_in_a_note_defined_twice_shows_the_definition_that_wins() -> None:
    """Found by the test above: with a second `[^2]:` further down, typing in the first one
    changed the list item, though the full render (what is published) shows the other."""
    renderer = IncrementalRenderer()
    body = BODY.replace("[^7]: The text", "[^7]: The text\n[^2]: Another")
    _render(renderer, body)
    _render(renderer, body.replace("[^2]: The text", "[^2]: Thea text"))


def test_a_keystroke_in_a_note_reads_that_note_line_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A post's notes, one per line in one chunk, are cut line by line: typing in one re-reads
    that line, not the whole chunk of definitions (18 KB in a 100,000-word essay)."""
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    seen: list[str] = []
    render, analyse = Converter.render, Converter.analyse
    monkeypatch.setattr(
        Converter, "render", lambda self, text, *a: seen.append(text) or render(self, text, *a)
    )
    monkeypatch.setattr(
        Converter, "analyse", lambda self, text: seen.append(text) or analyse(self, text)
    )
    edited = BODY.replace("text of note 7,", "text of note 7 (edited),")
    assert "(edited)" in _render(renderer, edited)
    line = "[^7]: The text of note 7 (edited), *with* emphasis.\n"
    assert seen and all(len(text) <= len(line) for text in seen)
    assert line in seen


@pytest.mark.parametrize(
    "notes",
    [
        "[^1]: One.\n[^2]: Two.\n[^3]: Three.\n",
        "[^1]: One.\n[^2]:\n[^3]: Three.\n\n    More of three.\n\nAfter.\n",
        "[^1]: One.\nlazy line of one\n[^2]: Two.\n[^3]: Three.\n",
        "Words first.\n[^1]: One.\n[^2]: Two.\n",
        "[^1]: One.\n[^2]: Two.\n- a list\n",
        "[^1]: One.\n[^2]: Two.\n\n[^3]: Three.\n[^4]: Four.",
        "> [^1]: One.\n[^2]: Two.\n[^3]: Three.\n",
    ],
)
def test_typing_in_chunks_of_notes_equals_the_full_render(notes: str) -> None:
    import random

    from editor.core.md_blocks import split_blocks

    refs = "".join(f"Text[^{n}] here.\n\n" for n in range(1, 5))
    body = refs + notes
    renderer = IncrementalRenderer()
    _render(renderer, body)
    rnd = random.Random(notes)
    for _ in range(40):
        at = rnd.randrange(len(refs), len(body) + 1)
        typed = rnd.choice(["x", " ", "\n", "[^", "]: ", "*", "    ", "\n\n", "[^9]: n\n"])
        body = body[:at] + typed + body[at:]
        _render(renderer, body)
        assert split_blocks(body)[0].offset == 0


def test_only_chunks_made_of_one_line_notes_are_cut_inside() -> None:
    from editor.core.md_blocks import split_blocks

    notes = "Para.\n\n[^1]: One.\n[^2]: Two.\n[^3]: Three.\n"
    cuts = [chunk.offset for chunk in split_blocks(notes)]
    assert cuts == [0, notes.index("[^2]"), notes.index("[^3]")]
    assert [c.line for c in split_blocks(notes)] == [0, 3, 4]
    lazy = "Para.\n\n[^1]: One.\nlazy\n[^2]: Two.\n"
    assert [chunk.offset for chunk in split_blocks(lazy)] == [0]


def test_renaming_a_note_re_renders_the_blocks_that_mention_it() -> None:
    """A block's cache key holds the numbers of the notes it mentions, not the order of all
    the notes: renaming one (typing in its "[^id]:") leaves the other paragraphs cached."""
    renderer = IncrementalRenderer()
    _render(renderer, BODY)
    renamed = BODY.replace("[^5]: ", "[^5x]: ")
    html = _render(renderer, renamed)
    assert "[^5]" in html  # its reference is text now
    # the paragraph referring to it, the block defining it, and the footnotes list
    assert renderer.rendered_blocks <= 3
    both = renamed.replace("note[^5]", "note[^5x]")
    _render(renderer, both)
    assert renderer.rendered_blocks <= 2
    _render(renderer, BODY)


def test_editing_a_note_changes_one_piece_the_footnotes_list() -> None:
    """A keystroke in a footnote's text changes the list at the end and nothing else: the
    renderer says so, and the preview patches that one piece instead of comparing them all."""
    body = "".join(f"Paragraph {n}[^n{n}] of the essay.\n\n" for n in range(40))
    body += "".join(f"[^n{n}]: Note number {n}.\n\n" for n in range(40))
    body += "The end.\n"
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="post", markers=True)
    before = renderer.render(body, options)
    after = renderer.render(body.replace("Note number 7.", "Note number 7, edited."), options)
    assert after.html() == render_body(
        body.replace("Note number 7.", "Note number 7, edited."), options
    )
    assert after.change is not None
    assert after.change.basis is before.pieces
    assert after.change.at == len(after.pieces) - 1
    assert "Note number 7, edited." in after.pieces[-1].template
