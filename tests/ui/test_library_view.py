"""The library view: search as you type with bold hits, filters, sort, Esc, and thousands of
drafts listed without the window ever waiting on the index (the GUI thread runs no SQL)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from editor.core.contrast import AA_TEXT, contrast_ratio
from editor.core.drafts import DraftStore
from editor.core.library_db import HIT_END, HIT_START, LibraryIndex, plain_snippet
from editor.core.library_query import LibraryAnswer, LibraryQuery
from editor.core.paths import app_paths
from editor.core.post import draft_fingerprint, parse_post
from editor.core.post_records import store_records
from editor.core.settings import Settings
from editor.ui.library_view import SNIPPET_ROLE, RowDelegate, fit_snippet
from editor.ui.main_window import MainWindow
from editor.ui.theme import note_colour
from tests.ui.conftest import close_and_delete, open_and_wait
from tests.ui.test_contrast import use_theme

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def write(store: DraftStore, name: str, title: str, body: str, **meta: object) -> Path:
    """A draft with front matter, as a writer's folder holds it."""
    store.ensure()
    lines = [f"title: {title}"] + [f"{k}: {v}" for k, v in meta.items()]
    path = store.drafts_dir / name
    path.write_text("---\n" + "\n".join(lines) + "\n---\n\n" + body, encoding="utf-8")
    return path


def titles(window: MainWindow) -> list[str]:
    return [window.sidebar.title_of(path) for path in window.sidebar.paths()]


def wait_listed(qtbot, window: MainWindow, count: int) -> None:  # type: ignore[no-untyped-def]
    window.refresh_drafts()
    qtbot.waitUntil(lambda: window.sidebar.list.count() == count, timeout=10000)


def choose(combo: QComboBox, value: object) -> None:
    """Pick the entry holding `value`, as a click in the combo's popup does."""
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered by {combo.accessibleName()}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


@pytest.fixture
def library(store: DraftStore) -> dict[str, Path]:
    """Four drafts with labels, dates and lengths of their own."""
    return {
        "harbour": write(
            store,
            "harbour.md",
            "Harbour at dawn",
            "The lantern swung over the quay; 5 < 6 & <i>not markup</i>.\n",
            date="2021-03-04",
            labels="[sea, walks]",
        ),
        "council": write(
            store,
            "council.md",
            "Council budget",
            "The budget hearing ran late. " * 20 + "\n",
            date="2023-05-06",
            labels="[politics]",
        ),
        "ferry": write(
            store,
            "ferry.md",
            "Ferry strike",
            "No ferry today: the crew is on strike by the pier.\n",
            date="2023-01-02",
            labels="[sea, politics]",
        ),
        "anchor": write(
            store, "anchor.md", "Anchor", "A short one.\n", date="2019-09-09", labels="[sea]"
        ),
    }


def test_typing_finds_a_draft_by_a_word_of_its_text_with_the_word_bold(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    wait_listed(qtbot, window, 4)
    search = window.sidebar.filters.search
    qtbot.keyClicks(search, "lant")  # a prefix already finds it: results follow the typing
    qtbot.waitUntil(lambda: window.sidebar.paths() == [library["harbour"]], timeout=5000)
    snippet = window.sidebar.list.item(0).data(SNIPPET_ROLE)
    assert "<b>lantern</b>" in snippet
    # The writer's text is text, never markup: only the match is bold.
    assert "5 &lt; 6 &amp; &lt;i&gt;not markup&lt;/i&gt;" in snippet
    assert window.sidebar.filters.count.text() == "1 draft"


def test_a_title_or_label_is_found_too_and_esc_restores_the_whole_list(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    wait_listed(qtbot, window, 4)
    search = window.sidebar.filters.search
    qtbot.keyClicks(search, "politics")  # a label
    qtbot.waitUntil(lambda: sorted(titles(window)) == ["Council budget", "Ferry strike"])
    search.selectAll()
    qtbot.keyClicks(search, "Anchor")  # a title
    qtbot.waitUntil(lambda: titles(window) == ["Anchor"], timeout=5000)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 4, timeout=5000)
    assert window.sidebar.filters.count.text() == "4 drafts"


def test_filters_narrow_combine_with_the_search_and_esc_clears_them(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    wait_listed(qtbot, window, 4)
    filters = window.sidebar.filters
    qtbot.waitUntil(lambda: filters.label.findData("sea") > 0, timeout=5000)
    assert [filters.label.itemData(i) for i in range(filters.label.count())] == [
        None,
        "politics",
        "sea",
        "walks",
    ]
    choose(filters.label, "sea")
    qtbot.waitUntil(lambda: sorted(titles(window)) == ["Anchor", "Ferry strike", "Harbour at dawn"])
    choose(filters.year, 2023)
    qtbot.waitUntil(lambda: titles(window) == ["Ferry strike"], timeout=5000)
    choose(filters.status, "published")  # none of them is on a blog
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 0, timeout=5000)
    assert filters.count.text() == "0 drafts"
    choose(filters.status, "local")
    qtbot.keyClicks(filters.search, "pier")
    qtbot.waitUntil(lambda: titles(window) == ["Ferry strike"], timeout=5000)
    qtbot.keyClicks(filters.search, " budget")  # every word must be there: none has both
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 0, timeout=5000)
    qtbot.keyClick(filters.search, Qt.Key.Key_Escape)  # the text goes first
    qtbot.waitUntil(lambda: titles(window) == ["Ferry strike"], timeout=5000)
    qtbot.keyClick(filters.search, Qt.Key.Key_Escape)  # then the filters
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 4, timeout=5000)
    assert filters.label.currentData() is None and filters.year.currentData() is None


def test_sort_changes_the_order(qtbot, window: MainWindow, library: dict[str, Path]) -> None:
    wait_listed(qtbot, window, 4)
    sort = window.sidebar.filters.sort
    choose(sort, "title")
    want = ["Anchor", "Council budget", "Ferry strike", "Harbour at dawn"]
    qtbot.waitUntil(lambda: titles(window) == want, timeout=5000)
    choose(sort, "date")
    want = ["Council budget", "Ferry strike", "Harbour at dawn", "Anchor"]
    qtbot.waitUntil(lambda: titles(window) == want, timeout=5000)
    choose(sort, "length")
    qtbot.waitUntil(lambda: titles(window)[0] == "Council budget", timeout=5000)
    assert titles(window)[-1] == "Anchor"


def test_a_draft_saved_by_the_window_shows_up_in_the_results(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    path = store.new_draft("Notes", body="Nothing yet.\n")
    store.new_draft("Other", body="Something else.\n")
    wait_listed(qtbot, window, 2)
    open_and_wait(qtbot, window, path)
    qtbot.keyClicks(window.sidebar.filters.search, "zeppelin")
    qtbot.waitUntil(lambda: window.sidebar.filters.count.text() == "0 drafts", timeout=5000)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "A zeppelin over the bay.")
    window.save_by_hand()
    qtbot.waitUntil(lambda: window.sidebar.paths() == [path], timeout=5000)
    assert "<b>zeppelin</b>" in window.sidebar.list.item(0).data(SNIPPET_ROLE)
    assert window.sidebar.list.currentIndex().row() == 0, "the open draft stays selected"


def test_a_late_answer_to_an_older_query_is_dropped(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    wait_listed(qtbot, window, 4)
    qtbot.keyClicks(window.sidebar.filters.search, "ferry")
    qtbot.waitUntil(lambda: titles(window) == ["Ferry strike"], timeout=5000)
    sidebar = window.sidebar
    old = LibraryQuery(sidebar._serial - 1, "anchor")
    sidebar.show_answer(old, LibraryAnswer(hits=[]))  # arrives after the newer one
    assert titles(window) == ["Ferry strike"]


def test_keyboard_path_and_accessible_names(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    wait_listed(qtbot, window, 4)
    window.editor.setFocus()
    qtbot.waitUntil(window.editor.hasFocus)
    window.sidebar_action.trigger()  # hidden: Ctrl+Shift+F shows it again
    assert window.sidebar.isHidden()
    qtbot.keyClick(window.editor, Qt.Key.Key_F, CTRL_SHIFT)
    search = window.sidebar.filters.search
    qtbot.waitUntil(search.hasFocus, timeout=10_000)
    assert window.sidebar.isVisible() and window.sidebar_action.isChecked()
    qtbot.keyClicks(search, "strike")
    qtbot.waitUntil(lambda: titles(window) == ["Ferry strike"], timeout=5000)
    qtbot.keyClick(search, Qt.Key.Key_Down)  # into the results
    assert window.sidebar.list.hasFocus()
    qtbot.keyClick(window.sidebar.list, Qt.Key.Key_Return)  # and open one
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.path == library["ferry"])
    for control in window.sidebar.filters.findChildren(QWidget):
        if control.focusPolicy() != Qt.FocusPolicy.NoFocus and control.isVisibleTo(window):
            assert control.accessibleName(), control
    assert window.sidebar.list.accessibleName() == "Drafts"


def test_thousands_of_drafts_list_and_search_without_sql_on_the_gui_thread(
    qtbot, window: MainWindow, store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 5000
    store.ensure()
    for i in range(n):
        word = "kestrel" if i % 1000 == 7 else "sparrow"
        (store.drafts_dir / f"post-{i:05}.md").write_text(
            f"---\ntitle: Post {i}\ndate: 2020-01-01\nlabels: [birds]\n---\n\nA {word} at {i}.\n",
            encoding="utf-8",
        )
    gui = threading.current_thread()
    sql_threads: list[threading.Thread] = []
    busy = threading.Event()

    def spy(name: str, owner: object = LibraryIndex) -> None:
        real = getattr(owner, name)

        def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
            sql_threads.append(threading.current_thread())
            busy.set()
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    for name in ("refresh", "listing", "search", "labels", "years", "blogs", "snippets_for"):
        spy(name)
    ticks_while_busy = []
    ticker = QTimer(interval=5)
    ticker.timeout.connect(lambda: busy.is_set() and ticks_while_busy.append(1))
    ticker.start()
    painted: set[int] = set()

    class Counting(RowDelegate):
        def paint(self, painter, option, index):  # type: ignore[no-untyped-def]
            painted.add(index.row())
            super().paint(painter, option, index)

    window.sidebar.list.setItemDelegate(Counting(window.sidebar.list))
    window.refresh_drafts()
    qtbot.waitUntil(lambda: window.sidebar.list.count() == n, timeout=120000)
    ticker.stop()
    assert ticks_while_busy, "the window's event loop kept running while the index was built"
    assert sql_threads and gui not in sql_threads
    window.sidebar.list.viewport().grab()  # paints the list as the screen would
    assert 0 < len(painted) < 100, "only the rows on screen are painted"
    qtbot.keyClicks(window.sidebar.filters.search, "kestrel")
    qtbot.waitUntil(lambda: window.sidebar.list.count() == n // 1000, timeout=10000)
    assert gui not in sql_threads


def test_hits_beyond_the_first_screenful_get_their_snippet_when_scrolled_to(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    for i in range(80):
        write(store, f"bird-{i:02}.md", f"Bird {i:02}", f"Seen today: one kestrel, number {i}.\n")
    wait_listed(qtbot, window, 80)
    qtbot.keyClicks(window.sidebar.filters.search, "kestrel")
    model = window.sidebar.model
    qtbot.waitUntil(lambda: model.with_snippets and model.rowCount() == 80, timeout=5000)
    rows = model.rows
    assert sum(1 for hit in rows if getattr(hit, "snippet", "")) < 80  # not all came at once
    assert not rows[79].snippet
    window.sidebar.list.scrollToBottom()  # painting the row asks for its snippet
    qtbot.waitUntil(lambda: HIT_START + "kestrel" in model.rows[79].snippet, timeout=5000)
    assert "<b>kestrel</b>" in window.sidebar.list.item(79).data(SNIPPET_ROLE)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_count_and_the_rows_read_in_both_themes(
    qtbot, window: MainWindow, library: dict[str, Path], theme: str
) -> None:
    wait_listed(qtbot, window, 4)
    use_theme(qtbot, window, theme)
    count = window.sidebar.filters.count
    behind = window.sidebar.palette().color(QPalette.ColorRole.Window).name()
    shown = count.palette().color(QPalette.ColorRole.WindowText).name()
    assert contrast_ratio(shown, behind) >= AA_TEXT, (shown, behind)
    rows = window.sidebar.list
    base = rows.palette().color(QPalette.ColorRole.Base).name()
    for colour in (
        note_colour("muted", rows),
        rows.palette().color(QPalette.ColorRole.Text).name(),
    ):
        assert contrast_ratio(colour, base) >= AA_TEXT, (colour, base)


def test_a_long_snippet_is_cut_to_the_row_without_cutting_its_match(qtbot) -> None:
    metrics = QFontMetrics(QApplication.font())
    width = metrics.horizontalAdvance("x" * 30)
    late = "one two three four five six seven eight nine ten " + HIT_START + "harbour" + HIT_END
    fitted = fit_snippet(late + " and more words after it", metrics, width)
    assert HIT_START + "harbour" + HIT_END in fitted
    assert fitted.startswith("…") and fitted.endswith("…")
    assert metrics.horizontalAdvance(plain_snippet(fitted)) <= width
    early = HIT_START + "harbour" + HIT_END + " was still" + " and then some" * 10
    fitted = fit_snippet(early, metrics, width)
    assert fitted.startswith(HIT_START + "harbour" + HIT_END) and fitted.endswith("…")
    short = "a " + HIT_START + "gull" + HIT_END
    assert fit_snippet(short, metrics, width) == short


def test_the_blog_filter_appears_with_a_second_blog_and_combines_with_status(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    filters = window.sidebar.filters
    wait_listed(qtbot, window, 4)
    qtbot.waitUntil(lambda: filters.label.count() > 1, timeout=5000)
    assert filters.blog.isHidden(), "one blog or none: nothing to choose"
    for name, blog in (("harbour", "blogger:1"), ("ferry", "wordpress:2")):
        path = library[name]
        fingerprint = draft_fingerprint(parse_post(path.read_text(), path.name))
        store_records(path, {blog: {"id": "5", "status": "LIVE", "draft": fingerprint}})
    window.refresh_drafts()
    qtbot.waitUntil(lambda: not filters.blog.isHidden(), timeout=5000)
    assert filters.blog.accessibleName() == "Blog filter"
    choose(filters.status, "published")
    qtbot.waitUntil(lambda: sorted(titles(window)) == ["Ferry strike", "Harbour at dawn"])
    choose(filters.blog, "wordpress:2")
    qtbot.waitUntil(lambda: titles(window) == ["Ferry strike"], timeout=5000)


def test_drafts_added_replaced_and_removed_by_another_program_show_while_it_runs(
    qtbot, window: MainWindow, store: DraftStore, library: dict[str, Path]
) -> None:
    """A sync client or a second editor changes the folder while the window is open."""
    wait_listed(qtbot, window, 4)
    # the folder was made after the window (by the fixture): the first listing watches it
    added = write(store, "lighthouse.md", "Lighthouse keeper", "The keeper's log.\n")
    qtbot.waitUntil(lambda: "Lighthouse keeper" in titles(window), timeout=10000)
    replacement = library["ferry"].with_name(".ferry.tmp")  # replaced whole, as sync clients do
    replacement.write_text("---\ntitle: Ferry strike is over\n---\n\nBack at sea.\n", "utf-8")
    replacement.replace(library["ferry"])
    qtbot.waitUntil(lambda: "Ferry strike is over" in titles(window), timeout=10000)
    library["anchor"].unlink()
    added.unlink()
    qtbot.waitUntil(lambda: sorted(titles(window)) == [
        "Council budget", "Ferry strike is over", "Harbour at dawn"
    ], timeout=10000)  # fmt: skip


def test_a_draft_edited_in_place_elsewhere_shows_when_the_writer_comes_back(
    qtbot, window: MainWindow, library: dict[str, Path]
) -> None:
    """An edit in place changes no folder entry: coming back to the window lists again."""
    wait_listed(qtbot, window, 4)
    with library["council"].open("r+", encoding="utf-8") as file:  # same size, same name
        text = file.read()
        file.seek(0)
        file.write(text.replace("Council budget", "Council ballot"))
    window.library_watch._on_state(Qt.ApplicationState.ApplicationActive)
    qtbot.waitUntil(lambda: "Council ballot" in titles(window), timeout=10000)


def test_at_start_the_list_fills_from_the_index_then_catches_up_with_changes_made_meanwhile(
    qtbot, store: DraftStore, library: dict[str, Path]
) -> None:
    """Changes made while Broadsheet was closed: the list first shows the drafts as the index
    left them (at once, whatever the library's size), then as they are."""
    paths = app_paths()
    first = MainWindow(paths, Settings(paths.settings_file).load())
    wait_listed(qtbot, first, 4)  # the index now knows the four drafts
    close_and_delete(first)
    library["anchor"].unlink()
    write(store, "lighthouse.md", "Lighthouse keeper", "The keeper's log.\n")
    second = MainWindow(paths, Settings(paths.settings_file).load())
    lists: list[list[str]] = []
    second.files.listed.connect(lambda drafts: lists.append(sorted(d.path.stem for d in drafts)))
    try:
        second.refresh_drafts()
        qtbot.waitUntil(lambda: len(lists) == 2, timeout=10000)
        assert lists[0] == ["anchor", "council", "ferry", "harbour"]  # as the index left them
        assert lists[1] == ["council", "ferry", "harbour", "lighthouse"]  # then as they are
        qtbot.waitUntil(lambda: "Lighthouse keeper" in titles(second), timeout=10000)
        assert "Anchor" not in titles(second)
        second.refresh_drafts()  # later listings are brought up to date before they are sent
        qtbot.waitUntil(lambda: len(lists) == 3, timeout=10000)
        assert lists[2] == lists[1]
    finally:
        close_and_delete(second)


def test_a_drafts_folder_made_after_the_window_is_watched_from_the_first_listing(
    qtbot, store: DraftStore
) -> None:
    """On the first start the sample draft makes the folder after the window is built."""
    paths = app_paths()
    assert not paths.drafts_dir.exists()
    window = MainWindow(paths, Settings(paths.settings_file).load())
    try:
        assert window.library_watch.watcher.directories() == []
        write(store, "harbour.md", "Harbour at dawn", "The lantern swung.\n")
        wait_listed(qtbot, window, 1)
        write(store, "lighthouse.md", "Lighthouse keeper", "The keeper's log.\n")
        qtbot.waitUntil(lambda: "Lighthouse keeper" in titles(window), timeout=10000)
    finally:
        close_and_delete(window)
