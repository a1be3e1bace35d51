"""Publish ▸ Check Links of Published Posts…: the dead and parked links of a blog on the Blogger
contract server are listed per post, and a dead one is replaced in the writer's draft by an
archived copy once he says yes (the blog itself is not changed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from editor.core.paths import app_paths
from editor.publish.blog_import import mirror_for
from editor.publish.service import PublishService
from editor.ui.dead_links_dialog import DeadLink, DeadLinksDialog
from editor.ui.main_window import MainWindow
from tests.publish.blogger_server import BloggerServer
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.publish.links_web import Site, Wayback, parked_site, web_site
from tests.publish.test_cli_links import DEAD_NAME, seed

BLOG = "blogger:7001"


@pytest.fixture
def web() -> Iterator[Site]:
    parked = parked_site().start()
    site = web_site(parked).start()
    yield site
    site.stop()
    parked.stop()


@pytest.fixture
def wayback(monkeypatch: pytest.MonkeyPatch) -> Iterator[Wayback]:
    stand_in = Wayback({DEAD_NAME: ("20150530101010", DEAD_NAME)})
    stand_in.site.start()
    monkeypatch.setenv("BROADSHEET_WAYBACK_URL", stand_in.url)
    yield stand_in
    stand_in.site.stop()
    assert stand_in.violations == []


def test_dead_links_are_listed_and_one_is_replaced_by_its_archived_copy(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    signed_in: PublishService,  # noqa: F811
    server: BloggerServer,  # noqa: F811
    web: Site,
    wayback: Wayback,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(server, web)
    mirror_for(signed_in, BLOG).import_all()
    window.publishing.links_action.trigger()
    dialog = window.publishing.links_dialog
    assert isinstance(dialog, DeadLinksDialog)
    qtbot.waitUntil(dialog.check_button.isEnabled, timeout=5000)
    dialog.blog_box.setCurrentIndex(dialog.blog_box.findData(BLOG))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    tree = dialog.tree
    listed = {
        tree.topLevelItem(i).text(0): [
            (tree.topLevelItem(i).child(n).text(0), tree.topLevelItem(i).child(n).text(1))
            for n in range(tree.topLevelItem(i).childCount())
        ]
        for i in range(tree.topLevelItemCount())
    }
    assert listed == {
        "Sources for the council story": [(web.url("/missing"), "dead"), (DEAD_NAME, "dead")],
        "The shop that closed": [(web.url("/moved"), "parked")],
    }
    assert "2 dead, 1 parked" in dialog.status.text()

    [row] = tree.findItems(DEAD_NAME, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    tree.setCurrentItem(row)
    assert isinstance(dialog.selected_link(), DeadLink) and dialog.archive_button.isEnabled()
    asked: list[str] = []

    def say_yes(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", say_yes)
    qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now links to" in dialog.status.text(), timeout=10000)
    archived = f"https://web.archive.org/web/20150530101010/{DEAD_NAME}"
    assert archived in asked[0]
    [draft] = [p for p in app_paths().drafts_dir.glob("*.md") if archived in p.read_text("utf-8")]
    assert DEAD_NAME not in draft.read_text("utf-8").replace(archived, "")
    assert row.text(1) == "replaced" and not dialog.archive_button.isEnabled()
    assert server.count("blogger.posts.update") == 0
    dialog.close()
