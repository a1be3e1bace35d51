"""The post panel: the front matter as a form above the text, in the real window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QTextCursor

from editor.core.blog_labels import BlogLabels
from editor.core.drafts import DraftStore
from editor.core.paths import app_paths
from editor.core.post import front_matter_warning, parse_post
from editor.core.settings import Settings
from editor.publish.accounts import Account, AccountsConfig, Blog, save_accounts
from editor.ui import post_panel
from editor.ui.main_window import MainWindow
from editor.ui.post_panel import PostPanel
from tests.ui.conftest import close_and_delete, open_and_wait
from tests.ui.test_accessibility import accessible_name, tab_stops

BODY = "".join(f"Paragraph {n} about the harbour.\n\n" for n in range(1, 121))
FRONT = (
    "---\n"
    "title: Harbour at dawn  # working title\n"
    "labels: [harbour, walks, rain]\n"
    "status: scheduled\n"
    "scheduled: 2026-12-05T09:00:00+01:00\n"
    "description: A walk before the boats go out.\n"
    "custom: keep me\n"
    "published:\n"
    "  blogger:7001: https://example.blogspot.com/2026/11/harbour.html\n"
    "---\n"
)


@pytest.fixture
def win(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A window that knows two blogs and the first blog's labels."""
    paths = app_paths()
    config = AccountsConfig()
    config.add_account(
        Account("google:1", "blogger", "me"),
        [Blog("blogger:7001", "Harbour Notes", "https://example.blogspot.com/", "google:1")],
    )
    config.add_account(
        Account("wordpress:example.com/blog", "wordpress", "me"),
        [
            Blog(
                "wordpress:example.com/blog",
                "Field Notes",
                "https://example.com/blog/",
                "wordpress:example.com/blog",
            )
        ],
    )
    save_accounts(config, paths)
    BlogLabels(paths).save("blogger:7001", ["transit", "Travel", "news", "harbour"])
    window = MainWindow(paths, Settings(paths.settings_file).load())
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.looks.known_loaded, timeout=5000)
    yield window
    close_and_delete(window)


def open_text(
    qtbot, win: MainWindow, store: DraftStore, text: str, needle: str | None = None
) -> Path:  # type: ignore[no-untyped-def]
    path = store.new_draft("Harbour")
    path.write_text(text, encoding="utf-8")
    open_and_wait(qtbot, win, path, needle)
    qtbot.waitUntil(lambda: win.post_panel.form.isEnabled() or win.post_panel.warning.isVisible())
    return path


def panel(win: MainWindow) -> PostPanel:
    return win.post_panel


def put_cursor_in_body(win: MainWindow, line: str) -> int:
    """Put the cursor at the start of `line` (in the body); its offset from the body's end."""
    text = win.editor.toPlainText()
    cursor = win.editor.textCursor()
    cursor.setPosition(text.index(line))
    win.editor.setTextCursor(cursor)
    return len(text) - cursor.position()


def changed_lines(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split("\n"), new.split("\n")
    if len(a) != len(b):
        return [("\n".join(x for x in a if x not in b), "\n".join(y for y in b if y not in a))]
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_the_panel_shows_the_front_matter(qtbot, win: MainWindow, store: DraftStore) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    assert p.is_open and p.form.isEnabled() and not p.warning.isVisible()
    assert p.title_edit.text() == "Harbour at dawn"
    assert [b.property("label") for b in p.chip_buttons] == ["harbour", "walks", "rain"]
    assert p.blog_combo.currentText() == "Default blog (Harbour Notes)"
    assert [p.blog_combo.itemText(i) for i in range(1, p.blog_combo.count())] == [
        "Harbour Notes",
        "Field Notes",
    ]
    assert p.status_label.text() == "Scheduled"
    assert p.schedule_box.isChecked()
    shown = p.when_edit.dateTime().toPython().astimezone()
    assert shown == dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)
    assert "UTC" in p.zone_label.text()
    assert p.description_edit.text() == "A walk before the boats go out."
    assert p.description_count.text() == "31 / 150"
    assert [b.text() for b in p.link_buttons] == [
        "https://example.blogspot.com/2026/11/harbour.html"
    ]
    assert "Harbour Notes" in p.link_buttons[0].accessibleName()


def edit_title(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    p.title_edit.setFocus()
    p.title_edit.selectAll()
    qtbot.keyClicks(p.title_edit, "Harbour at dusk")
    qtbot.keyClick(p.title_edit, Qt.Key.Key_Return)


def edit_description(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    p.description_edit.setFocus()
    p.description_edit.end(False)
    qtbot.keyClicks(p.description_edit, " Gulls")
    qtbot.keyClick(p.description_edit, Qt.Key.Key_Tab)  # leaving the field writes it


def add_label(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    p.label_edit.setFocus()
    qtbot.keyClicks(p.label_edit, "night")
    qtbot.keyClick(p.label_edit, Qt.Key.Key_Return)


def remove_label(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(p.chip_buttons[1], Qt.MouseButton.LeftButton)


def choose_blog(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    p.blog_combo.setFocus()
    qtbot.keyClick(p.blog_combo, Qt.Key.Key_Down)  # the next blog: Harbour Notes


def move_schedule(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    p.when_edit.setFocus()
    p.when_edit.setDateTime(QDateTime(p.when_edit.dateTime().date().addDays(1), p.when_edit.time()))
    qtbot.keyClick(p.when_edit, Qt.Key.Key_Return)


def unschedule(qtbot, p: PostPanel) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(p.schedule_box, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("edit", "old", "new"),
    [
        (
            edit_title,
            "title: Harbour at dawn  # working title",
            "title: Harbour at dusk  # working title",
        ),
        (
            edit_description,
            "description: A walk before the boats go out.",
            "description: A walk before the boats go out. Gulls",
        ),
        (add_label, "labels: [harbour, walks, rain]", "labels: [harbour, walks, rain, night]"),
        (remove_label, "labels: [harbour, walks, rain]", "labels: [harbour, rain]"),
        (choose_blog, "", "blog: blogger:7001"),
        (
            move_schedule,
            "scheduled: 2026-12-05T09:00:00+01:00",
            "scheduled: 2026-12-06T08:00:00+00:00",
        ),
        (unschedule, "scheduled: 2026-12-05T09:00:00+01:00", ""),
    ],
)
def test_a_field_changes_its_line_only_and_one_undo_restores_the_text(
    qtbot, win: MainWindow, store: DraftStore, edit, old: str, new: str
) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    before = win.editor.toPlainText()
    from_end = put_cursor_in_body(win, "Paragraph 60 ")
    win.editor.centerCursor()
    top = win.editor.firstVisibleBlock().text()
    edit(qtbot, panel(win))
    qtbot.waitUntil(lambda: win.editor.toPlainText() != before, timeout=10_000)
    after = win.editor.toPlainText()
    assert changed_lines(before, after) == [(old, new)]
    assert after.endswith("---\n" + BODY)
    text = win.editor.toPlainText()
    assert len(text) - win.editor.textCursor().position() == from_end, "the cursor stayed"
    assert win.editor.firstVisibleBlock().text() == top, "the body did not move on screen"
    win.editor.setFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.editor.toPlainText() == before, "one Ctrl+Z gives the text back, byte for byte"


def test_typing_yaml_updates_the_panel(qtbot, win: MainWindow, store: DraftStore) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    block = win.editor.document().findBlockByNumber(2)  # labels: [...]
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.movePosition(QTextCursor.MoveOperation.Left)  # before the ]
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, ", boats")
    qtbot.waitUntil(lambda: len(p.chip_buttons) == 4, timeout=10_000)
    assert p.chip_buttons[-1].property("label") == "boats"
    cursor = QTextCursor(win.editor.document().findBlockByNumber(1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    win.editor.setTextCursor(cursor)
    qtbot.keyClick(win.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(win.editor, "blog: wordpress:example.com/blog")
    qtbot.waitUntil(lambda: p.blog_combo.currentText() == "Field Notes", timeout=10_000)


def test_label_completion_offers_the_blogs_labels(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    qtbot.waitUntil(lambda: "transit" in win.desk.labels.known, timeout=5000)
    p.label_edit.setFocus()
    qtbot.keyClicks(p.label_edit, "tra")
    popup = p.label_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    model = p.label_completer.completionModel()
    offered = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert offered == ["transit", "Travel"]
    assert "harbour" not in p.label_model.stringList(), "a label the post has is not offered"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "labels: [harbour, walks, rain, transit]" in win.editor.toPlainText())
    qtbot.waitUntil(lambda: p.label_edit.text() == "")


def test_the_published_address_opens_in_the_browser(
    qtbot, win: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(post_panel, "open_address", opened.append)
    open_text(qtbot, win, store, FRONT + BODY)
    link = panel(win).link_buttons[0]
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert opened == ["https://example.blogspot.com/2026/11/harbour.html"]


def test_an_older_drafts_publish_record_gives_the_address(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    old = "---\ntitle: Old\npublish:\n  blogger:7001: {id: '5', url: 'https://a.example/o.html'}\n---\n"
    open_text(qtbot, win, store, old + "Body\n")
    assert [b.text() for b in panel(win).link_buttons] == ["https://a.example/o.html"]
    assert panel(win).status_label.text() == "Draft on the blog"


def test_malformed_front_matter_disables_the_form_and_changes_nothing(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    broken = "---\ntitle: [unclosed\nlabels: a\n---\nBody\n"
    open_text(qtbot, win, store, broken)
    p = panel(win)
    qtbot.waitUntil(lambda: p.warning.isVisible(), timeout=10_000)
    error = parse_post(broken).front_matter_error or ""
    assert p.warning.text() == front_matter_warning(error)
    assert not p.form.isEnabled() and p.yaml_button.isEnabled()
    assert not p.write("title", "Fixed")
    assert win.editor.toPlainText() == broken
    p.yaml_button.click()
    assert win.editor.textCursor().blockNumber() == 1 and win.editor.hasFocus()


def test_a_draft_without_front_matter_gains_one_from_the_panel(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, win, store, "Just words.\n")
    p = panel(win)
    qtbot.waitUntil(p.form.isEnabled)
    edit_title(qtbot, p)
    qtbot.waitUntil(lambda: win.editor.toPlainText().startswith("---"))
    assert win.editor.toPlainText() == "---\ntitle: Harbour at dusk\n---\nJust words.\n"
    assert p.status_label.text().startswith("Local draft")


def test_tab_reaches_every_control_and_each_has_a_name(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    controls = [
        p.toggle_button,
        p.yaml_button,
        p.title_edit,
        *p.chip_buttons,
        p.label_edit,
        p.blog_combo,
        p.schedule_box,
        p.when_edit,
        p.description_edit,
        *p.link_buttons,
    ]
    qtbot.waitUntil(lambda: all(w.isVisible() for w in controls))
    # the order Tab visits (the parts of the date field count as the field)
    stops = [w.parentWidget() if w.parentWidget() in controls else w for w in tab_stops(win)]
    in_panel = [w for w in stops if p.isAncestorOf(w)]
    assert [w for i, w in enumerate(in_panel) if i == 0 or w is not in_panel[i - 1]] == controls
    assert all(accessible_name(w) for w in controls), [w.objectName() for w in controls]
    # and a real key: Tab from the title goes to the first label chip
    p.title_edit.setFocus()
    qtbot.waitUntil(p.title_edit.hasFocus)
    qtbot.keyClick(p.title_edit, Qt.Key.Key_Tab)
    assert p.chip_buttons[0].hasFocus()


def test_ctrl_4_folds_the_panel_and_it_is_remembered(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    assert p.action.shortcut().toString() == "Ctrl+4" and p.action.isChecked()
    win.editor.setFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert not p.is_open and p.toggle_button.isVisible() and not p.action.isChecked()
    assert win.settings.get(post_panel.OPEN_SETTING) is False
    qtbot.keyClick(win.editor, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert p.is_open and p.title_edit.hasFocus()


def test_a_pause_while_typing_the_title_keeps_what_is_typed(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    p.title_edit.setFocus()
    p.title_edit.end(False)
    qtbot.keyClicks(p.title_edit, " and")
    qtbot.keyClick(p.title_edit, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "title: Harbour at dawn and  #" in win.editor.toPlainText())
    assert p.title_edit.text() == "Harbour at dawn and ", "the space typed last is still there"
    qtbot.keyClicks(p.title_edit, "dusk")
    qtbot.keyClick(p.title_edit, Qt.Key.Key_Return)
    assert "title: Harbour at dawn and dusk  # working title\n" in win.editor.toPlainText()


def test_the_fields_have_keys_of_their_own(qtbot, win: MainWindow, store: DraftStore) -> None:
    open_text(qtbot, win, store, FRONT + BODY)
    p = panel(win)
    for key, field in (
        (Qt.Key.Key_T, p.title_edit),
        (Qt.Key.Key_B, p.label_edit),
        (Qt.Key.Key_D, p.description_edit),
    ):
        win.editor.setFocus()
        qtbot.waitUntil(win.editor.hasFocus)
        qtbot.keyClick(win.editor, key, Qt.KeyboardModifier.AltModifier)
        assert field.hasFocus(), field.objectName()


def test_a_title_typed_for_one_draft_is_saved_in_it_and_never_lands_in_the_next(
    qtbot, win: MainWindow, store: DraftStore
) -> None:
    first = open_text(qtbot, win, store, FRONT + BODY)
    other = store.new_draft("Other")
    other.write_text("---\ntitle: Other\n---\nOther words.\n", encoding="utf-8")
    p = panel(win)
    p.title_edit.setFocus()
    p.title_edit.end(False)
    qtbot.keyClicks(p.title_edit, " typed")  # not yet written: the pause has not come
    assert p.commit_timer.isActive()
    win.open_path(other)
    qtbot.waitUntil(lambda: win.doc is not None and win.doc.path == other, timeout=5000)
    qtbot.waitUntil(lambda: not p.commit_timer.isActive() and p.title_edit.text() == "Other")
    assert win.editor.toPlainText() == "---\ntitle: Other\n---\nOther words.\n"
    # The words typed went with the first draft, saved before the other one opened.
    qtbot.waitUntil(
        lambda: "title: Harbour at dawn typed  # working title\n" in first.read_text("utf-8"),
        timeout=5000,
    )


def test_label_chips_never_cover_the_add_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from editor.ui.label_chips import LabelChips

    host = QWidget()
    chips = LabelChips()
    QVBoxLayout(host).addWidget(chips)
    qtbot.addWidget(host)
    host.resize(420, 120)
    host.show()
    qtbot.waitExposed(host)
    for labels in (("sea", "walks"), ("sea", "walks", "harbour"), ("rain",)):
        chips.show_labels(labels)
        qtbot.wait(20)
        rects = [b.geometry() for b in chips.buttons] + [chips.edit.geometry()]
        assert not [
            (a, b) for i, a in enumerate(rects) for b in rects[i + 1 :] if a.intersects(b)
        ], rects
