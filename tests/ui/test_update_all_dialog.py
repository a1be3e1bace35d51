"""Update all N posts from the window, against the Blogger contract server: the dialog lists
the posts, shows progress, cancels between posts, lists a post changed on the blog with a way
to open its draft; the preview shows a snippet; saving a snippet offers the update."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt

from editor.core.snippets import SnippetFolder
from editor.publish.service import PublishResult
from editor.publish.snippet_update import SnippetUpdate
from editor.ui.main_window import MainWindow
from editor.ui.snippets_ui import SnippetsDialog
from editor.ui.update_all_dialog import UpdateAllDialog
from tests.publish.conftest import (  # noqa: F401 - fixtures shared with the publish tests
    browser,
    memory_keyring,
    server,
    service,
    signed_in,
    sleeps,
)
from tests.publish.kit import KitTarget
from tests.publish.snippet_kit import edit_footer, publish_users
from tests.publish.test_kit_blogger import kit  # noqa: F401 - the fixture
from tests.ui.conftest import open_and_wait, wait_for_preview


def listed(qtbot, dialog: UpdateAllDialog, count: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=10000)
    assert dialog.list.count() == count
    assert dialog.start_button.accessibleName() == f"Update all {count} posts"


def test_the_dialog_updates_every_post_and_lists_the_conflict(qtbot, kit: KitTarget) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    published = publish_users(kit, "Dialog footer.\n")
    edit_footer(kit, "Dialog footer, new.\n")
    kit.edit_on_the_blog(published[2][1].post_id, "Edited on the web")
    dialog = UpdateAllDialog(None, "footer", kit.service)
    qtbot.addWidget(dialog)
    dialog.show()
    listed(qtbot, dialog, 3)
    assert dialog.heading.text() == "3 published posts use “footer”."
    opened: list[Path] = []
    dialog.open_draft.connect(opened.append)
    qtbot.keyClick(dialog.start_button, Qt.Key.Key_Space)  # the keyboard path
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.progress.value() == 3 and dialog.progress.maximum() == 3
    lines = [dialog.list.item(row).text() for row in range(3)]
    titles = [p.read_text().split("title: ")[1].split("\n")[0] for p, _r in published]
    assert lines == [
        f"✓ Updated — {titles[0]}",
        f"✓ Updated — {titles[1]}",
        f"⚠ Changed on the blog, not updated — {titles[2]}",
    ]
    assert dialog.list.item(2).toolTip().startswith("The post on the blog was changed elsewhere")
    assert dialog.summary.text() == (
        "2 of 3 posts updated, 1 changed on the blog and left as they are."
    )
    assert "new" in kit.post(published[0][1].post_id).html
    dialog.list.setCurrentRow(0)
    assert not dialog.open_button.isEnabled()  # an updated post: nothing to look at
    dialog.list.setCurrentRow(2)
    assert dialog.open_button.isEnabled()
    dialog.open_button.click()
    assert opened == [published[2][0]]
    assert dialog.cancel_button.text() == "&Close"


def test_cancel_stops_between_posts(qtbot, kit: KitTarget, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    published = publish_users(kit, "Cancel footer.\n")
    edit_footer(kit, "Cancel footer, new.\n")
    gate = threading.Event()
    real_publish = kit.service.publish

    def held(path: Path, *args: object, **kwargs: object) -> PublishResult:
        assert gate.wait(10)
        return real_publish(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kit.service, "publish", held)
    dialog = UpdateAllDialog(None, "footer", kit.service)
    qtbot.addWidget(dialog)
    dialog.show()
    listed(qtbot, dialog, 3)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.current.text().startswith("Updating “"), timeout=5000)
    assert "(1 of 3)" in dialog.current.text()
    dialog.cancel_button.click()
    assert dialog.isVisible() and not dialog.cancel_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.summary.text() == (
        "1 of 3 posts updated. Cancelled: 2 not sent; run the update again to go on."
    )
    assert dialog.start_button.isEnabled() and dialog.start_button.text() == "&Go On"
    assert "new" in kit.post(published[0][1].post_id).html
    assert "new" not in kit.post(published[1][1].post_id).html
    dialog.start_button.click()  # goes on with the two not sent
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.finished, timeout=20000)
    assert dialog.report is not None and dialog.report.ok and dialog.report.resumed == 1
    assert all("new" in kit.post(r.post_id).html for _p, r in published)


def test_the_window_previews_a_snippet_and_offers_the_update(  # type: ignore[no-untyped-def]
    qtbot,
    window: MainWindow,
    kit: KitTarget,  # noqa: F811
) -> None:
    published = publish_users(kit, "Window footer *here*.\n", count=2)
    open_and_wait(qtbot, window, published[0][0], "Window footer here.")
    snippet = kit.service.paths.snippets_dir / "footer.md"
    open_and_wait(qtbot, window, snippet, "Window footer here.")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Changed.")
    window.save()
    qtbot.waitUntil(lambda: window.banner.topic == "snippet", timeout=15000)
    assert window.banner.text().startswith("2 published posts use this snippet")
    assert [b.text() for b in window.banner.buttons] == ["Update All 2 Posts…"]
    window.banner.buttons[0].click()
    dialog = window.findChild(UpdateAllDialog)
    assert dialog is not None
    listed(qtbot, dialog, 2)
    dialog.close()
    assert window.snippets.insert_action.text() == "S&nippet…"
    publish_menu = window.menus["publish"].actions()
    at = publish_menu.index(window.snippets.manage_action)
    assert publish_menu[at + 1] is window.publishing.images_action
    open_and_wait(qtbot, window, published[1][0])
    wait_for_preview(qtbot, window.preview, "Changed.")


def test_the_snippets_dialog_counts_and_offers_the_update(qtbot, kit: KitTarget) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    publish_users(kit, "Listed footer.\n", count=2)
    (kit.service.paths.snippets_dir / "subscribe.md").write_text("Subscribe!\n")
    dialog = SnippetsDialog(None, SnippetFolder(kit.service.paths.snippets_dir))
    dialog.worker._service = kit.service
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.counts), timeout=10000)
    assert dialog.counts == {"footer": 2, "subscribe": 0}
    assert [dialog.list.item(r).text() for r in range(2)] == [
        "footer  —  2 published posts",
        "subscribe  —  0 published posts",
    ]
    assert dialog.update_button.isEnabled() and dialog.update_button.text() == (
        "&Update All 2 Posts…"
    )
    wanted: list[str] = []
    dialog.update_all.connect(wanted.append)
    dialog.update_button.click()
    assert wanted == ["footer"]
    dialog.list.setCurrentRow(1)
    assert not dialog.update_button.isEnabled() and dialog.edit_button.isEnabled()
    edited: list[Path] = []
    dialog.edit_snippet.connect(edited.append)
    qtbot.keyClick(dialog.edit_button, Qt.Key.Key_Space)
    assert edited == [kit.service.paths.snippets_dir / "subscribe.md"]


def test_a_dialog_destroyed_mid_batch_stops_it_after_the_current_post(  # type: ignore[no-untyped-def]
    qtbot,
    kit: KitTarget,  # noqa: F811
    monkeypatch,
) -> None:
    published = publish_users(kit, "Closing footer.\n")
    edit_footer(kit, "Closing footer, new.\n")
    gate = threading.Event()
    real_publish = kit.service.publish

    def held(path: Path, *args: object, **kwargs: object) -> PublishResult:
        assert gate.wait(10)
        return real_publish(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kit.service, "publish", held)
    dialog = UpdateAllDialog(None, "footer", kit.service)
    dialog.show()
    listed(qtbot, dialog, 3)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.current.text().startswith("Updating “"), timeout=5000)
    thread, update = dialog.thread_, SnippetUpdate(kit.service, "footer")
    dialog.deleteLater()  # as when the window that holds it closes
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)
    gate.set()
    qtbot.waitUntil(thread.isFinished, timeout=20000)
    assert "new" in kit.post(published[0][1].post_id).html
    assert all("new" not in kit.post(r.post_id).html for _p, r in published[1:])
    journal = update.interrupted()
    assert journal is not None and list(journal["done"]) == [f"{kit.blog_key} {published[0][0]}"]
