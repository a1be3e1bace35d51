"""List continuation, indenting, wrapping and pairing as plain text transformations."""

from __future__ import annotations

import pytest

from editor.core.markdown_edit import (
    Edit,
    closer_for,
    continue_block,
    indent_lines,
    outdent_lines,
    toggle_link,
    toggle_wrap,
)


def apply(text: str, edit: Edit) -> tuple[str, str]:
    """The text after the edit, and the selected text."""
    new = text[: edit.start] + edit.text + text[edit.end :]
    low, high = sorted((edit.anchor, edit.cursor))
    return new, new[low:high]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- apples", "- apples\n- "),
        ("* apples", "* apples\n* "),
        ("+ apples", "+ apples\n+ "),
        ("1. first", "1. first\n2. "),
        ("9) ninth", "9) ninth\n10) "),
        ("  - nested", "  - nested\n  - "),
        ("- [x] done", "- [x] done\n- [ ] "),
        ("- [ ] todo", "- [ ] todo\n- [ ] "),
        ("> quoted", "> quoted\n> "),
        ("> > deeper", "> > deeper\n> > "),
        ("> - in a quote", "> - in a quote\n> - "),
    ],
)
def test_enter_at_the_end_continues_lists_and_quotes(line: str, expected: str) -> None:
    edit = continue_block(line, len(line))
    assert edit is not None
    new, _ = apply(line, edit)
    assert new == expected
    assert edit.cursor == len(expected)


@pytest.mark.parametrize("line", ["- ", "1. ", "- [ ] ", "> ", "  * "])
def test_enter_on_an_empty_item_removes_the_marker(line: str) -> None:
    edit = continue_block(line, len(line))
    assert edit is not None
    assert apply(line, edit)[0] == ""


def test_enter_in_the_middle_of_an_item_splits_it() -> None:
    line = "3. left right"
    edit = continue_block(line, line.index(" right"))
    assert edit is not None
    assert apply(line, edit)[0] == "3. left\n4. right"


@pytest.mark.parametrize("line", ["plain text", "", "-not a list", "# Heading"])
def test_enter_elsewhere_is_left_to_the_editor(line: str) -> None:
    assert continue_block(line, len(line)) is None


def test_enter_before_the_marker_is_a_plain_newline() -> None:
    assert continue_block("- item", 0) is None


def test_tab_indents_list_items_and_shift_tab_outdents() -> None:
    assert indent_lines(["- a", "- b"]) == ["    - a", "    - b"]
    assert indent_lines(["plain"]) is None
    assert outdent_lines(["    - a", "  1. b"]) == ["- a", "1. b"]
    assert outdent_lines(["- a"]) is None


@pytest.mark.parametrize(
    ("text", "span", "marker", "after", "selected"),
    [
        ("say word now", (4, 8), "**", "say **word** now", "word"),
        ("say **word** now", (6, 10), "**", "say word now", "word"),
        ("say **word** now", (4, 12), "**", "say word now", "word"),
        ("say word now", (4, 8), "*", "say *word* now", "word"),
        ("say *word* now", (5, 9), "*", "say word now", "word"),
        ("say **word** now", (6, 10), "*", "say ***word*** now", "word"),
        ("say ***word*** now", (7, 11), "**", "say *word* now", "word"),
        ("say word now", (3, 9), "**", "say **word** now", "word"),  # spaces stay outside
        ("say word now", (5, 5), "**", "say **word** now", "word"),  # the word at the cursor
        ("call f now", (5, 6), "`", "call `f` now", "f"),
    ],
)
def test_wrap_and_unwrap(
    text: str, span: tuple[int, int], marker: str, after: str, selected: str
) -> None:
    assert apply(text, toggle_wrap(text, *span, marker)) == (after, selected)


def test_wrap_with_nothing_selected_outside_a_word_inserts_a_pair() -> None:
    edit = toggle_wrap("a  b", 2, 2, "**")
    assert apply("a  b", edit)[0] == "a **** b"
    assert edit.cursor == edit.anchor == 4


def test_link_wraps_the_selection_and_selects_url_then_unwraps() -> None:
    text = "see the docs here"
    edit = toggle_link(text, 8, 12)
    new, selected = apply(text, edit)
    assert (new, selected) == ("see the [docs](url) here", "url")
    edit = toggle_link(new, 9, 13)  # the label selected again
    assert apply(new, edit) == ("see the docs here", "docs")
    edit = toggle_link(new, 8, 19)  # the whole link selected
    assert apply(new, edit) == ("see the docs here", "docs")


def test_link_on_a_url_selects_the_label() -> None:
    text = "https://example.org"
    assert apply(text, toggle_link(text, 0, len(text))) == (
        "[text](https://example.org)",
        "text",
    )


@pytest.mark.parametrize(
    ("line", "column", "typed", "closer"),
    [
        ("", 0, "(", ")"),
        ("a ", 2, "[", "]"),
        ("x ", 2, "`", "`"),
        ("word", 4, "`", None),  # after a word: probably ``` or an inline tick being closed
        ("``", 2, "`", None),  # typing a fence
        ("(", 0, "(", None),  # before text: no pair
        ("abc", 1, "(", None),
        ("say *", 5, "*", "**"),
        ("say **", 6, "*", None),
        ("*", 1, "*", "**"),
        ("a", 1, "*", None),
    ],
)
def test_auto_pairing_only_where_it_helps(
    line: str, column: int, typed: str, closer: str | None
) -> None:
    assert closer_for(line, column, typed) == closer
