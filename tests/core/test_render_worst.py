"""The worst inputs a writer can paste: never an exception, never a stall, preview == publish.

Timings are measured by benchmarks/render_worst.py; these tests check the output.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.incremental import IncrementalRenderer
from editor.core.post import parse_post
from editor.core.render import RenderOptions, render_body, render_checked, render_for_publishing
from editor.core.render_problems import RenderError, find_problem

SENTENCE = "This part could not be shown"
NORMAL = (
    "# A heading\n\nA *normal* [link](https://example.org) and AB.\n\n- one\n- two\n\n"
    "> a quote\n\nTerm\n: Its definition\n\n*[AB]: A B\n"
)


def glossary(entries: int) -> str:
    """A glossary written as a definition list without blank lines between entries."""
    return "".join(f"Term {n}\n: Definition {n}\n" for n in range(entries))


POISON = {
    "glossary of 330 entries without blank lines": glossary(330),
    "330 list markers on one line": "- " * 330 + "x\n",
    "330 quote markers": ">" * 330 + " x\n",
    "a list nested 330 deep": "".join("    " * n + "- item\n" for n in range(330)),
    "4,000 open brackets": "[" * 4000 + "\n",
    "4,000 open link addresses": "[a](" * 4000 + "\n",
    "4,000 open images": "![" * 4000 + "\n",
    "20,000 tildes and a letter": "~" * 20_000 + "x\n",
    # found by the property test: markers alone were taken for a blank line, never measured
    "400 quote markers alone under an empty item": "- \n" + "> " * 400 + "\n",
}


def at_depth(frames: int, call: Callable[[], str]) -> str:
    """`call()` made with `frames` more frames on the stack (as a deeper caller would)."""
    return call() if frames == 0 else at_depth(frames - 1, call)


def fresh_thread_render(body: str, options: RenderOptions = RenderOptions()) -> str:
    """The render of a thread that never rendered before (its own new converter)."""
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.append(render_body(body, options)))
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.parametrize("name", list(POISON))
def test_a_poison_input_is_one_sentence_and_the_next_render_is_correct(name: str) -> None:
    body = f"Intro.\n\n{POISON[name]}\nThe end.\n"
    for markers in (True, False):
        options = RenderOptions(markers=markers)
        rendering = render_checked(body, options)
        assert rendering.html.count(SENTENCE) == 1 and len(rendering.problems) == 1
        assert "Intro.</p>" in rendering.html and "The end.</p>" in rendering.html
        assert IncrementalRenderer().render(body, options).html() == rendering.html
        # The same thread's converter renders the next, ordinary post exactly as a new one.
        assert render_body(NORMAL, options) == fresh_thread_render(NORMAL, options)


def test_ten_thousand_tildes_in_a_row_still_render() -> None:
    rendering = render_checked("~" * 10_000 + "x\n")
    assert rendering.problems == () and rendering.html.endswith("~x</p>")


@pytest.mark.parametrize("name", list(POISON))
def test_the_preview_renderer_recovers_from_a_poison_input(name: str) -> None:
    renderer = IncrementalRenderer()
    options = RenderOptions(markers=True)
    assert SENTENCE in renderer.render(POISON[name], options).html()
    assert renderer.render(NORMAL, options).html() == fresh_thread_render(NORMAL, options)


def test_a_long_glossary_without_blank_lines_renders_the_same_at_any_stack_depth() -> None:
    """300 chained definitions fit Python's stack from the top, not from 150 frames deeper:
    the preview (a worker several calls deep) and publishing must not disagree."""
    body = f"Intro.\n\n{glossary(300)}\nThe end.\n"
    top = render_body(body)
    assert at_depth(150, lambda: render_body(body)) == top
    assert "it runs 300 definitions together without a blank line between them" in top
    assert "(a blank line after each definition fixes it)" in top


def test_a_glossary_with_blank_lines_between_entries_renders_whatever_its_length() -> None:
    body = "\n".join(f"Term {n}\n: Definition {n}\n" for n in range(500))
    html = render_body(body)
    assert SENTENCE not in html
    assert html.count("<dl>") == 1 and html.count("<dt>") == html.count("<dd>") == 500


def test_fifty_chained_definitions_render_and_fifty_one_are_refused() -> None:
    assert find_problem(glossary(50)) is None
    problem = find_problem(glossary(51))
    assert problem is not None and problem.line == 101  # the 51st definition, 0-based


def test_many_ordinary_links_in_one_paragraph_are_not_refused() -> None:
    body = " ".join(f"[word {n}](https://example.org/{n})" for n in range(3000)) + "\n"
    assert find_problem(body) is None
    assert render_body(body).count('<a href="https://example.org/') == 3000


def test_open_link_addresses_are_refused_with_their_count() -> None:
    problem = find_problem("[a](" * 4000 + "\n")
    assert problem is not None and problem.line == 0
    assert problem.reason == "leaves 4,000 link addresses open"


# --- NUL characters ---------------------------------------------------------------------------

# A NUL byte in the first 64 KB makes the file binary (textfile.NUL_SCAN_BYTES); one further
# down is read as text, so the renderer is where it is stopped.
LATE_NUL = "---\ntitle: Late\n---\n" + "A line of text.\n" * 5000 + "Here\x00 it is.\n\nAfter.\n"


def test_a_nul_character_never_reaches_the_html() -> None:
    post = parse_post(LATE_NUL, "late.md")
    for markers in (True, False):
        options = RenderOptions(markers=markers, line_offset=3)
        full = render_body(post.body, options)
        assert "\x00" not in full
        assert IncrementalRenderer().render(post.body, options).html() == full
        assert "it holds an invisible NUL character" in full and "After.</p>" in full


def test_publishing_refuses_a_nul_character_naming_its_line_and_column() -> None:
    post = parse_post(LATE_NUL, "late.md")
    with pytest.raises(RenderError) as caught:
        render_for_publishing(post)
    assert caught.value.line == 5004
    assert str(caught.value) == (
        "Line 5004 cannot be rendered: it holds an invisible NUL character (a byte of binary"
        " data, not text) at column 5 of its line, to be deleted."
    )
    assert LATE_NUL.split("\n")[5003][4] == "\x00"


# --- hypothesis: deep and bracket-heavy documents ----------------------------------------------

_UNITS = st.sampled_from(
    ["- ", "> ", ">", "1. ", "    ", ": ", "[", "]", "(", ")", "![", "[a](", "](", "*", "_", "`"]
)
_LINES = st.one_of(
    st.builds(
        lambda unit, n, end: unit * n + end,
        _UNITS,
        st.sampled_from([1, 5, 60, 400, 3000]),
        st.sampled_from(["x", "", "]", ")", "*x*"]),
    ),
    st.sampled_from(["Term", ": Definition", "", "", "Paragraph.", "*[AB]: A B", "[r]: /u"]),
)


@st.composite
def worst_documents(draw: st.DrawFn) -> str:
    """Lines of one unit repeated, glossary lines and ordinary ones."""
    lines = draw(st.lists(_LINES, min_size=1, max_size=14))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), glossary(draw(st.sampled_from([3, 60]))))
    return "Intro.\n\n" + "\n".join(lines) + "\n\nThe end.\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worst_documents())
def test_deep_and_bracket_heavy_documents_never_raise_and_the_preview_matches(body: str) -> None:
    for markers in (True, False):
        options = RenderOptions(markers=markers)
        full = render_body(body, options)
        assert IncrementalRenderer().render(body, options).html() == full
        assert "The end." in full
        assert at_depth(150, lambda options=options: render_body(body, options)) == full
    assert render_body(NORMAL) == fresh_thread_render(NORMAL)
