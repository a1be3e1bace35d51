"""Abbreviation definitions read in one pass give exactly what the stock processor gives."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.abbr import AbbrBlockprocessor

from editor.core.md_abbr import ABBR_PRIORITY, WholeBlockAbbreviations
from editor.core.render import build_converter


def stock_converter() -> markdown.Markdown:
    """Broadsheet's converter with Python-Markdown's own abbreviation block processor."""
    md, _extension = build_converter()
    ours = md.parser.blockprocessors["abbr"]
    assert isinstance(ours, WholeBlockAbbreviations)
    stock = AbbrBlockprocessor(md.parser, ours.abbrs)
    md.parser.blockprocessors.register(stock, "abbr", ABBR_PRIORITY)
    return md


LINES = st.one_of(
    st.builds(
        lambda abbr, gap, title: f"*[{abbr}]{gap}:{title}",
        st.sampled_from(["AB", "HTML", "a]b", "", " CSS ", "AB"]),
        st.sampled_from(["", " "]),
        st.sampled_from([" A B", "", "  Title  ", " ''", ' ""', " x | y"]),
    ),
    st.sampled_from(["AB and HTML and CSS.", "|---|---|", ": a definition", "- item", "", "# H"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=8))
def test_any_block_of_definitions_renders_as_with_the_stock_processor(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n\nAB, HTML, a]b and CSS.\n"
    ours, _extension = build_converter()
    assert ours.convert(text) == stock_converter().convert(text)


def test_two_thousand_definitions_in_one_block_all_apply() -> None:
    text = "".join(f"*[AB{n}]: Abbreviation {n}\n" for n in range(2000)) + "\nAB7 and AB1999.\n"
    md, _extension = build_converter()
    html = md.convert(text)
    assert '<abbr title="Abbreviation 7">AB7</abbr>' in html
    assert '<abbr title="Abbreviation 1999">AB1999</abbr>' in html
    assert html.count("<p>") == 1  # no definition is left over as text
