"""The linear inline pass gives the HTML Python-Markdown's own pass gives, on any Markdown.

The speed is measured by benchmarks/render_worst.py (16,000 links in one paragraph, a megabyte
of `<!--`); these tests check that the output did not change, and that the linear way is used.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from editor.core.md_inline import LinearInlineProcessor
from editor.core.render import build_converter

LINEAR, _ = build_converter()
MARKDOWN_WAY, _ = build_converter(linear_inline=False)


def both(text: str) -> tuple[str, str]:
    """The HTML of the linear pass and of Python-Markdown's own."""
    LINEAR.reset()
    MARKDOWN_WAY.reset()
    return LINEAR.convert(text), MARKDOWN_WAY.convert(text)


def test_the_converter_uses_the_linear_pass_for_both_inline_passes() -> None:
    passes = [p for p in LINEAR.treeprocessors if isinstance(p, InlineProcessor)]
    assert len(passes) == 2  # the inline patterns, then smart quotes and dashes
    assert all(type(p) is LinearInlineProcessor for p in passes)
    assert all(
        type(p) is InlineProcessor
        for p in MARKDOWN_WAY.treeprocessors
        if isinstance(p, InlineProcessor)
    )


def test_an_unclosed_link_ending_at_minus_one_renders_and_returns() -> None:
    """Python-Markdown's link pattern answers end=-1 for `[a]('[a]( x`; taken as a place to
    search from, it looped forever (the preview's worker spun and publishing hung)."""
    result: list[tuple[str, str]] = []
    worker = threading.Thread(target=lambda: result.append(both("[a]('[a]( x")), daemon=True)
    worker.start()
    worker.join(20)
    assert result, "the render never returned"
    assert result[0][0] == result[0][1] == '<p><a href="\'[a](">a</a>x</p>'


def test_a_paragraph_of_links_is_not_rebuilt_after_each_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python-Markdown's step (one match, then the whole string rebuilt) is not taken per link."""
    calls = 0
    original = InlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]

    def counted(self, pattern, data, *args):  # noqa: ANN001, ANN002, ANN202
        nonlocal calls
        calls += len(data) > 10_000  # a step over the whole paragraph
        return original(self, pattern, data, *args)

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__applyPattern", counted)
    text = "[a](https://example.org/a) -- it's &amp; `code` <b>x</b> " * 300
    linear, markdown_way = both(text)
    assert linear == markdown_way
    calls_markdown_way = calls
    calls = 0
    LINEAR.reset()
    LINEAR.convert(text)
    assert calls_markdown_way > 1500  # one step per link, dash, quote, entity, code, tag
    assert calls < 10  # only emphasis and strikethrough, which keep state, step by step


# Places where what precedes the next search differs between the two ways: the match just made
# is a placeholder in Python-Markdown's string and its own text in ours.
ADJACENT = [
    "\\\\`code` and \\\\\\`not code`",
    "``x``` `y`",
    "<!--<!--<!-- -->",
    "-- --- ---- ------ a--b--c",
    "... .... ..... a...b",
    "http://a.example/http://b.example www.a.example/www.b.example",
    "a@b.example@c.example x@y.example.z@w.example",
    "[a](u)[b](v)![c](w)[d][e][f]",
    "<https://a.example><https://b.example>x<c@d.example>",
    "&amp;&copy;&#169;&#xA9;&bogus;&",
    "'quoted''twice'\"dq\"\"again\"'90s 'tis",
    "--'a' --\"b\" &mdash;'c' &ndash;\"d\"",
    "~a~~b~ ~~c~~~d~",
    "[^1][^2]\n\n[^1]: one\n[^2]: two",
    "x\\\ny  \nz\\*\\_\\`",
    "`a`b`c` ``d`e`` `f`",
    "<span>*x*</span>**y**_z_",
    "\x02\x03 placeholders\x02klzzwxh:0000\x03 typed by hand",
    # the link pattern ends an unclosed `[a](` whose address starts with a quote at -1
    "[a]('[a]( x",
    "[a](\"[a]( x [b](c) [d]('e",
]


@pytest.mark.parametrize("text", ADJACENT)
def test_matches_side_by_side_render_the_same(text: str) -> None:
    linear, markdown_way = both(text)
    assert linear == markdown_way


INLINE = st.sampled_from(
    [
        "a", "word", " ", "  ", "\n", "\\", "\\\\", "`", "``", "*", "**", "_", "__", "~", "~~",
        "[", "]", "(", ")", "![", "[a](u)", "[a](", "](", "[a][r]", "[r]", "[^n]",
        "<", ">", "<b>", "</b>",
        "<!--", "-->", "&", "&amp;", "&#169;", ";", "'", '"', "--", "---", "...", "-",
        "http://", "https://x.example/p", "www.x.example", "x@y.example", "@", ".", "!",
        "<https://x.example>", "<m@y.example>", "AB", "90s", "é", "\x03", "\t",
    ]
)  # fmt: skip
TEXT = st.lists(INLINE, max_size=40).map("".join)
BLOCK = st.sampled_from(["", "- ", "> ", "1. ", "# ", "| ", "Term\n: ", "    - "])
DEFINITIONS = "\n\n[r]: https://r.example\n[^n]: A note\n*[AB]: A B\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(BLOCK, TEXT), min_size=1, max_size=6))
def test_generated_markdown_renders_the_same_both_ways(blocks: list[tuple[str, str]]) -> None:
    text = "\n".join(prefix + body for prefix, body in blocks) + DEFINITIONS
    linear, markdown_way = both(text)
    assert linear == markdown_way
