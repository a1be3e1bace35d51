"""Snippets: include lines found (not in code), expanded in place, the same for the preview and
for publishing; missing snippets and cycles shown and refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.checklist import check_post
from editor.core.incremental import IncrementalRenderer
from editor.core.post import parse_post
from editor.core.render import RenderOptions, strip_editor_markers
from editor.core.render_problems import RenderError
from editor.core.snippet_render import SnippetError, expand_snippets, publishable_html
from editor.core.snippets import SnippetFolder, include_lines, included_names


@pytest.fixture
def folder(tmp_path: Path) -> SnippetFolder:
    (tmp_path / "footer.md").write_text("---\n\n*Thanks* for reading.\n", encoding="utf-8")
    return SnippetFolder(tmp_path)


def test_include_lines_are_lines_of_their_own_outside_code() -> None:
    text = (
        "Intro {% include inline %}\n"
        "{% include footer %}\n"
        "   {%- include 'note.md' -%}  \n"
        "```md\n{% include in_code %}\n```\n"
        "~~~~\n{% include in_tilde %}\n~~~\n{% include still_code %}\n~~~~\n"
        "    {% include indented_code %}\n"
        '{% include "last" %}'
    )
    assert [(i.line, i.name) for i in include_lines(text)] == [
        (1, "footer"),
        (2, "note"),
        (12, "last"),
    ]
    assert included_names("{% include a %}\n{% include a %}\n") == ["a"]


def test_a_snippet_is_rendered_in_place_keeping_the_line_count(folder: SnippetFolder) -> None:
    body = "Before.\n{% include footer %}\nAfter.\n"
    expansion = expand_snippets(body, folder, RenderOptions(slug="post"))
    assert expansion.problems == ()
    assert expansion.used == ("footer",)
    assert expansion.text.count("\n") == body.count("\n")
    html = publishable_html(
        parse_post(f"---\ntitle: Post\n---\n{body}"), folder, caption_style="blogger"
    )
    assert html == (
        '<p>Before.</p><div class="bs-snippet" data-snippet="footer"><hr><p><em>Thanks</em> for'
        " reading.</p></div><p>After.</p>"
    )


def test_the_preview_shows_what_is_published(folder: SnippetFolder) -> None:
    (folder.folder / "note.md").write_text("A note[^1] {% include x %}\n\n[^1]: There.\n")
    text = (
        "---\ntitle: Same\n---\n# Head\n\nText with a note[^a].\n\n{% include footer %}\n\n"
        "{% include note %}\n\n[^a]: Here.\n"
    )
    post = parse_post(text)
    published = publishable_html(post, folder, caption_style="figure")
    options = RenderOptions(slug="same", caption_style="figure", markers=True, line_offset=3)
    preview = IncrementalRenderer().render(
        expand_snippets(post.body, folder, options).text, options
    )
    assert strip_editor_markers(preview.html()) == published
    assert "<em>Thanks</em>" in published and "There." in published


def test_a_changed_snippet_changes_the_preview(folder: SnippetFolder) -> None:
    renderer = IncrementalRenderer()
    options = RenderOptions(slug="p", markers=True)
    body = "One.\n\n{% include footer %}\n"
    first = renderer.render(expand_snippets(body, folder, options).text, options).html()
    path = folder.path("footer")
    path.write_text("New footer, longer.\n", encoding="utf-8")
    second = renderer.render(expand_snippets(body, folder, options).text, options).html()
    assert "Thanks" in first and "New footer, longer." in second and "Thanks" not in second


def test_a_missing_snippet_is_shown_and_refused(folder: SnippetFolder) -> None:
    body = "Text.\n\n{% include subscribe %}\n"
    expansion = expand_snippets(body, folder)
    sentence = (
        "The snippet “subscribe” is missing: create snippets/subscribe.md or remove the include."
    )
    assert expansion.problems == (sentence,)
    assert 'class="bs-snippet-problem" role="note"' in expansion.text
    with pytest.raises(SnippetError) as refused:
        publishable_html(parse_post(f"---\ntitle: T\n---\n{body}"), folder, caption_style="blogger")
    assert refused.value.message == sentence
    items = check_post(
        parse_post(f"---\ntitle: T\nlabels: [a]\n---\n{body}"),
        None,
        can_host_local_images=True,
        snippets=folder,
    )
    assert [(i.code, i.text) for i in items if i.blocks_publishing] == [("snippet", sentence)]


def test_a_cycle_and_deep_nesting_stop(tmp_path: Path) -> None:
    folder = SnippetFolder(tmp_path)
    (tmp_path / "a.md").write_text("A\n\n{% include b %}\n")
    (tmp_path / "b.md").write_text("B\n\n{% include a %}\n")
    expansion = expand_snippets("{% include a %}\n", folder)
    assert expansion.problems == ("The snippet “a” includes itself (a → b → a).",)
    assert "<p>A</p>" in expansion.text and "<p>B</p>" in expansion.text
    for n in range(12):
        (tmp_path / f"n{n}.md").write_text(f"level {n}\n\n{{% include n{n + 1} %}}\n")
    (tmp_path / "n12.md").write_text("bottom\n")
    deep = expand_snippets("{% include n0 %}\n", folder)
    assert deep.problems == ("The snippet “n8” is included more than 8 snippets deep.",)
    assert folder.uses("{% include n0 %}", "n5") and not folder.uses("{% include a %}", "n5")


def test_a_snippet_that_cannot_render_blocks_publishing(tmp_path: Path) -> None:
    folder = SnippetFolder(tmp_path)
    (tmp_path / "deep.md").write_text("> " * 300 + "deep\n")
    with pytest.raises(SnippetError, match="“deep” cannot be rendered: line 1"):
        publishable_html(
            parse_post("---\ntitle: T\n---\n{% include deep %}\n"), folder, caption_style="blogger"
        )
    # A draft's own unrenderable line is still the render error it was.
    with pytest.raises(RenderError):
        publishable_html(
            parse_post("---\ntitle: T\n---\n" + "> " * 300 + "x\n"), folder, caption_style="blogger"
        )


def test_names_and_reads_follow_the_disk(folder: SnippetFolder) -> None:
    (folder.folder / "bad name.md").write_text("x")
    (folder.folder / "notes.txt").write_text("x")
    assert folder.names() == ["footer"]
    assert folder.read("../footer") is None and folder.read("footer.md") is not None
    before = folder.digest("footer")
    folder.path("footer").write_text("changed and longer\n")
    assert folder.digest("footer") != before and folder.digest("gone") == ""


def test_an_export_shows_the_snippet_as_the_preview_does(
    folder: SnippetFolder, tmp_path: Path
) -> None:
    from editor.core.export import export_html

    draft = tmp_path / "post.md"
    post = parse_post(
        "---\ntitle: Exported\n---\nBody.\n\n{% include footer %}\n\n{% include gone %}\n"
    )
    target = tmp_path / "out" / "post.html"
    target.parent.mkdir()
    export_html(post, draft, target, "", snippets=folder)
    page = target.read_text(encoding="utf-8")
    assert "<em>Thanks</em> for reading." in page and "{% include" not in page
    assert "The snippet “gone” is missing" in page
