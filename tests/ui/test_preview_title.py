"""The preview shows the post's title above its body, as the blog and the exports do, in every
look, while the body it shows stays exactly what is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.core.drafts import DraftStore
from editor.core.export import standalone_html
from editor.core.post import parse_post
from editor.core.render import render_for_publishing, render_post
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, page_eval, preview_text

TITLE_JS = "(document.getElementById('bs-title') || {}).textContent || ''"
# What the writer sees: the title's text, whether it is shown, and that it is a post title
# outside the published body.
SHOWN_JS = """(() => {
  const t = document.getElementById('bs-title');
  if (!t) return null;
  const box = t.getBoundingClientRect();
  return JSON.stringify({text: t.innerText, visible: box.height > 0 && !t.hidden,
          postTitle: t.classList.contains('post-title'), tag: t.tagName,
          inBody: document.getElementById('content').contains(t),
          above: box.bottom <= document.getElementById('content').getBoundingClientRect().top + 1,
          children: t.children.length});
})()"""


def shown_title(qtbot, window: MainWindow) -> dict:  # type: ignore[no-untyped-def]
    result = page_eval(qtbot, window.preview, SHOWN_JS)
    assert isinstance(result, str), result
    return json.loads(result)


def wait_for_title(qtbot, window: MainWindow, title: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page_eval(qtbot, window.preview, TITLE_JS) == title, timeout=10000)


@pytest.mark.parametrize("look", ["light", "dark", "blogger", "theme"])
def test_the_preview_shows_the_title_above_the_body_in_every_look(
    qtbot, window: MainWindow, store: DraftStore, look: str
) -> None:
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look=look))
    path = store.new_draft("Harbour at Dusk", body="The boats came in.\n")
    open_and_wait(qtbot, window, path, "The boats came in.")
    wait_for_title(qtbot, window, "Harbour at Dusk")
    shown = shown_title(qtbot, window)
    assert shown["visible"] and shown["postTitle"] and shown["above"]
    assert shown["tag"] == "H1"  # as the exports write it
    assert not shown["inBody"]
    assert "Harbour at Dusk" not in preview_text(qtbot, window.preview)  # not in the body


def test_the_blog_look_shows_the_title_too(qtbot, window: MainWindow, store: DraftStore) -> None:
    window.desk.blog_css = ".post-title { font-size: 31px; color: rgb(9, 8, 7); }"
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look="blog"))
    path = store.new_draft("Captured Title", body="Body words.\n")
    open_and_wait(qtbot, window, path, "Body words.")
    wait_for_title(qtbot, window, "Captured Title")
    assert shown_title(qtbot, window)["visible"]
    colour = page_eval(
        qtbot, window.preview, "getComputedStyle(document.getElementById('bs-title')).color"
    )
    assert colour == "rgb(9, 8, 7)"  # the blog's own title style applies


def test_the_title_follows_the_front_matter_and_stays_text(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("First Title", body="Some words.\n")
    open_and_wait(qtbot, window, path, "Some words.")
    wait_for_title(qtbot, window, "First Title")
    text = window.editor.toPlainText()
    risky = "Fish <b>&amp;</b> <img src=x> chips"
    window.editor.setPlainText(text.replace("First Title", risky))
    wait_for_title(qtbot, window, risky)
    shown = shown_title(qtbot, window)
    assert shown["text"] == risky and shown["children"] == 0  # escaped: no element made


def test_the_body_shown_is_still_exactly_what_is_published(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Title Not In Body", body="Paragraph one.\n\n## A heading\n\nTwo.\n")
    open_and_wait(qtbot, window, path, "Two.")
    wait_for_title(qtbot, window, "Title Not In Body")
    post = parse_post(window.editor.toPlainText(), path.name)
    published = render_for_publishing(post)
    assert "Title Not In Body" not in published
    assert published == render_post(post)
    # the title is also what an export puts above the same body
    page = standalone_html(post.title, published, "")
    assert '<h1 class="post-title entry-title">Title Not In Body</h1>' in page
    assert published in page


def test_export_and_preview_title_agree(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    path = store.new_draft("Same Everywhere", body="Words.\n")
    open_and_wait(qtbot, window, path, "Words.")
    wait_for_title(qtbot, window, "Same Everywhere")
    target = tmp_path / "post.html"
    with qtbot.waitSignal(window.exporter.exported, timeout=10000):
        window.exporter.export_html(target)
    assert ">Same Everywhere</h1>" in target.read_text(encoding="utf-8")
