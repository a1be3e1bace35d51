"""Parts that cannot be rendered: one sentence in their place, never an exception or a stall."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.checklist import check_post
from editor.core.incremental import IncrementalRenderer
from editor.core.md_images import convert_images
from editor.core.post import parse_post
from editor.core.render import (
    RenderOptions,
    render_body,
    render_checked,
    render_for_publishing,
    render_post,
)
from editor.core.render_problems import MAX_NESTING, RenderError, find_problem, problem_spans

SENTENCE = "This part could not be shown"


def nested_list(depth: int, indent: str = "    ") -> str:
    """A list whose every item is nested in the one above."""
    return "".join(f"{indent * level}- item {level}\n" for level in range(depth))


def body_around(part: str) -> str:
    return f"# A post\n\nAn introduction.\n\n{part}\nThe end, *rendered* as usual.\n"


def both_renderings(body: str, markers: bool) -> tuple[str, str]:
    """The full render and the incremental one, for the same options."""
    options = RenderOptions(slug="post", markers=markers)
    return render_body(body, options), IncrementalRenderer().render(body, options).html()


def test_a_list_nested_400_deep_is_one_sentence_and_the_rest_renders() -> None:
    body = body_around(nested_list(400))
    rendering = render_checked(body)
    html = rendering.html
    assert html.count(SENTENCE) == 1
    assert "it nests lists 400 deep, more than the 50 levels Broadsheet can show." in html
    assert "Publishing is blocked until it is changed." in html
    assert "<p>An introduction.</p>" in html  # the paragraph above the list is kept
    assert "The end, <em>rendered</em> as usual." in html
    assert "item 399" not in html
    # The first line too deep, counted in the body (0-based): the list starts on line 4.
    [problem] = rendering.problems
    assert problem.line == 4 + MAX_NESTING


@pytest.mark.parametrize("markers", [True, False])
def test_the_preview_renders_a_deep_list_like_the_full_render(markers: bool) -> None:
    full, incremental = both_renderings(body_around(nested_list(400)), markers)
    assert incremental == full
    if markers:  # the sentence keeps scroll sync: it is marked with the list's first line
        assert f'<p data-line="4" class="bs-render-problem" role="note">{SENTENCE}' in full


def test_deleting_the_deep_list_gives_a_normal_preview_again() -> None:
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="post", markers=True)
    normal = body_around("")
    deep = body_around(nested_list(400))
    assert SENTENCE in renderer.render(deep, options).html()
    again = renderer.render(normal, options).html()
    assert (
        again
        == render_body(normal, options)
        == IncrementalRenderer().render(normal, options).html()
    )
    assert SENTENCE not in again


def test_the_sentence_goes_when_the_list_is_made_shallow_by_an_edit() -> None:
    """A cached failed block is tried again when its text changes (the usual keystroke)."""
    renderer = IncrementalRenderer()
    options = RenderOptions(markers=True)
    body = "Intro.\n\nA paragraph.\n\n" + "- " * 60 + "x\n\nOutro.\n"
    assert SENTENCE in renderer.render(body, options).html()
    shallow = body.replace("- " * 60, "- " * 3)
    html = renderer.render(shallow, options).html()
    assert SENTENCE not in html and html.count("<ul") == 3
    assert html == render_body(shallow, options)


def test_fifty_levels_render_and_fifty_one_are_refused() -> None:
    html = render_body(nested_list(MAX_NESTING))
    assert SENTENCE not in html and html.count("<ul>") == MAX_NESTING
    assert SENTENCE in render_body(nested_list(MAX_NESTING + 1))


def test_deep_indentation_that_opens_nothing_is_not_refused() -> None:
    """Code indented 300 columns is code, not nesting (only list and quote markers count)."""
    code = "```\n" + "".join(" " * (4 * n) + "call()\n" for n in range(80)) + "```\n"
    assert find_problem(body_around(code)) is None
    assert SENTENCE not in render_body(body_around(code))


HOSTILE = {
    "list nested 1,000 deep": nested_list(1000),
    "list nested 400 deep by two spaces": nested_list(800, "  "),
    "one line of 5,000 list markers": "- " * 5000 + "x\n",
    "one line of 5,000 numbered markers": "1. " * 5000 + "x\n",
    "task list nested 400 deep": "".join("    " * n + "- [ ] task\n" for n in range(400)),
    "quotes nested 1,000 deep, line by line": "".join(">" * n + " x\n" for n in range(1, 1001)),
    "a quote 1,000 deep on one line": ">" * 1000 + " x\n",
    "quotes and lists mixed on one line": "> - 1. " * 1000 + "x\n",
    "a definition holding a deep list": "Term\n: " + "- " * 2000 + "x\n",
    "a footnote holding a deep list": "See[^deep].\n\n[^deep]: " + "- " * 2000 + "x\n",
    "20,000 open brackets": "[" * 20000 + "\n",
    "brackets nested 5,000 deep": "[" * 5000 + "x" + "]" * 5000 + "\n",
    "links nested 2,000 deep": "[" * 2000 + "x" + "](u)" * 2000 + "\n",
    "emphasis nested 2,000 deep": "*_" * 2000 + "x" + "_*" * 2000 + "\n",
    "a <div> nested 10,000 deep": "<div>" * 10000 + "x" + "</div>" * 10000 + "\n",
    "10,000 <div> lines never closed": "<div>\n" * 10000 + "x\n",
    "5,000 unclosed comments": "<!--" * 5000 + "\n",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_never_raises_and_the_preview_matches(name: str) -> None:
    body = body_around(HOSTILE[name])
    for markers in (True, False):
        full, incremental = both_renderings(body, markers)
        assert incremental == full
        assert "The end, " in full  # rendered, or kept as text inside an unclosed <div>
    rendering = render_checked(body)
    if SENTENCE in rendering.html:
        assert rendering.problems, "a sentence in the HTML is always reported"


def exploding_images(error: Exception) -> Callable[..., None]:
    """Broadsheet's image treeprocessor, failing on the picture "boom.png"."""

    def convert(root: etree.Element, *args: object) -> None:
        if any(image.get("src") == "boom.png" for image in root.iter("img")):
            raise error
        convert_images(root, *args)  # type: ignore[arg-type]

    return convert


BOOM = "Before.\n\n![A picture](boom.png)\n\nAfter.\n"


def test_a_failing_extension_shows_the_sentence_for_its_block_only(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Any failure of Python-Markdown or an extension is confined to the block it hit."""
    monkeypatch.setattr(
        "editor.core.md_extensions.convert_images",
        exploding_images(KeyError("the image exploded")),
    )
    for markers in (True, False):
        full, incremental = both_renderings(BOOM, markers)
        assert incremental == full
        assert "Before.</p>" in full and "After.</p>" in full
        assert "it could not be turned into HTML." in full and "boom.png" not in full
    assert "the image exploded" in caplog.text  # the developer gets the traceback in the log
    monkeypatch.undo()
    html = render_body(BOOM)  # the converter that failed was not kept: all is well again
    assert SENTENCE not in html and "boom.png" in html


def test_a_deep_list_and_a_failing_extension_each_get_their_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "editor.core.md_extensions.convert_images", exploding_images(IndexError("no image"))
    )
    body = BOOM + "\nMiddle.\n\n" + nested_list(400) + "\nLast.\n"
    rendering = render_checked(body)
    assert [problem.line for problem in rendering.problems] == [2, 8 + MAX_NESTING]
    assert rendering.html.count(SENTENCE) == 2
    for text in ("Before.", "After.", "Middle.", "Last."):
        assert f"<p>{text}</p>" in rendering.html
    for markers in (True, False):
        full, incremental = both_renderings(body, markers)
        assert incremental == full


def test_a_failed_block_renders_again_once_the_failure_is_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer = IncrementalRenderer()
    options = RenderOptions(markers=True)
    monkeypatch.setattr(
        "editor.core.md_extensions.convert_images",
        exploding_images(RecursionError("maximum recursion depth exceeded")),
    )
    assert SENTENCE in renderer.render(BOOM, options).html()
    monkeypatch.undo()
    edited = BOOM.replace("A picture", "The picture")
    html = renderer.render(edited, options).html()
    assert SENTENCE not in html and "boom.png" in html
    assert html == render_body(edited, options)


def test_publishing_html_names_the_line_in_the_file() -> None:
    text = "---\ntitle: Deep\nlabels: [x]\n---\n" + body_around(nested_list(400))
    post = parse_post(text, "deep.md")
    with pytest.raises(RenderError) as caught:
        render_for_publishing(post)
    line = 4 + 4 + MAX_NESTING + 1  # front matter, the body's lines above, 1-based
    assert caught.value.line == line
    assert str(caught.value) == (
        f"Line {line} cannot be rendered: it nests lists 400 deep, more than the 50 levels"
        " Broadsheet can show."
    )
    assert text.split("\n")[line - 1].startswith(" " * 4 * MAX_NESTING + "- item")
    assert render_post(post).count(SENTENCE) == 1  # previews, exports: never an exception


def test_publishing_html_of_a_good_post_is_the_rendered_post() -> None:
    post = parse_post("---\ntitle: Fine\n---\n" + body_around(nested_list(5)), "fine.md")
    assert render_for_publishing(post) == render_post(post)


def test_the_checklist_blocks_publishing_with_the_same_sentence(tmp_path: Path) -> None:
    text = "---\ntitle: Deep\nlabels: [x]\n---\n" + body_around(nested_list(400))
    post = parse_post(text, "deep.md")
    items = check_post(post, tmp_path / "deep.md", can_host_local_images=True)
    [item] = [item for item in items if item.code == "unrenderable"]
    with pytest.raises(RenderError) as caught:
        render_for_publishing(post)
    assert item.blocks_publishing and item.text == caught.value.message


def test_the_depth_reported_is_the_deepest_of_the_part_shown_as_the_sentence() -> None:
    """A deeper list further down, in a part of its own, does not change the first sentence."""
    text = "- " * 60 + "x\n\nA paragraph.\n\n" + "- " * 70 + "x\n"
    first, second = (problem.reason for _start, _end, problem in problem_spans(text))
    assert first.startswith("nests lists 60 deep") and second.startswith("nests lists 70 deep")


@pytest.mark.parametrize("markers", [True, False])
def test_the_preview_reports_the_depth_publishing_reports_after_an_unclosed_fence(
    markers: bool,
) -> None:
    """The open fence makes the preview measure the rest as one block, the full render does not."""
    lines = ["- " * level + "x" for level in range(60)]
    body = "Intro.\n```\n\n" + "\n".join(lines) + "\n\nx\n\n" + "- " * 70 + "x\n\nThe end.\n"
    full, incremental = both_renderings(body, markers)
    assert "nests lists 59 deep" in full and "nests lists 70 deep" in full
    assert incremental == full


def test_nothing_of_the_refused_part_reaches_the_html() -> None:
    problem_html = render_body("- " * 60 + "<script>alert(1)</script>\n")
    assert "<script>" not in problem_html


def test_deeply_nested_front_matter_is_a_front_matter_error_not_an_exception() -> None:
    post = parse_post("---\ntitle: " + "[" * 2000 + "]" * 2000 + "\n---\nBody.\n", "p.md")
    assert post.front_matter_error and "too deeply" in post.front_matter_error
    assert post.body == "Body.\n"


# Prefixes that open containers, and what can follow them on a line. (No unclosed raw HTML:
# inside a footnote it already renders differently block by block, nesting or not.)
_OPENERS = st.sampled_from(["- ", "> ", ">", "1. ", "* ", "+ ", "    ", "  ", "\t", ": "])
_ENDINGS = st.sampled_from(["x", "", "*x*", "[x]", "```", "[^n]: note", "- [ ] task"])


@st.composite
def deep_documents(draw: st.DrawFn) -> str:
    """Lines opening many containers, some a few, some hundreds, around ordinary paragraphs."""
    lines = ["Intro."]
    for _ in range(draw(st.integers(1, 6))):
        unit = "".join(draw(st.lists(_OPENERS, min_size=1, max_size=3)))
        repeat = draw(st.sampled_from([1, 3, 20, 49, 120, 400]))
        if draw(st.booleans()):  # one line per level
            lines += [unit * level + draw(_ENDINGS) for level in range(repeat)]
        else:
            lines.append(unit * repeat + draw(_ENDINGS))
        lines.append(draw(st.sampled_from(["", "Paragraph.", "\n"])))
    return "\n".join(lines) + "\n\nThe end.\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deep_documents())
def test_deeply_nested_documents_never_raise_and_the_preview_matches(body: str) -> None:
    for markers in (True, False):
        full, incremental = both_renderings(body, markers)
        assert incremental == full
        assert "The end." in full
