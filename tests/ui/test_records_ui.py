"""What the window makes of the `published:` and `blog:` lines, and of a post found by its
address after its record was lost."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QLabel

from editor.publish.errors import ConflictError, PostVersion
from editor.ui.main_window import MainWindow
from editor.ui.publish_dialogs import ConflictDialog


def test_the_blog_line_then_the_published_lines_then_the_default_choose_the_blog(
    window: MainWindow,
) -> None:
    blogs = {"blogger:1": object(), "blogger:2": object(), "wordpress:site": object()}
    window.publishing.accounts = SimpleNamespace(blogs=blogs, default_blog="blogger:1")
    target = window.publishing.target_blog
    assert target("---\ntitle: T\n---\nx\n") == "blogger:1"
    published = "---\npublished:\n  wordpress:site: https://site/p/\n---\nx\n"
    assert target(published) == "wordpress:site"
    old = "---\npublish:\n  blogger:2:\n    id: '9'\n---\nx\n"
    assert target(old) == "blogger:2", "a draft from before goes where it went"
    chosen = "---\nblog: blogger:2\npublished:\n  wordpress:site: https://site/p/\n---\nx\n"
    assert target(chosen) == "blogger:2", "the post panel's choice wins"
    assert target("---\nblog: nowhere:1\n---\nx\n") == "blogger:1", "an unknown blog is ignored"


def test_a_post_found_by_its_address_is_explained_as_such(qtbot, window: MainWindow) -> None:
    ours = PostVersion("Harbour", ["sea"], "<p>Mine.</p>")
    theirs = PostVersion(
        "Harbour", ["sea"], "<p>Theirs.</p>", url="https://b.example/2026/11/harbour.html"
    )
    dialog = ConflictDialog(window, ConflictError(ours, theirs, "", found_by_address=True))
    qtbot.addWidget(dialog)
    intro = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "record of its last publish is missing" in intro and "harbour.html" in intro
    assert "Someone changed this post" not in intro
    assert dialog.windowTitle() == "The post on the blog differs from this draft"
